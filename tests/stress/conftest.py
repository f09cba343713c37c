"""Helpers for the stress tests: a real ``newsmeta serve`` subprocess on a free local port."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import httpx
import psutil
import pytest

REPO = Path(__file__).resolve().parents[2]
NEWSMETA = [sys.executable, "-m", "service.cli"]


@pytest.fixture
def own_tmp() -> Iterator[Path]:
    """A private tmp dir outside ``/tmp/pytest-of-*``: other pytest sessions on the machine
    re-tighten and prune that tree, which would cut off an embedded server's ``pgserver``
    user or delete its data mid-test. World-traversable so that user can reach it."""
    path = Path(tempfile.mkdtemp(prefix="newsmeta-stress-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(base: str, timeout: float, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Until ``/health/ready`` answers 200; fails if the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the server exited with {proc.returncode} before it was ready")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/health/ready", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise AssertionError(f"{base} was not ready within {timeout:.0f} s")


@contextlib.contextmanager
def served(
    database_url: str,
    log_path: Path,
    *,
    workers: int = 1,
    env: Mapping[str, str] | None = None,
    ready_timeout: float = 90.0,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``newsmeta serve --workers N`` in its own process group; stopped (and its workers
    with it) on exit. Yields the base URL and the process."""
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "NEWSMETA_RATE_LIMIT": "0",
        "NEWSMETA_LOG_FORMAT": "json",
        "NEWSMETA_LEASE_SECONDS": "6",
        "NEWSMETA_POLL_SECONDS": "0.5",
        **(env or {}),
    }
    cmd = [*NEWSMETA, "serve", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--workers", str(workers)]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=REPO,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, ready_timeout, proc)
        yield base, proc
    finally:
        stop_group(proc)


def stop_group(proc: subprocess.Popen[bytes], grace: float = 20.0) -> None:
    """SIGTERM to the server's own process group, SIGKILL after ``grace`` seconds; then any
    of its worker processes still alive (by pid, checked by psutil against reuse)."""
    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.Error:
        children = []
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.kill()
