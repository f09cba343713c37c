"""Lexicon of Russian reported speech: cue verbs, attribution phrases and source nouns.

Everything is keyed by lemma (natasha/pymorphy lemmas, ``ё`` folded to ``е``) so every
inflected form, participle and gerund of a verb counts as the same cue.
"""

from __future__ import annotations


def words(block: str) -> frozenset[str]:
    """A lexicon written as a whitespace-separated block."""
    return frozenset(block.split())


# Verbs that introduce content: a ``что``-clause, a colon, or an inverted ``X, сказал Y``.
SAY_VERBS: frozenset[str] = words(
    """
    сказать говорить заявить заявлять сообщить сообщать отметить отмечать подчеркнуть
    подчеркивать уточнить уточнять добавить добавлять рассказать рассказывать пояснить
    пояснять объяснить объяснять утверждать считать полагать надеяться исключать допускать
    допустить предупредить предупреждать писать написать передавать передать докладывать
    доложить оповестить оповещать напомнить напоминать уверять заверить заверять признать
    признавать подтвердить подтверждать отвечать ответить констатировать цитировать
    комментировать прокомментировать заключить подытожить резюмировать настаивать указать
    указывать объявить объявлять отрицать опровергнуть опровергать сообщить убеждать
    пожаловаться жаловаться возразить возражать высказаться высказываться добавить
    предположить предполагать прогнозировать предсказать предсказывать предрекать предречь
    обещать пообещать пригрозить угрожать думать опасаться уведомить информировать
    поделиться акцентировать твердить говорить сетовать посетовать вспомнить вспоминать
    сообщать рапортовать анонсировать указывать ссылаться сослаться
    """
)

# Directives and commissives: content is an infinitive phrase or a noun phrase.
DIRECTIVE_VERBS: frozenset[str] = words(
    """
    призвать призывать пообещать обещать угрожать пригрозить предложить предлагать
    попросить просить требовать потребовать рекомендовать порекомендовать посоветовать
    советовать настаивать поручить поручать
    """
)

# Naming, characterising, accusing: the content is the material after the verb.
NAMING_VERBS: frozenset[str] = words(
    """
    назвать называть обвинить обвинять сравнивать сравнить связывать связать осудить
    осуждать охарактеризовать характеризовать раскритиковать критиковать
    """
)

# Verbs whose ``о``-phrase is a reported content (``сообщил об обнаружении``), unlike
# topic-only ``рассказал о причинах``.
NOMINAL_O_VERBS: frozenset[str] = words(
    """
    сообщить сообщать объявить объявлять заявить заявлять предупредить предупреждать
    оповестить оповещать доложить докладывать уведомить информировать свидетельствовать
    """
)

# ``выразил мнение/надежду`` and similar multiword predicates: verb lemma -> object nouns.
LIGHT_VERBS: frozenset[str] = frozenset(
    {"выразить", "выражать", "высказать", "высказывать", "выпустить", "опубликовать", "сделать"}
)
LIGHT_NOUNS: frozenset[str] = words(
    """
    мнение надежда сомнение сомнения протест уверенность обеспокоенность озабоченность
    опасение опасения недовольство несогласие убеждение готовность предположение
    заявление
    """
)

# Cue verbs that need ``не`` to be speech (``не исключил``).
NEGATIVE_ONLY: frozenset[str] = frozenset({"исключать", "исключить"})

# Verbs that may carry a clause but are topic-only without ``что`` (no inverted use).
CLAUSE_ONLY: frozenset[str] = frozenset(
    {"напомнить", "напоминать", "вспомнить", "вспоминать", "думать", "поделиться"}
)

# ``по словам X``: the noun after ``по`` that makes an attribution phrase (lemma).
PO_NOUNS: frozenset[str] = words(
    """
    слово данные мнение сведение сведения сообщение прогноз информация оценка утверждение
    версия подсчет расчет заявление словам данным
    """
)

# ``согласно расчетам X``: the noun is part of the cue and X is the speaker.
SOGLASNO_CUE_NOUNS: frozenset[str] = words(
    """
    данные информация расчет прогноз сведение сведения оценка подсчет пророчество
    предсказание слово мнение утверждение версия сообщение
    """
)

# Head nouns of a speaker description, by speaker type.
MEDIA_NOUNS: frozenset[str] = words(
    """
    газета издание агентство телеканал канал радиостанция радио сми журнал сайт портал
    информагентство еженедельник таблоид ежедневник блог телекомпания редакция
    """
)
DOCUMENT_NOUNS: frozenset[str] = words(
    """
    закон доклад отчет договор конституция указ распоряжение заявление документ видео
    видеозапись исследование анализ опрос теория постановление письмо сообщение решение
    приговор соглашение договоренность протокол резолюция запись обращение статья
    материал справка данные прогноз расчет отчет коммюнике декларация меморандум
    устав кодекс пророчество
    """
)
ORG_NOUNS: frozenset[str] = words(
    """
    власть власти полиция милиция министерство ведомство правительство пресс-служба
    представитель представительство чиновник мид штаб суд прокуратура комитет партия
    делегация наблюдатель администрация мэрия компания служба управление руководство
    кремль минобороны минфин минздрав совет комиссия департамент посольство организация
    фонд банк концерн корпорация сторона командование генпрокуратура
    следователь следствие ск мвд фсб оппозиция профсоюз движение объединение союз
    """
)
ANONYMOUS_NOUNS: frozenset[str] = words(
    """
    эксперт аналитик критик врач доктор блоггер блогер избиратель житель источник пилот
    рабочий очевидец свидетель участник специалист ученый исследователь сторонник
    противник активист пользователь собеседник знакомый сосед родственник пассажир
    гражданин человек люди демонстрант протестующий пикетчик медик экономист политолог
    наблюдатель соцсеть пенсионер студент вязальщик жительница ветеран
    """
)

# Persons are recognised by NER; these heads still name one person.
PERSON_TITLES: frozenset[str] = words(
    """
    президент премьер премьер-министр министр глава спикер директор губернатор мэр
    депутат сенатор председатель лидер руководитель генсек секретарь посол командующий
    генерал канцлер король королева принц папа патриарх протоиерей священник проповедник
    писатель журналист актер актриса певец скульптор архитектор адвокат судья прокурор
    замминистра заместитель помощник советник вице-премьер вице-президент мужчина женщина
    """
)

# Sentence-initial connectives that are left out of reported content.
CONNECTIVES: frozenset[str] = words(
    """
    однако так а но и также впрочем тогда причем
    """
) | {"при этом", "тем временем", "кроме того", "между тем", "вместе с тем", "в то же время"}

# Complementizers that open a reported clause.
COMPLEMENTIZERS: frozenset[str] = frozenset({"что", "чтобы", "будто", "якобы"})

# Outlet names that are media even when NER calls them ORG (lowercase, prefix match).
MEDIA_NAMES: tuple[str, ...] = (
    "тасс",
    "риа",
    "интерфакс",
    "reuters",
    "рейтер",
    "associated press",
    "ассошиэйтед",
    "франс",
    "afp",
    "bloomberg",
    "блумберг",
    "bbc",
    "би-би-си",
    "cnn",
    "коммерсант",
    "ведомости",
    "рбк",
    "известия",
    "лента",
    "газета.ru",
    "newsru",
    "gzt",
    "guardian",
    "new york times",
    "washington post",
    "financial times",
    "wall street journal",
    "медуза",
    "meduza",
    "фонтанка",
    "эхо москвы",
    "дождь",
    "регнум",
    "regnum",
    "росбалт",
    "interfax",
    "ap",
    "caliber",
    "bild",
    "spiegel",
    "le monde",
    "труд",
    "комсомольская правда",
    "российская газета",
    "новая газета",
    "axios",
    "politico",
    "cbs",
    "nbc",
    "fox",
    "sky news",
    "al jazeera",
    "аль-джазира",
)

# Quotation-mark pairs (opening -> closing); the straight quote pairs with itself.
QUOTE_PAIRS: dict[str, str] = {"«": "»", "“": "”", "„": "“", '"': '"'}
DASHES: frozenset[str] = frozenset({"—", "–", "-", "―"})

# Cues that only close or interrupt a quotation (``— продолжил Брод, —``).
DIRECT_ONLY: frozenset[str] = words(
    """
    продолжить пошутить признаться парировать отрезать воскликнуть ответить резюмировать
    подытожить заключить добавить отметить написать
    """
)

# Reflexive-passive cues that count only with a named source place (``в докладе отмечается``).
REFLEXIVE_CUES: frozenset[str] = frozenset(
    {"отмечаться", "говориться", "указываться", "подчеркиваться", "утверждаться", "сообщаться"}
)

# Verbs that take a noun-phrase content directly (``не исключил продолжение тенденции``).
NOUN_OBJ_VERBS: frozenset[str] = words(
    """
    исключать исключить допускать допустить отрицать требовать потребовать просить
    попросить осудить осуждать подтвердить подтверждать предсказать предсказывать
    предрекать предречь прогнозировать обещать пообещать приветствовать
    """
)

# Prepositions that introduce a nominal content, per verb (``указывал на трудности``).
NOMINAL_PREPS: dict[str, tuple[str, ...]] = {
    "указывать": ("на",),
    "указать": ("на",),
    "ссылаться": ("на",),
    "сослаться": ("на",),
    "жаловаться": ("на",),
    "пожаловаться": ("на",),
    "настаивать": ("на",),
}

# Verbs that report only with a ``что``-clause (``анализы показали, что``).
CLAUSE_VERBS: frozenset[str] = frozenset({"показать", "показывать", "свидетельствовать"})

# A recording that appears is a source of what it shows (``В Сети появилось видео, как X``):
# only with a recording as the subject and a ``как``/``что`` clause; ``появилась
# информация`` stays impersonal.
APPEARANCE_VERBS: frozenset[str] = frozenset({"появиться", "появляться"})
RECORDING_NOUNS: frozenset[str] = words(
    """
    видео видеозапись запись аудиозапись ролик видеоролик кадры снимок фото фотография
    фотографии съемка
    """
)

# Verbs that raise the items of a list after a colon (``требования, выдвигаемые X: «A», «B»``).
LIST_CUE_VERBS: frozenset[str] = frozenset({"выдвигать", "выдвинуть"})

# Speech nouns that are the cue when no verb governs the content (``Требования ЕС заключаются
# в том, чтобы``, ``петиции с требованием вернуть``).
CUE_NOUNS: frozenset[str] = words(
    """
    требование призыв предложение позиция просьба
    """
)
CONSIST_VERBS: frozenset[str] = frozenset({"заключаться", "состоять"})

# ``ссылаясь на X``: content unless X names a source (``ссылаясь на источники``).
CITING_VERBS: frozenset[str] = frozenset({"ссылаться", "сослаться"})

# Gerunds of cue verbs that the tagger sometimes reads as nouns: form -> verb lemma.
GERUND_FIXES: dict[str, str] = {"ссылаясь": "ссылаться", "сославшись": "сослаться"}
