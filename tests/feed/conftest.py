"""Fixtures of the feed and webhook tests: emptied feed tables, workers with short retry
backoff, and a real HTTP receiver on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import asyncpg
import httpx
import msgspec
import pytest

from service.settings import Settings
from service.worker.deliveries import RetryPolicy
from service.worker.runner import Worker

TABLES = "articles, entities, outlets, api_keys, changes, webhooks, webhook_deliveries"
FAST = RetryPolicy(
    base_seconds=0.3, cap_seconds=1.0, max_attempts=30, timeout_seconds=5.0, lease_seconds=10.0
)


@pytest.fixture(scope="session")
def settings(settings: Settings) -> Settings:
    """The receivers of these tests listen on 127.0.0.1, which webhooks may only reach when
    private targets are allowed (as ``make run`` allows them)."""
    return msgspec.structs.replace(settings, webhook_allow_private="on")


@pytest.fixture
async def pool(session_pool: asyncpg.Pool) -> AsyncIterator[asyncpg.Pool]:
    """The test database with the feed and webhooks emptied too, before and after (so no
    webhook of these tests outlives them and calls a closed port from another test)."""
    await session_pool.execute(f"TRUNCATE {TABLES} CASCADE")
    yield session_pool
    await session_pool.execute("TRUNCATE webhooks CASCADE")


class Workers:
    """Real workers running in the background of this test, stopped at its end."""

    def __init__(self, pool: asyncpg.Pool, settings: Settings) -> None:
        self.pool = pool
        self.settings = settings
        self.started: list[tuple[Worker, asyncio.Event, asyncio.Task[None]]] = []

    def start(self, n: int = 1, policy: RetryPolicy = FAST) -> list[Worker]:
        made = []
        for _ in range(n):
            worker = Worker(self.pool, self.settings)
            worker.deliveries.policy = policy
            stop = asyncio.Event()
            self.started.append((worker, stop, asyncio.create_task(worker.run(stop))))
            made.append(worker)
        return made

    async def stop(self) -> None:
        for _, stop, _ in self.started:
            stop.set()
        for _, _, task in self.started:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(task, 30)
        self.started.clear()


@pytest.fixture
async def workers(pool: asyncpg.Pool, settings: Settings) -> AsyncIterator[Workers]:
    started = Workers(pool, settings)
    yield started
    await started.stop()


def free_port() -> int:
    """A port nothing listens on (connections to it are refused until a server binds it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


class Received(msgspec.Struct):
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int


class Receiver:
    """A small HTTP/1.1 server on 127.0.0.1 that records every request and answers with
    the next status of ``statuses`` (200 once they are used up)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.statuses: list[int] = []
        self.requests: list[Received] = []
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/newsmeta?team=desk"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._server.wait_closed(), 5)
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            first, *lines = head.decode("latin-1").split("\r\n")
            method, path, _ = first.split(" ", 2)
            headers = {}
            for line in lines:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0"))
            body = await asyncio.wait_for(reader.readexactly(length), 10)
            status = self.statuses.pop(0) if self.statuses else 200
            self.requests.append(Received(method, path, headers, body, status))
            writer.write(
                f"HTTP/1.1 {status} Whatever\r\nContent-Length: 2\r\n"
                "Content-Type: text/plain\r\nConnection: close\r\n\r\nok".encode()
            )
            await writer.drain()
        except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """Down (connections refused) until the test calls ``start()``."""
    r = Receiver(free_port())
    yield r
    await r.stop()


def signature_ok(secret: str, request: Received, *, max_age: float = 300) -> bool:
    """What docs/feed.md tells receivers to do, written independently of the service."""
    timestamp = request.headers["x-newsmeta-timestamp"]
    scheme, _, given = request.headers["x-newsmeta-signature"].partition("=")
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256
    ).hexdigest()
    fresh = abs(time.time() - int(timestamp)) <= max_age
    return scheme == "sha256" and hmac.compare_digest(expected, given) and fresh


async def eventually(
    check: Callable[[], Awaitable[Any]], *, timeout: float = 120.0, what: str = "condition"
) -> Any:
    """Poll ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(0.1)


async def feed_all(
    client: httpx.AsyncClient, after: str | None = None, limit: int = 500
) -> tuple[list[dict[str, Any]], str]:
    """Everything the feed serves now after ``after``, and the cursor to continue from."""
    items: list[dict[str, Any]] = []
    while True:
        r = await client.get(
            "/v1/changes", params={"limit": limit, **({"after": after} if after else {})}
        )
        assert r.status_code == 200, r.text
        page = r.json()
        items += page["items"]
        after = page["cursor"]
        if page["next_cursor"] is None:
            assert after is not None
            return items, after


async def feed_until(
    client: httpx.AsyncClient, after: str | None, count: int, *, timeout: float = 120.0
) -> tuple[list[dict[str, Any]], str | None]:
    """Page on from ``after`` until ``count`` changes were served (the feed may lag while
    any transaction on the server is open); what was served and the cursor."""
    items: list[dict[str, Any]] = []

    async def enough() -> bool:
        nonlocal after
        more, after = await feed_all(client, after)
        items.extend(more)
        return len(items) >= count

    await eventually(enough, timeout=timeout, what=f"{count} changes in the feed")
    return items, after
