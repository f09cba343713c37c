"""The API's pool: statements bounded by Postgres (``statement_timeout``), not by a timer per
query in asyncpg; a statement past the bound is a 503 as asyncpg's timeout was."""

from __future__ import annotations

import asyncpg
import pytest

from service.api.problems import EXCEPTION_HANDLERS
from service.db import STATEMENT_SECONDS, create_pool


async def test_statements_are_bounded_by_the_server(database_url: str) -> None:
    pool = await create_pool(database_url, min_size=1, max_size=1, server_timeout=True)
    try:
        async with pool.acquire() as conn:
            assert conn._config.command_timeout is None
            shown = await conn.fetchval("SHOW statement_timeout")
            assert shown in (f"{STATEMENT_SECONDS}s", f"{STATEMENT_SECONDS // 60}min")
            # Past the bound (made short here), Postgres cancels the statement.
            await conn.execute("SET statement_timeout = '50ms'")
            with pytest.raises(asyncpg.QueryCanceledError) as caught:
                await conn.execute("SELECT pg_sleep(1)")
            await conn.execute("RESET statement_timeout")
    finally:
        await pool.close()
    response = EXCEPTION_HANDLERS[Exception](None, caught.value)  # type: ignore[arg-type,operator]
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"


async def test_other_pools_keep_asyncpgs_timeout(database_url: str) -> None:
    pool = await create_pool(database_url, min_size=1, max_size=1)
    try:
        async with pool.acquire() as conn:
            assert conn._config.command_timeout == STATEMENT_SECONDS
    finally:
        await pool.close()
