"""Metrics and request ids.

Metrics are Prometheus, served at ``GET /metrics``:

* HTTP requests (count, latency histogram, in progress) by route template and status, as
  Litestar's Prometheus middleware kept them (``newsmeta_requests_total`` and friends):
  plain counters in ``service/api/httpmetrics.py``, moved to Prometheus values when read.
* Worker metrics (extraction duration, articles per worker and outcome) are recorded in the
  worker processes. ``newsmeta serve`` sets ``PROMETHEUS_MULTIPROC_DIR`` (under the data dir)
  for itself and its worker children, so the API's ``/metrics`` shows every process (see
  ``service/api/metricsdir.py``). Without that variable (tests, one process) the default
  registry is served.
* Queue depth by status and the API's database pool usage are read at scrape time: the
  queue from the database (cached for a second), the pool from ``asyncpg.Pool``.

Request ids: ``service/api/edge.py`` takes ``X-Request-ID`` (or makes one), binds it to
every log line of the request, echoes it in the response and writes one access line (queued
for a thread: ``service.logs.AccessLog``).
"""

from __future__ import annotations

import os
import random
import re
import time
from collections.abc import Iterator

import asyncpg
from litestar import Controller, Response
from litestar.datastructures import State
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from service.api.handlers import get
from service.api.httpmetrics import STATS
from service.api.metricsdir import MULTIPROC_ENV

STATUSES = ("queued", "processing", "done", "failed")

# --- worker metrics (recorded in worker processes) --------------------------------------

EXTRACTION_SECONDS = Histogram(
    "newsmeta_extraction_duration_seconds",
    "Time to extract one article in a worker (NLP only, without the database write)",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120),
)
WORKER_ARTICLES = Counter(
    "newsmeta_worker_articles",
    "Articles handled by a worker, by worker (process id) and outcome: processed, "
    "retry (failed, queued again), failed (gave up), released (shutdown), lost (lease lost)",
    ["worker", "outcome"],
)


def worker_label() -> str:
    return str(os.getpid())


def count_article(outcome: str) -> None:
    WORKER_ARTICLES.labels(worker_label(), outcome).inc()


# --- scrape-time gauges ------------------------------------------------------------------


class QueueDepth:
    """``SELECT status, count(*)`` at most once a second, shared by concurrent scrapes."""

    def __init__(self, ttl: float = 1.0) -> None:
        self.ttl = ttl
        self._at = -1e9
        self._counts: dict[str, int] = {}

    async def read(self, pool: asyncpg.Pool) -> dict[str, int]:
        now = time.monotonic()
        if now - self._at >= self.ttl:
            rows = await pool.fetch("SELECT status, count(*) AS n FROM articles GROUP BY status")
            self._counts = {s: 0 for s in STATUSES} | {r["status"]: r["n"] for r in rows}
            self._at = now
        return self._counts


class _Fixed(Collector):
    def __init__(self, metrics: list[Metric]) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Metric]:
        yield from self.metrics


class _Default(Collector):
    """The process's default registry (used when not in multiprocess mode)."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def _live_metrics(queue: dict[str, int] | None, pool: asyncpg.Pool | None) -> list[Metric]:
    metrics: list[Metric] = []
    if queue is not None:
        depth = GaugeMetricFamily(
            "newsmeta_queue_articles", "Articles by processing status", labels=["status"]
        )
        for status, n in sorted(queue.items()):
            depth.add_metric([status], n)
        metrics.append(depth)
    if pool is not None:
        size, idle = pool.get_size(), pool.get_idle_size()
        for name, doc, value in (
            ("newsmeta_db_pool_size", "Connections open in the API's pool", size),
            ("newsmeta_db_pool_idle", "Idle connections in the API's pool", idle),
            ("newsmeta_db_pool_in_use", "Connections in use in the API's pool", size - idle),
            ("newsmeta_db_pool_max", "Maximum size of the API's pool", pool.get_max_size()),
        ):
            metrics.append(GaugeMetricFamily(name, doc, value=value))
    return metrics


def render_metrics(queue: dict[str, int] | None, pool: asyncpg.Pool | None) -> bytes:
    STATS.flush()  # this process's requests up to now
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Default())
    registry.register(_Fixed(_live_metrics(queue, pool)))
    return generate_latest(registry)


class MetricsController(Controller):
    path = "/metrics"
    tags = ("operations",)

    @get(
        "/",
        summary="Prometheus metrics",
        description="Prometheus text exposition format (see docs/operations.md).",
        media_type=CONTENT_TYPE_LATEST,
    )
    async def metrics(self, state: State) -> Response[bytes]:
        pool: asyncpg.Pool | None = getattr(state, "pool", None)
        queue: dict[str, int] | None = None
        if pool is not None:
            depth: QueueDepth = state.setdefault("queue_depth", QueueDepth())
            try:
                queue = await depth.read(pool)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError):
                queue = None  # the database is down: serve the rest
        return Response(
            render_metrics(queue, pool), media_type=CONTENT_TYPE_LATEST, status_code=200
        )


# --- request ids -------------------------------------------------------------------------

_SAFE_ID = re.compile(r"[A-Za-z0-9._:/+=@-]{1,128}")


def request_id_from(value: str | None) -> str:
    """The client's id when it is short and plain; otherwise a new one."""
    if value and _SAFE_ID.fullmatch(value):
        return value
    # Not uuid4: os.urandom costs ~25 µs a call on some VMs; an id need not be a secret.
    return f"{random.getrandbits(128):032x}"
