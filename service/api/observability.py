"""Metrics and request ids.

Metrics are Prometheus, served at ``GET /metrics``:

* HTTP requests (count, latency histogram, in progress) by route template and status come
  from Litestar's Prometheus middleware (``newsmeta_requests_total`` and friends).
* Worker metrics (extraction duration, articles per worker and outcome) are recorded in the
  worker processes. ``newsmeta serve`` sets ``PROMETHEUS_MULTIPROC_DIR`` (under the data dir)
  for itself and its worker children, so the API's ``/metrics`` shows every process (see
  ``service/api/metricsdir.py``). Without that variable (tests, one process) the default
  registry is served.
* Queue depth by status and the API's database pool usage are read at scrape time: the
  queue from the database (cached for a second), the pool from ``asyncpg.Pool``.

Request ids: :class:`RequestIdMiddleware` takes ``X-Request-ID`` (or makes one), binds it to
every log line of the request, echoes it in the response and writes one access line (queued
for a thread: ``service.logs.AccessLog``). It logs the method, route and status, never
headers, query strings or bodies.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections.abc import Iterator
from typing import Any, ClassVar

import asyncpg
import structlog
from litestar import Controller, Response, get
from litestar.datastructures import MutableScopeHeaders, State
from litestar.enums import ScopeType
from litestar.plugins.prometheus import PrometheusMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
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

from service.api.metricsdir import MULTIPROC_ENV
from service.logs import ACCESS

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


# --- HTTP metrics ------------------------------------------------------------------------


class HttpMetrics(PrometheusMiddleware):
    """Litestar's Prometheus middleware (same metrics, labels and values) with each labelled
    series looked up once per process instead of on every request (``labels()`` validates
    and locks; it was most of what the middleware cost), by a plain tuple, and a send
    wrapper without ``functools.wraps``. Extra labels, exemplars and
    excluded methods are not used here."""

    _series: ClassVar[dict[tuple[str, str, str, int], Any]] = {}

    def _one(self, kind: str, method: str, path: str, status: int) -> Any:
        series = self._series.get((kind, method, path, status))
        if series is None:
            labels = {
                "method": method,
                "path": path,
                "status_code": status,
                "app_name": self._config.app_name,
            }
            metric = getattr(self, kind)(labels)
            series = self._series[kind, method, path, status] = metric.labels(*labels.values())
        return series

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope["method"] if scope["type"] == ScopeType.HTTP else scope["type"]
        path = scope["path_template"] if self._config.group_path else scope["path"]
        started = time.perf_counter()
        span: list[Any] = [200, 0.0]  # status, duration (until the last body message)

        async def timed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                span[0] = message["status"]
            elif message["type"] == "http.response.body":
                span[1] = time.perf_counter() - started
            await send(message)

        progress = self._one("requests_in_progress", method, path, 200)
        progress.inc()
        try:
            await self.app(scope, receive, timed_send)
        finally:
            progress.dec()
            status, duration = span
            if status >= 500:
                self._one("requests_error_count", method, path, status).inc()
            self._one("request_count", method, path, status).inc()
            self._one("request_time", method, path, status).observe(duration)


# --- request ids -------------------------------------------------------------------------

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_ID = re.compile(r"[A-Za-z0-9._:/+=@-]{1,128}")
_QUIET = ("/health", "/metrics")


def request_id_from(value: str | None) -> str:
    """The client's id when it is short and plain; otherwise a new one."""
    if value and _SAFE_ID.fullmatch(value):
        return value
    # Not uuid4: os.urandom costs ~25 µs a call on some VMs; an id need not be a secret.
    return f"{random.getrandbits(128):032x}"


class RequestIdMiddleware:
    """Outermost middleware: a request id for every log line, echoed; one access line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = None
        for name, value in scope.get("headers", ()):
            if name == b"x-request-id":
                given = value.decode("latin-1")
                break
        request_id = request_id_from(given)
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableScopeHeaders.from_message(message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                path: str = scope.get("path", "")
                route = scope.get("path_template") or path
                fields = {
                    "method": scope.get("method"),
                    "route": route,
                    "status": status,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                }
                ACCESS.line("debug" if path.startswith(_QUIET) else "info", request_id, fields)
