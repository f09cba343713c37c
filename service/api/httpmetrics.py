"""HTTP request metrics: plain counters on the request path, Prometheus values when read.

The series are those Litestar's Prometheus middleware kept (``PrometheusConfig`` with prefix
``newsmeta``, ``group_path``, ``/metrics`` excluded): ``newsmeta_requests_total``,
``newsmeta_request_duration_seconds`` (default buckets), ``newsmeta_requests_in_progress``
(``livesum``) and ``newsmeta_requests_error_total`` (status >= 500), labelled ``method``,
``path`` (the route template), ``status_code`` and ``app_name``; counted for requests that
were routed to a handler, timed from the middleware until the last body message.

Why not ``prometheus_client`` per request: in multiprocess mode every ``inc``/``observe``
takes a lock, checks the pid and writes the memory-mapped file; four or five of them were
~20 µs of a ~190 µs read. Here a request adds to a list in a dict (~1 µs); the sums go to
the Prometheus values (and so to this process's files, read by whichever process serves
``/metrics``) before every scrape in this process and at most a second after a request
(``FLUSH_EVERY``). ``newsmeta serve`` serves ``/metrics`` from its one API process, the one
that counts, so a scrape always sees every finished request. Requests in progress are the
routed requests running at flush time.
"""

from __future__ import annotations

import bisect
import time
from collections import Counter as Tally
from typing import Any

from prometheus_client import Counter, Gauge, Histogram

APP_NAME = "newsmeta"
LABELS = ("method", "path", "status_code", "app_name")
EXCLUDED = "/metrics"  # Litestar's exclude pattern: any path containing it
FLUSH_EVERY = 1.0  # seconds a finished request may wait before its Prometheus values move

REQUESTS = Counter("newsmeta_requests_total", "Total requests", LABELS)
DURATION = Histogram("newsmeta_request_duration_seconds", "Request duration, in seconds", LABELS)
IN_PROGRESS = Gauge(
    "newsmeta_requests_in_progress",
    "Total requests currently in progress",
    LABELS,
    multiprocess_mode="livesum",
)
ERRORS = Counter("newsmeta_requests_error_total", "Total errors in requests", LABELS)

Key = tuple[str, str, int]  # method, route template, status


class HttpStats:
    """Finished requests summed per (method, route, status) until the next flush, and the
    scopes of the requests running now."""

    def __init__(self, buckets: tuple[float, ...] = Histogram.DEFAULT_BUCKETS) -> None:
        self.bounds = tuple(float(b) for b in buckets)  # the last is +Inf, as in Histogram
        self.running: dict[int, Any] = {}  # id(scope) -> scope
        self._pending: dict[Key, list[Any]] = {}  # key -> [count, seconds, per bucket...]
        self._flushed_at = time.perf_counter()
        self._progress_shown: set[tuple[str, str]] = set()

    def record(self, method: str, path: str, status: int, seconds: float, now: float) -> None:
        """``now``: ``time.perf_counter()``."""
        row = self._pending.get((method, path, status))
        if row is None:
            row = self._pending[method, path, status] = [0, 0.0] + [0] * len(self.bounds)
        row[0] += 1
        row[1] += seconds
        row[2 + bisect.bisect_left(self.bounds, seconds)] += 1  # first bound >= seconds
        if now - self._flushed_at >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        """Add what finished since the last flush to the Prometheus values; set the gauge."""
        self._flushed_at = time.perf_counter()
        pending, self._pending = self._pending, {}
        for (method, path, status), row in pending.items():
            labels = (method, path, str(status), APP_NAME)
            REQUESTS.labels(*labels).inc(row[0])
            if status >= 500:
                ERRORS.labels(*labels).inc(row[0])
            histogram = DURATION.labels(*labels)
            # What `observe` does for each request, summed: the buckets are stored one by
            # one (not cumulative) and the sum apart (tests/ops/test_http_metrics.py).
            histogram._sum.inc(row[1])
            for bucket, n in zip(histogram._buckets, row[2:], strict=True):
                if n:
                    bucket.inc(n)
        progress = Tally(
            (scope["method"], scope["path_template"])
            for scope in self.running.values()
            if counted(scope)
        )
        for method, path in self._progress_shown - progress.keys():
            IN_PROGRESS.labels(method, path, "200", APP_NAME).set(0)
        for (method, path), n in progress.items():
            IN_PROGRESS.labels(method, path, "200", APP_NAME).set(n)
        self._progress_shown = set(progress)


def counted(scope: Any) -> bool:
    """Routed to a handler and not excluded (Litestar's rule: the pattern is searched in the
    path the handler sees, the raw path for a mounted app)."""
    handler = scope.get("route_handler")
    if handler is None or "path_template" not in scope:
        return False
    path = scope["raw_path"].decode() if getattr(handler, "is_mount", False) else scope["path"]
    return EXCLUDED not in path


STATS = HttpStats()  # one per process, as the Prometheus values are
