"""Process-level helpers: real ``newsmeta`` subprocesses, their JSON log lines, bounded waits.

Every process started through ``spawn`` runs in its own session and is killed (with its whole
process group) when the test ends, whatever happened; every wait has a timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from service.store.articles import NewArticle, submit_many
from tests.conftest import devset_texts

NEWSMETA = Path(sys.executable).parent / "newsmeta"


def newsmeta_env(**overrides: str | None) -> dict[str, str]:
    """This environment without any newsmeta variable, JSON logs, plus ``overrides``
    (``None`` removes a variable)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "DATABASE_URL" and not k.startswith(("NEWSMETA_", "TEST_DATABASE"))
    }
    env.update(PYTHONUNBUFFERED="1", NEWSMETA_LOG_FORMAT="json", NEWSMETA_LOG_LEVEL="info")
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


class Process:
    """A running ``newsmeta`` command whose stdout and stderr are collected line by line."""

    def __init__(self, args: Sequence[str], env: dict[str, str]) -> None:
        self.args = list(args)
        self.popen = subprocess.Popen(
            [str(NEWSMETA), *args],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: cleanup reaches its children
        )
        self.pid = self.popen.pid
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._readers = [
            threading.Thread(target=_collect, args=(self.popen.stdout, self.stdout), daemon=True),
            threading.Thread(target=_collect, args=(self.popen.stderr, self.stderr), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def logs(self) -> list[dict[str, Any]]:
        """The JSON log lines written to stderr so far."""
        out = []
        for line in list(self.stderr):
            with contextlib.suppress(ValueError):
                obj = json.loads(line)
                if isinstance(obj, dict):
                    out.append(obj)
        return out

    def events(self, name: str) -> list[dict[str, Any]]:
        return [e for e in self.logs() if e.get("event") == name]

    def processed(self) -> list[str]:
        """Ids of the articles this worker logged as processed."""
        return [e["article_id"] for e in self.events("article processed")]

    async def wait_for_event(self, name: str, timeout: float) -> dict[str, Any]:
        await eventually(
            lambda: self.events(name) or self.popen.poll() is not None,
            timeout,
            f"{self.args} logging {name!r}",
        )
        found = self.events(name)
        assert found, f"{self.args} exited ({self.popen.returncode}) before {name!r}: {self.tail()}"
        return found[0]

    async def wait_exit(self, timeout: float) -> int:
        await eventually(lambda: self.popen.poll() is not None, timeout, f"{self.args} to exit")
        for reader in self._readers:
            reader.join(5)
        return self.popen.returncode

    def signal(self, sig: int) -> None:
        if self.popen.poll() is None:
            os.kill(self.pid, sig)

    def close(self) -> None:
        """Kill it and everything in its process group; never raises."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            self.popen.kill()
        with contextlib.suppress(Exception):
            self.popen.wait(10)
        for reader in self._readers:
            reader.join(2)

    def tail(self, n: int = 20) -> str:
        return "\n".join(self.stderr[-n:])


def _collect(stream: Any, into: list[str]) -> None:
    for raw in iter(stream.readline, b""):
        into.append(raw.decode("utf-8", "replace").rstrip("\n"))
    stream.close()


@pytest.fixture
def spawn() -> Iterator[Callable[..., Process]]:
    """``spawn(args, env)`` starts ``newsmeta *args``; all of them are killed at teardown."""
    started: list[Process] = []

    def start(args: Sequence[str], env: dict[str, str]) -> Process:
        proc = Process(args, env)
        started.append(proc)
        return proc

    try:
        yield start
    finally:
        for proc in started:
            proc.close()


@pytest.fixture
def worker_env(database_url: str) -> dict[str, str]:
    """For ``newsmeta worker`` on the test database, polling often."""
    return newsmeta_env(DATABASE_URL=database_url, NEWSMETA_POLL_SECONDS="0.2")


def run_newsmeta(
    args: Sequence[str], env: dict[str, str], *, stdin: bytes | None = None, timeout: float = 90
) -> subprocess.CompletedProcess[bytes]:
    """Run a short ``newsmeta`` command to completion (killed after ``timeout``)."""
    return subprocess.run(
        [str(NEWSMETA), *args],
        env=env,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


async def eventually(
    condition: Callable[[], Any] | Callable[[], Awaitable[Any]],
    timeout: float,
    what: str = "condition",
    interval: float = 0.1,
) -> Any:
    """Poll ``condition`` until it is truthy; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(interval)


async def worker_ready(pool: asyncpg.Pool, proc: Process, timeout: float = 60) -> None:
    """Wait until a worker process has loaded its models and listens for new articles."""

    async def listening() -> bool:
        assert proc.popen.poll() is None, f"worker exited: {proc.tail()}"
        n = await pool.fetchval(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE application_name = $1 AND query LIKE 'LISTEN%'",
            f"newsmeta-{proc.pid}",
        )
        return bool(n)

    await eventually(listening, timeout, f"worker {proc.pid} to listen")


async def submit(pool: asyncpg.Pool, texts: Sequence[str]) -> list[uuid.UUID]:
    async with pool.acquire() as conn:
        created = await submit_many(conn, [NewArticle(text=t) for t in texts])
    assert all(new for _, new in created)
    return [article.id for article, _ in created]


async def article_row(pool: asyncpg.Pool, article_id: uuid.UUID) -> asyncpg.Record:
    row = await pool.fetchrow(
        "SELECT status, attempts, error, lease_token, due_at, due_at <= now() AS lease_expired"
        " FROM articles WHERE id = $1",
        article_id,
    )
    assert row is not None
    return row


def long_text(chars: int) -> str:
    """Devset articles joined up to ``chars`` code points (at most ~80,000: a later devset
    article, book_337, currently sends the extractor into an endless loop)."""
    assert chars <= 80_000
    parts: list[str] = []
    size = 0
    for text in devset_texts(200):
        if size >= chars:
            break
        parts.append(text)
        size += len(text) + 2
    return "\n\n".join(parts)[:chars]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port
