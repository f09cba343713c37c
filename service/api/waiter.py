"""Wait for an article to finish: woken by NOTIFY, with a slow poll as a safety net."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections import defaultdict

import asyncpg

from service.db import is_open, release_listener
from service.store.queue import DONE_CHANNEL

FINISHED = ("done", "failed")


class Waiter:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self._events: dict[uuid.UUID, set[asyncio.Event]] = defaultdict(set)
        self._conn: asyncpg.Connection | None = None
        self._lock = asyncio.Lock()

    async def _ensure_listening(self) -> None:
        async with self._lock:
            if self._conn is not None and is_open(self._conn):
                return
            if self._conn is not None:
                await release_listener(self.pool, self._conn, DONE_CHANNEL, self._notified)
            self._conn = None
            conn = await self.pool.acquire()
            try:
                await conn.add_listener(DONE_CHANNEL, self._notified)
            except BaseException:
                await release_listener(self.pool, conn, DONE_CHANNEL, self._notified)
                raise
            self._conn = conn

    def _notified(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        with contextlib.suppress(ValueError):
            for event in self._events.get(uuid.UUID(payload), ()):
                event.set()

    async def wait(self, article_id: uuid.UUID, seconds: float) -> None:
        """Return when the article is done or failed, or after ``seconds``."""
        event = asyncio.Event()
        self._events[article_id].add(event)
        deadline = time.monotonic() + seconds
        try:
            with contextlib.suppress(OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                await self._ensure_listening()
            while (left := deadline - time.monotonic()) > 0:
                status = await self.pool.fetchval(
                    "SELECT status FROM articles WHERE id = $1", article_id
                )
                if status is None or status in FINISHED:
                    return
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(event.wait(), min(left, 1.0))
        finally:
            self._events[article_id].discard(event)
            if not self._events[article_id]:
                del self._events[article_id]

    async def close(self) -> None:
        if self._conn is not None:
            await release_listener(self.pool, self._conn, DONE_CHANNEL, self._notified)
            self._conn = None
