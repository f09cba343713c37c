"""Structured logs: one JSON object a line (or readable console lines for development)."""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

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


def configure_logging(level: str = "info", fmt: str = "json") -> None:
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
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
    logging.captureWarnings(True)  # Python warnings become log lines too, not raw stderr text
    # httpx logs each request at INFO with its full URL (a webhook's credentials and token).
    for noisy in ("alembic", "pgserver", "uvicorn.access", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
