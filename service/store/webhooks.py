"""Webhooks: registrations, the fan-out of the change feed into deliveries, and the
delivery queue the workers send from.

The fan-out advances each webhook's own feed position under its row lock (``FOR UPDATE
SKIP LOCKED``: one worker per webhook at a time, the others move on), and a delivery is
unique per (webhook, change), so repeating a step never duplicates anything. Sending is
claimed like articles are: a lease (``next_attempt_at`` in the future, a fresh token);
the outcome is written only while the token still matches, and a sender that died leaves
a lease that expires, so a delivery is retried rather than lost (at least once).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any, Literal

import asyncpg
import msgspec

from service.store import cursor
from service.store.changes import VISIBLE, Change, ChangeType
from service.webhook_targets import redact

DeliveryStatus = Literal["pending", "delivered", "failed"]


class Webhook(msgspec.Struct):
    id: uuid.UUID
    url: str  # credentials and query shown as ***
    event_types: list[ChangeType]
    description: str | None
    active: bool
    created_at: dt.datetime


class Delivery(msgspec.Struct):
    id: uuid.UUID
    webhook_id: uuid.UUID
    change_id: int
    event: ChangeType
    status: DeliveryStatus
    attempts: int
    next_attempt_at: dt.datetime | None
    last_attempt_at: dt.datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: dt.datetime | None
    created_at: dt.datetime


class Outgoing(msgspec.Struct, frozen=True):
    """A claimed delivery: what to send where, and the lease that guards its outcome."""

    id: uuid.UUID
    lease_token: uuid.UUID
    attempts: int
    url: str
    secret: str
    change: Change


_WEBHOOK = "id, url, event_types, description, active, created_at"


def _keyset(after: str, kind: str) -> list[Any]:
    """(created_at, id) of the last row served, from a cursor of list ``kind``."""
    return cursor.decode_as(after, kind, cursor.timestamp, cursor.uid)


def _webhook(row: asyncpg.Record) -> Webhook:
    fields = dict(row)
    fields["url"] = redact(fields["url"])  # never credentials or a query token
    return Webhook(**fields)


async def create(
    conn: asyncpg.Connection | asyncpg.Pool,
    url: str,
    secret: str,
    event_types: Sequence[str],
    description: str | None,
) -> Webhook:
    row = await conn.fetchrow(
        f"""
        INSERT INTO webhooks (url, secret, event_types, description)
        VALUES ($1, $2, $3, $4) RETURNING {_WEBHOOK}
        """,
        url,
        secret,
        list(event_types),
        description,
    )
    return _webhook(row)


async def get(conn: asyncpg.Connection | asyncpg.Pool, webhook_id: uuid.UUID) -> Webhook | None:
    row = await conn.fetchrow(f"SELECT {_WEBHOOK} FROM webhooks WHERE id = $1", webhook_id)
    return _webhook(row) if row else None


async def list_webhooks(
    conn: asyncpg.Connection | asyncpg.Pool, *, limit: int, after: str | None
) -> tuple[list[Webhook], str | None]:
    """Newest first, keyset on (created_at, id)."""
    args: list[Any] = [limit + 1]
    where = ""
    if after:
        args += _keyset(after, "webhooks")
        where = "WHERE (created_at, id) < ($2, $3)"
    rows = await conn.fetch(
        f"SELECT {_WEBHOOK} FROM webhooks {where} ORDER BY created_at DESC, id DESC LIMIT $1",
        *args,
    )
    items = [_webhook(r) for r in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = items[-1]
        next_cursor = cursor.encode("webhooks", last.created_at.isoformat(), str(last.id))
    return items, next_cursor


async def delete(conn: asyncpg.Connection | asyncpg.Pool, webhook_id: uuid.UUID) -> bool:
    """Remove the webhook and its deliveries (pending ones are not sent)."""
    found = await conn.fetchval("DELETE FROM webhooks WHERE id = $1 RETURNING id", webhook_id)
    return found is not None


_DELIVERY = """
    d.id, d.webhook_id, d.change_id, c.type AS event, d.status, d.attempts,
    CASE WHEN d.status = 'pending' THEN d.next_attempt_at END AS next_attempt_at,
    d.last_attempt_at, d.last_status_code, d.last_error, d.delivered_at, d.created_at
"""


async def list_deliveries(
    conn: asyncpg.Connection | asyncpg.Pool,
    webhook_id: uuid.UUID,
    *,
    status: DeliveryStatus | None,
    limit: int,
    after: str | None,
) -> tuple[list[Delivery], str | None]:
    """Newest first, keyset on (created_at, id)."""
    args: list[Any] = [webhook_id, limit + 1]
    where = ["d.webhook_id = $1"]
    if status:
        args.append(status)
        where.append(f"d.status = ${len(args)}")
    if after:
        args += _keyset(after, "deliveries")
        where.append(f"(d.created_at, d.id) < (${len(args) - 1}, ${len(args)})")
    rows = await conn.fetch(
        f"""
        SELECT {_DELIVERY} FROM webhook_deliveries d JOIN changes c ON c.id = d.change_id
        WHERE {" AND ".join(where)}
        ORDER BY d.created_at DESC, d.id DESC LIMIT $2
        """,
        *args,
    )
    items = [Delivery(**dict(r)) for r in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = items[-1]
        next_cursor = cursor.encode("deliveries", last.created_at.isoformat(), str(last.id))
    return items, next_cursor


async def fan_out(conn: asyncpg.Connection, batch: int = 500) -> int:
    """Turn new feed changes into deliveries for every active webhook; how many were made.

    Call it inside a transaction: each webhook row stays locked until the transaction ends,
    so concurrent workers skip it rather than work on the same position twice.
    """
    hooks = await conn.fetch(
        """
        SELECT id, event_types, cursor_xid, cursor_id FROM webhooks
        WHERE active ORDER BY id FOR UPDATE SKIP LOCKED
        """
    )
    made = 0
    for hook in hooks:
        rows = await conn.fetch(
            f"""
            SELECT id, xid, type FROM changes
            WHERE (xid, id) > ($1::xid8, $2::bigint) AND {VISIBLE}
            ORDER BY xid, id
            LIMIT $3
            """,
            hook["cursor_xid"],
            hook["cursor_id"],
            batch,
        )
        if not rows:
            continue
        wanted = [r["id"] for r in rows if r["type"] in hook["event_types"]]
        if wanted:
            status = await conn.execute(
                """
                INSERT INTO webhook_deliveries (webhook_id, change_id)
                SELECT $1, unnest($2::bigint[])
                ON CONFLICT (webhook_id, change_id) DO NOTHING
                """,
                hook["id"],
                wanted,
            )
            made += int(status.rsplit(" ", 1)[-1])
        await conn.execute(
            "UPDATE webhooks SET cursor_xid = $2, cursor_id = $3 WHERE id = $1",
            hook["id"],
            rows[-1]["xid"],
            rows[-1]["id"],
        )
    return made


async def claim(
    conn: asyncpg.Connection | asyncpg.Pool, limit: int, lease_seconds: float
) -> list[Outgoing]:
    """Due deliveries (backoff passed, or a sender's lease expired), leased to the caller."""
    rows = await conn.fetch(
        """
        WITH due AS (
            SELECT d.id FROM webhook_deliveries d
            WHERE d.status = 'pending' AND d.next_attempt_at <= now()
            ORDER BY d.next_attempt_at
            LIMIT $1
            FOR UPDATE SKIP LOCKED
        )
        UPDATE webhook_deliveries d
        SET attempts = d.attempts + 1, lease_token = gen_random_uuid(),
            next_attempt_at = now() + make_interval(secs => $2), last_attempt_at = now()
        FROM due, webhooks w, changes c
        WHERE d.id = due.id AND w.id = d.webhook_id AND c.id = d.change_id
        RETURNING d.id, d.lease_token, d.attempts, w.url, w.secret,
                  c.id AS change_id, c.type, c.article_id, c.extractor_version,
                  c.created_at AS change_created_at
        """,
        limit,
        lease_seconds,
    )
    return [
        Outgoing(
            id=r["id"],
            lease_token=r["lease_token"],
            attempts=r["attempts"],
            url=r["url"],
            secret=r["secret"],
            change=Change(
                id=r["change_id"],
                type=r["type"],
                article_id=r["article_id"],
                extractor_version=r["extractor_version"],
                created_at=r["change_created_at"],
            ),
        )
        for r in rows
    ]


async def delivered(
    conn: asyncpg.Connection | asyncpg.Pool, item: Outgoing, status_code: int
) -> bool:
    """The receiver answered 2xx; False when the lease was lost meanwhile."""
    found = await conn.fetchval(
        """
        UPDATE webhook_deliveries
        SET status = 'delivered', lease_token = NULL, delivered_at = clock_timestamp(),
            last_status_code = $3, last_error = NULL
        WHERE id = $1 AND lease_token = $2 AND status = 'pending'
        RETURNING id
        """,
        item.id,
        item.lease_token,
        status_code,
    )
    return found is not None


async def attempt_failed(
    conn: asyncpg.Connection | asyncpg.Pool,
    item: Outgoing,
    *,
    status_code: int | None,
    error: str,
    retry_in: float | None,
) -> DeliveryStatus | None:
    """Retry in ``retry_in`` seconds, or give up for good when it is None.

    Returns the new status, or None when the lease was lost meanwhile.
    """
    status: DeliveryStatus | None = await conn.fetchval(
        """
        UPDATE webhook_deliveries
        SET status = CASE WHEN $5::float8 IS NULL THEN 'failed' ELSE 'pending' END,
            next_attempt_at = now() + make_interval(secs => coalesce($5::float8, 0)),
            lease_token = NULL, last_status_code = $3, last_error = $4
        WHERE id = $1 AND lease_token = $2 AND status = 'pending'
        RETURNING status
        """,
        item.id,
        item.lease_token,
        status_code,
        error[:1000],
        retry_in,
    )
    return status
