"""The access line as the request formats it (``service/logs.py``): structlog's keys, in
order, with the timestamp of the moment and keys masked."""

from __future__ import annotations

import json
import time

from service.logs import AccessLog, _access_line, _Line


def _line(at: float, route: str = "/v1/articles/{article_id}") -> dict[str, object]:
    line = _Line("GET", route, 200, 1.5, "request", "rid", "info")
    return json.loads(_access_line(at, line))  # type: ignore[no-any-return]


def test_keys_order_and_timestamps() -> None:
    at = 1_700_000_000.25
    line = _line(at)
    assert list(line) == [
        "method", "route", "status", "ms", "event", "request_id", "level", "timestamp",
    ]  # fmt: skip
    assert line["event"] == "request" and line["level"] == "info" and line["request_id"] == "rid"
    for t in (at, at + 0.5, at + 1.0, at + 61.75, at - 3600.9):  # same second, next, others
        expected = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t % 1 * 1e6):06d}Z"
        assert _line(t)["timestamp"] == expected


def test_keys_in_paths_are_masked() -> None:
    key = "nm_" + "A1b2C3d4" * 5 + "xyz"
    access = AccessLog()
    access.levels = frozenset({"info"})  # JSON lines, queued (no writer thread here)
    access.line("info", "rid", "GET", f"/x/{key}", 404, 0.3)
    text = access._queue.get_nowait()
    assert text is not None and text.endswith("\n")
    assert key not in text
    assert "nm_A1b2…" in json.loads(text)["route"]
