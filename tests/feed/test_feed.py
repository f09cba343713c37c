"""``GET /v1/changes``: every processed and deleted article once, in an order no later
commit can change, with two workers committing concurrently."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import asyncpg
import httpx

from service.store import changes
from tests.api.conftest import assert_problem
from tests.feed.conftest import Workers, eventually, feed_all, feed_until

TOPICS = [
    "Владимир Путин провёл переговоры с Ильхамом Алиевым в Пекине.",
    "Сергей Лавров встретился с министром иностранных дел Турции в Анкаре.",
    "Центральный банк России повысил ключевую ставку.",
    "В Москве задержали участников акции протеста.",
]


def article_text(i: int) -> str:
    return f"date 2025-09-0{1 + i % 9} {TOPICS[i % len(TOPICS)]} Сообщение номер {i}. (ria.ru)"


async def test_feed_under_two_concurrent_workers(
    client: httpx.AsyncClient, workers: Workers
) -> None:
    n = 16
    ids = []
    for i in range(n):
        r = await client.post("/v1/articles", json={"text": article_text(i)})
        assert r.status_code == 202, r.text
        ids.append(r.json()["id"])
    seen: list[dict[str, Any]] = []
    after: str | None = None
    done = asyncio.Event()

    async def read_while_processing() -> None:
        """A consumer paging with a small limit while both workers commit."""
        nonlocal after
        while not done.is_set():
            r = await client.get(
                "/v1/changes", params={"limit": 3, **({"after": after} if after else {})}
            )
            assert r.status_code == 200, r.text
            page = r.json()
            seen.extend(page["items"])
            after = page["cursor"]
            if page["next_cursor"] is None:
                await asyncio.sleep(0.05)

    async def all_done() -> bool:
        r = await client.get("/v1/articles", params={"status": "done", "limit": 500})
        return len(r.json()["items"]) == n

    async def caught_up() -> bool:
        return reader.done() or len(seen) >= n + len(deleted)

    deleted = ids[::4]
    reader = asyncio.create_task(read_while_processing())
    try:
        first, second = workers.start(2)
        await eventually(all_done, what="both workers to process every article")
        # Deletions commit beside the readers too.
        for article_id in deleted:
            assert (await client.delete(f"/v1/articles/{article_id}")).status_code == 204
        await eventually(caught_up, what="the reader to see every change")
        done.set()
        await reader
    finally:
        reader.cancel()
    assert first.processed > 0 and second.processed > 0, "both workers should have worked"

    # No duplicates, no gaps: exactly one change per commit.
    assert len({c["id"] for c in seen}) == len(seen), "a change was served twice"
    processed = [c["article_id"] for c in seen if c["type"] == "article.processed"]
    gone = [c["article_id"] for c in seen if c["type"] == "article.deleted"]
    assert sorted(processed) == sorted(ids)
    assert sorted(gone) == sorted(deleted)
    for article_id in deleted:
        kinds = [c["type"] for c in seen if c["article_id"] == article_id]
        assert kinds == ["article.processed", "article.deleted"], kinds
    # The order is the feed's for everyone: a reader from the start sees the same list.
    again, cursor = await feed_all(client)
    assert [c["id"] for c in again] == [c["id"] for c in seen]
    assert again == seen
    # Caught up: nothing after the end, and the cursor stays put.
    r = await client.get("/v1/changes", params={"after": cursor})
    assert r.json() == {"items": [], "next_cursor": None, "cursor": cursor}
    # The shape a consumer relies on.
    item = seen[0]
    assert set(item) >= {"id", "type", "article_id", "extractor_version", "created_at"}
    assert item["extractor_version"]


async def test_a_later_commit_with_a_smaller_id_is_not_skipped(
    client: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    """A takes its transaction id first; B then writes a change (the smaller change id) and
    stays open; A writes its change and commits. A reader paging by change id alone would
    serve A's row and step over B's for good once B commits; the feed must not."""
    _, start = await feed_all(client)
    a_id, b_id = uuid.uuid4(), uuid.uuid4()
    a = await pool.acquire()
    b = await pool.acquire()
    try:
        ta, tb = a.transaction(), b.transaction()
        await ta.start()
        await a.execute("SELECT pg_current_xact_id()")  # A's first write: it has its xid
        await tb.start()
        await changes.record_processed(b, b_id, "test")
        await changes.record_processed(a, a_id, "test")
        await ta.commit()

        served, cursor = await feed_all(client, start)
        assert [c["article_id"] for c in served] in ([], [str(a_id)])

        await tb.commit()
        rest, _ = await feed_until(client, cursor, 2 - len(served))
        everything = served + rest
        assert sorted(c["article_id"] for c in everything) == sorted([str(a_id), str(b_id)])
        by_article = {c["article_id"]: c["id"] for c in everything}
        assert by_article[str(b_id)] < by_article[str(a_id)], "the race was not reproduced"
    finally:
        await pool.release(a)
        await pool.release(b)


async def test_an_open_transaction_holds_the_feed_back_without_losing_anything(
    client: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    _, start = await feed_all(client)
    conn = await pool.acquire()
    try:
        tx = conn.transaction()
        await tx.start()
        await changes.record_processed(conn, uuid.uuid4(), "test")
        await changes.record_processed(pool, uuid.uuid4(), "test")  # commits at once
        held, cursor = await feed_all(client, start)
        assert held == [], "a change after an uncommitted one must wait for it"
        assert cursor == start
        await tx.commit()
    finally:
        await pool.release(conn)
    both, _ = await feed_until(client, start, 2)
    assert len(both) == 2


async def test_feed_paging_and_bad_cursors(client: httpx.AsyncClient, pool: asyncpg.Pool) -> None:
    for _ in range(5):
        await changes.record_processed(pool, uuid.uuid4(), "test")
    whole, _ = await feed_until(client, None, 5)
    assert len(whole) == 5
    r = await client.get("/v1/changes", params={"limit": 2})
    page = r.json()
    assert [c["id"] for c in page["items"]] == [c["id"] for c in whole[:2]]
    assert page["next_cursor"] == page["cursor"]
    # ?cursor= is the usual name of the same position.
    r = await client.get("/v1/changes", params={"cursor": page["next_cursor"], "limit": 2})
    assert [c["id"] for c in r.json()["items"]] == [c["id"] for c in whole[2:4]]

    assert_problem(await client.get("/v1/changes", params={"after": "garbage"}), 400, "cursor")
    assert_problem(await client.get("/v1/changes", params={"after": "WyJhcnRpY2xlcyJd"}), 400)
    assert_problem(await client.get("/v1/changes", params={"limit": 0}), 422, "limit")


async def test_the_feed_needs_a_key(anonymous: httpx.AsyncClient) -> None:
    assert_problem(await anonymous.get("/v1/changes"), 401)
