"""``POST /v1/extract`` (nothing stored), the health probes, and running without keys."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import httpx
import msgspec
import pytest
from litestar import Litestar

from service.api.app import create_app
from service.settings import Settings
from service.worker.runner import Worker
from tests.api.conftest import (
    TEXT_PLAIN,
    assert_field_error,
    assert_problem,
    check_entities,
    check_events,
    check_sources,
)
from tests.conftest import drain

pytestmark = pytest.mark.usefixtures("warm_models")


def check_extraction(text: str, out: dict) -> None:
    assert set(out) >= {"article", "entities", "events", "sources"}, out
    ids = {e["id"] for e in out["entities"]}
    check_entities(text, out["entities"])
    check_events(text, out["events"], ids)
    check_sources(text, out["sources"], ids)


async def test_extracting_a_raw_text_returns_everything_and_stores_nothing(
    client: httpx.AsyncClient, pool: asyncpg.Pool, seed_text: str
) -> None:
    r = await client.post("/v1/extract", content=seed_text.encode(), headers=TEXT_PLAIN)

    assert r.status_code == 200, r.text
    out = r.json()
    assert out["article"]["published_at"] == "2025-09-03"
    assert out["article"]["outlet"] == "moscowtimes.ru"
    assert out["article"]["extractor_version"]
    body = out["article"]["body"]
    assert seed_text[body["start"] : body["end"]].startswith("Президенты")
    assert seed_text[body["start"] : body["end"]].endswith("СССР.")
    names = {e["name"] for e in out["entities"]}
    assert {"Ильхам Алиев", "Владимир Путин", "Дмитрий Песков", "Баку"} <= names
    assert out["sources"]["outlet"]["domain"] == "moscowtimes.ru"
    check_extraction(seed_text, out)
    assert await pool.fetchval("SELECT count(*) FROM articles") == 0
    assert await pool.fetchval("SELECT count(*) FROM entities") == 0


async def test_extracting_json_uses_the_given_date_and_outlet(
    client: httpx.AsyncClient, seed_text: str
) -> None:
    r = await client.post(
        "/v1/extract",
        json={"text": seed_text, "published_at": "2024-01-10", "outlet": "example.org"},
    )

    assert r.status_code == 200, r.text
    out = r.json()
    assert out["article"]["published_at"] == "2024-01-10"
    assert out["article"]["outlet"] == "example.org"
    check_extraction(seed_text, out)


async def test_extract_and_the_stored_article_agree_on_entities(
    client: httpx.AsyncClient, worker: Worker, seed_text: str
) -> None:
    extracted = (
        await client.post("/v1/extract", content=seed_text.encode(), headers=TEXT_PLAIN)
    ).json()
    location = (
        await client.post("/v1/articles", content=seed_text.encode(), headers=TEXT_PLAIN)
    ).headers["location"]
    await drain(worker)

    stored = (await client.get(f"{location}/entities", params={"limit": 500})).json()["items"]

    assert {(e["id"], e["name"]) for e in stored} == {
        (e["id"], e["name"]) for e in extracted["entities"]
    }


async def test_extract_refuses_what_submission_refuses(client: httpx.AsyncClient) -> None:
    assert_field_error(await client.post("/v1/extract", json={"text": 1}), "text")
    assert_field_error(
        await client.post("/v1/extract", json={"text": "Текст", "language": "de"}), "language"
    )
    assert_field_error(
        await client.post("/v1/extract", json={"text": "Текст", "title": "t"}), "title"
    )
    assert_field_error(await client.post("/v1/extract", json={"text": "a\u0000b"}), "text")
    assert_problem(
        await client.post("/v1/extract", content=b"\xff\xfe", headers=TEXT_PLAIN), 400, "UTF-8"
    )
    assert_problem(
        await client.post(
            "/v1/extract", content=b"<a/>", headers={"Content-Type": "application/xml"}
        ),
        415,
    )
    big = "слово " * (2 * 1024 * 1024 // 11 + 10)
    assert_problem(await client.post("/v1/extract", json={"text": big}), 413)


async def test_liveness_answers_without_a_key(anonymous: httpx.AsyncClient) -> None:
    r = await anonymous.get("/health/live")

    assert r.status_code == 200
    assert r.json()["status"] == "ok"


async def test_readiness_checks_the_database(anonymous: httpx.AsyncClient) -> None:
    r = await anonymous.get("/health/ready")

    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok"}


@pytest.fixture
async def keyless(
    settings: Settings, database_url: str, pool: asyncpg.Pool
) -> AsyncIterator[httpx.AsyncClient]:
    """The app with ``NEWSMETA_AUTH=off``, called without any key."""
    app: Litestar = create_app(
        msgspec.structs.replace(settings, auth="off"), database_url, pool=pool
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver", timeout=60
    ) as c:
        yield c
    await app.state.waiter.close()


async def test_with_auth_off_every_call_succeeds_without_a_key(
    keyless: httpx.AsyncClient, worker: Worker
) -> None:
    r = await keyless.post("/v1/articles", json={"text": "Владимир Путин прилетел в Баку."})
    assert r.status_code == 202, r.text
    location = r.headers["location"]
    batch = await keyless.post("/v1/articles/batch", json=[{"text": "Ещё одна заметка."}])
    assert batch.status_code == 200
    await drain(worker)

    assert (await keyless.get("/v1/articles")).status_code == 200
    assert (await keyless.get(location)).json()["status"] == "done"
    assert (await keyless.get(f"{location}/entities")).json()["items"]
    assert (await keyless.get(f"{location}/events")).status_code == 200
    assert (await keyless.get(f"{location}/sources")).status_code == 200
    assert (await keyless.post("/v1/extract", json={"text": "Путин в Баку."})).status_code == 200
    assert (await keyless.post(f"{location}/reprocess")).status_code == 202
    assert (await keyless.delete(location)).status_code == 204


async def test_with_auth_off_a_presented_key_is_not_checked(keyless: httpx.AsyncClient) -> None:
    r = await keyless.get("/v1/articles", headers={"Authorization": "Bearer whatever"})

    assert r.status_code == 200
