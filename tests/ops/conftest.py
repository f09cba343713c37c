"""Helpers for the operations tests: a real ``newsmeta serve`` in a subprocess."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO

NEWSMETA = [sys.executable, "-m", "service.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli_env(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSMETA_", "PROMETHEUS_"))}
    env.update(DATABASE_URL=database_url, NEWSMETA_DATA_DIR=str(data_dir), **extra)
    return env


class Server:
    """``newsmeta serve`` on a free port; its stderr (the JSON log lines) goes to a file."""

    def __init__(self, database_url: str, data_dir: Path, workers: int, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir / f"serve-{self.port}.log"
        self.env = cli_env(database_url, data_dir, NEWSMETA_POLL_SECONDS="0.5", **env)
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [*NEWSMETA, "serve", "--port", str(self.port), "--workers", str(workers)],
            cwd=REPO,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited: {self.log_path.read_text()}")
            try:
                if httpx.get(f"{self.url}/health/live", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"serve did not start: {self.log_path.read_text()}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def api_server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real server without workers (articles stay queued), auth on."""
    server = Server(database_url, tmp_path_factory.mktemp("serve"), workers=0)
    yield server
    server.stop()
