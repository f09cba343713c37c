"""API keys are looked up once per API process, yet a revoked key is refused at once: every
change to ``api_keys`` is announced by NOTIFY, and while the process is not listening it
asks the database on every request."""

from __future__ import annotations

import asyncio
import subprocess
import time
from pathlib import Path

import asyncpg
import httpx

from service.api.keycache import KeyCache
from service.store import keys
from tests.conftest import REPO
from tests.ops.conftest import NEWSMETA, Server, cli_env


async def _until(condition: object, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not await condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def _listeners(pool: asyncpg.Pool) -> int:
    n: int = await pool.fetchval(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'newsmeta-keys'"
    )
    return n


async def test_a_key_cached_by_the_api_process_is_refused_once_revoked(
    database_url: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    by_store, secret1 = await keys.create(pool, "read", "revoked through the store")
    by_cli, secret2 = await keys.create(pool, "read", "revoked through the CLI")
    server = Server(database_url, tmp_path, workers=0, NEWSMETA_RATE_LIMIT="0")
    try:
        await _until(lambda: _listeners_up(pool))
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as c:
            for secret in (secret1, secret2):
                for _ in range(3):  # found once, then served from the process's cache
                    r = await c.get("/v1/articles", headers={"X-API-Key": secret})
                    assert r.status_code == 200, r.text

            assert await keys.revoke(pool, by_store.id)
            r = await c.get("/v1/articles", headers={"X-API-Key": secret1})
            assert r.status_code == 401 and "revoked" in r.json()["detail"]

            env = cli_env(database_url, tmp_path)
            subprocess.run(
                [*NEWSMETA, "keys", "revoke", str(by_cli.id)], cwd=REPO, env=env, check=True
            )
            r = await c.get("/v1/articles", headers={"X-API-Key": secret2})
            assert r.status_code == 401 and "revoked" in r.json()["detail"]
    finally:
        server.stop()


async def _listeners_up(pool: asyncpg.Pool) -> bool:
    return await _listeners(pool) >= 1


async def test_while_the_listener_is_down_every_lookup_asks_the_database(
    database_url: str, pool: asyncpg.Pool
) -> None:
    key, secret = await keys.create(pool, "read", "listener down")
    cache = KeyCache(database_url)
    await cache.start()
    try:
        await _until(lambda: _true(cache.listening))
        assert await cache.find(pool, secret) is not None  # cached now

        # The listening connection dies (a database restart, a network cut), and a key is
        # revoked without any announcement reaching this process.
        await pool.execute("ALTER TABLE api_keys DISABLE TRIGGER api_keys_changed")
        try:
            seen = cache.generation
            await pool.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = 'newsmeta-keys'"
            )
            await _until(lambda: _true(cache.generation > seen))  # the loss is noticed
            assert await keys.revoke(pool, key.id)
        finally:
            await pool.execute("ALTER TABLE api_keys ENABLE TRIGGER api_keys_changed")
        assert await cache.find(pool, secret) is None

        # It listens again by itself.
        await _until(lambda: _true(cache.listening))
        assert await cache.find(pool, secret) is None
        other, secret2 = await keys.create(pool, "read", "after the listener is back")
        assert (await cache.find(pool, secret2)) == other
    finally:
        await cache.close()


async def _true(value: bool) -> bool:
    return value
