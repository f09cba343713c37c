"""``newsmeta serve`` as a user runs it: embedded Postgres, API, workers, clean shutdown;
and settings that stop start-up with a message naming the variable."""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from service.settings import SettingsError, load_settings
from tests.conftest import REPO
from tests.system.conftest import Process, eventually, free_port, newsmeta_env, run_newsmeta

FUTURE_REVISION = """
import asyncio, sys
from service.db import EmbeddedPostgres
from tests.conftest import _admin

server = EmbeddedPostgres(sys.argv[1])
try:
    asyncio.run(_admin(server.url, "UPDATE alembic_version SET version_num = '9999_future'"))
finally:
    server.stop()
"""


def _processes_mentioning(text: str) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        with contextlib.suppress(psutil.Error):
            if any(text in part for part in proc.info["cmdline"] or []):
                found.append(proc)
    return found


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """A short private directory (Postgres's socket path must stay short); any Postgres
    left running on it is stopped before it is removed."""
    path = Path(tempfile.mkdtemp(prefix="nm-serve-"))
    try:
        yield path
    finally:
        for proc in _processes_mentioning(str(path)):
            with contextlib.suppress(psutil.Error):
                proc.kill()
        shutil.rmtree(path, ignore_errors=True)


async def test_serve_with_embedded_postgres_answers_and_shuts_down_cleanly(
    spawn: Callable[..., Process], data_dir: Path, seed_text: str
) -> None:
    port = free_port()
    env = newsmeta_env(DATABASE_URL=None, NEWSMETA_DATA_DIR=str(data_dir), NEWSMETA_AUTH="off")
    serve = spawn(["serve", "--workers", "1", "--port", str(port)], env)
    base = f"http://127.0.0.1:{port}"

    async with httpx.AsyncClient(base_url=base, timeout=30) as http:

        async def ready() -> bool:
            assert serve.popen.poll() is None, f"serve exited: {serve.tail()}"
            with contextlib.suppress(httpx.TransportError):
                return (await http.get("/health/ready")).status_code == 200
            return False

        await eventually(ready, 120, "GET /health/ready to answer 200", interval=0.3)
        await serve.wait_for_event("worker started", 60)

        r = await http.post(
            "/v1/articles",
            content=seed_text.encode(),
            headers={"Content-Type": "text/plain", "Prefer": "wait=20"},
        )
        assert r.status_code in (200, 201, 202), r.text
        article = r.json()
        assert article["status"] == "done", article
        assert article["outlet"] == "moscowtimes.ru"

    postgres = _processes_mentioning(str(data_dir))
    assert postgres, "the embedded Postgres runs under the data dir"
    children = psutil.Process(serve.pid).children(recursive=True)
    assert any("worker" in " ".join(c.cmdline()) for c in children)

    started = time.monotonic()
    serve.signal(signal.SIGTERM)
    code = await serve.wait_exit(45)
    assert time.monotonic() - started < 40, "serve took too long to stop"
    assert code == 0, serve.tail()

    await eventually(
        lambda: not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in children),
        5,
        "the worker processes to be gone",
    )
    assert _processes_mentioning(str(data_dir)) == [], "no Postgres left on the data dir"
    leftover = [
        p for p in _processes_mentioning("service.cli") if "worker" in " ".join(p.cmdline())
    ]
    assert not [p for p in leftover if p.ppid() in (serve.pid, 1)], "no orphaned worker"


def test_a_bad_setting_names_its_variable() -> None:
    with pytest.raises(SettingsError, match="NEWSMETA_RATE_LIMIT"):
        load_settings({"NEWSMETA_RATE_LIMIT": "lots"})
    with pytest.raises(SettingsError, match="NEWSMETA_LEASE_SECONDS"):
        load_settings({"NEWSMETA_LEASE_SECONDS": "-1"})
    assert load_settings({"NEWSMETA_RATE_LIMIT": "0"}).rate_limit == 0


def test_serve_with_a_bad_setting_exits_at_once_naming_the_variable(tmp_path: Path) -> None:
    env = newsmeta_env(NEWSMETA_LEASE_SECONDS="-1", NEWSMETA_DATA_DIR=str(tmp_path / "data"))
    started = time.monotonic()
    done = run_newsmeta(["serve", "--workers", "1", "--port", str(free_port())], env, timeout=30)
    assert time.monotonic() - started < 15
    assert done.returncode != 0
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1, lines
    assert "NEWSMETA_LEASE_SECONDS" in lines[0]
    assert not (tmp_path / "data").exists(), "nothing was started"


async def test_a_lone_worker_stops_the_embedded_postgres_it_started(
    spawn: Callable[..., Process], data_dir: Path
) -> None:
    env = newsmeta_env(DATABASE_URL=None, NEWSMETA_DATA_DIR=str(data_dir))
    assert run_newsmeta(["migrate", "upgrade"], env).returncode == 0
    assert _processes_mentioning(str(data_dir)) == [], "migrate stops what it started"

    worker = spawn(["worker"], env)
    await worker.wait_for_event("worker started", 60)
    assert _processes_mentioning(str(data_dir)), "the worker started the embedded Postgres"
    worker.signal(signal.SIGTERM)
    assert await worker.wait_exit(45) == 0, worker.tail()
    assert _processes_mentioning(str(data_dir)) == [], "no Postgres left on the data dir"


def test_serve_that_cannot_migrate_stops_the_embedded_postgres(data_dir: Path) -> None:
    env = newsmeta_env(DATABASE_URL=None, NEWSMETA_DATA_DIR=str(data_dir), NEWSMETA_AUTH="off")
    assert run_newsmeta(["migrate", "upgrade"], env).returncode == 0
    # A data dir migrated by a newer release: this one cannot upgrade it. (In a child process:
    # pgserver's exit hook would log into pytest's closed streams.)
    subprocess.run(
        [sys.executable, "-c", FUTURE_REVISION, str(data_dir)],
        env=env,
        cwd=REPO,
        check=True,
        timeout=60,
    )

    done = run_newsmeta(["serve", "--workers", "1", "--port", str(free_port())], env, timeout=60)
    assert done.returncode != 0
    assert "9999_future" in done.stderr.decode()
    assert _processes_mentioning(str(data_dir)) == [], "no Postgres left on the data dir"
