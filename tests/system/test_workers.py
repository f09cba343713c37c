"""Worker processes on one queue: exactly-once processing, crashes, graceful shutdown."""

from __future__ import annotations

import signal
from collections import Counter
from collections.abc import Callable

import asyncpg
import psutil

from tests.conftest import devset_texts
from tests.system.conftest import (
    Process,
    article_row,
    eventually,
    long_text,
    newsmeta_env,
    submit,
    worker_ready,
)


async def test_two_workers_never_process_the_same_article(
    pool: asyncpg.Pool, spawn: Callable[..., Process], worker_env: dict[str, str]
) -> None:
    workers = [spawn(["worker"], worker_env) for _ in range(2)]
    for w in workers:
        await worker_ready(pool, w)

    ids = await submit(pool, devset_texts(20))

    async def all_done() -> bool:
        n = await pool.fetchval(
            "SELECT count(*) FROM articles WHERE id = ANY($1::uuid[]) AND status = 'done'", ids
        )
        return n == len(ids)

    await eventually(all_done, 180, "all 20 articles done")
    await eventually(lambda: sum(len(w.processed()) for w in workers) >= len(ids), 10, "logs")

    rows = await pool.fetch("SELECT id, status, attempts FROM articles")
    assert {r["id"] for r in rows} == set(ids)
    assert all(r["status"] == "done" and r["attempts"] == 1 for r in rows), rows
    processed = Counter(a for w in workers for a in w.processed())
    assert processed == Counter(str(i) for i in ids), "each article processed exactly once"
    # Both workers usually share the work; that depends on scheduling, so it is not asserted.
    print("split between the workers:", [len(w.processed()) for w in workers])


async def test_a_worker_killed_mid_job_loses_nothing(
    pool: asyncpg.Pool, spawn: Callable[..., Process], database_url: str
) -> None:
    env = newsmeta_env(
        DATABASE_URL=database_url, NEWSMETA_LEASE_SECONDS="2", NEWSMETA_POLL_SECONDS="0.2"
    )
    first = spawn(["worker"], env)
    await worker_ready(pool, first)
    [article_id] = await submit(pool, [long_text(60_000)])  # seconds of extraction

    async def processing() -> asyncpg.Record | None:
        row = await article_row(pool, article_id)
        return row if row["status"] == "processing" else None

    claimed = await eventually(processing, 30, "the first worker to claim the article")
    assert claimed["attempts"] == 1

    # While it extracts, the heartbeat pushes the 2 s lease forward under the same token.
    async def heartbeat() -> bool:
        row = await article_row(pool, article_id)
        assert row["status"] == "processing", "the first worker must still be extracting"
        assert (row["attempts"], row["lease_token"]) == (1, claimed["lease_token"])
        return bool(row["due_at"] > claimed["due_at"])

    await eventually(heartbeat, 5, "a heartbeat to extend the lease")

    first.signal(signal.SIGKILL)
    assert await first.wait_exit(10) == -signal.SIGKILL
    second = spawn(["worker"], env)

    async def done() -> asyncpg.Record | None:
        row = await article_row(pool, article_id)
        return row if row["status"] in ("done", "failed") else None

    row = await eventually(done, 120, "the second worker to finish the article")
    assert row["status"] == "done", row["error"]
    assert row["attempts"] == 2
    [line] = await eventually(second.processed, 10, "the second worker's log line")
    assert line == str(article_id)
    assert first.processed() == []
    [logged] = second.events("article processed")
    assert logged["attempt"] == 2

    # Results were written once: the counts match the one extraction that finished.
    events = await pool.fetchval("SELECT count(*) FROM events WHERE article_id = $1", article_id)
    statements = await pool.fetchval(
        "SELECT count(*) FROM statements WHERE article_id = $1", article_id
    )
    assert (events, statements) == (logged["events"], logged["statements"])
    linked = await pool.fetchval(
        "SELECT count(*) FROM article_entities WHERE article_id = $1", article_id
    )
    assert 0 < linked <= logged["entities"]
    # The registry counts each entity in this (only) article once.
    counts = await pool.fetch("SELECT DISTINCT article_count FROM entities")
    assert [r["article_count"] for r in counts] == [1]


async def test_sigterm_while_extracting_finishes_or_releases_the_article(
    pool: asyncpg.Pool, spawn: Callable[..., Process], worker_env: dict[str, str]
) -> None:
    worker = spawn(["worker"], worker_env)
    await worker_ready(pool, worker)
    [article_id] = await submit(pool, [long_text(60_000)])

    async def processing() -> bool:
        return (await article_row(pool, article_id))["status"] == "processing"

    await eventually(processing, 30, "the worker to claim the article")
    worker.signal(signal.SIGTERM)
    assert await worker.wait_exit(60) == 0, worker.tail()
    assert worker.events("worker stopped")

    # It either finished within its grace period or gave the article back untouched.
    row = await article_row(pool, article_id)
    assert row["status"] in ("done", "queued"), dict(row)
    assert row["lease_token"] is None
    if row["status"] == "queued":
        assert row["attempts"] == 0
        second = spawn(["worker"], worker_env)

        async def done() -> bool:
            return (await article_row(pool, article_id))["status"] == "done"

        await eventually(done, 120, "a second worker to finish the released article")
        await eventually(second.processed, 10, "the second worker's log line")
        assert second.processed() == [str(article_id)]
    else:
        assert row["attempts"] == 1
        assert worker.processed() == [str(article_id)]


async def test_worker_concurrency_restarts_a_crashed_process_and_stops_all_on_sigterm(
    pool: asyncpg.Pool, spawn: Callable[..., Process], worker_env: dict[str, str]
) -> None:
    supervisor = spawn(["worker", "--concurrency", "2"], worker_env)
    parent = psutil.Process(supervisor.pid)

    def children() -> list[psutil.Process]:
        return [c for c in parent.children() if c.status() != psutil.STATUS_ZOMBIE]

    first = await eventually(lambda: len(children()) == 2 and children(), 30, "two workers")
    crashed = first[0]
    crashed.kill()
    replaced = await eventually(
        lambda: len(children()) == 2 and crashed.pid not in {c.pid for c in children()},
        30,
        "a replacement for the crashed worker",
    )
    assert replaced
    current = children()

    # Still one queue, still exactly once.
    ids = await submit(pool, devset_texts(4))

    async def all_done() -> bool:
        n = await pool.fetchval(
            "SELECT count(*) FROM articles WHERE id = ANY($1::uuid[]) AND status = 'done'", ids
        )
        return n == len(ids)

    await eventually(all_done, 120, "the articles to be processed")
    attempts = await pool.fetch("SELECT attempts FROM articles")
    assert [r["attempts"] for r in attempts] == [1] * len(ids)

    supervisor.signal(signal.SIGTERM)
    assert await supervisor.wait_exit(60) == 0, supervisor.tail()
    await eventually(
        lambda: not any(c.is_running() and c.status() != psutil.STATUS_ZOMBIE for c in current),
        10,
        "the workers to stop with their supervisor",
    )
    assert "restarting" in supervisor.tail(50)
