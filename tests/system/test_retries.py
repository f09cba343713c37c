"""Retries with backoff, giving up, and handing an article back on shutdown.

An in-process ``Worker`` on the real queue; only the extractor's behaviour is injected.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time

import asyncpg
import msgspec
import pytest

from service import extraction
from service.extraction.models import Extraction
from service.settings import Settings
from service.store import queue
from service.worker.runner import Worker
from tests.system.conftest import article_row, eventually, submit


async def test_an_article_whose_extraction_raises_fails_after_max_attempts_with_backoff(
    pool: asyncpg.Pool, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = msgspec.structs.replace(settings, retry_base_seconds=0.4)
    worker = Worker(pool, settings)
    calls: list[float] = []

    def broken(text: str, **_: object) -> Extraction:
        calls.append(time.monotonic())
        raise ValueError("the extractor cannot read this")

    monkeypatch.setattr(extraction, "extract", broken)
    [article_id] = await submit(pool, ["Текст, на котором экстрактор падает."])
    base = settings.retry_base_seconds

    for attempt in range(1, settings.max_attempts + 1):
        await eventually(worker.run_once, 10, f"attempt {attempt} to be claimed", interval=0.02)
        row = await article_row(pool, article_id)
        assert row["attempts"] == attempt
        assert row["error"] == "ValueError: the extractor cannot read this"
        if attempt < settings.max_attempts:
            assert row["status"] == "queued"
            # Not before its backoff has passed (read from the row: asking the worker at once
            # races the backoff on a loaded machine). The gaps below show it was honoured.
            backoff = await pool.fetchval(
                "SELECT extract(epoch FROM due_at - updated_at) FROM articles WHERE id = $1",
                article_id,
            )
            assert float(backoff) >= base * 2 ** (attempt - 1) * 0.9

    row = await article_row(pool, article_id)
    assert row["status"] == "failed"
    assert row["lease_token"] is None
    assert len(calls) == settings.max_attempts
    gaps = [b - a for a, b in itertools.pairwise(calls)]
    for n, gap in enumerate(gaps):
        assert gap >= base * 2**n * 0.9, f"backoff {gap:.3f} s after attempt {n + 1}"

    # Failed is final: nothing claims it again.
    await asyncio.sleep(base * 2**settings.max_attempts)
    assert await worker.run_once() is False
    assert (await article_row(pool, article_id))["status"] == "failed"


async def test_an_article_whose_workers_died_max_attempts_times_is_failed_and_left_alone(
    pool: asyncpg.Pool, worker: Worker, settings: Settings
) -> None:
    [article_id] = await submit(pool, ["Статья, на которой каждый раз умирает воркер."])
    await pool.execute(
        "UPDATE articles SET status = 'processing', attempts = $2, lease_token = gen_random_uuid(),"
        " due_at = now() - interval '1s' WHERE id = $1",
        article_id,
        settings.max_attempts,
    )
    async with pool.acquire() as conn:
        assert await queue.claim(conn, settings.lease_seconds, settings.max_attempts) is None
    assert await queue.fail_exhausted(pool, settings.max_attempts) == 1

    row = await article_row(pool, article_id)
    assert row["status"] == "failed"
    assert row["attempts"] == settings.max_attempts
    assert row["lease_token"] is None
    assert "gave up after 3 attempts" in row["error"]
    assert await queue.fail_exhausted(pool, settings.max_attempts) == 0
    assert await worker.run_once() is False
    assert (await article_row(pool, article_id))["status"] == "failed"


async def test_a_running_worker_fails_articles_whose_workers_kept_dying(
    pool: asyncpg.Pool, worker: Worker, settings: Settings
) -> None:
    """Nobody else calls ``fail_exhausted``: the worker's claim loop does."""
    [article_id] = await submit(pool, ["Ещё одна статья, убивающая воркеры."])
    await pool.execute(
        "UPDATE articles SET status = 'processing', attempts = $2, lease_token = gen_random_uuid(),"
        " due_at = now() - interval '1s' WHERE id = $1",
        article_id,
        settings.max_attempts,
    )
    assert await worker.run_once() is False
    row = await article_row(pool, article_id)
    assert (row["status"], row["attempts"]) == ("failed", settings.max_attempts)


async def test_shutdown_hands_an_unfinished_article_back_without_counting_the_attempt(
    pool: asyncpg.Pool, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = threading.Event()
    release = threading.Event()
    real_extract = extraction.extract

    def slow(text: str, **kw: object) -> Extraction:
        started.set()
        release.wait(10)  # longer than the grace period below
        raise RuntimeError("interrupted")

    monkeypatch.setattr(extraction, "extract", slow)
    [article_id] = await submit(pool, ["Статья, которую воркер не успевает обработать."])
    stop = asyncio.Event()
    worker = Worker(pool, settings, grace_seconds=0.3)
    task = asyncio.create_task(worker.run(stop))
    try:
        await eventually(started.is_set, 30, "the extraction to start")
        stop.set()
        await asyncio.wait_for(task, 10)
    finally:
        release.set()
        stop.set()
        if not task.done():
            task.cancel()

    row = await article_row(pool, article_id)
    assert (row["status"], row["attempts"], row["lease_token"]) == ("queued", 0, None)
    assert row["lease_expired"]  # due now: the next worker takes it at once

    monkeypatch.setattr(extraction, "extract", real_extract)
    assert await Worker(pool, settings).run_once() is True
    row = await article_row(pool, article_id)
    assert (row["status"], row["attempts"]) == ("done", 1)


async def test_an_extraction_that_hangs_is_given_up_and_its_worker_stops(
    pool: asyncpg.Pool, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hung extraction thread cannot be stopped: after NEWSMETA_EXTRACT_TIMEOUT the attempt
    is recorded as failed (it is retried later) and the worker leaves its loop, so its process
    exits nonzero and the supervisor replaces it."""
    settings = msgspec.structs.replace(settings, extract_timeout_seconds=1.0)
    release = threading.Event()

    def hangs(text: str, **_: object) -> Extraction:
        release.wait(30)
        raise RuntimeError("released at the end of the test")

    monkeypatch.setattr(extraction, "extract", hangs)
    [article_id] = await submit(pool, ["Текст, на котором экстрактор зависает."])
    worker = Worker(pool, settings)
    stop = asyncio.Event()
    try:
        await asyncio.wait_for(worker.run(stop), 20)  # returns by itself
    finally:
        release.set()
    assert worker.stuck
    row = await article_row(pool, article_id)
    assert row["status"] == "queued"
    assert row["attempts"] == 1
    assert row["error"] == "extraction took longer than 1 s (NEWSMETA_EXTRACT_TIMEOUT)"
