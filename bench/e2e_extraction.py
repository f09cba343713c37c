"""Extraction end to end: articles/s from submission to ``done`` with 1 and 2 workers on the
devset texts, against raw natasha on the same texts in the same run; worker peak RSS.

Run by hand: ``.venv/bin/python bench/e2e_extraction.py [--workers 1 2] [--limit N]
[--profile FILE]``.

Starts its own embedded Postgres (private tmp dir). For each worker count: empties the
database, starts ``newsmeta serve --workers N`` on a free 127.0.0.1 port, waits until every
worker has loaded its models and gone idle, submits all texts in one batch, and times until
the last one is ``done`` (the workers' notifications), sampling the workers' RSS.
Each worker count runs twice: *cold* (a fresh worker's first pass; its lemma and word
caches empty, the registry of names empty) and *warm* (the same texts again, as a
long-running worker meets them: with the registry the earlier passes built, analyzed as
autovacuum keeps a running database, and with several workers after ``--warm-passes``
untimed passes, since each pass deals the texts to the workers anew); the ratio to raw
natasha is given for both. Raw natasha is natasha's own calls (segment+morph+syntax+NER,
``extract_speed.raw_natasha``), one process, with one BLAS thread like a worker, timed on
a second pass over the texts.
``--profile FILE``: ``py-spy`` samples the first worker of the first run, every thread,
idle ones included (``--idle --threads``), so that where the extraction thread waits shows.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import time

import asyncpg
import httpx
import psutil
from _local import (
    admin_key,
    devset_texts,
    embedded_database,
    load_now,
    machine,
    newsmeta_serve,
    profiled,
)


def raw_natasha(texts: list[str]) -> float:
    """natasha's own calls (segment, morph, syntax, NER; ``extract_speed.raw_natasha``), one
    process, after one warm-up pass over the texts, as the warm worker is timed."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")  # before numpy loads; the workers do the same
    from extract_speed import raw_natasha as natasha_doc

    for text in texts:
        natasha_doc(text)
    started = time.perf_counter()
    for text in texts:
        natasha_doc(text)
    return len(texts) / (time.perf_counter() - started)


def workers_of(server: psutil.Process) -> list[psutil.Process]:
    return [p for p in server.children(recursive=True) if "worker" in " ".join(p.cmdline())]


def _postgres() -> list[psutil.Process]:
    """The bench's own embedded server (its data lives under a ``newsmeta-bench-`` tmp dir)
    first, then its backends; not the machine's other Postgres servers."""
    for p in psutil.process_iter(["name", "cmdline"]):
        if (p.info["name"] or "").startswith("postgres") and "newsmeta-bench-" in " ".join(
            p.info["cmdline"] or []
        ):
            with contextlib.suppress(psutil.Error):
                return [p, *p.children(recursive=True)]
    return []


def cpu_by_part(server: psutil.Process) -> dict[str, float]:
    """CPU seconds (user + system) so far of the workers, the API (the server and its other
    children), the bench's Postgres server and this bench: where an article's CPU goes when
    the parts share the cores."""
    parts = {"workers": 0.0, "api": 0.0, "postgres": 0.0, "bench": 0.0}

    def add(part: str, p: psutil.Process, reaped: bool = False) -> None:
        with contextlib.suppress(psutil.Error):
            t = p.cpu_times()
            # the postmaster's reaped children: backends that ended are still counted
            parts[part] += t.user + t.system + (t.children_user + t.children_system) * reaped

    workers = workers_of(server)
    pids = {p.pid for p in workers}
    for p in workers:
        add("workers", p)
    add("api", server)
    with contextlib.suppress(psutil.Error):
        for p in server.children(recursive=True):
            if p.pid not in pids:
                add("api", p)
    for i, p in enumerate(_postgres()):
        add("postgres", p, reaped=i == 0)
    add("bench", psutil.Process())
    return parts


def wait_warm(server: psutil.Process, count: int, timeout: float = 180) -> None:
    """Until ``count`` workers exist, each has loaded its models (RSS over 200 MB) and is
    idle (under 10 % CPU over half a second)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        procs = workers_of(server)
        if len(procs) == count:
            try:
                for p in procs:
                    p.cpu_percent()
                time.sleep(0.5)
                if all(p.memory_info().rss > 200 * 2**20 and p.cpu_percent() < 10 for p in procs):
                    return
            except psutil.Error:
                pass
        time.sleep(0.5)
    raise SystemExit(f"workers not warm within {timeout:.0f} s")


async def run(
    url: str, base: str, key: str, texts: list[str], server: psutil.Process, *, last: bool
) -> dict:
    """One batch of ``texts`` from submission until every article is ``done`` (or
    ``failed``): the end is the last of the workers' own notifications on the done channel,
    so no polling interval is added to the time. Afterwards the articles are deleted; the
    registry of names they built too if ``last`` (a long-running service keeps it: the warm
    pass meets it as the earlier passes left it)."""
    from service.store.queue import DONE_CHANNEL

    conn = await asyncpg.connect(url)
    ended: set[str] = set()
    all_ended = asyncio.Event()

    def notified(*args: object) -> None:
        ended.add(str(args[-1]))
        if len(ended) >= len(texts):
            all_ended.set()

    await conn.add_listener(DONE_CHANNEL, notified)
    peak = 0
    try:
        items = [{"text": t} for t in texts]
        cpu_before = cpu_by_part(server)
        started = time.perf_counter()
        async with httpx.AsyncClient(base_url=base, timeout=120) as http:
            r = await http.post(
                "/v1/articles/batch", json=items, headers={"Authorization": f"Bearer {key}"}
            )
        if r.status_code != 200 or r.json()["accepted"] != len(texts):
            raise SystemExit(f"batch not accepted: {r.status_code} {r.text[:300]}")
        workers = workers_of(server)  # once: walking the process tree each poll costs CPU
        while not all_ended.is_set():
            for p in workers:
                with contextlib.suppress(psutil.Error):
                    peak = max(peak, p.memory_info().rss)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(all_ended.wait(), 0.5)
        elapsed = time.perf_counter() - started
        cpu_after = cpu_by_part(server)
        failed = await conn.fetchval("SELECT count(*) FROM articles WHERE status = 'failed'")
        return {
            "cpu": {k: (cpu_after[k] - cpu_before[k]) / len(texts) * 1e3 for k in cpu_after},
            "rate": len(texts) / elapsed,
            "seconds": elapsed,
            "failed": failed,
            "rss": peak / 2**20,
        }
    finally:
        await conn.execute(
            "TRUNCATE articles, entities, outlets CASCADE" if last else "TRUNCATE articles CASCADE"
        )
        await conn.close()


async def analyze(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--limit", type=int, default=0, help="only the first N devset texts")
    parser.add_argument(
        "--warm-passes",
        type=int,
        default=2,
        help="untimed passes between cold and warm with several workers (default 2)",
    )
    parser.add_argument("--profile", help="py-spy the first run's worker (all threads, idle too)")
    args = parser.parse_args()
    texts = devset_texts()
    if args.limit:
        texts = texts[: args.limit]
    chars = sum(len(t) for t in texts)
    print(f"machine: {machine()}")
    print(f"{len(texts)} devset texts, {chars:,} characters")
    results: dict[int, dict] = {}
    cold: dict[int, dict] = {}
    with embedded_database() as url:
        key = admin_key(url)
        for n in args.workers:
            env = {"NEWSMETA_POLL_SECONDS": "0.2"}
            with newsmeta_serve(url, workers=n, env=env) as (base, proc):
                server = psutil.Process(proc.pid)
                wait_warm(server, n)
                load = load_now()
                spied = workers_of(server)[0].pid if args.profile and not results else None
                # cold: a fresh worker's first pass (lemma and word caches empty); warm: the
                # same texts again, as a long-running worker meets them
                cold[n] = asyncio.run(run(url, base, key, texts, server, last=False))
                # Each pass deals the texts to the workers anew: after k more passes a
                # worker of two has not met 1/2**(k+1) of them; one worker met them all.
                for _ in range(args.warm_passes if n > 1 else 0):
                    asyncio.run(run(url, base, key, texts, server, last=False))
                # Statistics of the registry the passes built, as autovacuum keeps them in a
                # running database: without them the planner reads the young tables whole.
                asyncio.run(analyze(url))
                with profiled(spied, args.profile if spied else None, idle=True):
                    results[n] = asyncio.run(run(url, base, key, texts, server, last=True))
            for label, r in (("cold", cold[n]), ("warm", results[n])):
                print(
                    f"{n} worker(s), {label}: {r['rate']:.2f} articles/s ({r['seconds']:.1f} s, "
                    f"{r['failed']} failed), worker peak RSS {r['rss']:.0f} MB; "
                    f"load average at start {load}"
                )
                parts = ", ".join(f"{k} {v:.1f}" for k, v in r["cpu"].items())
                print(f"  CPU ms an article: {parts}")
    natasha = raw_natasha(texts)
    print(f"raw natasha, one process: {natasha:.2f} articles/s (load average {load_now()})")
    if 1 in results and 2 in results:
        print(f"scaling 1 -> 2 workers (warm): {results[2]['rate'] / results[1]['rate']:.2f}x")
        # What the machine allows: every part's CPU an article shares its cores, so two
        # workers cannot pass cores / (all CPU ms an article) articles a second.
        for label, runs in (("warm", results), ("cold", cold)):
            ceiling = (os.cpu_count() or 1) * 1e3 / sum(runs[2]["cpu"].values())
            print(
                f"  {label}: {os.cpu_count()} cores / all parts' CPU an article with 2 workers"
                f" = {ceiling:.1f} articles/s, {ceiling / runs[1]['rate']:.2f}x one worker"
            )
    if 1 in results:
        print(
            f"1 worker end to end / raw natasha: warm {results[1]['rate'] / natasha:.2f}, "
            f"cold {cold[1]['rate'] / natasha:.2f}"
        )


if __name__ == "__main__":
    main()
