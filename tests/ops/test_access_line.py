"""The access line as the request formats it (``service/logs.py``): structlog's keys, in
order, with the timestamp of the moment and keys masked."""

from __future__ import annotations

import json
import time
from typing import Any

from service.api.edge import Edge
from service.logs import REQUEST_ID, AccessLog, _Line, _render, add_request_id


def _line(at: float, route: str = "/v1/articles/{article_id}") -> dict[str, object]:
    line = _Line("GET", route, 200, 1.5, "request", "rid", "info")
    return json.loads(_render([(at, line)]))  # type: ignore[no-any-return]


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
    item = access._queue.get_nowait()
    assert item is not None
    text = _render([item])
    assert text.endswith("\n") and text.count("\n") == 1
    assert key not in text
    assert "nm_A1b2…" in json.loads(text)["route"]


async def test_the_request_id_is_on_the_lines_of_its_request_only() -> None:
    seen: list[str | None] = []

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        seen.append(REQUEST_ID.get())
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    sent: list[Any] = []

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/x", "headers": [(b"x-request-id", b"r-1")]}
    await Edge(inner, None)(scope, None, send)  # type: ignore[arg-type]
    assert seen == ["r-1"] and REQUEST_ID.get() is None
    assert (b"x-request-id", b"r-1") in sent[0]["headers"]
    # As structlog's merge_contextvars would: a request_id given to the call wins.
    token = REQUEST_ID.set("r-2")
    try:
        assert add_request_id(None, "info", {"event": "e"}) == {"event": "e", "request_id": "r-2"}
        given = {"event": "e", "request_id": "mine"}
        assert add_request_id(None, "info", dict(given)) == given
    finally:
        REQUEST_ID.reset(token)
    assert add_request_id(None, "info", {"event": "e"}) == {"event": "e"}
