"""The seed article end to end: raw submission, the worker, and every result endpoint."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from service.worker.runner import Worker
from tests.api.conftest import (
    assert_slices,
    check_entities,
    check_events,
    check_sources,
    get_all,
    submit_raw,
)
from tests.conftest import drain

EXPECTED = {
    ("PER", "Ильхам Алиев"),
    ("PER", "Владимир Путин"),
    ("PER", "Дмитрий Песков"),
    ("LOC", "Баку"),
    ("LOC", "Москва"),
    ("LOC", "Грозный"),
}
SCO = {"ШОС", "Шанхайская организация сотрудничества"}


@pytest.fixture
async def seed_article(client: httpx.AsyncClient, worker: Worker, seed_text: str) -> str:
    """The seed article, submitted raw and processed; its path."""
    r = await submit_raw(client, seed_text)
    assert r.status_code == 202, r.text
    assert await drain(worker) == 1
    return r.headers["location"]


async def test_a_raw_submission_is_accepted_with_its_location(
    client: httpx.AsyncClient, seed_text: str
) -> None:
    r = await submit_raw(client, seed_text)

    assert r.status_code == 202, r.text
    article = r.json()
    assert article["status"] == "queued"
    assert r.headers["location"] == f"/v1/articles/{article['id']}"
    assert article["published_at"] == "2025-09-03"
    assert article["outlet"] == "moscowtimes.ru"
    assert article["length"] == len(seed_text)


async def test_the_processed_seed_article_is_done_with_its_metadata_and_exact_text(
    client: httpx.AsyncClient, seed_article: str, seed_text: str
) -> None:
    r = await client.get(seed_article)

    assert r.status_code == 200
    article = r.json()
    assert article["status"] == "done"
    assert article["error"] is None
    assert article["published_at"] == "2025-09-03"
    assert article["outlet"] == "moscowtimes.ru"
    assert article["language"] == "ru"
    assert article["text"] == seed_text
    assert article["attempts"] == 1
    assert article["extractor_version"]
    assert article["processed_at"] is not None


async def test_the_seed_article_lists_the_people_places_and_organisation_it_names(
    client: httpx.AsyncClient, seed_article: str, seed_text: str
) -> None:
    entities = await get_all(client, f"{seed_article}/entities")

    found = {(e["type"], e["name"]) for e in entities}
    assert found >= EXPECTED, EXPECTED - found
    assert {e["name"] for e in entities if e["type"] == "ORG"} & SCO, found
    check_entities(seed_text, entities)
    assert len({e["id"] for e in entities}) == len(entities), "an entity is listed twice"
    for e in entities:
        assert e["mention_count"] >= 1


async def test_every_mention_of_every_entity_slices_back_into_the_submitted_text(
    client: httpx.AsyncClient, seed_article: str, seed_text: str
) -> None:
    entities = await get_all(client, f"{seed_article}/entities")

    mentions = [m for e in entities for m in e["mentions"]]
    assert mentions
    for m in mentions:
        assert seed_text[m["start"] : m["end"]] == m["text"], m


async def test_entities_page_with_limit_and_cursor_like_the_full_list(
    client: httpx.AsyncClient, seed_article: str
) -> None:
    whole = (await client.get(f"{seed_article}/entities", params={"limit": 500})).json()
    paged = await get_all(client, f"{seed_article}/entities", limit=4)

    assert whole["next_cursor"] is None
    assert [e["id"] for e in paged] == [e["id"] for e in whole["items"]]


async def test_the_seed_events_have_the_contract_shape_and_offsets_into_the_text(
    client: httpx.AsyncClient, seed_article: str, seed_text: str
) -> None:
    entities = await get_all(client, f"{seed_article}/entities")
    r = await client.get(f"{seed_article}/events")

    assert r.status_code == 200
    page = r.json()
    assert set(page) == {"items", "next_cursor"}
    events = await get_all(client, f"{seed_article}/events", limit=3)
    assert [e["id"] for e in events][: len(page["items"])] == [e["id"] for e in page["items"]]
    check_events(seed_text, events, {e["id"] for e in entities})


async def test_the_seed_sources_name_the_outlet_and_offsets_slice_into_the_text(
    client: httpx.AsyncClient, seed_article: str, seed_text: str
) -> None:
    entities = await get_all(client, f"{seed_article}/entities")
    r = await client.get(f"{seed_article}/sources")

    assert r.status_code == 200
    sources = r.json()
    assert sources["outlet"] == {"name": "moscowtimes.ru", "domain": "moscowtimes.ru"}
    items: list[dict[str, Any]] = await get_all(client, f"{seed_article}/sources", limit=2)
    check_sources(seed_text, {**sources, "items": items}, {e["id"] for e in entities})
    for s in items:
        assert_slices(seed_text, s["quote"], "quote")


async def test_result_endpoints_of_an_unknown_article_are_not_found(
    client: httpx.AsyncClient,
) -> None:
    missing = "/v1/articles/00000000-0000-4000-8000-000000000000"
    for suffix in ("", "/entities", "/events", "/sources"):
        r = await client.get(missing + suffix)
        assert r.status_code == 404, (suffix, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")


async def test_results_of_an_article_not_yet_processed_are_empty_lists(
    client: httpx.AsyncClient, seed_text: str
) -> None:
    location = (await submit_raw(client, seed_text)).headers["location"]

    assert (await client.get(f"{location}/entities")).json() == {"items": [], "next_cursor": None}
    assert (await client.get(f"{location}/events")).json() == {"items": [], "next_cursor": None}
    sources = (await client.get(f"{location}/sources")).json()
    assert sources["items"] == []
    assert sources["outlet"]["domain"] == "moscowtimes.ru"
