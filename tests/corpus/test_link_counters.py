"""An entry's article count and first/last seen dates follow its links, however many links
one statement adds or removes (the triggers of migration 0008 run once per statement)."""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg


async def _article(conn: asyncpg.Connection, day: dt.date) -> uuid.UUID:
    return await conn.fetchval(  # type: ignore[no-any-return]
        "INSERT INTO articles (content_hash, text, length, published_at)"
        " VALUES ($1, 'x', 1, $2) RETURNING id",
        uuid.uuid4().bytes,
        day,
    )


async def _entry(conn: asyncpg.Connection, key: str) -> uuid.UUID:
    return await conn.fetchval(  # type: ignore[no-any-return]
        "INSERT INTO entities (id, type, key, name) VALUES ($1, 'PER', $2, $2) RETURNING id",
        uuid.uuid4(),
        key,
    )


async def _link(conn: asyncpg.Connection, pairs: list[tuple[uuid.UUID, uuid.UUID]]) -> None:
    """Several links in one INSERT statement."""
    await conn.execute(
        "INSERT INTO article_entities (article_id, entity_id, ord, name, salience,"
        " mention_count, roles)"
        " SELECT a, e, (random() * 1e9)::int, 'x', 0.5, 1, '{}'"
        " FROM unnest($1::uuid[], $2::uuid[]) AS t(a, e)",
        [a for a, _ in pairs],
        [e for _, e in pairs],
    )


async def _counters(conn: asyncpg.Connection, eid: uuid.UUID) -> tuple[int, dt.date, dt.date]:
    row = await conn.fetchrow(
        "SELECT article_count, first_seen, last_seen FROM entities WHERE id = $1", eid
    )
    assert row is not None
    return row["article_count"], row["first_seen"].date(), row["last_seen"].date()


async def test_links_added_and_removed_together_count_each_and_keep_the_dates_exact(
    pool: asyncpg.Pool,
) -> None:
    days = [dt.date(2025, 6, 1), dt.date(2025, 6, 5), dt.date(2025, 6, 9)]
    async with pool.acquire() as conn:
        first, middle, last = [await _article(conn, d) for d in days]
        a, b = await _entry(conn, "a"), await _entry(conn, "b")
        await _link(conn, [(middle, a), (first, a), (middle, b)])
        assert await _counters(conn, a) == (2, days[0], days[1])
        assert await _counters(conn, b) == (1, days[1], days[1])

        await _link(conn, [(last, a), (last, b), (first, b)])  # an entry with links already
        assert await _counters(conn, a) == (3, days[0], days[2])
        assert await _counters(conn, b) == (3, days[0], days[2])

        # two links of one entry in one DELETE, one of them its earliest: recounted
        await conn.execute(
            "DELETE FROM article_entities WHERE entity_id = $1 AND article_id = ANY($2)",
            a,
            [first, middle],
        )
        assert await _counters(conn, a) == (1, days[2], days[2])

        # a deleted article takes its links with it (a cascade is a statement too)
        await conn.execute("DELETE FROM articles WHERE id = $1", last)
        assert await _counters(conn, b) == (2, days[0], days[1])
        # an entry left without links keeps its last dates
        assert await _counters(conn, a) == (0, days[2], days[2])
