"""Attributed statements (quotes-dev guidelines): the seed article and one sentence per rule.

Every span is checked by slicing the submitted text, as clients do.
"""

from __future__ import annotations

import pytest

from service.extraction import extract
from service.extraction.models import Extraction, Statement


def statements(text: str) -> list[Statement]:
    return extract(text).sources.items


def by_cue(items: list[Statement], cue: str) -> Statement:
    found = [s for s in items if s.cue is not None and s.cue.text == cue]
    assert found, f"no statement with cue {cue!r}: {[s.cue and s.cue.text for s in items]}"
    return found[0]


def check_spans(text: str, st: Statement) -> None:
    assert text[st.quote.start : st.quote.end] == st.quote.text
    assert st.quote.text == st.quote.text.strip()
    if st.cue:
        assert text[st.cue.start : st.cue.end] == st.cue.text
    if st.speaker.mention:
        assert st.speaker.mention.start < st.speaker.mention.end


def mention(text: str, st: Statement) -> str:
    assert st.speaker.mention is not None
    return text[st.speaker.mention.start : st.speaker.mention.end]


# ---------------------------------------------------------------- the seed article


def test_seed_spans_slice_back(seed_text: str, seed: Extraction) -> None:
    assert len(seed.sources.items) >= 9
    for st in seed.sources.items:
        check_spans(seed_text, st)


def test_seed_peskov_reports_no_meeting(seed_text: str, seed: Extraction) -> None:
    st = by_cue(seed.sources.items, "сообщил")
    assert st.kind == "indirect"
    assert st.quote.text.startswith("Президенты Азербайджана и России Ильхам Алиев")
    assert st.quote.text.endswith("в Китае")  # the comma before the cue is not content
    assert st.speaker.name == "Дмитрий Песков"
    assert st.speaker.type == "person"
    assert st.speaker.role == "спикер Кремля"
    assert mention(seed_text, st) == "Дмитрий Песков"
    assert st.speaker.entity is not None


def test_seed_direct_quote_with_pronoun_speaker(seed_text: str, seed: Extraction) -> None:
    st = next(s for s in seed.sources.items if s.quote.text.startswith("Они поприветствовали"))
    assert st.kind == "direct"
    assert st.quote.text.endswith("не было на этот раз")  # marks excluded
    assert st.cue is not None and st.cue.text == "сказал"
    assert mention(seed_text, st) == "он"
    assert st.speaker.name == "Дмитрий Песков"


def test_seed_peskov_allowed_it(seed: Extraction) -> None:
    st = by_cue(seed.sources.items, "допускал")
    assert (st.kind, st.quote.text, st.speaker.name) == ("indirect", "да", "Дмитрий Песков")


def test_seed_second_peskov_quote(seed: Extraction) -> None:
    st = next(s for s in seed.sources.items if s.quote.text.startswith("Мы надеемся"))
    assert st.kind == "direct"
    assert st.quote.text.endswith("пересечься")
    assert st.speaker.name == "Дмитрий Песков"


def test_seed_ushakov_assured(seed: Extraction) -> None:
    st = by_cue(seed.sources.items, "уверял")
    assert st.speaker.name.endswith("Ушаков")
    assert st.quote.text.endswith("активно общались с азербайджанскими коллегами")
    # `Его помощник`: the possessive is resolved, as in the entity's role
    assert st.speaker.role == "помощник Путина"


def test_seed_aliyev_accused(seed: Extraction) -> None:
    st = by_cue(seed.sources.items, "обвинил")
    assert st.speaker.name == "Ильхам Алиев"
    assert st.quote.text.startswith("российских силовиков в том, что они запытали")
    assert st.kind == "mixed"  # «сердечный приступ» is a quoted fragment of their words


def test_seed_aliyev_called_on_ukraine(seed: Extraction) -> None:
    st = by_cue(seed.sources.items, "призвал")
    assert st.quote.text == "не соглашаться на оккупацию"  # addressee and marks left out
    assert st.kind == "mixed"
    assert st.speaker.name == "Ильхам Алиев"


def test_seed_outlet_as_source(seed_text: str, seed: Extraction) -> None:
    st = by_cue(seed.sources.items, "писало")
    assert st.speaker.type == "media"
    assert "Caliber" in mention(seed_text, st)
    assert st.quote.text.endswith("поставки оружия Киеву")


def test_seed_aliyev_declared_and_named(seed: Extraction) -> None:
    st = by_cue(seed.sources.items, "заявил")
    assert st.quote.text == "Азербайджан будет готовиться к войне"  # stops before «и назвал»
    assert st.speaker.name == "Ильхам Алиев"
    named = by_cue(seed.sources.items, "назвал")
    assert named.speaker.name == "Ильхам Алиев"  # elided subject of the coordinated verb
    assert named.kind == "mixed"


def test_seed_no_statement_from_narration(seed: Extraction) -> None:
    quotes = " ".join(s.quote.text for s in seed.sources.items)
    assert "спрашивали" not in quotes
    assert all(s.cue is None or s.cue.text != "показало" for s in seed.sources.items)


# ---------------------------------------------------------------- constructions


def test_quote_then_dash_cue() -> None:
    text = "«Переговоры идут трудно, но мы не теряем надежды», — сказал министр Сергей Лавров."
    st = by_cue(statements(text), "сказал")
    assert st.kind == "direct"
    assert st.quote.text == "Переговоры идут трудно, но мы не теряем надежды"
    assert mention(text, st) == "Сергей Лавров"
    assert st.speaker.role == "министр"


def test_colon_quote() -> None:
    text = "Губернатор Александр Беглов заявил журналистам: «Метро откроется в срок»."
    st = by_cue(statements(text), "заявил")
    assert (st.kind, st.quote.text) == ("direct", "Метро откроется в срок")
    assert mention(text, st) == "Александр Беглов"


def test_interrupted_quote_is_one_record() -> None:
    text = "«Мы готовы к диалогу, — подчеркнул Дмитрий Медведев. — Но диалог должен быть честным»."
    items = statements(text)
    assert len(items) == 1
    st = items[0]
    assert st.kind == "direct"
    assert st.quote.text.startswith("Мы готовы к диалогу")
    assert st.quote.text.endswith("должен быть честным")
    assert st.cue is not None and st.cue.text == "подчеркнул"


def test_dash_speech_without_marks() -> None:
    text = "Поставки возобновятся в марте, — сообщает пресс-служба компании."
    st = by_cue(statements(text), "сообщает")
    assert (st.kind, st.quote.text) == ("direct", "Поставки возобновятся в марте")
    assert mention(text, st) == "пресс-служба компании"
    assert st.speaker.type == "organization"


def test_indirect_that_clause() -> None:
    text = "Министр финансов Антон Силуанов отметил, что бюджет будет исполнен без дефицита."
    st = by_cue(statements(text), "отметил")
    assert st.kind == "indirect"
    assert st.quote.text == "бюджет будет исполнен без дефицита"  # no «что», no period
    assert st.speaker.role == "министр финансов"  # nominative, lower case as in running text


def test_inverted_indirect() -> None:
    text = "Цены на бензин вырастут к осени, считают эксперты."
    st = by_cue(statements(text), "считают")
    assert st.quote.text == "Цены на бензин вырастут к осени"
    assert st.speaker.type == "anonymous"


def test_po_slovam_phrase() -> None:
    text = "По словам мэра Москвы Сергея Собянина, строительство завершится в 2026 году."
    st = by_cue(statements(text), "По словам")
    assert st.quote.text == "строительство завершится в 2026 году"
    assert "Собянин" in mention(text, st)


def test_kak_soobshchaet_agency() -> None:
    text = "Как сообщает агентство Reuters, переговоры отложены на неделю."
    st = by_cue(statements(text), "сообщает")
    assert st.quote.text == "переговоры отложены на неделю"
    assert st.speaker.type == "media"


def test_soglasno_document() -> None:
    text = "Согласно новому закону, мигранты обязаны сдавать экзамен по русскому языку."
    st = by_cue(statements(text), "Согласно")
    assert st.speaker.type == "document"
    assert st.quote.text.startswith("мигранты обязаны")


def test_anaphoric_ob_etom() -> None:
    text = (
        "Завод в Тольятти остановит конвейер на две недели. Об этом сообщил представитель компании."
    )
    st = by_cue(statements(text), "сообщил")
    assert st.quote.text == "Завод в Тольятти остановит конвейер на две недели"
    assert st.speaker.type == "organization"


def test_directive_infinitive() -> None:
    text = "Глава МЧС призвал жителей области не выходить на лед."
    st = by_cue(statements(text), "призвал")
    assert st.quote.text == "не выходить на лед"


def test_nominal_content() -> None:
    text = "Полиция сообщила о задержании двух подозреваемых."
    st = by_cue(statements(text), "сообщила")
    assert st.quote.text == "задержании двух подозреваемых"
    assert st.speaker.type == "organization"


def test_mixed_quote_inside_clause() -> None:
    text = "Депутат Ирина Яровая заявила, что этот закон «защитит детей от опасного контента»."
    st = by_cue(statements(text), "заявила")
    assert st.kind == "mixed"
    assert st.quote.text == "этот закон «защитит детей от опасного контента»"


def test_pronoun_resolves_by_gender() -> None:
    text = (
        "Вчера Мария Захарова встретилась с Сергеем Лавровым. "
        "Она сказала, что встреча прошла успешно."
    )
    st = by_cue(statements(text), "сказала")
    assert st.speaker.name == "Мария Захарова"
    assert mention(text, st) == "Она"


# ---------------------------------------------------------------- exclusions


@pytest.mark.parametrize(
    "text",
    [
        "Сообщается, что пожар потушили к утру.",  # impersonal, no source
        "Напомним, что в прошлом году завод закрылся.",  # the author's voice
        "Пресс-служба не стала сообщать, когда откроется музей.",  # negated / refused
        "В центре города прошел «Русский марш».",  # a title in quotation marks
        "Завтра министр объявит о новых мерах поддержки.",  # future speech act
        "Директор рассказал о причинах задержки.",  # topic only
    ],
)
def test_exclusions(text: str) -> None:
    assert statements(text) == []


def test_seed_video_is_a_document_source(seed: Extraction) -> None:
    st = by_cue(seed.sources.items, "появилось")
    assert st.speaker.type == "document"
    assert st.speaker.name == "видео"
    assert st.quote.text.startswith("Путин заходит в помещение")


def test_a_recording_that_appears_reports_only_with_a_clause() -> None:
    found = statements("В Сети появилась запись, что завод закроют в декабре.")
    assert [(s.speaker.type, s.quote.text) for s in found] == [
        ("document", "завод закроют в декабре")
    ]
    # «появилась информация»: impersonal, no source (the guidelines' exclusion)
    assert statements("В Сети появилась информация, что министр уйдет в отставку.") == []


# ---------------------------------------------------------------- recall rules (list, nouns, ...)


def test_subject_separated_by_participial_insertion() -> None:
    text = "Инженеры, построившие и обслуживающие станцию, говорят, что ремонт займет неделю."
    st = by_cue(statements(text), "говорят")
    assert st.quote.text == "ремонт займет неделю"
    assert mention(text, st).startswith("Инженеры")


def test_subject_separated_by_relative_clause() -> None:
    text = "Профсоюзы, которые провели забастовку в порту, обещают продолжить переговоры."
    st = by_cue(statements(text), "обещают")
    assert st.quote.text == "продолжить переговоры"
    assert mention(text, st) == "Профсоюзы"


def test_named_apposition_after_comma_is_the_speaker() -> None:
    text = (
        "Бывший министр, Иван Сидоров, который сейчас возглавляет фонд, отметил, "
        "что реформа затянется."
    )
    st = by_cue(statements(text), "отметил")
    assert st.speaker.name == "Иван Сидоров"


def test_anaphoric_with_addressee_before_the_cue() -> None:
    text = "Завод снова сбросил отходы в реку. Об этом журналистам газеты рассказали рыбаки."
    st = by_cue(statements(text), "рассказали")
    assert st.quote.text == "Завод снова сбросил отходы в реку"
    assert mention(text, st) == "рыбаки"


def test_interrupted_quote_with_hyphen_dashes() -> None:
    text = "«Мы не согласны с решением, - заявил Олег Петров. - Будем добиваться пересмотра»."
    st = by_cue(statements(text), "заявил")
    assert st.kind == "direct"
    assert st.quote.text.startswith("Мы не согласны") and st.quote.text.endswith("пересмотра")
    assert st.speaker.name == "Олег Петров"


def test_list_of_quoted_items_shares_one_cue() -> None:
    text = (
        "Среди лозунгов, выдвигаемых профсоюзами: «повышение зарплат учителям», "
        "«отмена платных парковок», сокращение рабочей недели и др."
    )
    items = [s for s in statements(text) if s.cue is not None and s.cue.text == "выдвигаемых"]
    got = [(s.kind, s.quote.text) for s in items]
    assert got == [
        ("direct", "повышение зарплат учителям"),
        ("direct", "отмена платных парковок"),
        ("indirect", "сокращение рабочей недели"),
    ]
    assert all(mention(text, s) == "профсоюзами" for s in items)


def test_noun_cue_consists_in() -> None:
    text = "Требования профсоюза заключаются в том, чтобы зарплаты выросли на десять процентов."
    st = by_cue(statements(text), "Требования")
    assert st.quote.text == "зарплаты выросли на десять процентов"
    assert mention(text, st) == "профсоюза"


def test_noun_cue_with_demand_infinitive() -> None:
    text = "Жители собрались у мэрии, держа плакаты с требованием закрыть свалку."
    st = by_cue(statements(text), "требованием")
    assert st.quote.text == "закрыть свалку"
    assert mention(text, st) == "Жители"


def test_saying_verb_right_before_a_quote_without_colon() -> None:
    text = "Тренер закончил пресс-конференцию, сказав «мы сделали все, что могли»."
    st = by_cue(statements(text), "сказав")
    assert (st.kind, st.quote.text) == ("direct", "мы сделали все, что могли")
    assert st.speaker.name == "Тренер" or mention(text, st) == "Тренер"


def test_outlet_name_in_quotes_after_verb_is_not_a_quote() -> None:
    text = "Завтра, сообщает «Новая городская газета», откроется выставка."
    items = statements(text)
    assert all(s.quote.text != "Новая городская газета" for s in items)


def test_citing_gerund_takes_the_reason_not_the_source() -> None:
    text = "Министерство отказалось от участия, ссылаясь на нехватку средств."
    st = by_cue(statements(text), "ссылаясь")
    assert st.quote.text == "нехватку средств"
    other = "Министерство отказалось от участия, ссылаясь на источники в правительстве."
    assert not [s for s in statements(other) if s.cue is not None and s.cue.text == "ссылаясь"]


def test_organisation_named_by_a_foreign_apposition() -> None:
    text = "Всемирная ассоциация (World Association) обвиняет власти в давлении на прессу."
    st = by_cue(statements(text), "обвиняет")
    assert st.speaker.type == "organization"
    assert st.quote.text == "власти в давлении на прессу"


def test_po_slovam_title_and_name() -> None:
    text = "По словам аналитика банка «Восток» Ивана Петрова, рынок вырастет в следующем году."
    st = by_cue(statements(text), "По словам")
    assert st.quote.text == "рынок вырастет в следующем году"
    assert st.speaker.name == "Иван Петров"
    assert st.speaker.type == "person"
    assert st.speaker.role == "аналитик банка «Восток»"  # nominative title


def test_po_slovam_genitive_role_is_nominative() -> None:
    text = "По словам министра финансов Ивана Петрова, бюджет будет сбалансирован."
    st = by_cue(statements(text), "По словам")
    assert st.speaker.role == "министр финансов"


# ---------------------------------------------------------------- hostile input


@pytest.mark.parametrize(
    "text",
    [
        "Он сказал: «Да",  # an unclosed quotation at the very end of the text
        "Он сказал: «Да»",
        "Он сказал: Да",
        "Он сказал:",
        "«Да, — сказал он. —",
        "„Да“ — сказал он",
        '"Да", -',
        'сказал: ""',
        "Он сказал: «»",
        "Он заявил, что",
        "«»«»«»»»»«««",
        '„“"«»"“„',
        "— — — : : — «",
        "Он сказал: «Да, — сказал он. — «Нет",
    ],
)
def test_unbalanced_quotes_and_dashes_give_trimmed_in_range_spans(text: str) -> None:
    for st in statements(text):
        check_spans(text, st)
        assert 0 <= st.quote.start < st.quote.end <= len(text)
        assert st.quote.text[:1] not in '«„"' or st.quote.text.count(st.quote.text[0]) > 1


def test_unclosed_colon_quote_at_the_end_is_the_rest_of_the_text() -> None:
    text = "Министр сказал: «Мы сделаем всё возможное"
    [st] = statements(text)
    assert st.quote.text == "Мы сделаем всё возможное"
    assert st.kind == "direct"


@pytest.mark.parametrize("mark", ['"', "«", "»", "„“", "«»", '"а" ', "— ", ": "])
def test_runs_of_marks_extract_nothing_and_stay_cheap(mark: str) -> None:
    text = (mark * 4000)[:4000]
    assert statements(text) == []
