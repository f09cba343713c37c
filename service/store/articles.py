"""Articles: submission (idempotent), reading, listing, deletion, re-queueing."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

import asyncpg
import msgspec

from service.identity import content_hash
from service.schemas import Article, ArticleDetail, ArticleStatus, Page
from service.store import cursor

QUEUED_CHANNEL = "newsmeta_queued"

_COLUMNS = """
    a.id, a.status, a.title, a.url, o.name AS outlet, a.published_at, a.language,
    a.external_id, a.error, a.attempts, a.extractor_version, a.created_at, a.updated_at,
    a.processed_at, a.length
"""
_FROM = "FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id"


class NewArticle(msgspec.Struct, frozen=True):
    """An article ready to insert: metadata already resolved from fields or raw format."""

    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published_at: dt.date | None = None
    language: str = "ru"
    external_id: str | None = None

    @property
    def hash(self) -> bytes:
        return content_hash(self.text)


def _article(record: asyncpg.Record) -> Article:
    return Article(**dict(record))


async def _outlet_ids(conn: asyncpg.Connection, names: set[str]) -> dict[str, uuid.UUID]:
    if not names:
        return {}
    ordered = sorted(names, key=str.lower)  # one order everywhere: no lock-order deadlocks
    rows = await conn.fetch(
        """
        INSERT INTO outlets (key, name, domain)
        SELECT lower(n), n, CASE WHEN n ~ '^[^\\s/]+\\.[^\\s/.]+$' THEN lower(n) END
        FROM unnest($1::text[]) AS n
        ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key
        RETURNING key, id
        """,
        ordered,
    )
    by_key = {r["key"]: r["id"] for r in rows}
    return {n: by_key[n.lower()] for n in names}


async def submit_many(
    conn: asyncpg.Connection, items: Sequence[NewArticle]
) -> list[tuple[Article, bool]]:
    """Insert what is new; for each item, in order, its article and whether it was created.

    The same text (after normalization) or the same ``external_id`` is the same article.
    """
    outlets = await _outlet_ids(conn, {i.outlet for i in items if i.outlet})
    hashes = [i.hash for i in items]
    # Within the batch the first of several items with one text or external id wins.
    firsts: list[int] = []
    seen: set[bytes | str] = set()
    for index, (item, digest) in enumerate(zip(items, hashes, strict=True)):
        if digest in seen or (item.external_id and item.external_id in seen):
            continue
        seen.add(digest)
        if item.external_id:
            seen.add(item.external_id)
        firsts.append(index)
    inserting = [items[i] for i in firsts]
    # Rows go in in content-hash order, so concurrent batches that share articles wait for
    # each other instead of deadlocking on the unique index; created_at still follows the
    # input order (newest last), one microsecond apart.
    rows = await conn.fetch(
        """
        WITH base AS (SELECT clock_timestamp() AS t)
        INSERT INTO articles (content_hash, external_id, text, length, title, url, outlet_id,
                              published_at, language, created_at, updated_at)
        SELECT h, e, x, n, ti, u, o, p, l, base.t + make_interval(secs => i * 1e-6),
               base.t + make_interval(secs => i * 1e-6)
        FROM unnest($1::bytea[], $2::text[], $3::text[], $4::int[], $5::text[],
                    $6::text[], $7::uuid[], $8::date[], $9::text[], $10::int[])
             AS item (h, e, x, n, ti, u, o, p, l, i),
             base
        ORDER BY h
        ON CONFLICT DO NOTHING
        RETURNING id, content_hash
        """,
        [hashes[i] for i in firsts],
        [i.external_id for i in inserting],
        [i.text for i in inserting],
        [len(i.text) for i in inserting],
        [i.title for i in inserting],
        [i.url for i in inserting],
        [outlets.get(i.outlet) if i.outlet else None for i in inserting],
        [i.published_at for i in inserting],
        [i.language for i in inserting],
        firsts,
    )
    created = {r["content_hash"]: r["id"] for r in rows}
    if created:
        await conn.execute("SELECT pg_notify($1, '')", QUEUED_CHANNEL)
    # Everything else already existed: by external id first (the client's own key), then text.
    external = [i.external_id for i in items if i.external_id]
    existing = await conn.fetch(
        "SELECT id, content_hash, external_id FROM articles"
        " WHERE content_hash = ANY($1::bytea[]) OR external_id = ANY($2::text[])",
        [h for h in hashes if h not in created],
        external,
    )
    by_external = {r["external_id"]: r["id"] for r in existing if r["external_id"]}
    by_hash = {r["content_hash"]: r["id"] for r in existing}
    by_hash.update(created)
    ids: list[uuid.UUID] = []
    fresh: list[bool] = []
    claimed: set[uuid.UUID] = set()
    for item, digest in zip(items, hashes, strict=True):
        article_id = by_external.get(item.external_id) if item.external_id else None
        if article_id is None:
            article_id = by_hash[digest]
        # Only the first item that produced a created row counts as created.
        is_new = created.get(digest) == article_id and article_id not in claimed
        claimed.add(article_id)
        ids.append(article_id)
        fresh.append(is_new)
    found = await conn.fetch(f"SELECT {_COLUMNS} {_FROM} WHERE a.id = ANY($1::uuid[])", ids)
    articles = {r["id"]: _article(r) for r in found}
    return [(articles[i], new) for i, new in zip(ids, fresh, strict=True)]


async def get(conn: asyncpg.Connection | asyncpg.Pool, article_id: uuid.UUID) -> Article | None:
    row = await conn.fetchrow(f"SELECT {_COLUMNS} {_FROM} WHERE a.id = $1", article_id)
    return _article(row) if row else None


async def get_detail(
    conn: asyncpg.Connection | asyncpg.Pool, article_id: uuid.UUID
) -> ArticleDetail | None:
    row = await conn.fetchrow(f"SELECT {_COLUMNS}, a.text {_FROM} WHERE a.id = $1", article_id)
    return ArticleDetail(**dict(row)) if row else None


async def get_text(conn: asyncpg.Connection | asyncpg.Pool, article_id: uuid.UUID) -> str | None:
    text: str | None = await conn.fetchval("SELECT text FROM articles WHERE id = $1", article_id)
    return text


class ArticleFilter(msgspec.Struct, frozen=True):
    outlet: str | None = None
    status: ArticleStatus | None = None
    published_from: dt.date | None = None
    published_to: dt.date | None = None
    entity_id: uuid.UUID | None = None
    q: str | None = None


async def list_articles(
    conn: asyncpg.Connection | asyncpg.Pool,
    flt: ArticleFilter,
    *,
    limit: int,
    after: str | None,
) -> Page[Article]:
    """Newest first; keyset on (created_at, id), so pages stay stable under inserts."""
    where: list[str] = []
    args: list[Any] = []

    def arg(value: Any) -> str:
        args.append(value)
        return f"${len(args)}"

    if flt.outlet:
        where.append(f"o.key = lower({arg(flt.outlet)})")
    if flt.status:
        where.append(f"a.status = {arg(flt.status)}")
    if flt.published_from:
        where.append(f"a.published_at >= {arg(flt.published_from)}")
    if flt.published_to:
        where.append(f"a.published_at <= {arg(flt.published_to)}")
    if flt.entity_id:
        where.append(
            "EXISTS (SELECT 1 FROM article_entities ae"
            f" WHERE ae.article_id = a.id AND ae.entity_id = {arg(flt.entity_id)})"
        )
    if flt.q:
        where.append(f"a.search @@ websearch_to_tsquery('russian', {arg(flt.q)})")
    if after:
        created, last_id = cursor.decode_as(after, "articles", cursor.timestamp, cursor.uid)
        where.append(f"(a.created_at, a.id) < ({arg(created)}, {arg(last_id)})")
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} {_FROM} {clause}"
        f" ORDER BY a.created_at DESC, a.id DESC LIMIT {arg(limit + 1)}",
        *args,
    )
    items = [_article(r) for r in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = items[-1]
        next_cursor = cursor.encode("articles", last.created_at.isoformat(), str(last.id))
    return Page(items=items, next_cursor=next_cursor)


async def delete(conn: asyncpg.Connection | asyncpg.Pool, article_id: uuid.UUID) -> bool:
    """Remove the article; everything extracted from it goes with it (ON DELETE CASCADE).

    One statement, so the feed's ``article.deleted`` row commits with the deletion."""
    deleted = await conn.fetchval(
        """
        WITH gone AS (DELETE FROM articles WHERE id = $1 RETURNING id)
        INSERT INTO changes (type, article_id) SELECT 'article.deleted', id FROM gone
        RETURNING article_id
        """,
        article_id,
    )
    return deleted is not None


async def reprocess(conn: asyncpg.Connection, article_id: uuid.UUID) -> Article | None:
    """Queue again. A worker still holding the old lease will find its token gone and its
    results discarded; the previous results stay readable until the new ones replace them."""
    row = await conn.fetchval(
        """
        UPDATE articles SET status = 'queued', attempts = 0, due_at = now(), lease_token = NULL,
                            error = NULL, updated_at = clock_timestamp()
        WHERE id = $1 RETURNING id
        """,
        article_id,
    )
    if row is None:
        return None
    await conn.execute("SELECT pg_notify($1, '')", QUEUED_CHANNEL)
    return await get(conn, article_id)
