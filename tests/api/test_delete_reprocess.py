"""Deleting an article removes everything extracted from it; reprocessing replaces it."""

from __future__ import annotations

import asyncpg
import httpx

from service.worker.runner import Worker
from tests.api.conftest import get_all, submit, submit_raw
from tests.conftest import drain

OWNED = ("article_entities", "mentions", "events", "event_participants", "statements")
OTHER = "Владимир Путин встретился в Москве с губернатором, сообщил Дмитрий Песков."


async def rows_of(pool: asyncpg.Pool, article_id: str) -> dict[str, int]:
    return {
        table: await pool.fetchval(
            f"SELECT count(*) FROM {table} WHERE article_id = $1::uuid", article_id
        )
        for table in OWNED
    }


async def test_deleting_an_article_answers_no_content_and_then_not_found(
    client: httpx.AsyncClient, seed_text: str
) -> None:
    location = (await submit_raw(client, seed_text)).headers["location"]

    r = await client.delete(location)

    assert r.status_code == 204
    assert r.content == b""
    assert (await client.get(location)).status_code == 404
    assert (await client.get(f"{location}/entities")).status_code == 404
    again = await client.delete(location)
    assert again.status_code == 404
    assert again.headers["content-type"].startswith("application/problem+json")
    assert (await client.get("/v1/articles")).json()["items"] == []


async def test_deleting_removes_every_extracted_row_and_updates_the_registry(
    client: httpx.AsyncClient, worker: Worker, pool: asyncpg.Pool, seed_text: str
) -> None:
    seed = (await submit_raw(client, seed_text)).json()
    other = await submit(client, OTHER)
    await drain(worker)
    before = await rows_of(pool, seed["id"])
    assert before["article_entities"] > 0
    assert before["mentions"] > 0
    other_before = await rows_of(pool, other["id"])
    putin = await pool.fetchrow(
        "SELECT id, article_count FROM entities WHERE type = 'PER' AND name = 'Владимир Путин'"
    )
    assert putin["article_count"] == 2
    registry = dict(await pool.fetch("SELECT id, article_count FROM entities"))

    assert (await client.delete(f"/v1/articles/{seed['id']}")).status_code == 204

    assert await rows_of(pool, seed["id"]) == dict.fromkeys(OWNED, 0)
    assert await rows_of(pool, other["id"]) == other_before
    after = dict(await pool.fetch("SELECT id, article_count FROM entities"))
    assert after[putin["id"]] == 1
    linked = {
        r["entity_id"]
        for r in await pool.fetch(
            "SELECT entity_id FROM article_entities WHERE article_id = $1::uuid", other["id"]
        )
    }
    # Every entity now counts exactly the one article still linked to it.
    for entity in registry:
        assert after.get(entity, 0) == (1 if entity in linked else 0), entity
    # The other article still lists its entities, Putin among them.
    names = {e["name"] for e in await get_all(client, f"/v1/articles/{other['id']}/entities")}
    assert "Владимир Путин" in names


async def test_reprocessing_queues_the_article_again_with_attempts_reset(
    client: httpx.AsyncClient, worker: Worker, seed_text: str
) -> None:
    location = (await submit_raw(client, seed_text)).headers["location"]
    await drain(worker)
    assert (await client.get(location)).json()["attempts"] == 1

    r = await client.post(f"{location}/reprocess")

    assert r.status_code == 202, r.text
    assert r.json()["status"] == "queued"
    assert r.json()["attempts"] == 0
    assert r.json()["error"] is None
    assert (await client.get(location)).json()["status"] == "queued"


async def test_reprocessing_replaces_the_results_without_duplicates(
    client: httpx.AsyncClient, worker: Worker, pool: asyncpg.Pool, seed_text: str
) -> None:
    article = (await submit_raw(client, seed_text)).json()
    location = f"/v1/articles/{article['id']}"
    await drain(worker)
    entities = await get_all(client, f"{location}/entities")
    events = await get_all(client, f"{location}/events")
    sources = await get_all(client, f"{location}/sources")
    rows = await rows_of(pool, article["id"])
    counts = dict(await pool.fetch("SELECT id, article_count FROM entities"))

    assert (await client.post(f"{location}/reprocess")).status_code == 202
    # Until the worker gets to it, the previous results stay readable.
    assert len(await get_all(client, f"{location}/entities")) == len(entities)
    assert await drain(worker) == 1

    done = (await client.get(location)).json()
    assert done["status"] == "done"
    assert done["attempts"] == 1
    again = await get_all(client, f"{location}/entities")
    assert [(e["id"], e["name"], e["mentions"]) for e in again] == [
        (e["id"], e["name"], e["mentions"]) for e in entities
    ]
    assert len(await get_all(client, f"{location}/events")) == len(events)
    assert len(await get_all(client, f"{location}/sources")) == len(sources)
    assert await rows_of(pool, article["id"]) == rows
    assert dict(await pool.fetch("SELECT id, article_count FROM entities")) == counts


async def test_reprocessing_an_unknown_article_is_not_found(client: httpx.AsyncClient) -> None:
    r = await client.post("/v1/articles/00000000-0000-4000-8000-000000000000/reprocess")

    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
