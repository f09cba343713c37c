"""Time expressions, resolved against the article date (2025-09-03, a Wednesday)."""

from __future__ import annotations

import datetime as dt

from service.extraction.dates import find_dates
from service.extraction.models import DateValue, Extraction
from service.extraction.parsed import parse

ARTICLE = dt.date(2025, 9, 3)


def dates(text: str, published: dt.date | None = ARTICLE) -> dict[str, DateValue]:
    return {d.text: d for d in find_dates(parse(text), 0, published)}


def days(value: DateValue) -> tuple[str, str]:
    return str(value.start), str(value.end)


def test_day_month_without_year_takes_the_article_year() -> None:
    found = dates("Об этом он сказал 31 августа.")
    assert days(found["31 августа"]) == ("2025-08-31", "2025-08-31")


def test_day_month_after_the_article_date_is_last_year() -> None:
    found = dates("Переговоры прошли 20 декабря в Женеве.")
    assert days(found["20 декабря"]) == ("2024-12-20", "2024-12-20")


def test_day_month_in_a_future_clause_stays_ahead() -> None:
    found = dates("Выборы пройдут 15 сентября.")
    assert days(found["15 сентября"]) == ("2025-09-15", "2025-09-15")


def test_month_is_a_range() -> None:
    found = dates("Ситуация усугубилась в июне, а в июле стала хуже.")
    assert days(found["в июне"]) == ("2025-06-01", "2025-06-30")
    assert days(found["в июле"]) == ("2025-07-01", "2025-07-31")


def test_end_of_year_is_its_last_quarter() -> None:
    found = dates("Баку начал дистанцироваться от Москвы в конце 2024 года.")
    assert days(found["в конце 2024 года"]) == ("2024-10-01", "2024-12-31")


def test_start_and_middle() -> None:
    found = dates("Это было в начале года, а то — в середине мая.")
    assert days(found["в начале года"]) == ("2025-01-01", "2025-03-31")
    assert days(found["в середине мая"]) == ("2025-05-11", "2025-05-20")


def test_year_and_full_dates() -> None:
    found = dates("В 2024 году, а точнее 15 марта 2023 года и 03.09.2025, всё изменилось.")
    assert days(found["В 2024 году"]) == ("2024-01-01", "2024-12-31")
    assert days(found["15 марта 2023 года"]) == ("2023-03-15", "2023-03-15")
    assert days(found["03.09.2025"]) == ("2025-09-03", "2025-09-03")


def test_yesterday_today_tomorrow_against_the_article_date() -> None:
    found = dates("Вчера он уехал, сегодня вернулся, а завтра уедет снова.")
    assert days(found["Вчера"]) == ("2025-09-02", "2025-09-02")
    assert days(found["сегодня"]) == ("2025-09-03", "2025-09-03")
    assert days(found["завтра"]) == ("2025-09-04", "2025-09-04")


def test_tomorrow_in_a_quote_is_dated_by_the_speech() -> None:
    text = "«Мы надеемся, что они смогут завтра пересечься», — сказал он 31 августа."
    found = dates(text)
    assert days(found["завтра"]) == ("2025-09-01", "2025-09-01")


def test_last_week_and_a_weekday() -> None:
    found = dates("На прошлой неделе он болел, а в понедельник вышел на работу.")
    assert days(found["На прошлой неделе"]) == ("2025-08-25", "2025-08-31")
    assert days(found["в понедельник"]) == ("2025-09-01", "2025-09-01")


def test_seasons_and_decades() -> None:
    found = dates("Весной цены росли, зимой 2024 года падали, а в 90-е было хуже.")
    assert days(found["Весной"]) == ("2025-03-01", "2025-05-31")
    assert days(found["зимой 2024 года"]) == ("2023-12-01", "2024-02-29")
    assert days(found["в 90-е"]) == ("1990-01-01", "1999-12-31")


def test_spans_point_into_the_full_text() -> None:
    body = "Встреча прошла 31 августа."
    (value,) = find_dates(parse(body), 100, ARTICLE)
    assert value.span is not None
    assert (value.span.start, value.span.end) == (115, 125)


def test_unresolvable_ones_are_kept_with_null_dates() -> None:
    assert days(dates("Он приезжал на днях.")["на днях"]) == ("None", "None")
    assert days(dates("Он уехал вчера.", published=None)["вчера"]) == ("None", "None")


def test_seed_dates(seed: Extraction, seed_text: str) -> None:
    by_text = {d.text: d for d in seed.dates}
    assert days(by_text["31 августа"]) == ("2025-08-31", "2025-08-31")
    assert days(by_text["завтра"]) == ("2025-09-01", "2025-09-01")
    assert days(by_text["в конце 2024 года"]) == ("2024-10-01", "2024-12-31")
    for value in seed.dates:
        assert value.span is not None
        assert seed_text[value.span.start : value.span.end] == value.text
