"""Reads: ``GET /v1/articles/{id}/entities`` req/s and p50/p99 at 32 concurrent clients,
newsmeta against its ceiling: a Litestar + asyncpg app serving the same bytes with one
primary-key lookup.

Run by hand: ``.venv/bin/python bench/reads.py [--seconds 10] [--rounds 2] [--articles 20]``
(needs ``wrk``: ``apt-get install -y wrk``).

Starts its own embedded Postgres (private tmp dir), extracts ``--articles`` devset texts
into it in this process, then, ``--rounds`` times and alternating, serves the same data with
the ceiling app and with ``newsmeta serve --workers 0`` (each one uvicorn process on a free
127.0.0.1 port, no rate limit, newsmeta with an API key as clients would use it; then also
with auth off, and with auth off and no access log, to show what those cost) and loads
each with ``wrk -t2 -c32 --latency`` cycling over the articles' URLs. Reported: each round,
and the ratio of the medians. ``--ceiling-app`` is how the bench starts the ceiling.
Before timing, the bench checks that both answer every URL with the same bytes.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

from _local import (
    admin_key,
    devset_texts,
    embedded_database,
    free_port,
    load_now,
    machine,
    newsmeta_serve,
    process,
    profiled,
)

# The ceiling: the same stack serving the same bytes with one primary-key lookup.
CEILING_SQL = "SELECT head, items FROM article_results WHERE article_id = $1 AND kind = 'entities'"


async def _no_reset(conn: Any) -> None:
    return None


def ceiling_app(database_url: str) -> Any:
    """Litestar + asyncpg, one route, one primary-key lookup of the stored page, its bytes
    sent as they are; no auth, no logging, no metrics, no paging logic."""
    import asyncpg
    from litestar import Litestar, Response, get

    pools: list[asyncpg.Pool] = []

    async def start() -> None:
        # A no-op reset: asyncpg's default reset is a second query per request,
        # and the ceiling is one lookup (newsmeta skips that reset too: service/db.py).
        pools.append(
            await asyncpg.create_pool(database_url, min_size=2, max_size=10, reset=_no_reset)
        )

    async def stop() -> None:
        await pools[0].close()

    @get("/v1/articles/{article_id:uuid}/entities")
    async def entities(article_id: uuid.UUID) -> Response[bytes]:
        row = await pools[0].fetchrow(CEILING_SQL, article_id)
        body = row["head"] + row["items"] + b'],"next_cursor":null}'
        return Response(body, media_type="application/json")

    return Litestar(
        [entities],
        on_startup=[start],
        on_shutdown=[stop],
        signature_namespace={"Response": Response},
    )


def serve_ceiling(database_url: str, port: int) -> None:
    import uvicorn

    uvicorn.run(
        ceiling_app(database_url),
        host="127.0.0.1",
        port=port,
        access_log=False,
        log_level="warning",
    )


async def seed(database_url: str, count: int) -> list[str]:
    """``count`` devset articles submitted and extracted (in this process)."""
    from service.db import create_pool
    from service.settings import load_settings
    from service.store import articles
    from service.store.articles import NewArticle
    from service.worker.runner import Worker

    pool = await create_pool(database_url, min_size=1, max_size=2)
    try:
        async with pool.acquire() as conn, conn.transaction():
            stored = await articles.submit_many(
                conn, [NewArticle(text=t) for t in devset_texts()[:count]]
            )
        worker = Worker(pool, load_settings({}))
        while await worker.run_once():
            pass
    finally:
        await pool.close()
    return [str(a.id) for a, _ in stored]


# newsmeta as deployed (auth on, info logging: one access line a request), and without
# the parts the baseline does not have, to show what each costs.
VARIANTS: dict[str, dict[str, str]] = {
    "newsmeta": {},
    "newsmeta, auth off": {"NEWSMETA_AUTH": "off"},
    "newsmeta, auth off, no log": {"NEWSMETA_AUTH": "off", "NEWSMETA_LOG_LEVEL": "warning"},
}

WRK_SCRIPT = """
paths = {%s}
i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(base: str, ids: list[str], seconds: int, headers: dict[str, str]) -> dict[str, float]:
    paths = ", ".join(f'"/v1/articles/{i}/entities"' for i in ids)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="newsmeta-bench-") as script:
        script.write(WRK_SCRIPT % paths)
        script.flush()
        cmd = ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "-s", script.name]
        for name, value in headers.items():
            cmd += ["-H", f"{name}: {value}"]
        out = subprocess.run(
            [*cmd, base], capture_output=True, text=True, check=True, timeout=seconds + 60
        ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out)[1])  # type: ignore[index]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out)[1])  # type: ignore[index]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if bad:
        sys.exit(f"{base}: {bad[1]} non-2xx answers\n{out}")
    return {"rps": rps, "p50": p50, "p99": p99}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10, help="per wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each, alternating")
    parser.add_argument("--articles", type=int, default=20, help="extracted articles to read")
    parser.add_argument(
        "--profile", help="py-spy newsmeta in an extra, untimed run after the last, to this file"
    )
    parser.add_argument("--ceiling-app", nargs=2, metavar=("DATABASE_URL", "PORT"))
    args = parser.parse_args()
    if args.ceiling_app:
        serve_ceiling(args.ceiling_app[0], int(args.ceiling_app[1]))
        return
    print(f"machine: {machine()}")
    results: dict[str, list[dict[str, float]]] = {"ceiling": [], **{v: [] for v in VARIANTS}}
    with embedded_database() as url:
        ids = asyncio.run(seed(url, args.articles))
        key = admin_key(url)
        print(f"seeded {len(ids)} extracted articles; load average {load_now()}")
        for round_ in range(args.rounds):
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            cmd = [sys.executable, str(Path(__file__)), "--ceiling-app", url, str(port)]
            with process(cmd, ready=None) as proc:
                _wait_http(f"{base}/v1/articles/{ids[0]}/entities", proc)
                run_wrk(base, ids, 2, {})  # warm-up
                ceiling_bodies = _bodies(base, ids, {})
                results["ceiling"].append(run_wrk(base, ids, args.seconds, {}))
            for variant, env in VARIANTS.items():
                with newsmeta_serve(url, workers=0, env=env) as (base, server):
                    auth = {"Authorization": f"Bearer {key}"}
                    run_wrk(base, ids, 2, auth)
                    if _bodies(base, ids, auth) != ceiling_bodies:
                        sys.exit(f"{variant} and the ceiling answer with different bytes")
                    results[variant].append(run_wrk(base, ids, args.seconds, auth))
                    if args.profile and round_ == args.rounds - 1 and variant == "newsmeta":
                        # py-spy stops the process to sample it: an extra run, not timed
                        with profiled(server.pid, args.profile):
                            run_wrk(base, ids, args.seconds, auth)
            for name in results:
                r = results[name][-1]
                print(
                    f"round {round_ + 1} {name:28}: {r['rps']:8.0f} req/s  p50 {r['p50']:6.1f} ms"
                    f"  p99 {r['p99']:6.1f} ms  (load average {load_now()})"
                )
    med = {n: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for n, rs in results.items()}
    for variant in VARIANTS:
        ratio = med[variant]["rps"] / med["ceiling"]["rps"]
        print(f"  {variant}: ratio {ratio:.2f}, p99 {med[variant]['p99']:.1f} ms")
    print(
        f"reads: newsmeta {med['newsmeta']['rps']:.0f} req/s, p50 {med['newsmeta']['p50']:.1f} ms,"
        f" p99 {med['newsmeta']['p99']:.1f} ms; ceiling {med['ceiling']['rps']:.0f} req/s,"
        f" p50 {med['ceiling']['p50']:.1f} ms, p99 {med['ceiling']['p99']:.1f} ms;"
        f" ratio {med['newsmeta']['rps'] / med['ceiling']['rps']:.2f}"
        f" (medians of {args.rounds} rounds, 32 connections, {args.seconds} s each)"
    )


def _bodies(base: str, ids: list[str], headers: dict[str, str]) -> list[bytes]:
    import httpx

    return [
        httpx.get(f"{base}/v1/articles/{i}/entities", headers=headers, timeout=10).content
        for i in ids
    ]


def _wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    import time

    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the ceiling app exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    sys.exit(f"{url} did not answer within {timeout:.0f} s")


if __name__ == "__main__":
    main()
