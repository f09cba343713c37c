"""Ingest: ``POST /v1/articles/batch`` articles/s into Postgres, 1,000-item batches.

Run by hand: ``.venv/bin/python bench/ingest.py [--batches 40] [--clients 2]``.

Starts its own embedded Postgres (private tmp dir) and ``newsmeta serve --workers 0`` on a
free 127.0.0.1 port (no workers: this measures submission, not extraction), sends
``--batches`` JSON batches of 1,000 new articles (devset texts, each made unique) from
``--clients`` concurrent connections, and reports articles/s over the whole run plus the
batch latency. Bodies are encoded before the clock starts. One warm-up batch is not timed.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import httpx
import msgspec
from _local import (
    admin_key,
    devset_texts,
    embedded_database,
    load_now,
    machine,
    newsmeta_serve,
    profiled,
)

BATCH = 1000


def bodies(texts: list[str], batches: int) -> list[bytes]:
    out = []
    for b in range(batches):
        items = [
            {"text": f"{texts[i % len(texts)]}\n\nbench {b}-{i}", "external_id": f"bench-{b}-{i}"}
            for i in range(BATCH)
        ]
        out.append(msgspec.json.encode(items))
    return out


async def send(base: str, key: str, work: list[bytes], clients: int) -> tuple[float, list[float]]:
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in work:
        queue.put_nowait(body)
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    async def client() -> None:
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as http:
            while not queue.empty():
                body = queue.get_nowait()
                started = time.perf_counter()
                r = await http.post("/v1/articles/batch", content=body)
                latencies.append(time.perf_counter() - started)
                result = r.json()
                if r.status_code != 200 or result["accepted"] != BATCH:
                    raise SystemExit(f"batch not accepted: {r.status_code} {r.text[:300]}")

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return time.perf_counter() - started, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batches", type=int, default=40, help="timed batches of 1,000")
    parser.add_argument("--clients", type=int, default=2, help="concurrent connections")
    parser.add_argument("--profile", help="py-spy the server meanwhile; collapsed stacks here")
    args = parser.parse_args()
    texts = devset_texts()
    work = bodies(texts, args.batches + 1)
    size = sum(len(b) for b in work[1:]) / args.batches / 2**20
    print(f"machine: {machine()}")
    with embedded_database() as url:
        key = admin_key(url)
        with newsmeta_serve(url, workers=0) as (base, server):
            asyncio.run(send(base, key, work[:1], 1))  # warm-up
            load = load_now()
            with profiled(server.pid, args.profile):
                elapsed, latencies = asyncio.run(send(base, key, work[1:], args.clients))
    n = args.batches * BATCH
    lat = sorted(latencies)
    print(
        f"ingest: {n} articles in {args.batches} batches of {BATCH} ({size:.1f} MiB each), "
        f"{args.clients} clients: {elapsed:.2f} s, {n / elapsed:,.0f} articles/s; "
        f"batch latency p50 {statistics.median(lat) * 1000:.0f} ms, "
        f"max {lat[-1] * 1000:.0f} ms; load average at start {load}"
    )


if __name__ == "__main__":
    main()
