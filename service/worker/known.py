"""The registry's established names as a gazetteer, one snapshot per process.

Extraction stays pure: the worker and ``POST /v1/extract`` pass ``snapshot.gazetteer`` in.
The snapshot is rebuilt lazily, before an extraction, once it is older than
``NEWSMETA_GAZETTEER_REFRESH`` seconds (one query, not one per article); an unchanged
registry costs the query only, not the build. So a name that becomes established (a second
article, an admin merge) is recognised within that many seconds, without a restart.
"""

from __future__ import annotations

import asyncio
import hashlib
import time

import asyncpg
import msgspec
import structlog

from service.extraction.gazetteer import Gazetteer
from service.store import registry

log = structlog.get_logger("newsmeta.gazetteer")


class KnownNames:
    def __init__(self, refresh_seconds: float) -> None:
        self.refresh_seconds = refresh_seconds
        self.gazetteer: Gazetteer | None = None
        self._built_at = float("-inf")
        self._digest = b""
        self._lock = asyncio.Lock()

    async def current(self, pool: asyncpg.Pool) -> Gazetteer | None:
        """The snapshot, rebuilt first if it is stale; the old one if the database fails."""
        if time.monotonic() - self._built_at < self.refresh_seconds:
            return self.gazetteer
        async with self._lock:
            if time.monotonic() - self._built_at >= self.refresh_seconds:
                try:
                    await self._refresh(pool)
                except (
                    OSError,
                    TimeoutError,
                    asyncpg.PostgresError,
                    asyncpg.InterfaceError,
                ) as exc:
                    log.warning("gazetteer refresh failed; keeping the last one", error=str(exc))
        return self.gazetteer

    async def _refresh(self, pool: asyncpg.Pool) -> None:
        started = time.perf_counter()
        entries = await registry.known_entries(pool)
        digest = hashlib.blake2b(msgspec.msgpack.encode(entries), digest_size=16).digest()
        self._built_at = time.monotonic()
        if digest == self._digest and self.gazetteer is not None:
            return
        self.gazetteer = await asyncio.to_thread(Gazetteer.build, entries)
        self._digest = digest
        log.info(
            "gazetteer rebuilt",
            entries=len(entries),
            names=self.gazetteer.size,
            seconds=round(time.perf_counter() - started, 3),
        )
