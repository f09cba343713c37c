"""The change feed: an outbox written in the same transaction as each change.

Read in ``(xid, id)`` order and only below the reader's snapshot xmin, so a row that
commits later never sorts before one already served (see migration 0002 for why).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from typing import Literal

import asyncpg
import msgspec

from service.store import cursor

ChangeType = Literal["article.processed", "article.deleted"]
CHANGE_TYPES: tuple[ChangeType, ...] = ("article.processed", "article.deleted")

PROCESSED: ChangeType = "article.processed"
DELETED: ChangeType = "article.deleted"

# Rows below the snapshot's xmin belong to finished transactions only: a final set.
VISIBLE = "xid < pg_snapshot_xmin(pg_current_snapshot())"


class Change(msgspec.Struct):
    """One committed change. ``id`` identifies it; the feed's order is its cursor's."""

    id: int
    type: ChangeType
    article_id: uuid.UUID
    extractor_version: str | None
    created_at: dt.datetime


class Position(msgspec.Struct, frozen=True):
    """A place in the feed: after the change ``id`` of transaction ``xid``."""

    xid: int = 0
    id: int = 0

    def encode(self) -> str:
        return cursor.encode("changes", self.xid, self.id)

    @classmethod
    def decode(cls, value: str | None) -> Position:
        if not value:
            return cls()
        if "." not in value:  # written before 0.2 (base64 JSON) and kept by a consumer
            return cls(*_legacy(value))
        xid, change_id = cursor.decode_as(value, "changes", cursor.xid8, cursor.bigint)
        return cls(xid, change_id)


_COLUMNS = "id, xid, type, article_id, extractor_version, created_at"


async def record_processed(
    conn: asyncpg.Connection, article_id: uuid.UUID, extractor_version: str
) -> None:
    """In the worker's results transaction."""
    await conn.execute(
        "INSERT INTO changes (type, article_id, extractor_version) VALUES ($1, $2, $3)",
        PROCESSED,
        article_id,
        extractor_version,
    )


async def read(
    conn: asyncpg.Connection | asyncpg.Pool, after: Position, limit: int
) -> tuple[list[Change], Position, bool]:
    """Up to ``limit`` changes after ``after``; the position after the last one served (or
    ``after`` itself), and whether more were already available."""
    rows = await conn.fetch(
        f"""
        SELECT {_COLUMNS} FROM changes
        WHERE (xid, id) > ($1::text::xid8, $2::bigint) AND {VISIBLE}
        ORDER BY xid, id
        LIMIT $3
        """,
        str(after.xid),
        after.id,
        limit + 1,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    position = Position(int(rows[-1]["xid"]), rows[-1]["id"]) if rows else after
    items = [
        Change(
            id=r["id"],
            type=r["type"],
            article_id=r["article_id"],
            extractor_version=r["extractor_version"],
            created_at=r["created_at"],
        )
        for r in rows
    ]
    return items, position, more


def _legacy(value: str) -> tuple[int, int]:
    """``base64url(["changes", "<xid>", <id>])``, the feed cursor of earlier versions."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        kind, xid, change_id = msgspec.json.decode(raw)
        if kind == "changes" and 0 <= int(xid) < 2**64 and 0 <= change_id < 2**63:
            return int(xid), change_id
    except (ValueError, TypeError, binascii.Error, msgspec.DecodeError):
        pass
    raise cursor.CursorError("cursor is not valid: pass next_cursor exactly as returned")
