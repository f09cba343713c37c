"""Events: PLOVER types from the lexicon, arguments from the parse, entities by offsets."""

from __future__ import annotations

import datetime as dt

import pytest

from service.extraction import extract
from service.extraction.models import Event, Extraction


def events_of(text: str) -> list[Event]:
    return extract(f"date 2025-09-03 {text}").events


def names(event: Event, role: str | None = None) -> set[str]:
    return {p.name for p in event.participants if role is None or p.role == role}


def one(events: list[Event], type_: str, lemma: str | None = None) -> Event:
    found = [e for e in events if e.type == type_ and (lemma is None or e.trigger.lemma == lemma)]
    assert found, f"no {type_} {lemma or ''} in {[(e.type, e.trigger.text) for e in events]}"
    return found[0]


def mentions_name(event: Event, fragment: str) -> bool:
    return any(fragment in p.name for p in event.participants)


# The seed article ---------------------------------------------------------------------


def test_meeting_that_did_not_happen(seed: Extraction) -> None:
    event = one(seed.events, "CONSULT", "встреча")  # ``не проводили встречу``: the noun (D28)
    assert event.polarity == "negative"
    assert event.modality == "asserted"
    assert mentions_name(event, "Алиев") and mentions_name(event, "Путин")
    assert event.location is not None and event.location.name == "Китай"


def test_meeting_never_took_place(seed: Extraction) -> None:
    event = [e for e in seed.events if e.type == "CONSULT" and e.trigger.lemma == "встреча"][-1]
    assert event.polarity == "negative"


def test_putin_talks_with_pashinyan_and_erdogan(seed: Extraction) -> None:
    event = one(seed.events, "CONSULT", "переговоры")
    assert event.polarity == "positive"
    assert any("Путин" in n for n in names(event, "agent"))
    assert any("Пашинян" in n for n in names(event, "other"))
    assert any("Эрдоган" in n for n in names(event, "other"))


def test_downing_of_the_airliner(seed: Extraction) -> None:
    event = one(seed.events, "ASSAULT", "подбить")
    assert event.mode == "aerial"
    assert event.location is not None and event.location.name == "Грозный"
    assert event.date is not None and event.date.start == dt.date(2024, 10, 1)


def test_detentions_in_yekaterinburg(seed: Extraction) -> None:
    event = one(seed.events, "COERCE", "задержать")
    assert event.mode == "arrest"
    assert event.location is not None and event.location.name == "Екатеринбург"
    assert event.date is not None
    assert (event.date.start, event.date.end) == (dt.date(2025, 6, 1), dt.date(2025, 6, 30))


def test_aliyev_accuses(seed: Extraction) -> None:
    event = one(seed.events, "ACCUSE", "обвинить")
    assert any("Алиев" in n for n in names(event, "agent"))


def test_threats_against_azerbaijan(seed: Extraction) -> None:
    event = one(seed.events, "THREATEN")
    assert "Азербайджан" in names(event, "patient")


def test_strikes_on_socar_sites(seed: Extraction) -> None:
    event = one(seed.events, "ASSAULT", "бить")
    assert event.location is not None and event.location.name == "Одесская область"
    assert event.date is not None and event.date.start == dt.date(2025, 7, 1)
    assert event.modality == "asserted"


def test_hopes_and_intentions_are_hypothetical(seed: Extraction) -> None:
    meet = one(seed.events, "CONSULT", "пересечься")
    assert meet.modality == "hypothetical"
    assert meet.date is not None and meet.date.start == dt.date(2025, 9, 1)
    lawsuit = one(seed.events, "ACCUSE", "иск")
    assert lawsuit.modality == "hypothetical"


def test_not_admitting_is_negative(seed: Extraction) -> None:
    assert one(seed.events, "CONCEDE", "признать").polarity == "negative"


def test_offsets_and_entity_keys_are_consistent(seed: Extraction, seed_text: str) -> None:
    keys = {e.key for e in seed.entities}
    for event in seed.events:
        trig = event.trigger
        assert seed_text[trig.start : trig.end] == trig.text
        assert event.sentence.start <= trig.start < event.sentence.end
        assert all(p.entity is None or p.entity in keys for p in event.participants)
        assert event.location is None or event.location.entity in keys


# Case tables per type: invented sentences, one construction each -------------------------
# (sentence, type, trigger text, participant names that must be there (nominative), polarity,
# modality). Constructions, not corpus sentences: light verbs, passives, both aspects, deverbal
# nouns, described groups.

Case = tuple[str, str, str | None, list[str], str, str]

PROTEST_CASES: list[Case] = [
    (
        "Сотни студентов приняли участие в марше протеста в Белграде.",
        "PROTEST",
        "протеста",
        ["сотни студентов"],
        "positive",
        "asserted",
    ),
    (
        "Бастующие шахтеры перекрыли трассу.",
        "PROTEST",
        "перекрыли",
        ["бастующие шахтеры"],
        "positive",
        "asserted",
    ),
    (
        "Участники акции протеста требовали отставки правительства.",
        "PROTEST",
        "протеста",
        ["участники акции протеста"],  # the whole genitive chain
        "positive",
        "asserted",
    ),
    (
        "Полиция разогнала митинг оппозиции в Ереване.",
        "PROTEST",
        "митинг",
        ["оппозиция"],
        "positive",
        "asserted",
    ),
    (
        "Тысячи сторонников оппозиции вышли на митинг в центре Минска.",
        "PROTEST",
        "митинг",
        [],
        "positive",
        "asserted",
    ),
    (
        "Рабочие завода объявили забастовку в понедельник.",
        "PROTEST",
        "забастовку",
        ["рабочие завода"],
        "positive",
        "asserted",
    ),
    (
        "Протестующие перекрыли дорогу к аэропорту.",
        "PROTEST",
        "перекрыли",
        ["протестующие"],
        "positive",
        "asserted",
    ),
    (
        "Студенты провели пикет у здания министерства.",
        "PROTEST",
        "пикет",
        ["студенты"],
        "positive",
        "asserted",
    ),
    (
        "Шахтеры бастуют уже третью неделю.",
        "PROTEST",
        "бастуют",
        ["шахтеры"],
        "positive",
        "asserted",
    ),
    (
        "Рабочие заняли цех в знак протеста против закрытия завода.",
        "PROTEST",
        "заняли",
        ["рабочие"],
        "positive",
        "asserted",
    ),
]
COERCE_CASES: list[Case] = [
    (
        "В июне были задержаны более 10 членов диаспоры.",
        "COERCE",
        "задержаны",
        ["более 10 членов диаспоры"],
        "positive",
        "asserted",
    ),
    (
        "Полиция разогнала митинг оппозиции в Ереване.",
        "COERCE",
        "разогнала",
        ["полиция"],
        "positive",
        "asserted",
    ),
    (
        "Суд наложил арест на имущество бизнесмена Ивана Орлова.",
        "COERCE",
        "арест",
        ["суд", "Иван Орлов"],
        "positive",
        "asserted",
    ),
    (
        "Полиция задержала двух активистов у здания суда.",
        "COERCE",
        "задержала",
        ["полиция", "два активиста"],
        "positive",
        "asserted",
    ),
    (
        "Журналист Сергей Смирнов был задержан полицией в Москве.",
        "COERCE",
        "задержан",
        ["Сергей Смирнов", "полиция"],
        "positive",
        "asserted",
    ),
    (
        "Силовики провели обыски у сотрудников фонда.",
        "COERCE",
        "обыски",
        ["силовики"],
        "positive",
        "asserted",
    ),
    (
        "Блогера Андрея Котова взяли под стражу в зале суда.",
        "COERCE",
        "взяли",
        ["Андрей Котов"],
        "positive",
        "asserted",
    ),
    (
        "Пограничники не пустили делегацию в страну.",
        "COERCE",
        "пустили",
        ["пограничники", "делегация"],
        "positive",
        "asserted",
    ),
    (
        "Роскомнадзор заблокировал сайт издания.",
        "COERCE",
        "заблокировал",
        [],
        "positive",
        "asserted",
    ),
    (
        "Куба содержит 24 журналиста за решёткой.",
        "COERCE",
        "содержит",
        ["Куба", "24 журналиста"],
        "positive",
        "asserted",
    ),
]
ASSAULT_CASES: list[Case] = [
    (
        "Боевики обстреляли позиции армии у границы.",
        "ASSAULT",
        "обстреляли",
        ["боевики"],
        "positive",
        "asserted",
    ),
    (
        "Неизвестные напали на журналиста Павла Орлова в подъезде.",
        "ASSAULT",
        "напали",
        ["неизвестные", "Павел Орлов"],
        "positive",
        "asserted",
    ),
    ("Израиль нанес удар по сектору Газа.", "ASSAULT", "удар", ["Израиль"], "positive", "asserted"),
    (
        "Охранник избил фотографа Андрея Лисицына.",
        "ASSAULT",
        "избил",
        ["охранник", "Андрей Лисицын"],
        "positive",
        "asserted",
    ),
    (
        "Террористы захватили заложников в школе.",
        "ASSAULT",
        "захватили",
        ["террористы"],
        "positive",
        "asserted",
    ),
    (
        "Попытка покушения была совершена на квартире Ивана Сергеева.",
        "ASSAULT",
        "покушения",
        ["Иван Сергеев"],
        "positive",
        "asserted",
    ),
]
SANCTION_CASES: list[Case] = [
    (
        "Чиновника Петра Ильина отстранили от должности.",
        "SANCTION",
        "отстранили",
        ["Петр Ильин"],
        "positive",
        "asserted",
    ),
    (
        "Евросоюз ввел санкции против Ирана.",
        "SANCTION",
        "санкции",
        ["Евросоюз", "Иран"],
        "positive",
        "asserted",
    ),
    (
        "Суд приговорил Алексея Навального к девяти годам колонии.",
        "SANCTION",
        "приговорил",
        ["Алексей Навальный"],
        "positive",
        "asserted",
    ),
    (
        "Губернатор уволил министра здравоохранения.",
        "SANCTION",
        "уволил",
        ["губернатор"],
        "positive",
        "asserted",
    ),
    (
        "Суд оштрафовал компанию Google на 3 млн рублей.",
        "SANCTION",
        "оштрафовал",
        ["Google"],
        "positive",
        "asserted",
    ),
    (
        "Бывший мэр Иван Сидоров признан виновным во взяточничестве.",
        "SANCTION",
        "признан",
        ["Иван Сидоров"],
        "positive",
        "asserted",
    ),
    (
        "Большинство журналистов были осуждены за измену.",
        "SANCTION",
        "осуждены",
        [],
        "positive",
        "asserted",
    ),
]
ACCUSE_CASES: list[Case] = [
    (
        "Министр обвинил оппозицию в подготовке беспорядков.",
        "ACCUSE",
        "обвинил",
        ["министр", "оппозиция"],
        "positive",
        "asserted",
    ),
    (
        "Следственный комитет возбудил уголовное дело против Ивана Петрова.",
        "ACCUSE",
        "дело",
        ["Иван Петров"],
        "positive",
        "asserted",
    ),
    ("Компания подала иск к Минфину.", "ACCUSE", "иск", ["Минфин"], "positive", "asserted"),
    (
        "Ангела Меркель раскритиковала решение Вашингтона.",
        "ACCUSE",
        "раскритиковала",
        ["Ангела Меркель"],
        "positive",
        "asserted",
    ),
    (
        "МИД Китая выразил протест в связи с визитом Нэнси Пелоси.",
        "ACCUSE",
        "протест",
        [],
        "positive",
        "asserted",
    ),
    (
        "Прокуратура начала проверку в отношении депутата Андрея Ломова.",
        "ACCUSE",
        "проверку",
        ["прокуратура"],
        "positive",
        "asserted",
    ),
    (
        "Обама назвал действия России «неприемлемыми».",
        "ACCUSE",
        "назвал",
        ["Обама"],
        "positive",
        "asserted",
    ),
]
SUPPORT_CASES: list[Case] = [
    (
        "Президент наградил Ивана Смирнова орденом Мужества.",
        "SUPPORT",
        "наградил",
        ["Иван Смирнов"],
        "positive",
        "asserted",
    ),
    (
        "Путин поздравил Си Цзиньпина с днем рождения.",
        "SUPPORT",
        "поздравил",
        ["Путин", "Си Цзиньпин"],
        "positive",
        "asserted",
    ),
    (
        "Посольство выразило соболезнования семьям погибших.",
        "SUPPORT",
        "соболезнования",
        ["посольство"],
        "positive",
        "asserted",
    ),
    (
        "Мэр поблагодарил спасателей за работу.",
        "SUPPORT",
        "поблагодарил",
        ["спасатели"],
        "positive",
        "asserted",
    ),
]
REQUEST_AND_MODALITY_CASES: list[Case] = [
    # the addressee of a request as a described group (``к властям``, ``у полиции``)
    (
        "Активисты обратились к властям с требованием отставки мэра.",
        "REQUEST",
        None,
        ["активисты", "власти"],
        "positive",
        "asserted",
    ),
    (
        "Мэр попросил помощи у военных.",
        "REQUEST",
        "попросил",
        ["мэр", "военные"],
        "positive",
        "asserted",
    ),
    # D27: a belief or hearsay frame makes the act reported, not asserted by the outlet
    (
        "Правозащитники считают, что журналиста задержали незаконно.",
        "COERCE",
        "задержали",
        [],
        "positive",
        "reported",
    ),
    (
        "Адвокат уверен, что его подзащитного арестовали за критику властей.",
        "COERCE",
        "арестовали",
        [],
        "positive",
        "reported",
    ),
    (
        "Оппозиционера якобы избили в отделении полиции.",
        "ASSAULT",
        "избили",
        [],
        "positive",
        "reported",
    ),
    (
        "По мнению экспертов, полиция задержала десятки активистов.",
        "COERCE",
        "задержала",
        ["полиция"],
        "positive",
        "reported",
    ),
    (
        "Полиция, предположительно, задержала двух активистов.",
        "COERCE",
        "задержала",
        ["полиция"],
        "positive",
        "reported",
    ),
    (
        "Президент поручил правительству подготовить доклад.",
        "REQUEST",
        "поручил",
        ["правительство"],
        "positive",
        "asserted",
    ),
    ("Соседи вызвали полицию.", "REQUEST", "вызвали", ["соседи"], "positive", "asserted"),
    (
        "По словам Пескова, Путин встретится с Трампом в Анкоридже.",
        "CONSULT",
        "встретится",
        ["Путин", "Трамп"],
        "positive",
        "hypothetical",
    ),
    (
        "Как сообщает ТАСС, полиция задержала двух подозреваемых.",
        "COERCE",
        "задержала",
        ["полиция"],
        "positive",
        "reported",
    ),
    (
        "Евросоюз намерен ввести новые санкции против России.",
        "SANCTION",
        "санкции",
        ["Евросоюз"],
        "positive",
        "hypothetical",
    ),
    (
        "Лавров не встретился с Блинкеном.",
        "CONSULT",
        "встретился",
        ["Лавров", "Блинкен"],
        "negative",
        "asserted",
    ),
]
NO_EVENT = [
    "Песков заявил, что Кремль не видит угрозы.",  # D1: plain speech
    "Депутаты проголосовали за законопроект о налогах.",  # D7: votes and bills
    "Правительство одобрило проект постановления о ценах.",  # D7
    "Сборная России выиграла у Бразилии со счетом 2:1.",  # sport
    "Компания купила контрольный пакет акций банка.",  # commerce
    "В ДТП на трассе погибли три человека.",  # D12: death without violence
    "Министр отверг обвинения в коррупции.",  # D14: denying a claim
    "После увольнения он уехал в Казань.",  # D17: a bare event noun
    "Критик похвалил новый роман писательницы.",  # D26: praise of a thing
    "Наибольшее количество арестованных журналистов в Китае.",  # D20: a count
]


def _same(fragment: str, name: str) -> bool:
    norm = lambda x: x.lower().replace("ё", "е")  # noqa: E731
    return norm(fragment) == norm(name) or norm(name).endswith(norm(fragment).split()[-1])


@pytest.mark.parametrize(
    "case",
    PROTEST_CASES
    + COERCE_CASES
    + ASSAULT_CASES
    + SANCTION_CASES
    + ACCUSE_CASES
    + SUPPORT_CASES
    + REQUEST_AND_MODALITY_CASES,
    ids=lambda c: f"{c[1]}:{c[0][:40]}",
)
def test_case_table(case: Case) -> None:
    text, type_, trigger, parts, polarity, modality = case
    events = events_of(text)
    found = [e for e in events if e.type == type_ and trigger in (None, e.trigger.text)]
    assert found, [(e.type, e.trigger.text) for e in events]
    event = found[0]
    for part in parts:
        assert any(_same(part, p.name) for p in event.participants), event.participants
    assert (event.polarity, event.modality) == (polarity, modality)


@pytest.mark.parametrize("text", NO_EVENT)
def test_no_event(text: str) -> None:
    assert events_of(text) == []


def test_framing_event_absorbs_its_content() -> None:
    """D3: what is requested, condemned or refused is part of the framing event."""
    events = events_of("Зеленский призвал Евросоюз ввести санкции против Ирана.")
    assert [e.type for e in events] == ["REQUEST"]
    events = events_of("Премьер осудил визит президента России на острова.")
    assert [e.type for e in events] == ["ACCUSE"]


def test_a_described_group_is_an_unlinked_participant() -> None:
    event = one(events_of("Протестующие забросали полицию камнями."), "PROTEST")
    group = next(p for p in event.participants if p.name == "протестующие")
    assert group.entity is None and group.role == "agent"


def test_a_pronoun_takes_the_person_it_refers_to() -> None:
    events = events_of("Иван Петров вернулся в Москву. На следующий день он призвал власти уйти.")
    event = one(events, "REQUEST", "призвать")
    assert "Иван Петров" in names(event, "agent")


def test_a_person_named_by_first_name_takes_the_full_name() -> None:
    """A later first name alone is the person introduced in full: the participant carries the
    canonical name and entity, not the bare first name."""
    events = events_of(
        "Гонщик Михаэль Шумахер выиграл гонку в Монако. "
        "Позже Михаэль был наказан судьями за опасный манёвр."
    )
    event = one(events, "SANCTION")
    person = next(p for p in event.participants if p.name.startswith("Михаэль"))
    assert person.name == "Михаэль Шумахер" and person.entity is not None


def test_a_first_name_shared_by_two_people_stays_as_written() -> None:
    events = events_of(
        "Иван Петров и Иван Сидоров приехали в Москву. Позже Иван был задержан полицией."
    )
    event = one(events, "COERCE")
    assert not any(p.name in ("Иван Петров", "Иван Сидоров") for p in event.participants)


def test_a_title_given_after_the_name_refers_back_to_the_person() -> None:
    """``Медведев, президент России`` ties the title to him as much as ``президент России
    Медведев`` does: a later ``российский президент`` is the same person."""
    events = events_of(
        "Переговоры провел Дмитрий Медведев, президент России. "
        "Позже российский президент осудил действия Японии."
    )
    assert "Дмитрий Медведев" in names(one(events, "ACCUSE"), "agent")


def test_a_country_in_a_named_persons_title_is_no_participant() -> None:
    """``президента России Дмитрия Медведева``: the person is the participant, the country
    only qualifies his title; a country heading the phrase still is one."""
    events = events_of("Премьер осудил визит на острова президента России Дмитрия Медведева.")
    assert names(one(events, "ACCUSE"), "patient") == {"Дмитрий Медведев"}
    events = events_of("Премьер осудил решение Вашингтона.")
    assert "Вашингтон" in names(one(events, "ACCUSE"))


def test_a_counted_group_is_named_in_the_nominative() -> None:
    """``задержала двух активистов`` names ``два активиста``; digits stay as written."""
    event = one(events_of("Полиция задержала двух активистов."), "COERCE")
    assert "два активиста" in names(event, "patient")
    event = one(events_of("Охранники избили двух журналисток."), "ASSAULT")
    assert "две журналистки" in names(event, "patient")
    event = one(events_of("Полиция задержала 12 активистов."), "COERCE")
    assert "12 активистов" in names(event, "patient")


# Phenomena on other sentences ---------------------------------------------------------


def test_arrest_with_agent_and_patient() -> None:
    events = events_of("Полиция задержала Алексея Навального в Москве 15 марта.")
    event = one(events, "COERCE", "задержать")
    assert event.mode == "arrest"
    assert any("Навальн" in n for n in names(event, "patient"))
    assert event.date is not None and event.date.start == dt.date(2025, 3, 15)


def test_light_verb_takes_the_noun_type() -> None:
    events = events_of("Евросоюз ввел новые санкции против России.")
    event = one(events, "SANCTION")
    assert event.trigger.lemma == "санкция"  # the noun of the light-verb construction (D28)
    assert "Россия" in names(event, "patient")


def test_reported_speech() -> None:
    events = events_of("Песков заявил, что Россия обстреляла позиции ВСУ под Харьковом.")
    event = one(events, "ASSAULT", "обстрелять")
    assert event.modality == "reported"
    assert event.mode == "firearms"


def test_cancelled_visit_is_not_a_visit() -> None:
    events = events_of("Азербайджан отменил визит делегации России.")
    assert one(events, "SANCTION").trigger.lemma == "отменить"
    assert not [e for e in events if e.type == "CONSULT"]


def test_a_greeting_is_no_endorsement() -> None:
    assert not events_of("Они поприветствовали друг друга и разошлись.")


def test_phone_call_mode_from_a_modifier() -> None:
    events = events_of("Владимир Путин провел телефонный разговор с Дональдом Трампом во вторник.")
    event = one(events, "CONSULT", "разговор")
    assert event.mode == "phone"
    assert any("Трамп" in n for n in names(event, "other"))
    assert event.date is not None and event.date.start == dt.date(2025, 9, 2)


def test_a_cyclic_dependency_parse_does_not_hang_the_extractor(seed_text: str) -> None:
    """The parser sometimes returns a cycle (a head chain that comes back to its start); every
    tree walk must still end. Here the root of each sentence is hung under one of its kids."""
    import signal

    from service.extraction.dates import find_dates
    from service.extraction.entities import extract_entities
    from service.extraction.events import extract_events
    from service.extraction.nlp import analyze
    from service.extraction.parsed import from_doc
    from service.extraction.rawformat import parse_raw

    raw = parse_raw(seed_text)
    doc = analyze(seed_text[raw.body.start : raw.body.end])
    for sent in doc.sents:
        root = next(t for t in sent.tokens if t.head_id == t.id or t.rel == "root")
        kid = next((t for t in sent.tokens if t.head_id == root.id and t is not root), None)
        if kid is not None:
            root.head_id = kid.id
    parsed = from_doc(doc)
    entities = extract_entities(parsed, raw.body.start)
    dates = find_dates(parsed, raw.body.start, raw.published_at)

    def hang(*_: object) -> None:
        raise TimeoutError("extract_events did not finish on a cyclic parse")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(20)
    try:
        events = extract_events(parsed, raw.body.start, entities, dates)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert isinstance(events, list)


# Participants by construction: (sentence, type, trigger, names that must be there with their
# role, names that must not be there). Invented sentences, one construction each.

PartCase = tuple[str, str, str, list[tuple[str, str]], list[str]]

PARTICIPANT_CASES: list[PartCase] = [
    # ``который`` takes the noun it agrees with, past a gloss in brackets
    (
        "Список включает авторов из Кубы и блогера Ивана Петрова (Ivan Petrov), который "
        "отказался передать материалы суду.",
        "REJECT",
        "отказался",
        [("Иван Петров", "agent")],
        ["авторы"],
    ),
    # an adjective in the instrumental is no passive agent
    (
        "Министр Иван Петров отправился с рабочей поездкой в Казань.",
        "CONSULT",
        "поездкой",
        [],
        ["рабочая"],
    ),
    # what a case is about is no party to the arrest
    (
        "Полиция задержала людей, которые были арестованы по делу Ивана Петрова.",
        "COERCE",
        "арестованы",
        [("люди", "patient")],
        ["Иван Петров"],
    ),
    # an event noun in a setting phrase keeps its own actor, not the clause's subject
    (
        "Накануне визита министра Ивана Петрова в Казань губернатор пообещал построить мост.",
        "CONSULT",
        "визита",
        [("Иван Петров", "agent")],
        ["губернатор"],
    ),
    # the dative owner of the body part hit is the victim
    (
        "Бандит выстрелил в спину Ивану Петрову.",
        "ASSAULT",
        "выстрелил",
        [("Иван Петров", "patient")],
        [],
    ),
    # the partner of talks about something, hung under the topic by the parser
    (
        "Министр Иван Петров провел переговоры о торговле с Францией.",
        "CONSULT",
        "переговоры",
        [("Иван Петров", "agent"), ("Франция", "other")],
        [],
    ),
    # an impersonal plural verb: the institution in ``в`` is the actor
    ("Нападение на журналиста осудили в ООН.", "ACCUSE", "осудили", [("ООН", "agent")], []),
    ("В полиции задержали трех активистов.", "COERCE", "задержали", [("полиция", "agent")], []),
    # after an arrest, ``на``/``по`` say where or why, not whom
    (
        "Журналист был задержан на границе с Польшей.",
        "COERCE",
        "задержан",
        [("журналист", "patient")],
        ["Польша"],
    ),
    (
        "Активиста арестовали по решению суда Москвы.",
        "COERCE",
        "арестовали",
        [("активист", "patient")],
        ["Москва"],
    ),
    # ... while a strike ``по`` and a demand ``на`` name their target
    ("Иран нанес удар по территории Израиля.", "ASSAULT", "удар", [("Израиль", "patient")], []),
    # who announces or decides an act of their own does it
    (
        "Власти Франции приняли решение о высылке российских дипломатов.",
        "SANCTION",
        "высылке",
        [("власти Франции", "agent"), ("российские дипломаты", "patient")],
        [],
    ),
    (
        "Евросоюз объявил о введении санкций против Ирана.",
        "SANCTION",
        "санкций",
        [("Евросоюз", "agent"), ("Иран", "patient")],
        [],
    ),
    # ``выступить с`` + an act noun, ``отправиться с визитом``
    (
        "Иван Петров выступил с критикой правительства.",
        "ACCUSE",
        "критикой",
        [("Иван Петров", "agent")],
        [],
    ),
    (
        "Иван Петров отправился с визитом в Китай.",
        "CONSULT",
        "визитом",
        [("Иван Петров", "agent")],
        [],
    ),
    # a dative doer of ``удалось``
    (
        "Полиции удалось задержать Ивана Петрова.",
        "COERCE",
        "задержать",
        [("полиция", "agent"), ("Иван Петров", "patient")],
        [],
    ),
    # a ``где`` clause shares the subject of the clause its place hangs from
    (
        "Иван Петров приехал в Казань, где встретился с Сергеем Смирновым.",
        "CONSULT",
        "встретился",
        [("Иван Петров", "agent"), ("Сергей Смирнов", "other")],
        [],
    ),
    # ``они`` after a subject coordinating named people
    (
        "Иван Петров и Сергей Смирнов прибыли в Пекин. Там они провели переговоры.",
        "CONSULT",
        "переговоры",
        [("Иван Петров", "agent"), ("Сергей Смирнов", "agent")],
        [],
    ),
    # D12: the one who died of a violent cause is its victim, the cause is the trigger
    ("Иван Петров скончался от ран.", "ASSAULT", "ран", [("Иван Петров", "patient")], []),
    # a title in the lead, before the article names the one person who holds it
    (
        "Визит главы японского МИДа в Москву отложен. Об этом сообщил глава МИД Японии "
        "Сейдзи Маэхара.",
        "CONSULT",
        "Визит",
        [("Сейдзи Маэхара", "agent")],
        ["глава японского МИДа"],
    ),
    # a possessed institution noun is the one organisation the article named with it
    (
        "Японское правительство выразило протест. Премьер Кан сказал, что его правительство "
        "будет настаивать на возвращении островов.",
        "REQUEST",
        "настаивать",
        [("Японское правительство", "agent")],
        [],
    ),
    # a described group: its adjectives agree with the head in the nominative, also those
    # pymorphy also reads as place names (``украинскими``)
    (
        "Украинскими военными обстрелян город.",
        "ASSAULT",
        "обстрелян",
        [("украинские военные", "agent")],
        [],
    ),
    # a group named by a chain of genitives keeps the whole chain
    (
        "Сотрудники мэрии Москвы задержали активистов.",
        "COERCE",
        "задержали",
        [("сотрудники мэрии Москвы", "agent")],
        [],
    ),
    # an organisation named by an adjective and a noun, in the nominative
    (
        "Действия японского правительства осудил Пекин.",
        "ACCUSE",
        "осудил",
        [("японское правительство", "patient"), ("Пекин", "agent")],
        [],
    ),
    # ``премьер`` is the ``премьер-министр`` the article introduced
    (
        "Премьер-министр Японии Наото Кан прибыл в Токио. Позже японский премьер осудил "
        "решение России.",
        "ACCUSE",
        "осудил",
        [("Наото Кан", "agent")],
        [],
    ),
]


@pytest.mark.parametrize("case", PARTICIPANT_CASES, ids=lambda c: f"{c[1]}:{c[0][:40]}")
def test_participants_by_construction(case: PartCase) -> None:
    text, type_, trigger, present, absent = case
    events = events_of(text)
    found = [e for e in events if e.type == type_ and e.trigger.text == trigger]
    assert found, [(e.type, e.trigger.text) for e in events]
    event = found[0]
    for name, role in present:
        assert any(_same(name, p.name) and p.role == role for p in event.participants), (
            event.participants
        )
    for name in absent:
        assert not any(_same(name, p.name) for p in event.participants), event.participants


# Triggers of the weaker types: lexicon verbs in both aspects, light verbs and modifiers.
TRIGGER_CASES: list[Case] = [
    (
        "Полиция сообщила о задержании трех активистов.",
        "COERCE",
        "задержании",
        ["три активиста"],
        "positive",
        "reported",
    ),
    (
        "Армия Ирака вторглась в Кувейт.",
        "ASSAULT",
        "вторглась",
        ["Армия Ирака"],
        "positive",
        "asserted",
    ),
    (
        "Суд оштрафовал блогера Ивана Петрова.",
        "SANCTION",
        "оштрафовал",
        ["суд", "Иван Петров"],
        "positive",
        "asserted",
    ),
    (
        "Власти Латвии аннулировали визу журналиста Ивана Петрова.",
        "SANCTION",
        "аннулировали",
        ["Иван Петров"],
        "positive",
        "asserted",
    ),
    # D13: denied entry is COERCE, positive
    (
        "Власти Латвии отказали журналисту во въезде.",
        "COERCE",
        "отказали",
        ["журналист"],
        "positive",
        "asserted",
    ),
    ("Россия ввела войска в Абхазию.", "MOBILIZE", "ввела", ["Россия"], "positive", "asserted"),
    (
        "Полиция и армия объединили усилия в борьбе с террористами.",
        "COOPERATE",
        "объединили",
        ["полиция", "армия"],
        "positive",
        "asserted",
    ),
    (
        "Рабочие шахты начали голодовку.",
        "PROTEST",
        "голодовку",
        ["рабочие шахты"],
        "positive",
        "asserted",
    ),
    (
        "Студенты провели протестную акцию у здания мэрии.",
        "PROTEST",
        "акцию",
        ["студенты"],
        "positive",
        "asserted",
    ),
    (
        "Губернатор уволил министра Ивана Петрова.",
        "SANCTION",
        "уволил",
        ["губернатор", "Иван Петров"],
        "positive",
        "asserted",
    ),
    # D27: hearsay frames, an awaited visit, a relative clause under a request
    (
        "По имеющимся данным, полиция задержала активиста.",
        "COERCE",
        "задержала",
        ["полиция"],
        "positive",
        "reported",
    ),
    (
        "Как стало известно, полиция задержала активиста.",
        "COERCE",
        "задержала",
        ["полиция"],
        "positive",
        "reported",
    ),
    (
        "Визит Ивана Петрова в Китай ожидается в мае.",
        "CONSULT",
        "Визит",
        ["Иван Петров"],
        "positive",
        "hypothetical",
    ),
    (
        "Путин призвал полицию, которая задержала активиста, отпустить его.",
        "COERCE",
        "задержала",
        ["полиция"],
        "positive",
        "asserted",
    ),
]
LAYOFFS = [
    "Закрытие завода повлечет увольнение 300 человек.",  # D6: layoffs are commerce
    "Компания уволила 200 рабочих.",
]


@pytest.mark.parametrize("case", TRIGGER_CASES, ids=lambda c: f"{c[1]}:{c[0][:40]}")
def test_trigger_table(case: Case) -> None:
    test_case_table(case)


@pytest.mark.parametrize("text", LAYOFFS)
def test_layoffs_are_no_sanction(text: str) -> None:
    assert [e for e in events_of(text) if e.type == "SANCTION"] == []


# The scorer compares names whole (a surname alone aside): a participant's name is its whole
# phrase, adjectives agreeing with the head, in the nominative.
EXACT_NAMES = [
    ("Украинскими военными обстрелян город.", "украинские военные"),
    ("Сотрудники мэрии Москвы задержали активистов.", "сотрудники мэрии Москвы"),
    (
        "Организаторы захвата завода Renault объявили голодовку.",
        "организаторы захвата завода Renault",
    ),
    ("Действия японского правительства осудил Пекин.", "японское правительство"),
    ("Партия «Яблоко» осудила решение властей.", "партия «Яблоко»"),  # the kind noun stays
    (
        "В докладе упоминалось японское правительство. Премьер Кан сказал, что его "
        "правительство будет настаивать на возвращении островов.",
        "японское правительство",
    ),
]


@pytest.mark.parametrize(("text", "name"), EXACT_NAMES)
def test_participant_names_are_whole_nominative_phrases(text: str, name: str) -> None:
    found = [p.name for e in events_of(text) for p in e.participants]
    assert name in found, found
