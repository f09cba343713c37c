"""Helpers for the API behaviour tests: submitting, checking problems and offsets."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
from litestar import Litestar

from service import extraction
from service.api.app import create_app
from service.settings import Settings
from service.store import keys

PLOVER = {
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
}
TEXT_PLAIN = {"Content-Type": "text/plain; charset=utf-8"}


@pytest.fixture
async def app(settings: Settings, database_url: str, pool: asyncpg.Pool) -> AsyncIterator[Litestar]:
    """The real app; its ``Prefer: wait`` listener goes back to the shared pool afterwards
    (the ASGI test transport runs no lifespan that would do it)."""
    application = create_app(settings, database_url, pool=pool)
    yield application
    await application.state.waiter.close()


@pytest.fixture(scope="session")
async def warm_models() -> None:
    """Load the NLP models once, so timed tests measure the service, not model loading."""
    await asyncio.to_thread(extraction.warm_up)


async def key_for(pool: asyncpg.Pool, scope: keys.Scope) -> str:
    _, secret = await keys.create(pool, scope, f"tests-{scope}")
    return secret


async def submit_raw(client: httpx.AsyncClient, text: str, **headers: str) -> httpx.Response:
    return await client.post(
        "/v1/articles", content=text.encode("utf-8"), headers={**TEXT_PLAIN, **headers}
    )


async def submit(client: httpx.AsyncClient, text: str, **fields: Any) -> dict[str, Any]:
    """Submit a new article as JSON and return it; fails unless it was created."""
    r = await client.post("/v1/articles", json={"text": text, **fields})
    assert r.status_code == 202, r.text
    return r.json()


async def get_all(client: httpx.AsyncClient, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a paged list, following ``next_cursor``."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        r = await client.get(path, params=query)
        assert r.status_code == 200, r.text
        page = r.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def assert_problem(r: httpx.Response, status: int, *mentions: str) -> dict[str, Any]:
    """An RFC 9457 problem document with this status whose detail names ``mentions``."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    problem = r.json()
    for field in ("type", "title", "status", "detail"):
        assert problem.get(field), f"problem without {field}: {problem}"
    assert problem["status"] == status
    for word in mentions:
        assert word in problem["detail"], problem
    return problem


def assert_field_error(r: httpx.Response, field: str) -> dict[str, Any]:
    """A 422 naming ``field`` both in ``detail`` and in ``errors[].field``."""
    problem = assert_problem(r, 422, field)
    assert field in [e["field"] for e in problem.get("errors") or []], problem
    return problem


def assert_slices(text: str, span: dict[str, Any], what: str) -> None:
    """``text[start:end]`` gives the span back (its ``text`` when it carries one)."""
    start, end = span["start"], span["end"]
    assert 0 <= start < end <= len(text), f"{what} {span} is outside the text"
    if "text" in span:
        assert text[start:end] == span["text"], f"{what} {span} != {text[start:end]!r}"
    assert text[start:end].strip(), f"{what} {span} is only white space"


def check_entities(text: str, entities: list[dict[str, Any]]) -> None:
    for e in entities:
        assert set(e) >= {"id", "type", "name", "salience", "mention_count", "roles", "geo"}
        assert e["type"] in {"PER", "ORG", "LOC"}, e
        assert e["name"], e
        assert isinstance(e["roles"], list), e
        assert e["mentions"], f"entity without mentions: {e}"
        for m in e["mentions"]:
            assert_slices(text, m, f"mention of {e['name']}")
        if e["geo"] is not None:
            assert e["type"] == "LOC", e
            assert set(e["geo"]) >= {"geonameid", "country_code", "lat", "lon"}


def check_events(text: str, events: list[dict[str, Any]], entity_ids: set[str]) -> None:
    for ev in events:
        assert set(ev) >= {
            "id",
            "type",
            "mode",
            "polarity",
            "modality",
            "trigger",
            "participants",
            "location",
            "date",
            "sentence",
        }, ev
        assert ev["type"] in PLOVER, ev
        assert ev["polarity"] in {"positive", "negative"}, ev
        assert set(ev["trigger"]) >= {"start", "end", "text", "lemma"}
        assert_slices(text, ev["trigger"], "trigger")
        assert_slices(text, ev["sentence"], "sentence")
        sentence = ev["sentence"]
        assert sentence["start"] <= ev["trigger"]["start"] < ev["trigger"]["end"] <= sentence["end"]
        for p in ev["participants"]:
            assert set(p) >= {"entity_id", "name", "role"}, p
            # a described group (``полиция``) has no entity; a linked one is the article's
            assert p["entity_id"] in entity_ids | {None}, f"participant {p} is not an entity"
            assert p["name"], p
        if ev["location"] is not None:
            assert ev["location"]["name"], ev
            assert ev["location"]["entity_id"] in entity_ids | {None}, ev
        if ev["date"] is not None:
            assert set(ev["date"]) >= {"text", "start", "end"}, ev
            if ev["date"]["start"] and ev["date"]["end"]:
                assert ev["date"]["start"] <= ev["date"]["end"], ev


def check_sources(text: str, sources: dict[str, Any], entity_ids: set[str]) -> None:
    assert set(sources) >= {"outlet", "items"}, sources
    for s in sources["items"]:
        assert s["kind"] in {"direct", "indirect", "mixed"}, s
        assert_slices(text, s["quote"], "quote")
        if s["cue"] is not None:
            assert_slices(text, s["cue"], "cue")
        speaker = s["speaker"]
        assert set(speaker) >= {"entity_id", "name", "type", "role", "mention"}, speaker
        assert speaker["type"] in {"person", "organization", "media", "anonymous", "document"}
        assert speaker["name"], speaker
        if speaker["mention"] is not None:
            assert_slices(text, speaker["mention"], "speaker mention")
        if speaker["entity_id"] is not None:
            assert speaker["entity_id"] in entity_ids, speaker
