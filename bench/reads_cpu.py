"""Reads, CPU per request: ``GET /v1/articles/{id}/entities`` through the ASGI apps called
directly in this process (no HTTP, no ``wrk``), newsmeta against the ceiling of
``bench/reads.py``, and newsmeta without each of its parts, to say what each costs.

Run by hand: ``.venv/bin/python bench/reads_cpu.py [--requests 3200] [--rounds 3]``.

CPU time of this process (``time.process_time``) per request, 8 requests at a time, the
contenders alternating each round; the median round is reported, and the median of each
round's ratio to the ceiling. CPU time is what a busy
machine does not move much, unlike ``wrk``'s requests per second: the figures to compare
on the shared 2-core machine. newsmeta runs as deployed (API key, JSON access log,
multiprocess Prometheus metrics, a rate limit too high to refuse anything); the variants
drop one part each. Starts its own embedded Postgres (private tmp dir).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from typing import Any

from _local import admin_key, embedded_database, load_now, machine

Scope = dict[str, Any]


async def call(app: Any, path: str, headers: list[tuple[bytes, bytes]]) -> None:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 80),
        "state": {},
    }
    await app(scope, receive, send)
    if sent[0]["status"] != 200:
        raise SystemExit(f"{path}: {sent}")


async def start(app: Any) -> None:
    """Run the app's lifespan start-up (its pool, the key listener), left running."""
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    await inbox.put({"type": "lifespan.startup"})
    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    asyncio.get_running_loop().create_task(app(scope, inbox.get, outbox.put))
    message = await outbox.get()
    if message["type"] != "lifespan.startup.complete":
        raise SystemExit(f"start-up failed: {message}")


class Quiet:
    """The app with its access lines below the log level (none written)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        from service.logs import ACCESS

        levels, ACCESS.levels = ACCESS.levels, frozenset({"error"})
        try:
            await self.app(scope, receive, send)
        finally:
            ACCESS.levels = levels


async def run(url: str, ids: list[str], key: str, requests: int, rounds: int) -> None:
    from reads import ceiling_app

    from service.api import httpmetrics
    from service.api.app import create_app
    from service.logs import configure_logging
    from service.settings import load_settings

    configure_logging("info", "json")

    def app(**env: str) -> Any:
        return create_app(load_settings({"NEWSMETA_RATE_LIMIT": "1000000000", **env}), url)

    apps = {
        "ceiling": ceiling_app(url),
        "newsmeta": app(),
        "newsmeta, no rate limit": app(NEWSMETA_RATE_LIMIT="0"),
        "newsmeta, auth off": app(NEWSMETA_AUTH="off"),
        "newsmeta, no access log": Quiet(app()),
        "newsmeta, no HTTP metrics": app(),
    }
    for a in apps.values():
        await start(getattr(a, "app", a))
    await asyncio.sleep(1.0)  # the key listener is up: keys are cached as in production
    headers = [(b"host", b"bench"), (b"authorization", f"Bearer {key}".encode())]
    paths = [f"/v1/articles/{i}/entities" for i in ids]
    metered: Any = httpmetrics.HttpStats.record

    def unmetered(self: Any, *_: Any) -> None:
        return None

    cpu: dict[str, list[float]] = {name: [] for name in apps}
    for _ in range(rounds):
        for name, a in apps.items():
            # The requests are counted (the in-progress set), not summed for Prometheus.
            recorder = unmetered if name.endswith("no HTTP metrics") else metered
            setattr(httpmetrics.HttpStats, "record", recorder)  # noqa: B010
            for p in paths:  # warm: caches, statements, pool connections
                await call(a, p, headers)
            started = time.process_time()
            for k in range(requests // 8):
                await asyncio.gather(
                    *(call(a, paths[(k * 8 + j) % len(paths)], headers) for j in range(8))
                )
            cpu[name].append((time.process_time() - started) / (requests // 8 * 8) * 1e6)
    setattr(httpmetrics.HttpStats, "record", metered)  # noqa: B010
    for name, values in cpu.items():
        med = statistics.median(values)
        rounds_text = " ".join(f"{v:.0f}" for v in values)
        # Each round's contenders ran back to back: the ratio within a round is what other
        # load on the machine moves least.
        ratio = statistics.median(c / v for c, v in zip(cpu["ceiling"], values, strict=True))
        print(
            f"{name:28}: {med:6.0f} µs CPU a request (rounds: {rounds_text});"
            f" ceiling / this {ratio:.2f} (median of the rounds' ratios)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3200, help="per contender and round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--articles", type=int, default=5, help="extracted articles to read")
    args = parser.parse_args()
    # Metrics as `newsmeta serve` keeps them (a directory shared by its processes).
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="newsmeta-bench-"))
    from reads import seed

    print(f"machine: {machine()}")
    with embedded_database() as url:
        ids = asyncio.run(seed(url, args.articles))
        key = admin_key(url)
        print(f"seeded {len(ids)} extracted articles; load average {load_now()}")
        asyncio.run(run(url, ids, key, args.requests, args.rounds))
    print(f"load average {load_now()}")


if __name__ == "__main__":
    main()
