"""API keys: only a SHA-256 of each key is stored; the key itself is shown once."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from typing import Literal

import asyncpg
import msgspec

Scope = Literal["read", "write", "admin"]
_RANK = {"read": 0, "write": 1, "admin": 2}


class ApiKey(msgspec.Struct):
    id: uuid.UUID
    name: str | None
    scope: Scope
    prefix: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


def allows(scope: str, needed: str) -> bool:
    """admin > write > read: a key may do what its scope and every lower scope may."""
    return _RANK[scope] >= _RANK[needed]


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()


async def create(
    conn: asyncpg.Connection | asyncpg.Pool, scope: Scope, name: str | None = None
) -> tuple[ApiKey, str]:
    secret = secrets.token_urlsafe(32)
    prefix = secret[:8]
    key = f"nm_{secret}"
    row = await conn.fetchrow(
        "INSERT INTO api_keys (name, scope, prefix, hash) VALUES ($1, $2, $3, $4)"
        " RETURNING id, name, scope, prefix, created_at, revoked_at, last_used_at",
        name,
        scope,
        prefix,
        _digest(key),
    )
    return ApiKey(**dict(row)), key


async def find(conn: asyncpg.Connection | asyncpg.Pool, key: str) -> ApiKey | None:
    """The active key with this value, or None. The lookup is by hash; the final comparison
    is constant-time so timing tells nothing about near misses."""
    digest = _digest(key)
    row = await conn.fetchrow(
        "SELECT id, name, scope, prefix, created_at, revoked_at, last_used_at, hash"
        " FROM api_keys WHERE hash = $1 AND revoked_at IS NULL",
        digest,
    )
    if row is None or not hmac.compare_digest(bytes(row["hash"]), digest):
        return None
    fields = dict(row)
    del fields["hash"]
    return ApiKey(**fields)


async def touch(conn: asyncpg.Connection | asyncpg.Pool, key_id: uuid.UUID, every: float) -> None:
    """Record that the key was used, unless that was recorded less than ``every`` s ago."""
    await conn.execute(
        "UPDATE api_keys SET last_used_at = now() WHERE id = $1"
        " AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2))",
        key_id,
        every,
    )


async def list_keys(conn: asyncpg.Connection | asyncpg.Pool) -> list[ApiKey]:
    rows = await conn.fetch(
        "SELECT id, name, scope, prefix, created_at, revoked_at, last_used_at"
        " FROM api_keys ORDER BY created_at"
    )
    return [ApiKey(**dict(r)) for r in rows]


async def revoke(conn: asyncpg.Connection | asyncpg.Pool, key_id: uuid.UUID) -> bool:
    found = await conn.fetchval(
        "UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING id",
        key_id,
    )
    return found is not None
