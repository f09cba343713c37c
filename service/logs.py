"""Structured logs: one JSON object a line (or readable console lines for development)."""

from __future__ import annotations

import atexit
import contextvars
import logging
import queue
import re
import sys
import threading
import time
from typing import Any

import msgspec
import structlog

# An API key (``nm_`` and 43 URL-safe characters) never reaches a log line, even inside an
# exception message or a library's line: it is masked after its prefix.
_KEY = re.compile(r"\bnm_([A-Za-z0-9_-]{4})[A-Za-z0-9_-]{20,}")


def _mask(value: Any) -> Any:
    if isinstance(value, str) and "nm_" in value:
        return _KEY.sub(r"nm_\1…", value)
    return value


def redact_keys(_: Any, __: str, event: structlog.types.EventDict) -> structlog.types.EventDict:
    for name, value in event.items():
        event[name] = _mask(value)
    return event


class AccessLog:
    """The one JSON line per request, at under a microsecond on the request's path.

    The request queues its fields (a msgspec struct with the keys structlog would write, in
    its order: method, route, status, ms, event, request_id, level, timestamp) and the time;
    a thread stamps and encodes what has accumulated in one msgspec call and writes it,
    every 50 ms at most (~0.5 µs a line). Formatting the batch with structlog in the thread
    held the GIL in bursts of milliseconds: p99 of a read rose from 19 ms to 59 ms at 32
    connections (bench/reads.py). With console logs, or before ``configure_logging``, lines
    go through structlog as any other."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[tuple[float, _Line] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self.levels: frozenset[str] = frozenset()  # empty: through structlog
        self._fallback = structlog.get_logger("newsmeta.access")

    def start(self, level: str, fmt: str) -> None:
        order = ["debug", "info", "warning", "error"]
        self.levels = frozenset(order[order.index(level) :]) if fmt == "json" else frozenset()
        if self.levels and self._thread is None:
            self._thread = threading.Thread(target=self._write, name="access-log", daemon=True)
            self._thread.start()
            atexit.register(self.stop)

    def line(
        self, level: str, request_id: str, method: str | None, route: str, status: int, ms: float
    ) -> None:
        if not self.levels:
            log = getattr(self._fallback, level)
            log("request", method=method, route=route, status=status, ms=ms)
        elif level in self.levels:
            line = _Line(_mask(method), _mask(route), status, ms, "request", request_id, level)
            self._queue.put((time.time(), line))

    def stop(self) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join(5)

    def _write(self) -> None:
        out = sys.stderr
        while True:
            item = self._queue.get()  # idle: asleep until a line comes
            # Then let lines gather: one wake-up of this thread per batch, not per request
            # (each wake-up takes the GIL from the event loop; per request it cost a quarter
            # of the API's samples under load).
            time.sleep(_BATCH_SECONDS)
            lines = []
            while item is not None:
                lines.append(item)
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            if lines:
                out.write(_render(lines))
                out.flush()
            if item is None:
                return


_BATCH_SECONDS = 0.05  # how late an access line may be written


class _Line(msgspec.Struct):
    """An access line: structlog's keys in structlog's order (encoded from a struct: half
    the time of a dict)."""

    method: str | None
    route: str
    status: int
    ms: float
    event: str
    request_id: str
    level: str
    timestamp: str = ""


_second: tuple[int, str] = (-1, "")  # the last whole second formatted, and its text


_encode_lines = msgspec.json.Encoder().encode_lines


def _render(batch: list[tuple[float, _Line]]) -> str:
    """The batch's lines, stamped and encoded in one msgspec call (in the writer thread:
    ~0.5 µs a line, so a 50 ms batch holds the GIL well under a millisecond)."""
    global _second
    for at, line in batch:
        if int(at) != _second[0]:  # strftime once a second, not once a line
            _second = (int(at), time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(at)))
        line.timestamp = f"{_second[1]}.{int(at % 1 * 1e6):06d}Z"
    return _encode_lines([line for _, line in batch]).decode()


ACCESS = AccessLog()

# The id of the request being served (service/api/edge.py), on every log line it causes.
# One context variable set and reset by the request: structlog's bind_contextvars and
# reset_contextvars cost ~1 µs a request for the same effect.
REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "newsmeta_request_id", default=None
)


def add_request_id(_: Any, __: str, event: structlog.types.EventDict) -> structlog.types.EventDict:
    """Right after ``merge_contextvars``, and as it would (``setdefault``): a ``request_id``
    given to the log call wins."""
    request_id = REQUEST_ID.get()
    if request_id is not None:
        event.setdefault("request_id", request_id)
    return event


def configure_logging(level: str = "info", fmt: str = "json") -> None:
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        add_request_id,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, redact_keys, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )
    # Libraries log through the standard library; render their lines the same way.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                redact_keys,
                renderer,
            ],
            foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    ACCESS.start(level, fmt)
    logging.captureWarnings(True)  # Python warnings become log lines too, not raw stderr text
    # httpx logs each request at INFO with its full URL (a webhook's credentials and token).
    for noisy in ("alembic", "pgserver", "uvicorn.access", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
