"""API keys: only a SHA-256 of each key is stored; the key itself is shown once."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import hmac
import secrets
import time
import uuid
from typing import Literal

import asyncpg
import msgspec

# Every change to api_keys is announced here (a trigger, migration 0005).
CHANGED_CHANNEL = "newsmeta_keys"
ACK_CHANNEL = "newsmeta_keys_ack"  # an API process has dropped its cached keys
LISTENER_NAME = "newsmeta-keys"  # application_name of the API processes' listeners

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


async def revoke(
    conn: asyncpg.Connection | asyncpg.Pool, key_id: uuid.UUID, *, wait: float = 5.0
) -> bool:
    """Revoke the key; True if it exists.

    API processes cache keys (``service/api/keycache.py``). Each one LISTENing at the time
    acknowledges the announcement once it has dropped its cache, and this returns only when
    all have (or were gone, or ``wait`` seconds passed): from then on, the key is refused
    everywhere. Inside a caller's transaction it cannot wait; the announcement goes out
    when that commits."""
    if isinstance(conn, asyncpg.Pool):
        async with conn.acquire() as own:
            return await revoke(own, key_id, wait=wait)
    if conn.is_in_transaction():
        found = await conn.fetchval(_REVOKE, key_id)
        return found is not None
    token = secrets.token_hex(8)
    acked: set[int] = set()
    arrived = asyncio.Event()

    def on_ack(_: object, pid: int, __: str, payload: str) -> None:
        if payload == token:
            acked.add(pid)
            arrived.set()

    await conn.add_listener(ACK_CHANNEL, on_ack)
    try:
        async with conn.transaction():
            found = await conn.fetchval(_REVOKE, key_id)
            await conn.execute("SELECT pg_notify($1, $2)", CHANGED_CHANNEL, token)
            waiting = await _listeners(conn)
        deadline = time.monotonic() + wait
        while found is not None and waiting - acked and time.monotonic() < deadline:
            arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(arrived.wait(), 0.5)
            if waiting - acked:
                waiting &= await _listeners(conn)  # a process that went away cannot answer
    finally:
        await conn.remove_listener(ACK_CHANNEL, on_ack)
    return found is not None


_REVOKE = "UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING id"


async def _listeners(conn: asyncpg.Connection) -> set[int]:
    rows = await conn.fetch(
        "SELECT pid FROM pg_stat_activity WHERE application_name = $1", LISTENER_NAME
    )
    return {r["pid"] for r in rows}
