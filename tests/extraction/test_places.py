"""Places the tagger types or bounds wrongly (``service/extraction/places.py``): invented
sentences, one construction a row."""

from __future__ import annotations

import pytest

from service.extraction.entities import extract_entities
from service.extraction.gazetteer import Gazetteer, Known
from service.extraction.parsed import parse
from service.extraction.places import only_place


def spans(text: str, kind: str) -> set[str]:
    return {m.text for e in extract_entities(parse(text), 0) if e.type == kind for m in e.mentions}


@pytest.mark.parametrize(
    "text",
    [
        "Два космонавта вернулись с МКС на Землю в пятницу.",
        "Грузовой корабль пристыковался к МКС утром.",
        "Руководитель полёта российского сегмента МКС Олег Петров ответил репортёрам.",
    ],
)
def test_a_station_in_orbit_is_a_place(text: str) -> None:
    assert "МКС" in spans(text, "LOC")
    assert "МКС" not in spans(text, "ORG")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Самолёт приземлился в аэропорту «Пулково» поздно вечером.", "Пулково"),
        ("Презентация прошла в бизнес-центре «Кристалл» на окраине.", "Кристалл"),
        ("Писатель подписывал книги в книжном магазине «Буквоед» до ночи.", "Буквоед"),
        ("Болельщики собрались у стадиона «Лужники» заранее.", "Лужники"),
    ],
)
def test_a_quoted_name_after_a_facility_noun_is_a_place(text: str, name: str) -> None:
    assert name in spans(text, "LOC")
    assert name not in spans(text, "ORG")


def test_a_head_only_facility_noun_before_a_quoted_name_is_a_firm() -> None:
    # "дом" heads building names ("Центральный дом журналиста") but not before a quote
    text = "Книгу выпустил издательский дом «Северная звезда» весной."
    assert "Северная звезда" not in spans(text, "LOC")


@pytest.mark.parametrize(
    ("text", "outer", "inner"),
    [
        (
            "Иск рассмотрел суд Ленинского района города Курска.",
            "Ленинского района города Курска",
            "Курска",
        ),
        (
            "Пожар начался на складе Заводского района Минска ночью.",
            "Заводского района Минска",
            "Минска",
        ),
        ("В Кировском районе Самары отключили воду.", "Кировском районе Самары", "Самары"),
    ],
)
def test_a_division_takes_the_genitive_place_it_belongs_to(
    text: str, outer: str, inner: str
) -> None:
    locs = spans(text, "LOC")
    assert {outer, inner} <= locs
    assert outer.rsplit(" ", 1)[0] not in locs  # no mention ending before the place


@pytest.mark.parametrize(
    ("text", "found", "not_found"),
    [
        ("Она стала чемпионкой Европы по шахматам.", {"Европы"}, set()),
        ("Завод выпускал автомобили «Таврия» много лет.", set(), {"Таврия"}),
    ],
)
def test_a_skipped_word_that_is_only_a_place_is_a_place_unless_quoted(
    text: str, found: set[str], not_found: set[str]
) -> None:
    locs = spans(text, "LOC")
    assert found <= locs
    assert not (not_found & locs)


@pytest.mark.parametrize(
    ("text", "org", "place"),
    [
        (
            "Об этом он сказал в интервью радиостанции «Голос Америки» вчера.",
            "Голос Америки",
            "Америки",
        ),
        ("Вице-президент Банка Москвы ушёл в отставку.", "Банка Москвы", "Москвы"),
        (
            "Об этом сообщило агентство «Новый регион — Пермь» в среду.",
            "Новый регион — Пермь",
            "Пермь",
        ),
    ],
)
def test_a_place_inside_an_organisation_name_is_a_place_too(
    text: str, org: str, place: str
) -> None:
    assert org in spans(text, "ORG")
    assert place in spans(text, "LOC")


@pytest.mark.parametrize(
    ("text", "place", "person"),
    [
        (
            "Туристы сфотографировались у памятника Александру Пушкину на площади.",
            "памятника Александру Пушкину",
            "Александру Пушкину",
        ),
        (
            "Вчера открыли памятник первому губернатору области Ивану Кольцову.",
            "памятник первому губернатору области Ивану Кольцову",
            "Ивану Кольцову",
        ),
    ],
)
def test_a_monument_to_a_person_is_a_place_and_the_person_stays(
    text: str, place: str, person: str
) -> None:
    assert place in spans(text, "LOC")
    assert person in spans(text, "PER")


@pytest.mark.parametrize(
    ("text", "found", "not_found"),
    [
        (
            "Программист Юхан Лиэдениус основал компанию. "
            "Лиэдениус меж тем сдаваться не собирается.",
            {"Юхан Лиэдениус", "Лиэдениус"},
            set(),
        ),
        ("Братья Ямщиковы купили дом. Ямщиковых знает весь город.", set(), {"Ямщиковых"}),
    ],
)
def test_a_surname_the_article_introduced_is_found_again_but_not_a_family(
    text: str, found: set[str], not_found: set[str]
) -> None:
    people = spans(text, "PER")
    assert found <= people
    assert not (not_found & people)
    persons = [e for e in extract_entities(parse(text), 0) if e.type == "PER"]
    assert len(persons) == (1 if found else 0)  # the surname sits under the full name


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Белый дом заявил о новых санкциях против компании.", "ORG"),
        ("Представитель Белого дома отказался от комментариев.", "ORG"),
        ("Вчера в Белом доме прошла встреча с фермерами.", "LOC"),
    ],
)
def test_a_seat_of_power_acts_as_a_body_but_is_a_place_to_be_in(text: str, kind: str) -> None:
    types = {e.type for e in extract_entities(parse(text), 0) if "Бел" in e.name}
    assert types == {kind}


def test_a_place_word_a_name_agrees_with_is_no_place_of_its_own() -> None:
    assert "Россия" not in spans("Партия Единая Россия провела съезд.", "LOC")


@pytest.mark.parametrize(
    "text",
    [
        "Первый сайт в доменной зоне .РФ заработал весной.",
        "Регистрация имён в зоне .РФ будет закрытой до лета.",
    ],
)
def test_a_domain_zone_is_no_place(text: str) -> None:
    assert "РФ" not in spans(text, "LOC")


def test_a_known_name_in_a_domain_zone_is_no_place_either() -> None:
    known = Gazetteer.build([Known("LOC", "РФ", (), articles=5)])
    text = "Первый сайт в доменной зоне .РФ заработал весной. Власти РФ довольны."
    found = [
        (e.type, m.text, m.start)
        for e in extract_entities(parse(text), 0, known)
        for m in e.mentions
    ]
    assert found == [("LOC", "РФ", text.rindex("РФ"))]


@pytest.mark.parametrize(
    ("word", "place"),
    [
        ("Царицыно", True),  # a one-word PER with this reading only is retyped LOC
        ("Европы", True),
        ("Москвой", True),
        ("Марк", False),  # a first name
        ("Орёл", False),  # a city and a bird
        ("Российский", False),  # an adjective
    ],
)
def test_a_place_in_every_reading(word: str, place: bool) -> None:
    assert only_place(word) is place


def test_a_two_word_facility_noun_counts_too() -> None:
    text = "Открытие прошло в торговом центре «Радуга» в субботу."
    assert "Радуга" in spans(text, "LOC")
    assert "Радуга" not in spans(text, "ORG")
