"""The outermost middleware: request id, rate limit, HTTP metrics and the access line.

Around the router, so unknown paths and refusals get a request id and an access line too.
One wrapper of ``send`` does what three middlewares each did with their own (request id and
access log, rate limit, Litestar's Prometheus middleware): on a read of ~100 µs of Python
each layer and its header edits were a few µs.

* ``X-Request-ID``: the client's when short and plain, else a new one; bound to every log
  line of the request and echoed.
* The rate limit (``service/api/ratelimit.py``), unless ``/health``, ``/metrics`` or
  ``/schema``: ``RateLimit-Limit`` and ``RateLimit-Remaining``, or 429.
* Metrics of routed requests (``service/api/httpmetrics.py``).
* One access line: method, route, status, ms; never headers, query strings or bodies.
"""

from __future__ import annotations

import time
from typing import Any, cast

from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send

from service.api.httpmetrics import STATS, HttpStats, counted
from service.api.observability import request_id_from
from service.api.ratelimit import EXEMPT, RateLimit
from service.logs import ACCESS, REQUEST_ID

_QUIET = ("/health", "/metrics")  # access lines at debug level


class Edge:
    def __init__(self, app: ASGIApp, limit: RateLimit | None, stats: HttpStats = STATS) -> None:
        self.app = app
        self.limit = limit
        self.stats = stats

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope = cast("HTTPScope", scope)
        started = time.perf_counter()
        given = None
        for name, value in scope.get("headers", ()):
            if name == b"x-request-id":
                given = value.decode("latin-1")
                break
        request_id = request_id_from(given)
        scope.setdefault("state", {})["request_id"] = request_id
        path: str = scope.get("path", "")
        extra = [(b"x-request-id", request_id.encode("latin-1"))]
        limit, unproven, wait = self.limit, None, None
        if limit is not None and not path.startswith(EXEMPT):
            allowed, wait, left, unproven = limit.admit(scope)
            if allowed:
                wait = None
                extra = [
                    limit.limit_header,
                    (b"ratelimit-remaining", str(left).encode()),
                    *extra,
                ]
        span: list[Any] = [500, 0.0]  # status (500 unless a response starts), last body at

        async def send_edge(message: Message) -> None:
            if message["type"] == "http.response.start":
                span[0] = message["status"]
                _set_headers(message, extra)  # type: ignore[arg-type]
            elif message["type"] == "http.response.body":
                span[1] = time.perf_counter()
            await send(message)

        running = self.stats.running
        running[id(scope)] = scope
        token = REQUEST_ID.set(request_id)
        try:
            if wait is None:
                await self.app(scope, receive, send_edge)
            else:
                await limit.refuse(send_edge, wait)  # type: ignore[union-attr]
        finally:
            del running[id(scope)]
            if limit is not None and wait is None:
                limit.settle(unproven)
            now = time.perf_counter()
            status = span[0]
            if counted(scope):
                seconds = span[1] - started if span[1] else 0.0
                self.stats.record(scope["method"], scope["path_template"], status, seconds, now)
            path = scope.get("path", "")  # the router's, as the handler saw it
            ACCESS.line(
                "debug" if path.startswith(_QUIET) else "info",
                request_id,
                scope.get("method"),
                scope.get("path_template") or path,
                status,
                round((now - started) * 1000, 1),
            )
            REQUEST_ID.reset(token)


def _set_headers(message: dict[str, Any], pairs: list[tuple[bytes, bytes]]) -> None:
    """Set these headers (lower-case names), replacing any of the same names, as
    ``MutableScopeHeaders.__setitem__`` does one by one."""
    headers = message.setdefault("headers", [])
    if not isinstance(headers, list):
        headers = message["headers"] = list(headers)
    present = {name.lower() for name, _ in headers}
    for name, value in pairs:
        if name in present:
            at = [i for i, (n, _) in enumerate(headers) if n.lower() == name]
            for i in reversed(at[1:]):
                del headers[i]
            headers[at[0]] = (name, value)
        else:
            headers.append((name, value))
