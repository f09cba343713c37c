"""Per-article results are stored rendered when extraction commits and served as they are:
the same bytes the tables give, page by page, and never stale after a registry change."""

from __future__ import annotations

import asyncpg
import httpx

from service.worker.runner import Worker
from tests.conftest import devset_texts, drain
from tests.corpus.conftest import MFA_LONG, MFA_SHORT, PESKOV_BAKU, find, get_all, ingest, one

KINDS = ("entities", "events", "sources")


async def pages(client: httpx.AsyncClient, article_id: str, kind: str, limit: int) -> list[bytes]:
    """Every page of one list, as raw response bodies."""
    bodies: list[bytes] = []
    cursor = None
    while True:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        r = await client.get(f"/v1/articles/{article_id}/{kind}", params=params)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "application/json"
        bodies.append(r.content)
        cursor = r.json()["next_cursor"]
        if cursor is None:
            return bodies


async def stored(pool: asyncpg.Pool, article_id: str) -> set[str]:
    rows = await pool.fetch(
        "SELECT kind FROM article_results WHERE article_id = $1::text::uuid", article_id
    )
    return {r["kind"] for r in rows}


async def test_stored_pages_are_the_bytes_the_tables_give(
    client: httpx.AsyncClient, worker: Worker, pool: asyncpg.Pool
) -> None:
    ids = await ingest(client, worker, PESKOV_BAKU, MFA_SHORT, *devset_texts(3))
    served = {}
    for article_id in ids:
        assert await stored(pool, article_id) == set(KINDS)  # committed with the results
        for kind in KINDS:
            for limit in (1, 2, 3, 50, 500):
                served[article_id, kind, limit] = await pages(client, article_id, kind, limit)
    assert any(len(p) > 2 for p in served.values())  # paging is exercised

    await pool.execute("DELETE FROM article_results")  # now the tables answer
    for (article_id, kind, limit), bodies in served.items():
        assert await pages(client, article_id, kind, limit) == bodies, (article_id, kind, limit)


async def test_cursors_of_stored_pages_are_checked(
    client: httpx.AsyncClient, worker: Worker
) -> None:
    (article_id,) = await ingest(client, worker, PESKOV_BAKU)
    first = (await client.get(f"/v1/articles/{article_id}/entities", params={"limit": 1})).json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    r = await client.get(f"/v1/articles/{article_id}/entities", params={"cursor": "nonsense"})
    assert r.status_code == 400 and r.json()["detail"].startswith("cursor")
    r = await client.get(
        f"/v1/articles/{article_id}/events", params={"cursor": first["next_cursor"]}
    )
    assert r.status_code == 400  # an entities cursor is not an events cursor


async def test_a_merge_is_seen_at_once_in_the_articles_it_touches(
    client: httpx.AsyncClient, worker: Worker, pool: asyncpg.Pool
) -> None:
    _, long_id = await ingest(client, worker, MFA_SHORT, MFA_LONG)
    mfa = (await find(client, "мид", "ORG"))[0]
    long = await one(client, "министерство иностранных", "ORG")
    before = await get_all(client, f"/v1/articles/{long_id}/entities")
    assert long["id"] in {e["id"] for e in before}

    r = await client.post(
        "/v1/admin/entities/merge", json={"from_ids": [long["id"]], "into_id": mfa["id"]}
    )
    assert r.status_code == 200, r.text

    after = {e["id"] for e in await get_all(client, f"/v1/articles/{long_id}/entities")}
    assert mfa["id"] in after and long["id"] not in after
    # processing again stores fresh pages that say the same
    assert (await client.post(f"/v1/articles/{long_id}/reprocess")).status_code == 202
    assert await worker.run_once()
    assert await stored(pool, long_id) == set(KINDS)
    again = {e["id"] for e in await get_all(client, f"/v1/articles/{long_id}/entities")}
    assert again == after


async def test_deleting_an_article_deletes_its_pages(
    client: httpx.AsyncClient, worker: Worker, pool: asyncpg.Pool
) -> None:
    (article_id,) = await ingest(client, worker, PESKOV_BAKU)
    assert (await client.delete(f"/v1/articles/{article_id}")).status_code == 204
    assert await stored(pool, article_id) == set()
    for kind in KINDS:
        assert (await client.get(f"/v1/articles/{article_id}/{kind}")).status_code == 404


async def test_pages_built_from_the_results_are_the_bytes_the_tables_give(
    client: httpx.AsyncClient, worker: Worker, pool: asyncpg.Pool
) -> None:
    """The worker builds the stored pages from the extraction in memory (no read-back):
    over many articles, with outlets, and again after reprocessing against a registry that
    now knows every name, they equal what the tables give."""
    texts = devset_texts(10)
    outlets = ["ria.ru", "Коммерсантъ", None, "tass.ru"]
    body = [
        {"text": t, **({"outlet": outlets[i % 4]} if outlets[i % 4] else {})}
        for i, t in enumerate(texts)
    ]
    r = await client.post("/v1/articles/batch", json=body)
    assert r.status_code == 200, r.text
    ids = [item["article"]["id"] for item in r.json()["items"]]
    await drain(worker)
    for round_ in ("first", "reprocessed"):
        served = {}
        for article_id in ids:
            assert await stored(pool, article_id) == set(KINDS), round_
            for kind in KINDS:
                served[article_id, kind] = await pages(client, article_id, kind, 500)
        await pool.execute("DELETE FROM article_results")
        for (article_id, kind), bodies in served.items():
            assert await pages(client, article_id, kind, 500) == bodies, (round_, article_id, kind)
        for article_id in ids:
            r = await client.post(f"/v1/articles/{article_id}/reprocess")
            assert r.status_code == 202
        await drain(worker)
