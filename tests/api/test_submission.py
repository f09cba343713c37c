"""Submitting one article: JSON or raw text, idempotency, and ``Prefer: wait``."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from service.worker.runner import Worker
from tests.api.conftest import submit, submit_raw
from tests.conftest import drain

SHORT = "Владимир Путин провел встречу с министром в Москве в понедельник."


async def test_resubmitting_the_same_text_returns_the_existing_article(
    client: httpx.AsyncClient, seed_text: str
) -> None:
    first = await submit_raw(client, seed_text)
    again = await submit_raw(client, seed_text)

    assert first.status_code == 202
    assert again.status_code == 200, again.text
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["location"] == first.headers["location"]
    assert (await client.get("/v1/articles")).json()["items"] == [again.json()]


async def test_the_same_text_with_other_trailing_white_space_is_the_same_article(
    client: httpx.AsyncClient, seed_text: str
) -> None:
    first = await submit_raw(client, seed_text)
    again = await submit_raw(client, seed_text.rstrip() + "  \n\n")
    as_json = await client.post("/v1/articles", json={"text": seed_text + "\r\n"})

    assert again.status_code == 200, again.text
    assert as_json.status_code == 200, as_json.text
    assert again.json()["id"] == as_json.json()["id"] == first.json()["id"]
    # The stored text stays the one first submitted.
    stored = (await client.get(first.headers["location"])).json()
    assert stored["text"] == seed_text


async def test_the_same_external_id_with_other_text_returns_the_existing_article(
    client: httpx.AsyncClient,
) -> None:
    first = await submit(client, SHORT, external_id="wire-42")
    r = await client.post(
        "/v1/articles", json={"text": "Совсем другой текст о погоде.", "external_id": "wire-42"}
    )

    assert r.status_code == 200, r.text
    assert r.json()["id"] == first["id"]
    assert r.json()["external_id"] == "wire-42"
    assert len((await client.get("/v1/articles")).json()["items"]) == 1


async def test_a_json_submission_keeps_every_field_it_was_given(
    client: httpx.AsyncClient,
) -> None:
    r = await client.post(
        "/v1/articles",
        json={
            "text": SHORT,
            "title": "Встреча в Москве",
            "url": "https://example.org/news/1",
            "outlet": "example.org",
            "published_at": "2024-02-29",
            "language": "ru",
            "external_id": "ex-1",
        },
    )

    assert r.status_code == 202, r.text
    article = r.json()
    assert r.headers["location"] == f"/v1/articles/{article['id']}"
    expected = {
        "status": "queued",
        "title": "Встреча в Москве",
        "url": "https://example.org/news/1",
        "outlet": "example.org",
        "published_at": "2024-02-29",
        "language": "ru",
        "external_id": "ex-1",
        "length": len(SHORT),
        "attempts": 0,
        "error": None,
    }
    assert {k: article[k] for k in expected} == expected
    stored = (await client.get(r.headers["location"])).json()
    assert {k: stored[k] for k in expected} == expected
    assert stored["text"] == SHORT


async def test_explicit_fields_win_over_the_raw_header_and_trailer(
    client: httpx.AsyncClient, seed_text: str
) -> None:
    r = await client.post(
        "/v1/articles",
        json={"text": seed_text, "published_at": "2025-01-02", "outlet": "example.org"},
    )

    assert r.status_code == 202, r.text
    assert r.json()["published_at"] == "2025-01-02"
    assert r.json()["outlet"] == "example.org"
    sources = (await client.get(f"{r.headers['location']}/sources")).json()
    assert sources["outlet"] == {"name": "example.org", "domain": "example.org"}


async def test_a_json_text_in_the_raw_format_fills_the_missing_fields_from_it(
    client: httpx.AsyncClient, seed_text: str
) -> None:
    r = await client.post("/v1/articles", json={"text": seed_text, "title": "Алиев и Путин"})

    assert r.status_code == 202, r.text
    assert r.json()["published_at"] == "2025-09-03"
    assert r.json()["outlet"] == "moscowtimes.ru"
    assert r.json()["title"] == "Алиев и Путин"


async def test_a_raw_text_without_header_or_trailer_has_no_date_or_outlet(
    client: httpx.AsyncClient,
) -> None:
    r = await submit_raw(client, SHORT)

    assert r.status_code == 202, r.text
    assert r.json()["published_at"] is None
    assert r.json()["outlet"] is None
    assert (await client.get(f"{r.headers['location']}/sources")).json()["outlet"] is None


async def test_an_api_key_in_x_api_key_works_like_a_bearer_token(
    anonymous: httpx.AsyncClient, admin_key: str
) -> None:
    r = await anonymous.post("/v1/articles", json={"text": SHORT}, headers={"X-API-Key": admin_key})

    assert r.status_code == 202, r.text


@pytest.mark.usefixtures("warm_models")
async def test_prefer_wait_answers_with_the_finished_article_and_its_results(
    client: httpx.AsyncClient, running_worker: Worker, seed_text: str
) -> None:
    r = await submit_raw(client, seed_text, Prefer="wait=10")

    assert r.status_code == 201, r.text
    assert r.headers["preference-applied"] == "wait=10"
    article = r.json()
    assert article["status"] == "done"
    assert r.headers["location"] == f"/v1/articles/{article['id']}"
    names = {e["name"] for e in article["entities"]}
    assert {"Ильхам Алиев", "Владимир Путин", "Дмитрий Песков"} <= names
    assert isinstance(article["events"], list)
    assert isinstance(article["sources"], list)
    for e in article["entities"]:
        for m in e["mentions"]:
            assert seed_text[m["start"] : m["end"]] == m["text"]

    # Waiting for an article that is already done answers at once with the same.
    again = await submit_raw(client, seed_text, Prefer="wait=10")
    assert again.status_code == 200
    assert again.json()["id"] == article["id"]
    assert again.json()["entities"] == article["entities"]


async def test_prefer_wait_zero_answers_at_once_with_the_queued_article(
    client: httpx.AsyncClient, running_worker: Worker, seed_text: str
) -> None:
    started = time.monotonic()
    r = await submit_raw(client, seed_text, Prefer="wait=0")

    assert time.monotonic() - started < 2
    assert r.status_code == 202, r.text
    assert r.headers["preference-applied"] == "wait=0"
    assert r.json()["status"] == "queued"
    assert "entities" not in r.json()


async def test_prefer_wait_returns_after_the_time_passed_when_nobody_processes(
    client: httpx.AsyncClient,
) -> None:
    started = time.monotonic()
    r = await submit_raw(client, SHORT, Prefer="wait=1")

    assert 0.9 <= time.monotonic() - started < 5
    assert r.status_code == 202, r.text
    assert r.json()["status"] == "queued"
    assert "entities" not in r.json()


async def test_prefer_wait_is_capped_at_thirty_seconds(
    client: httpx.AsyncClient, worker: Worker
) -> None:
    await submit(client, SHORT)
    await drain(worker)

    started = time.monotonic()
    r = await submit_raw(client, SHORT, Prefer="respond-async, wait=100")

    assert time.monotonic() - started < 5
    assert r.status_code == 200, r.text
    assert r.headers["preference-applied"] == "wait=30"
    assert r.json()["status"] == "done"
    assert "entities" in r.json()


async def test_concurrent_submissions_of_one_text_create_one_article(
    client: httpx.AsyncClient, seed_text: str
) -> None:
    answers = await asyncio.gather(*(submit_raw(client, seed_text) for _ in range(6)))

    assert sorted(r.status_code for r in answers) == [200] * 5 + [202]
    assert len({r.json()["id"] for r in answers}) == 1
