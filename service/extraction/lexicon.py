"""The event lexicon: Russian lemmas typed with PLOVER's sixteen event types and modes.

Hand-curated. Keys are natasha/pymorphy lemmas (infinitive for verbs and participles,
nominative singular for nouns, ``переговоры`` as a plurale tantum). See docs/events.md for
how to extend it. Everything here is a plain dict/frozenset built once at import.
"""

from __future__ import annotations

from typing import Final

import msgspec

from service.extraction.models import EventType


class Sense(msgspec.Struct, frozen=True):
    type: EventType
    mode: str | None = None


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _entries(type_: EventType, mode: str | None, lemmas: str) -> dict[str, Sense]:
    sense = Sense(type_, mode)
    return {lemma: sense for lemma in lemmas.split()}


# Verbs and nouns that are event triggers on their own. Both aspects of a verb are listed;
# a deverbal noun carries the same type as its verb.
TRIGGERS: Final[dict[str, Sense]] = {
    # CONSULT: meetings, talks, visits, calls.
    **_entries("CONSULT", "meet", "встреча встретиться встречаться пересечься переговоры саммит"),
    **_entries("CONSULT", "meet", "консультация консультироваться проконсультироваться"),
    **_entries("CONSULT", "meet", "совещание обсудить обсуждать обсуждение беседа побеседовать"),
    **_entries("CONSULT", "meet", "контакт общаться пообщаться аудиенция разговор переговорить"),
    **_entries("CONSULT", "visit", "визит посетить посещать посещение прибыть приехать"),
    **_entries("CONSULT", "visit", "турне поездка съездить"),
    **_entries("CONSULT", "phone", "созвониться созвон"),
    **_entries("CONSULT", "mediate", "посредничество посредничать посредник"),
    # AGREE: agreements, deals, ceasefires, accepting proposals.
    **_entries("AGREE", None, "соглашение договориться договариваться договорённость"),
    **_entries("AGREE", None, "договоренность договор согласиться соглашаться согласие"),
    **_entries("AGREE", None, "подписать подписывать подписание сделка меморандум"),
    **_entries("AGREE", None, "перемирие ратифицировать ратификация условиться"),
    **_entries("AGREE", None, "одобрить одобрять одобрение"),
    # SUPPORT: endorsement, praise, recognition.
    **_entries("SUPPORT", None, "поддержать поддерживать поддержка"),
    **_entries("SUPPORT", None, "похвалить хвалить приветствовать поприветствовать"),
    **_entries("SUPPORT", None, "поблагодарить благодарить"),
    **_entries("SUPPORT", None, "поздравить поздравлять поздравление заступиться"),
    # CONCEDE: admitting, apologizing, yielding, releasing.
    **_entries("CONCEDE", None, "признать признавать признание извиниться извинение"),
    **_entries("CONCEDE", None, "извиняться уступить уступать уступка капитулировать"),
    **_entries("CONCEDE", "release", "освободить освобождать освобождение помиловать"),
    **_entries("CONCEDE", "release", "помилование отпустить амнистия амнистировать"),
    **_entries("CONCEDE", None, "смягчить смягчать компромисс"),
    # COOPERATE: working together.
    **_entries("COOPERATE", None, "сотрудничать сотрудничество взаимодействовать"),
    **_entries("COOPERATE", None, "взаимодействие партнёрство партнерство союз"),
    **_entries("COOPERATE", "military", "учения"),
    **_entries("COOPERATE", "economic", "инвестировать инвестиция торговать"),
    # AID: giving help.
    **_entries("AID", None, "помочь помогать помощь содействие содействовать"),
    **_entries("AID", "military", "поставка поставлять вооружить"),
    **_entries("AID", "economic", "кредит финансирование профинансировать субсидия"),
    **_entries("AID", "economic", "грант транш пожертвовать пожертвование"),
    **_entries("AID", "humanitarian", "гуманитарка эвакуировать"),
    **_entries("AID", "humanitarian", "эвакуация спасти спасать"),
    # RETREAT: withdrawing, de-escalating.
    **_entries("RETREAT", None, "отступить отступать отступление отвести отводить"),
    **_entries("RETREAT", None, "вывести выводить вывод отозвать отзыв"),
    **_entries("RETREAT", None, "разоружиться разоружение демобилизация"),
    # REQUEST: asking, appealing, demanding.
    **_entries("REQUEST", None, "призвать призывать призыв попросить просить просьба"),
    **_entries("REQUEST", None, "потребовать требовать требование обратиться обращаться"),
    **_entries("REQUEST", None, "предложить предлагать предложение ходатайство"),
    **_entries("REQUEST", None, "ходатайствовать запросить запрашивать запрос умолять"),
    **_entries("REQUEST", None, "настаивать настоять воззвание пригласить приглашать"),
    **_entries("REQUEST", None, "приглашение"),
    # ACCUSE: accusations, criticism, lawsuits, investigations.
    **_entries("ACCUSE", None, "обвинить обвинять обвинение упрекнуть упрекать"),
    **_entries("ACCUSE", None, "осудить осуждать осуждение раскритиковать критиковать"),
    **_entries("ACCUSE", None, "критика обличать"),
    **_entries("ACCUSE", None, "заподозрить подозревать подозрение"),
    **_entries("ACCUSE", "investigate", "расследование расследовать"),
    **_entries("ACCUSE", "lawsuit", "иск засудить"),
    # REJECT: refusing, denying, vetoing.
    **_entries("REJECT", None, "отказаться отказываться отказ отклонить отклонять"),
    **_entries("REJECT", None, "отвергнуть отвергать опровергнуть опровергать"),
    **_entries("REJECT", None, "опровержение отрицать вето заблокировать блокировать"),
    **_entries("REJECT", None, "проигнорировать игнорировать бойкотировать"),
    # THREATEN.
    **_entries("THREATEN", None, "пригрозить грозить угрожать угроза"),
    **_entries("THREATEN", None, "ультиматум шантажировать шантаж запугивать"),
    # PROTEST: demonstrations, strikes.
    **_entries("PROTEST", "demonstrate", "протест протестовать митинг митинговать"),
    **_entries("PROTEST", "demonstrate", "демонстрация манифестация пикет пикетировать"),
    **_entries("PROTEST", "demonstrate", "шествие"),
    **_entries("PROTEST", "strike", "забастовка бастовать стачка"),
    **_entries("PROTEST", "hunger", "голодовка"),
    **_entries("PROTEST", "riot", "беспорядки бунт"),
    # SANCTION: penalties, cutting ties, cancelling.
    **_entries("SANCTION", None, "санкция запрет запретить запрещать эмбарго"),
    **_entries("SANCTION", None, "отменить отменять отмена приостановить приостанавливать"),
    **_entries("SANCTION", None, "заморозить замораживать прервать прерывать свернуть"),
    **_entries("SANCTION", None, "разорвать разрывать разрыв бойкот ограничение ограничить"),
    **_entries("SANCTION", None, "пошлина штраф оштрафовать"),
    **_entries("SANCTION", "expel", "выслать высылать высылка"),
    **_entries("SANCTION", "convict", "приговорить приговор приговаривать"),
    # MOBILIZE: troops, alerts.
    **_entries("MOBILIZE", None, "мобилизация мобилизовать"),
    **_entries("MOBILIZE", "troops", "стянуть перебросить переброска"),
    **_entries("MOBILIZE", "troops", "развёртывание развертывание"),
    # COERCE: arrests, searches, seizures, bans, deportations.
    **_entries("COERCE", "arrest", "задержать задерживать задержание арестовать арест"),
    **_entries("COERCE", "arrest", "арестовывать"),
    **_entries("COERCE", "arrest", "посадить задержанный"),
    **_entries("COERCE", "seize", "изъять изымать изъятие конфисковать конфискация"),
    **_entries("COERCE", "seize", "захватить захватывать захват национализировать"),
    **_entries("COERCE", "seize", "обыск обыскать рейд облава"),
    **_entries("COERCE", "deport", "депортировать депортация выдворить выдворение"),
    **_entries("COERCE", "expel", "выгнать изгнать"),
    **_entries("COERCE", "censor", "цензура"),
    **_entries("COERCE", None, "преследовать преследование репрессия"),
    # ASSAULT: attacks of any kind.
    **_entries("ASSAULT", None, "атаковать атака напасть нападать нападение удар ударить"),
    **_entries("ASSAULT", None, "бить наступление наступать штурм штурмовать"),
    **_entries("ASSAULT", "aerial", "подбить сбить сбивать бомбить бомбардировка"),
    **_entries("ASSAULT", "aerial", "авиаудар авианалёт авианалет"),
    **_entries("ASSAULT", "firearms", "обстрелять обстреливать обстрел расстрелять"),
    **_entries("ASSAULT", "firearms", "расстрел застрелить стрельба выстрелить"),
    **_entries("ASSAULT", "explosives", "взорвать взрывать подорвать подрыв теракт"),
    **_entries("ASSAULT", "beat", "избить избивать избиение"),
    **_entries("ASSAULT", "torture", "пытать запытать пытка"),
    **_entries("ASSAULT", "abduct", "похитить похищать похищение"),
    **_entries("ASSAULT", "assassinate", "убить убивать убийство ликвидировать"),
}

# Verbs that lend their clause to an event noun (``провести переговоры``): the event takes
# the noun's type and the verb's polarity, tense and arguments. The noun is their object,
# or for the ``_SUBJECT`` ones their subject (``встреча не состоялась``).
LIGHT_VERBS: Final[frozenset[str]] = (
    words("""провести проводить вести устроить устраивать организовать организовывать совершить
    совершать нанести наносить ввести вводить подписать подписывать заключить заключать
    оказать оказывать выдвинуть выдвигать предъявить предъявлять объявить объявлять начать
    начинать продолжить продолжать возобновить возобновлять выразить выражать подать
    подавать осуществить осуществлять предпринять предпринимать """)
)
LIGHT_SUBJECT_VERBS: Final[frozenset[str]] = (
    words("""состояться пройти проходить начаться начинаться продолжиться продолжаться
    завершиться завершаться произойти происходить случиться""")
)
# Light verbs that deny the noun's event (``встреча сорвалась``, ``отменить визит`` is
# its own SANCTION event instead, through TRIGGERS).
NEGATING_VERBS: Final[frozenset[str]] = words("сорваться срываться провалиться сорвать")
# Nouns/prepositions whose complement did not happen: ``отсутствие контактов``.
NEGATING_HEADS: Final[frozenset[str]] = words("отсутствие отказ срыв без провал")

# A verb + dependent lemma that together mean something other than the verb alone.
PHRASES: Final[dict[tuple[str, str], Sense | None]] = {
    ("взять", "стража"): Sense("COERCE", "arrest"),
    ("брать", "стража"): Sense("COERCE", "arrest"),
    ("заключить", "стража"): Sense("COERCE", "arrest"),
    ("поместить", "сизо"): Sense("COERCE", "arrest"),
    ("взять", "плен"): Sense("ASSAULT", "abduct"),
    ("признать", "независимость"): Sense("SUPPORT", None),
    ("выразить", "поддержка"): Sense("SUPPORT", None),
    ("выразить", "протест"): Sense("PROTEST", None),
    ("выйти", "акция"): Sense("PROTEST", "demonstrate"),
    ("выйти", "митинг"): Sense("PROTEST", "demonstrate"),
    ("выйти", "улица"): Sense("PROTEST", "demonstrate"),
    ("нанести", "удар"): Sense("ASSAULT", None),
    ("открыть", "огонь"): Sense("ASSAULT", "firearms"),
    ("бить", "тревога"): None,  # an idiom, not an attack
    ("принять", "предложение"): Sense("AGREE", None),
    ("пойти", "уступка"): Sense("CONCEDE", None),
    ("пойти", "навстречу"): Sense("CONCEDE", None),
    ("поставить", "вопрос"): None,
    ("поприветствовать", "друг"): None,  # a greeting, not an endorsement
    ("приветствовать", "друг"): None,
    ("поставить", "цель"): None,
    ("поставить", "задача"): None,
}

# Mode refinements by a dependent lemma: ``удар беспилотника`` is a drone strike.
MODE_HINTS: Final[dict[str, tuple[EventType, str]]] = {
    "беспилотник": ("ASSAULT", "drone"),
    "дрон": ("ASSAULT", "drone"),
    "бпла": ("ASSAULT", "drone"),
    "ракета": ("ASSAULT", "aerial"),
    "ракетный": ("ASSAULT", "aerial"),
    "авиация": ("ASSAULT", "aerial"),
    "авиабомба": ("ASSAULT", "aerial"),
    "пво": ("ASSAULT", "aerial"),
    "самолёт": ("ASSAULT", "aerial"),
    "самолет": ("ASSAULT", "aerial"),
    "лайнер": ("ASSAULT", "aerial"),
    "артиллерия": ("ASSAULT", "firearms"),
    "артиллерийский": ("ASSAULT", "firearms"),
    "снаряд": ("ASSAULT", "firearms"),
    "телефонный": ("CONSULT", "phone"),
    "телефон": ("CONSULT", "phone"),
    "видеосвязь": ("CONSULT", "phone"),
    "военный": ("AID", "military"),
    "оружие": ("AID", "military"),
    "гуманитарный": ("AID", "humanitarian"),
    "финансовый": ("AID", "economic"),
}

# Verbs of saying: their complement is reported, not asserted by the outlet.
SPEECH_VERBS: Final[frozenset[str]] = (
    words("""сказать говорить заявить заявлять сообщить сообщать рассказать рассказывать
    отметить отмечать подчеркнуть подчёркивать подчеркивать уверять уверить утверждать
    считать полагать написать писать пояснить пояснять добавить добавлять объяснить
    объяснять признаться уточнить уточнять передать передавать информировать
    процитировать цитировать указать указывать допускать допустить предположить
    сообщаться заверить заверять отрицать опровергнуть""")
)

# Heads that make their complement hypothetical: intentions, hopes, plans, possibilities.
INTENT_WORDS: Final[frozenset[str]] = (
    words("""намерение намереваться намерен планировать план собираться хотеть захотеть
    надеяться надежда рассчитывать ожидать ожидаться пообещать обещать обещание
    готовый готовиться готов мочь возможность возможный вероятно вероятный возможно
    предложить предлагать предложение призвать призывать потребовать требовать
    попросить просить угрожать пригрозить угроза стремиться пытаться попытаться
    попытка рассматривать рассмотреть желать мечтать допускать допустить""")
)
