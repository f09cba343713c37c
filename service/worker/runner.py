"""A worker: claims articles, extracts in this process, writes all results in one transaction."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import signal
import sys
import time
from typing import Any

import asyncpg
import msgspec
import structlog

from service import extraction
from service.api.observability import EXTRACTION_SECONDS, count_article
from service.db import create_pool, is_open, release_listener
from service.extraction import pipeline
from service.extraction.models import Extraction
from service.schemas import OutletOut
from service.settings import Settings
from service.store import queue, results
from service.store.articles import QUEUED_CHANNEL
from service.worker import deliveries
from service.worker.known import KnownNames

log = structlog.get_logger("newsmeta.worker")
# A lost or restarting database; InternalClientError is a connection cut mid-protocol.
_MAX_BACKOFF = 2.0  # seconds: back to work soon after the database returns
_DB_ERRORS = (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, asyncpg.InternalClientError)


class Worker:
    def __init__(
        self, pool: asyncpg.Pool, settings: Settings, *, grace_seconds: float = 30.0
    ) -> None:
        self.pool = pool
        self.settings = settings
        self.grace_seconds = grace_seconds
        self.processed = 0
        self.failed = 0
        self._wake = asyncio.Event()
        self.stuck = False  # an extraction timed out: this process must be replaced
        self._listener: asyncpg.Connection | None = None
        self._next: _Started | None = None  # claimed and extracting while results are written
        # The last article's results being written while the loop goes on (one at a time,
        # in claim order): the extraction thread is never kept waiting for a commit.
        self._writing: asyncio.Task[None] | None = None
        # One thread: extraction is CPU-bound; parallelism comes from more processes.
        self._executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="extract")
        # Webhook deliveries: a second task of ``run``, stopping with it.
        self.deliveries = deliveries.DeliveryLoop(pool, settings)
        # Names the registry knows, found again where the tagger misses them.
        self.known = KnownNames(settings.gazetteer_refresh_seconds)

    async def run(self, stop: asyncio.Event) -> None:
        """Process articles until ``stop`` is set; an in-flight article gets ``grace_seconds``
        to finish, else its lease is released for another worker."""
        log.info("worker started", pid=os.getpid())
        await asyncio.get_running_loop().run_in_executor(self._executor, _warm_up)
        sending = asyncio.create_task(self.deliveries.run(stop))
        backoff = 0.5
        try:
            while self._next is not None or not stop.is_set():
                try:
                    await self._listen()
                    started = self._next or await self._start(await self._claim())
                    self._next = None
                    backoff = 0.5
                except _DB_ERRORS as exc:
                    log.warning("database unavailable, retrying", error=str(exc), wait=backoff)
                    await _wait(stop, backoff)
                    backoff = min(backoff * 2, _MAX_BACKOFF)
                    continue
                if started is None:
                    await _wait_any(stop, self._wake, self.settings.poll_seconds)
                    self._wake.clear()
                    continue
                try:
                    await self._process(started, stop, overlap=True)
                except ExtractionStuck:
                    self.stuck = True
                    break
                except _DB_ERRORS as exc:
                    # The database went away mid-article: the lease expires and the article
                    # is claimed again; this process waits for the database instead of dying.
                    log.warning("database unavailable, retrying", error=str(exc), wait=backoff)
                    await _wait(stop, backoff)
                    backoff = min(backoff * 2, _MAX_BACKOFF)
        finally:
            try:
                await self._written()
            except Exception as exc:  # a failing write is still the loop's to report
                log.error("writing results failed", exc_info=exc)
            if self._next is not None:  # claimed ahead, not processed: hand it back
                self._next.stop()
                with contextlib.suppress(*_DB_ERRORS):
                    await queue.release(self.pool, self._next.job)
                self._next = None
            await deliveries.join(sending, stop)
            await self._close_listener()
            self._executor.shutdown(wait=False, cancel_futures=True)
            log.info("worker stopped", processed=self.processed, failed=self.failed)

    async def run_once(self) -> bool:
        """Claim and process one article if there is one (for tests and scripts)."""
        started = await self._start(await self._claim())
        if started is None:
            return False
        await self._process(started, asyncio.Event(), overlap=False)
        return True

    async def _claim(self) -> queue.Job | None:
        async with self.pool.acquire() as conn:
            # Also fails articles whose workers died max_attempts times: without that they
            # would stay 'processing' forever.
            return await queue.claim_next(
                conn, self.settings.lease_seconds, self.settings.max_attempts
            )

    async def _start(self, job: queue.Job | None) -> _Started | None:
        """Extraction of a claimed article begins in the extraction thread, with heartbeats."""
        if job is None:
            return None
        # The names the registry knows (this process's snapshot, refreshed on a timer).
        gazetteer = await self.known.current(self.pool)
        work = asyncio.get_running_loop().run_in_executor(
            self._executor,
            lambda: extraction.extract(
                job.text, published_at=job.published_at, outlet=job.outlet, gazetteer=gazetteer
            ),
        )
        return _Started(job, work, asyncio.create_task(self._heartbeat(job)), time.perf_counter())

    async def _process(self, started: _Started, stop: asyncio.Event, *, overlap: bool) -> None:
        """Wait for the extraction, then write its results. With ``overlap``, the next article
        is claimed and its extraction started first, and these results are written in the
        background (after the previous ones): the extraction thread goes on at once, while
        the database works on the other core, and waits only if writing is the slower."""
        job, work = started.job, started.work
        bound = log.bind(article_id=str(job.article_id), attempt=job.attempts)
        stopping: asyncio.Future[Any] = asyncio.ensure_future(stop.wait())
        handed = False  # to a write in the background, which ends its heartbeat
        try:
            limit = self.settings.extract_timeout_seconds
            done, _ = await asyncio.wait(
                [work, stopping],
                timeout=max(0.0, limit - (time.perf_counter() - started.at)),
                return_when=asyncio.FIRST_COMPLETED,
            )
            if not done:
                await self._give_up(job, bound)
            if work not in done:
                # Shutting down: give the extraction its grace period, then hand the job back.
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(asyncio.shield(work), self.grace_seconds)
            if not work.done():
                await queue.release(self.pool, job)
                bound.warning("released unfinished article on shutdown")
                count_article("released")
                return
            extraction_seconds = time.perf_counter() - started.at
            if overlap and not stop.is_set() and not work.cancelled() and not work.exception():
                with contextlib.suppress(*_DB_ERRORS):  # else it is claimed in the next turn
                    self._next = await self._start(await self._claim())
            try:
                result = work.result()
            except Exception as exc:  # the extractor failed on this text: retry, then fail
                status = await self._fail(job, f"{type(exc).__name__}: {exc}")
                bound.error("extraction failed", status=status, exc_info=exc)
                return
            if overlap:
                # The next article is extracting; this one is written in the background as
                # soon as the previous write has committed.
                await self._written()
                self._writing = asyncio.create_task(
                    self._write_behind(started, result, extraction_seconds, bound)
                )
                handed = True
                return
            await self._write(started, result, extraction_seconds, bound)
        except _Discard:
            pass
        finally:
            if not handed:
                started.stop()
            stopping.cancel()

    async def _write(
        self, started: _Started, result: Extraction, extraction_seconds: float, bound: Any
    ) -> None:
        """The results, the status and the feed in one transaction; ``_Discard`` if the
        lease was lost meanwhile."""
        job = started.job
        async with self.pool.acquire() as conn, conn.transaction():
            if not await queue.mark_done(conn, job, result.extractor_version):
                bound.warning("lease lost; results discarded")
                count_article("lost")
                raise _Discard
            outlet = OutletOut(job.outlet, job.outlet_domain) if job.outlet else None
            await results.replace(conn, job.article_id, result, outlet=outlet, cleared=True)
        self.processed += 1
        EXTRACTION_SECONDS.observe(extraction_seconds)
        count_article("processed")
        bound.info(
            "article processed",
            seconds=round(time.perf_counter() - started.at, 3),
            entities=len(result.entities),
            events=len(result.events),
            statements=len(result.sources.items),
        )

    async def _write_behind(
        self, started: _Started, result: Extraction, extraction_seconds: float, bound: Any
    ) -> None:
        try:
            await self._write(started, result, extraction_seconds, bound)
        except _Discard:
            pass
        except _DB_ERRORS as exc:
            # The lease expires and the article is claimed again; the loop meets the
            # database's absence at its next claim and waits there.
            log.warning("database unavailable, results not written", error=str(exc))
        finally:
            started.stop()

    async def _written(self) -> None:
        """Wait for the write in the background, if any (its errors other than the
        database's are the loop's)."""
        writing, self._writing = self._writing, None
        if writing is not None:
            await writing

    async def _fail(self, job: queue.Job, error: str) -> str | None:
        """Record a failed attempt: queued again after backoff, or failed for good."""
        status = await queue.mark_failed(
            self.pool,
            job,
            error,
            max_attempts=self.settings.max_attempts,
            retry_base_seconds=self.settings.retry_base_seconds,
        )
        self.failed += 1
        count_article({"failed": "failed", "queued": "retry"}.get(status or "", "lost"))
        return status

    async def _give_up(self, job: queue.Job, bound: Any) -> None:
        """The extraction ran past its time: record a failed attempt (it is retried, and fails
        for good after max_attempts) and stop this worker, whose thread cannot be stopped."""
        limit = self.settings.extract_timeout_seconds
        status = await self._fail(
            job, f"extraction took longer than {limit:g} s (NEWSMETA_EXTRACT_TIMEOUT)"
        )
        bound.error("extraction timed out; worker exits", status=status, limit_seconds=limit)
        raise ExtractionStuck

    async def _heartbeat(self, job: queue.Job) -> None:
        interval = self.settings.lease_seconds / 3
        while True:
            await asyncio.sleep(interval)
            try:
                if not await queue.heartbeat(self.pool, job, self.settings.lease_seconds):
                    return
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                continue

    async def _listen(self) -> None:
        if self._listener is not None:
            if is_open(self._listener):
                return
            await self._close_listener()  # lost with the database: listen on a new one
        conn = await self.pool.acquire()
        try:
            await conn.add_listener(QUEUED_CHANNEL, self._on_queued)
        except BaseException:
            await release_listener(self.pool, conn, QUEUED_CHANNEL, self._on_queued)
            raise
        self._listener = conn

    def _on_queued(self, *_: object) -> None:
        self._wake.set()

    async def _close_listener(self) -> None:
        if self._listener is None:
            return
        await release_listener(self.pool, self._listener, QUEUED_CHANNEL, self._on_queued)
        self._listener = None


class _Started(msgspec.Struct):
    job: queue.Job
    work: asyncio.Future[Extraction]
    heartbeat: asyncio.Task[None]
    at: float  # perf_counter when extraction was handed to the thread

    def stop(self) -> None:
        self.heartbeat.cancel()


class _Discard(Exception):
    pass


class ExtractionStuck(Exception):
    """An extraction exceeded NEWSMETA_EXTRACT_TIMEOUT; the process must be replaced."""


# One short article through the whole engine: its lazily built parts (morphology caches,
# gazetteers, lexicons) cost ~0.7 s on first use, which would otherwise land on the first
# article claimed, with its lease running.
_WARM_UP_TEXT = (
    "Президент Азербайджана Ильхам Алиев встретился с Владимиром Путиным в Тяньцзине "
    "31 августа, сообщил пресс-секретарь Кремля Дмитрий Песков. «Мы договорились», — сказал он."
)


def _warm_up() -> None:
    extraction.warm_up()
    pipeline.extract(_WARM_UP_TEXT)


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def _wait_any(stop: asyncio.Event, wake: asyncio.Event, seconds: float) -> None:
    waiters = {asyncio.create_task(stop.wait()), asyncio.create_task(wake.wait())}
    _, pending = await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()


async def serve_worker(database_url: str, settings: Settings) -> int:
    """One worker process until SIGTERM/SIGINT; the exit status (3: an extraction hung)."""
    # The event loop takes the GIL back from the extraction thread within this, not the
    # default 5 ms: each database reply of an article's write waited up to that long.
    sys.setswitchinterval(_SWITCH_SECONDS)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    pool = await _connect(database_url, stop)
    if pool is None:
        return 0
    worker = Worker(pool, settings)
    try:
        await worker.run(stop)
    finally:
        await pool.close()
    return 3 if worker.stuck else 0


_SWITCH_SECONDS = 0.0005


async def _connect(database_url: str, stop: asyncio.Event) -> asyncpg.Pool | None:
    delay = 0.5
    while not stop.is_set():
        try:
            # the listener, a claim, a write behind, heartbeats and webhook deliveries
            return await create_pool(database_url, min_size=1, max_size=4)
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("database unavailable, retrying", error=str(exc), wait=delay)
            await _wait(stop, delay)
            delay = min(delay * 2, 10.0)
    return None
