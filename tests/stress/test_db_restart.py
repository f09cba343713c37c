"""Postgres stopped and started again under submission load, against a real server process.

A separate embedded Postgres in a tmp dir (so no other test is disturbed) and a real
``newsmeta serve --workers 1`` on a free local port. While the database is down every
answer is a prompt ``503`` problem+json (never a hang, never a 500) and readiness says not
ready; within 5 s of its return the API answers again; every article that got a 2xx is in
the database afterwards and the worker finishes them all without crash-looping.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

from service import migrate
from service.db import EmbeddedPostgres
from service.store import keys
from tests.stress.conftest import served

SUBMITTERS = 2
DOWN_SECONDS = 6.0
RECOVERY_SECONDS = 5.0
# The worker backs off at most 2 s between attempts, then extracts one article (seconds on
# a loaded 2-core machine).
WORKER_RECOVERY_SECONDS = 10.0
ANSWER_WITHIN = 5.0  # no request may take longer than this, database up or down
TEXT = (
    "date 2025-09-03 Президент Азербайджана Ильхам Алиев встретился с Владимиром Путиным "
    "в Тяньцзине, сообщил пресс-секретарь Кремля Дмитрий Песков. Номер {n}. (moscowtimes.ru)"
)


@dataclass
class Observed:
    t: float
    kind: str  # "submit" or "ready"
    status: int  # 0: no answer (timeout or connection error)
    seconds: float
    content_type: str = ""
    body: str = ""
    article_id: str | None = None


@dataclass
class Timeline:
    down_at: float = 0.0  # pg_ctl stop returned: the database is down from here
    stop_called: float = 0.0
    start_called: float = 0.0
    up_at: float = 0.0  # pg_ctl start returned: the database is up from here
    up_wall: float = 0.0  # the same moment, wall clock (to compare with processed_at)
    seen: list[Observed] = field(default_factory=list)


async def _submitter(client: httpx.AsyncClient, stop: asyncio.Event, out: Timeline) -> None:
    while not stop.is_set():
        n = uuid.uuid4().hex
        started = time.monotonic()
        try:
            r = await client.post("/v1/articles", json={"text": TEXT.format(n=n)})
            seen = Observed(
                started,
                "submit",
                r.status_code,
                time.monotonic() - started,
                r.headers.get("content-type", ""),
                r.text[:500],
                r.json().get("id") if r.status_code in (200, 202) else None,
            )
        except httpx.HTTPError as exc:
            seen = Observed(started, "submit", 0, time.monotonic() - started, body=repr(exc))
        out.seen.append(seen)
        await asyncio.sleep(0.2)


async def _prober(client: httpx.AsyncClient, stop: asyncio.Event, out: Timeline) -> None:
    while not stop.is_set():
        started = time.monotonic()
        try:
            r = await client.get("/health/ready")
            out.seen.append(
                Observed(started, "ready", r.status_code, time.monotonic() - started, body=r.text)
            )
        except httpx.HTTPError as exc:
            out.seen.append(
                Observed(started, "ready", 0, time.monotonic() - started, body=repr(exc))
            )
        await asyncio.sleep(0.2)


def _restart(server: EmbeddedPostgres) -> None:
    """Start the stopped server again on the same data directory and socket."""
    inner = server._server
    with inner._lock:
        inner.ensure_postgres_running()


async def _first_done_after(url: str, wall: float) -> float | None:
    conn = await asyncpg.connect(url)
    try:
        first = await conn.fetchval(
            "SELECT extract(epoch FROM min(processed_at)) FROM articles"
            " WHERE processed_at > to_timestamp($1)",
            wall,
        )
    finally:
        await conn.close()
    return float(first) if first is not None else None


async def _all_done(url: str, ids: set[str], timeout: float) -> dict[str, int]:
    conn = await asyncpg.connect(url)
    try:
        deadline = time.monotonic() + timeout
        while True:
            rows = await conn.fetch(
                "SELECT status, count(*) AS n FROM articles WHERE id = ANY($1::uuid[])"
                " GROUP BY status",
                [uuid.UUID(i) for i in ids],
            )
            counts = {r["status"]: r["n"] for r in rows}
            if counts.get("done", 0) == len(ids) or time.monotonic() > deadline:
                return counts
            await asyncio.sleep(0.5)
    finally:
        await conn.close()


async def test_postgres_restart_under_submission_load(own_tmp: Path) -> None:
    server = await asyncio.to_thread(EmbeddedPostgres, own_tmp / "db")
    try:
        url = server.url
        await asyncio.to_thread(migrate.upgrade, url)
        conn = await asyncpg.connect(url)
        try:
            _, key = await keys.create(conn, "admin", "stress")
        finally:
            await conn.close()
        log = own_tmp / "serve.log"
        with served(url, log, workers=1) as (base, proc):
            timeline = Timeline()
            stop = asyncio.Event()
            async with httpx.AsyncClient(
                base_url=base,
                headers={"Authorization": f"Bearer {key}"},
                timeout=httpx.Timeout(ANSWER_WITHIN * 3),
            ) as client:
                tasks = [
                    asyncio.create_task(_submitter(client, stop, timeline))
                    for _ in range(SUBMITTERS)
                ]
                tasks.append(asyncio.create_task(_prober(client, stop, timeline)))
                await asyncio.sleep(3.0)
                timeline.stop_called = time.monotonic()
                await asyncio.to_thread(server.stop)
                timeline.down_at = time.monotonic()
                await asyncio.sleep(DOWN_SECONDS)
                timeline.start_called = time.monotonic()
                await asyncio.to_thread(_restart, server)
                timeline.up_at, timeline.up_wall = time.monotonic(), time.time()
                await asyncio.sleep(RECOVERY_SECONDS + 2.0)
                stop.set()
                await asyncio.gather(*tasks)
            _check_answers(timeline, log)
            acknowledged = {o.article_id for o in timeline.seen if o.article_id}
            counts = await _all_done(url, acknowledged, timeout=90)
            assert sum(counts.values()) == len(acknowledged), (
                f"{len(acknowledged) - sum(counts.values())} acknowledged articles are lost",
                counts,
            )
            assert counts.get("done", 0) == len(acknowledged), counts
            first = await _first_done_after(url, timeline.up_wall)
            assert first is not None and first - timeline.up_wall <= WORKER_RECOVERY_SECONDS, (
                f"the worker finished its first article {first and first - timeline.up_wall} s"
                " after the database returned"
            )
            assert proc.poll() is None, "the server exited"
            restarts = log.read_text(errors="replace").count("restarting")
            assert restarts <= 1, f"the worker was restarted {restarts} times:\n{_tail(log)}"
    finally:
        await asyncio.to_thread(server.stop)


def _tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _check_answers(tl: Timeline, log: Path) -> None:
    seen = sorted(tl.seen, key=lambda o: o.t)
    submits = [o for o in seen if o.kind == "submit"]
    assert any(o.status in (200, 202) for o in submits if o.t < tl.stop_called), "no load before"
    for o in seen:
        assert o.status in (200, 202, 503), f"{o.kind} answered {o.status}: {o.body}\n{_tail(log)}"
        assert o.seconds < ANSWER_WITHIN, f"{o.kind} took {o.seconds:.1f} s ({o.status})"
        if o.status == 503:
            assert o.kind == "ready" or o.content_type.startswith("application/problem+json"), o
    # While it is down (after stop returned, before start was called): only 503.
    down = [o for o in seen if tl.down_at + 0.5 < o.t and o.t + o.seconds < tl.start_called]
    assert [o for o in down if o.kind == "submit"], "no submission was tried while it was down"
    assert [o for o in down if o.kind == "ready"], "readiness was not probed while it was down"
    wrong = [o for o in down if o.status != 503]
    assert not wrong, f"answers other than 503 while the database was down: {wrong[:3]}"
    # Within RECOVERY_SECONDS of its return: ready again and accepting submissions.
    for kind in ("ready", "submit"):
        ok = [o.t + o.seconds for o in seen if o.kind == kind and o.t > tl.up_at and o.status < 300]
        assert ok, f"no successful {kind} after the database came back"
        assert min(ok) - tl.up_at <= RECOVERY_SECONDS, (
            f"{kind} recovered after {min(ok) - tl.up_at:.1f} s"
        )
        late = [
            o
            for o in seen
            if o.kind == kind and o.t > tl.up_at + RECOVERY_SECONDS and o.status not in (200, 202)
        ]
        assert not late, f"{kind} still failing {RECOVERY_SECONDS} s after the return: {late[:3]}"
