"""Prometheus multiprocess mode for ``newsmeta serve`` and its worker processes.

Kept free of ``prometheus_client`` imports: the variable must be set before that library is
imported anywhere in the process (it picks its value store at import time).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def use_multiprocess_dir(data_dir: str | os.PathLike[str]) -> Path:
    """Set ``PROMETHEUS_MULTIPROC_DIR`` to a fresh directory for this server and its workers
    (children inherit the environment). The directory is ``DATA_DIR/metrics/PID``; those of
    servers that no longer run are removed. :func:`remove_multiprocess_dir` deletes it."""
    root = Path(data_dir).resolve() / "metrics"
    root.mkdir(parents=True, exist_ok=True)
    for old in root.iterdir():
        if old.is_dir() and old.name.isdigit() and not _alive(int(old.name)):
            shutil.rmtree(old, ignore_errors=True)
    mine = root / str(os.getpid())
    shutil.rmtree(mine, ignore_errors=True)
    mine.mkdir()
    os.environ[MULTIPROC_ENV] = str(mine)
    return mine


def remove_multiprocess_dir(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def mark_process_dead(pid: int) -> None:
    """Drop the live gauges of a process that exited (counters keep their totals)."""
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        with contextlib.suppress(Exception):
            multiprocess.mark_process_dead(pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
