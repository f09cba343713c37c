"""API keys found once per process, forgotten the moment any key changes.

A lookup is a query on every request otherwise. Every change to ``api_keys`` notifies
``newsmeta_keys`` (a trigger, migration 0005); this process LISTENs on its own connection and
drops every cached key on a notification, then acknowledges it (``keys.revoke`` returns only
once every listening process has). While that connection is not listening (not yet
started, lost with the database, reconnecting) nothing is cached or served from the cache:
every request asks the database, so a revoked key is refused at once either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib

import asyncpg
import structlog

from service.store import keys

CHANNEL = keys.CHANGED_CHANNEL
_MAX_ENTRIES = 10_000  # keys in use by one process; beyond, start again (never grows unbounded)

log = structlog.get_logger("newsmeta.api")


class KeyCache:
    def __init__(self, database_url: str | None = None) -> None:
        self.database_url = database_url
        self._entries: dict[bytes, keys.ApiKey] = {}
        self._generation = 0
        self._conn: asyncpg.Connection | None = None
        self._task: asyncio.Task[None] | None = None
        self._lost = asyncio.Event()
        self._acks: set[asyncio.Future[None]] = set()
        self._ack_lock = asyncio.Lock()

    @property
    def listening(self) -> bool:
        conn = self._conn
        return conn is not None and not conn.is_closed()

    @property
    def generation(self) -> int:
        """Counts invalidations (a key changed, or the listener was lost or restarted)."""
        return self._generation

    async def find(
        self, pool: asyncpg.Pool, key: str, digest: bytes | None = None
    ) -> keys.ApiKey | None:
        """``digest``: the key's SHA-256, if the caller has it already."""
        if digest is None:
            digest = hashlib.sha256(key.encode("utf-8")).digest()
        if self.listening:
            hit = self._entries.get(digest)
            if hit is not None:
                return hit
        generation = self._generation
        found = await keys.find(pool, key)
        # Cached only if no change was announced while the query ran (it may predate it).
        if found is not None and self.listening and generation == self._generation:
            if len(self._entries) >= _MAX_ENTRIES:
                self._entries.clear()
            self._entries[digest] = found
        return found

    def forget(self) -> None:
        self._generation += 1
        self._entries.clear()

    def _notified(self, conn: object, _: int, __: str, payload: str) -> None:
        self.forget()
        if payload:  # a revocation waits for every process to say it forgot
            ack = asyncio.ensure_future(self._ack(conn, payload))
            self._acks.add(ack)
            ack.add_done_callback(self._acks.discard)

    async def _ack(self, conn: object, payload: str) -> None:
        assert isinstance(conn, asyncpg.Connection)
        async with self._ack_lock:  # one query at a time on the listening connection
            with contextlib.suppress(Exception):
                await conn.execute("SELECT pg_notify($1, $2)", keys.ACK_CHANNEL, payload)

    def _terminated(self, *_: object) -> None:
        self.forget()
        self._lost.set()

    async def start(self) -> None:
        """Listen in the background, reconnecting after a loss; returns at once."""
        if self.database_url and self._task is None:
            self._task = asyncio.create_task(self._listen_forever())

    async def _listen_forever(self) -> None:
        assert self.database_url is not None
        delay = 0.5
        while True:
            try:
                conn = await asyncpg.connect(
                    self.database_url, server_settings={"application_name": keys.LISTENER_NAME}
                )
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("API key listener: database unavailable", error=str(exc))
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            self._lost.clear()
            conn.add_termination_listener(self._terminated)
            try:
                await conn.add_listener(CHANNEL, self._notified)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                with contextlib.suppress(Exception):
                    await conn.close(timeout=2)
                continue
            self.forget()  # anything cached before now may have missed a notification
            self._conn = conn
            delay = 0.5
            await self._lost.wait()
            self._conn = None
            with contextlib.suppress(Exception):
                await conn.close(timeout=2)

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        conn, self._conn = self._conn, None
        self.forget()
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close(timeout=2)
