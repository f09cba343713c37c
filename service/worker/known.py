"""The registry's established names as a gazetteer, one snapshot per process.

Extraction stays pure: the worker and ``POST /v1/extract`` pass ``snapshot.gazetteer`` in.
The snapshot is refreshed lazily, before an extraction, once it is older than
``NEWSMETA_GAZETTEER_REFRESH`` seconds (one query, not one per article). Names that became
established since (a second article, an admin merge) are added to the trie; a full rebuild
(about 7 s of CPU at 100,000 names) happens at start and, when names went away (merged,
renamed), at most every ten refresh periods: until then a vanished name still matches with
its type, which is harmless. So a newly established name is recognised within
``NEWSMETA_GAZETTEER_REFRESH`` seconds, without a restart.
"""

from __future__ import annotations

import asyncio
import time

import asyncpg
import structlog

from service.extraction.gazetteer import Gazetteer, Known, admitted
from service.store import registry

log = structlog.get_logger("newsmeta.gazetteer")


class KnownNames:
    def __init__(self, refresh_seconds: float) -> None:
        self.refresh_seconds = refresh_seconds
        self.gazetteer: Gazetteer | None = None
        self._built_at = float("-inf")  # last refresh
        self._full_at = float("-inf")  # last full rebuild
        self._seen: set[tuple[str, str, tuple[str, ...]]] = set()
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
        entries = [e for e in await registry.known_entries(pool) if admitted(e)]
        self._built_at = time.monotonic()
        keys = {_key(e): e for e in entries}
        new = [e for k, e in keys.items() if k not in self._seen]
        gone = len(self._seen) + len(new) > len(keys)
        full = self.gazetteer is None or (
            gone and self._built_at - self._full_at >= 10 * self.refresh_seconds
        )
        if full:
            self.gazetteer = await asyncio.to_thread(Gazetteer.build, entries)
            self._full_at = self._built_at
            self._seen = set(keys)
        elif new and self.gazetteer is not None:
            await asyncio.to_thread(self.gazetteer.add, new)
            self._seen |= {_key(e) for e in new}
        else:
            return
        log.info(
            "gazetteer refreshed",
            full=full,
            added=len(entries) if full else len(new),
            names=self.gazetteer.size if self.gazetteer else 0,
            seconds=round(time.perf_counter() - started, 3),
        )


def _key(entry: Known) -> tuple[str, str, tuple[str, ...]]:
    return (entry.type, entry.name, entry.aliases)
