"""The queue is the articles table: claim with a lease, heartbeat, finish, fail, release.

A claim takes a queued article whose backoff has passed, or a processing one whose lease
expired (its worker died), with ``FOR UPDATE SKIP LOCKED`` so workers never collide. Every
later step is guarded by the lease token: a worker that lost its lease changes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg
import msgspec

from service.store import changes

DONE_CHANNEL = "newsmeta_done"


class Job(msgspec.Struct, frozen=True):
    article_id: uuid.UUID
    lease_token: uuid.UUID
    attempts: int
    text: str
    published_at: dt.date | None
    outlet: str | None
    outlet_domain: str | None = None


_CLAIM = """
    WITH {exhausted} next AS (
        SELECT id FROM articles
        WHERE status IN ('queued', 'processing') AND due_at <= now()
          AND NOT (status = 'processing' AND attempts >= $2)
        ORDER BY due_at
        LIMIT 1
        FOR UPDATE SKIP LOCKED
    )
    UPDATE articles a
    SET status = 'processing', attempts = a.attempts + 1, lease_token = gen_random_uuid(),
        -- indexed for full-text search here, not on submission (cheap ingest)
        search = coalesce(a.search, article_search(a.title, a.text)),
        due_at = now() + make_interval(secs => $1), updated_at = clock_timestamp()
    FROM next
    WHERE a.id = next.id
    RETURNING a.id, a.lease_token, a.attempts, a.text, a.published_at,
              (SELECT name FROM outlets WHERE id = a.outlet_id) AS outlet,
              (SELECT domain FROM outlets WHERE id = a.outlet_id) AS outlet_domain
"""


async def claim(conn: asyncpg.Connection, lease_seconds: float, max_attempts: int) -> Job | None:
    row = await conn.fetchrow(_CLAIM.format(exhausted=""), lease_seconds, max_attempts)
    return _job(row)


async def claim_next(
    conn: asyncpg.Connection, lease_seconds: float, max_attempts: int
) -> Job | None:
    """``fail_exhausted`` and ``claim`` in one statement (one round trip for the worker)."""
    sql = _CLAIM.format(exhausted=f"exhausted AS ({_exhausted('$2')}),")
    return _job(await conn.fetchrow(sql, lease_seconds, max_attempts))


def _job(row: asyncpg.Record | None) -> Job | None:
    if row is None:
        return None
    return Job(
        article_id=row["id"],
        lease_token=row["lease_token"],
        attempts=row["attempts"],
        text=row["text"],
        published_at=row["published_at"],
        outlet=row["outlet"],
        outlet_domain=row["outlet_domain"],
    )


async def heartbeat(
    conn: asyncpg.Connection | asyncpg.Pool, job: Job, lease_seconds: float
) -> bool:
    """Extend the lease; False when it was lost (reclaimed, reprocessed or deleted)."""
    found = await conn.fetchval(
        """
        UPDATE articles SET due_at = now() + make_interval(secs => $3)
        WHERE id = $1 AND lease_token = $2 AND status = 'processing'
        RETURNING id
        """,
        job.article_id,
        job.lease_token,
        lease_seconds,
    )
    return found is not None


async def mark_done(conn: asyncpg.Connection, job: Job, extractor_version: str) -> bool:
    """Inside the results transaction: True when this worker still holds the lease.

    One statement: the status, the feed's outbox row (it commits, or not, with the results:
    see store/changes.py), the notification for waiting requests, and the article's previous
    results deleted (``results.replace(..., cleared=True)`` writes the new ones)."""
    found = await conn.fetchval(
        """
        WITH done AS (
            UPDATE articles
            SET status = 'done', lease_token = NULL, error = NULL, extractor_version = $3,
                processed_at = clock_timestamp(), updated_at = clock_timestamp()
            WHERE id = $1 AND lease_token = $2 AND status = 'processing'
            RETURNING id
        ), r AS (DELETE FROM article_results WHERE article_id = (SELECT id FROM done)),
           ae AS (DELETE FROM article_entities WHERE article_id = (SELECT id FROM done)),
           ev AS (DELETE FROM events WHERE article_id = (SELECT id FROM done)),
           st AS (DELETE FROM statements WHERE article_id = (SELECT id FROM done)),
        feed AS (
            INSERT INTO changes (type, article_id, extractor_version)
            SELECT $4, id, $3 FROM done
            RETURNING article_id
        )
        SELECT article_id FROM feed, pg_notify($5, article_id::text)
        """,
        job.article_id,
        job.lease_token,
        extractor_version,
        changes.PROCESSED,
        DONE_CHANNEL,
    )
    return found is not None


async def mark_failed(
    conn: asyncpg.Connection | asyncpg.Pool,
    job: Job,
    error: str,
    *,
    max_attempts: int,
    retry_base_seconds: float,
) -> str | None:
    """Retry later with exponential backoff, or fail for good after ``max_attempts``.

    Returns the new status, or None when the lease was already lost.
    """
    status: str | None = await conn.fetchval(
        """
        UPDATE articles
        SET status = CASE WHEN attempts >= $4 THEN 'failed' ELSE 'queued' END,
            due_at = now() + make_interval(secs => $5 * power(2, attempts - 1)),
            lease_token = NULL, error = $3, updated_at = clock_timestamp()
        WHERE id = $1 AND lease_token = $2 AND status = 'processing'
        RETURNING status
        """,
        job.article_id,
        job.lease_token,
        error[:2000],
        max_attempts,
        retry_base_seconds,
    )
    if status == "failed":
        await conn.execute("SELECT pg_notify($1, $2)", DONE_CHANNEL, str(job.article_id))
    return status


def _exhausted(max_attempts: str) -> str:
    """Articles whose workers died ``max_attempts`` (a parameter) times, their lease expired,
    end as failed; waiting requests are told (a data-modifying WITH always runs whole, its
    RETURNING too)."""
    return f"""
        UPDATE articles
        SET status = 'failed', lease_token = NULL, updated_at = clock_timestamp(),
            error = 'gave up after ' || attempts || ' attempts: the worker stopped or crashed'
                    ' while processing this article'
        WHERE status = 'processing' AND due_at <= now() AND attempts >= {max_attempts}
        RETURNING id, pg_notify('{DONE_CHANNEL}', id::text)
    """


async def fail_exhausted(conn: asyncpg.Connection | asyncpg.Pool, max_attempts: int) -> int:
    """Articles whose workers died ``max_attempts`` times (lease expired) end as failed
    rather than crash the next worker again (``claim`` does this too)."""
    failed: int = await conn.fetchval(
        f"WITH exhausted AS ({_exhausted('$1')}) SELECT count(*) FROM exhausted", max_attempts
    )
    return failed


async def release(conn: asyncpg.Connection | asyncpg.Pool, job: Job) -> None:
    """Give the article back untouched (graceful shutdown): the attempt does not count."""
    await conn.execute(
        """
        UPDATE articles
        SET status = 'queued', due_at = now(), lease_token = NULL,
            attempts = greatest(attempts - 1, 0), updated_at = clock_timestamp()
        WHERE id = $1 AND lease_token = $2 AND status = 'processing'
        """,
        job.article_id,
        job.lease_token,
    )
