"""What the benchmarks share: a private embedded Postgres, ``newsmeta serve`` subprocesses on
free 127.0.0.1 ports, and a description of the machine. Everything a bench starts here is
stopped (by its own pid) when the bench ends."""

from __future__ import annotations

import contextlib
import os
import platform
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

REPO = Path(__file__).resolve().parents[1]
DEVSET = REPO.parent / "shared" / "corpora" / "factRuEval-2016" / "devset"
sys.path.insert(0, str(REPO))


def machine() -> str:
    cpu = platform.processor() or "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    mem = psutil.virtual_memory().total / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB; Python {platform.python_version()}; "
        f"load average {load}"
    )


def load_now() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def devset_texts(path: Path = DEVSET) -> list[str]:
    files = sorted(path.glob("*.txt"))
    if not files:
        sys.exit(f"no *.txt under {path}")
    return [f.read_text(encoding="utf-8") for f in files]


@contextlib.contextmanager
def embedded_database() -> Iterator[str]:
    """A fresh embedded Postgres in a private tmp dir, migrated; removed afterwards."""
    from service import migrate
    from service.db import EmbeddedPostgres

    root = Path(tempfile.mkdtemp(prefix="newsmeta-bench-"))
    root.chmod(0o755)  # the embedded server runs as its own user when we are root
    server = EmbeddedPostgres(root / "db")
    try:
        migrate.upgrade(server.url)
        yield server.url
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"{proc.args} exited with {proc.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/health/ready", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    sys.exit(f"{base} not ready within {timeout:.0f} s")


@contextlib.contextmanager
def process(
    cmd: list[str], env: Mapping[str, str] | None = None, ready: str | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """A subprocess in its own process group, its output discarded; on exit SIGTERM, then
    SIGKILL after 30 s, then any child it left behind (by pid)."""
    # NEWSMETA_BENCH_LOG=FILE keeps the servers' output (appended) for a look afterwards.
    log = os.environ.get("NEWSMETA_BENCH_LOG")
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(
        cmd,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        if ready:
            wait_ready(ready, proc)
        yield proc
    finally:
        try:
            children = psutil.Process(proc.pid).children(recursive=True)
        except psutil.Error:
            children = []
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
        for child in children:
            with contextlib.suppress(psutil.Error):
                child.kill()
        if log:
            out.close()  # type: ignore[union-attr]


@contextlib.contextmanager
def newsmeta_serve(
    database_url: str, workers: int, env: Mapping[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``newsmeta serve --workers N`` on a free local port, no rate limit."""
    port = free_port()
    cmd = [sys.executable, "-m", "service.cli", "serve", "--host", "127.0.0.1"]
    cmd += ["--port", str(port), "--workers", str(workers)]
    base = f"http://127.0.0.1:{port}"
    environment = {"DATABASE_URL": database_url, "NEWSMETA_RATE_LIMIT": "0", **(env or {})}
    with process(cmd, environment, ready=base) as proc:
        yield base, proc


def admin_key(database_url: str) -> str:
    import asyncio

    import asyncpg

    from service.store import keys

    async def create() -> str:
        conn = await asyncpg.connect(database_url)
        try:
            return (await keys.create(conn, "admin", "bench"))[1]
        finally:
            await conn.close()

    return asyncio.run(create())


@contextlib.contextmanager
def profiled(pid: int | None, output: str | None, *, idle: bool = False) -> Iterator[None]:
    """``py-spy record`` of ``pid`` while the block runs (collapsed stacks), if asked;
    ``idle``: every thread, waiting ones too (``--idle --threads``)."""
    if not output or pid is None:
        yield
        return
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    cmd = [spy, "record", "--format", "raw", "--rate", "200", "-o", output, "-p", str(pid)]
    cmd += ["--idle", "--threads"] if idle else []
    with process(cmd) as proc:
        yield
        proc.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(30)
