"""Per-key rate limits (``NEWSMETA_RATE_LIMIT``) and key revocation, over the real app."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import msgspec
import pytest
from litestar import Litestar

from service.api.app import create_app
from service.api.ratelimit import TokenBuckets
from service.settings import Settings
from service.store import keys
from tests.api.conftest import assert_problem
from tests.conftest import REPO
from tests.ops.conftest import NEWSMETA, cli_env


def _app(settings: Settings, database_url: str, pool: asyncpg.Pool, **changes: object) -> Litestar:
    return create_app(msgspec.structs.replace(settings, **changes), database_url, pool=pool)


def _client(app: Litestar, key: str | None = None, host: str = "127.0.0.1") -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(host, 5000)),
        base_url="http://testserver",
        headers=headers,
    )


@pytest.fixture
async def limited(
    settings: Settings, database_url: str, pool: asyncpg.Pool
) -> AsyncIterator[Litestar]:
    app = _app(settings, database_url, pool, rate_limit=3)
    yield app
    await app.state.waiter.close()


async def test_over_the_limit_is_429_with_retry_after_per_key(
    limited: Litestar, pool: asyncpg.Pool
) -> None:
    _, first = await keys.create(pool, "read")
    _, second = await keys.create(pool, "read")
    async with _client(limited, first) as a, _client(limited, second) as b:
        for left in (2, 1, 0):
            r = await a.get("/v1/articles")
            assert r.status_code == 200, r.text
            assert r.headers["ratelimit-limit"] == "3"
            assert r.headers["ratelimit-remaining"] == str(left)
        r = await a.get("/v1/articles")
        problem = assert_problem(r, 429, "3 requests a minute")
        assert problem["type"].endswith("rate-limited")
        assert 1 <= int(r.headers["retry-after"]) <= 20  # 3 a minute: one every 20 s
        assert r.headers["x-request-id"]
        # Another key has its own budget; health, metrics and the schema are never limited.
        assert (await b.get("/v1/articles")).status_code == 200
        for path in ("/health/live", "/metrics", "/schema/openapi.json"):
            for _ in range(5):
                assert (await a.get(path)).status_code == 200, path
        metrics = (await a.get("/metrics")).text
        assert "newsmeta_rate_limited_total" in metrics


async def test_without_keys_the_limit_is_per_client_address(
    settings: Settings, database_url: str, pool: asyncpg.Pool
) -> None:
    app = _app(settings, database_url, pool, rate_limit=2, auth="off")
    async with _client(app, host="10.0.0.1") as a, _client(app, host="10.0.0.2") as b:
        assert [(await a.get("/v1/articles")).status_code for _ in range(3)] == [200, 200, 429]
        assert (await b.get("/v1/articles")).status_code == 200
    await app.state.waiter.close()


async def test_zero_disables_the_limit(
    settings: Settings, database_url: str, pool: asyncpg.Pool, admin_key: str
) -> None:
    app = _app(settings, database_url, pool, rate_limit=0)
    async with _client(app, admin_key) as c:
        for _ in range(20):
            r = await c.get("/v1/articles")
            assert r.status_code == 200
            assert "ratelimit-limit" not in r.headers
    await app.state.waiter.close()


def test_buckets_refill_at_the_rate() -> None:
    buckets = TokenBuckets(60)  # one a second, bursts of 60
    assert all(buckets.take("k", now=100.0)[0] for _ in range(60))
    allowed, wait, _ = buckets.take("k", now=100.0)
    assert not allowed and wait == pytest.approx(1.0)
    assert not buckets.take("k", now=100.5)[0]
    assert buckets.take("k", now=101.01)[0]
    assert buckets.take("other", now=101.01)[0]


async def test_a_revoked_key_gets_401_at_once(
    client: httpx.AsyncClient, pool: asyncpg.Pool, database_url: str, tmp_path: Path
) -> None:
    key, secret = await keys.create(pool, "read", "to-revoke")
    headers = {"Authorization": f"Bearer {secret}"}
    assert (await client.get("/v1/articles", headers=headers)).status_code == 200

    env = cli_env(database_url, tmp_path)
    listed = subprocess.run(
        [*NEWSMETA, "keys", "list"], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    assert str(key.id) in listed.stdout and "active" in listed.stdout
    assert secret not in listed.stdout + listed.stderr
    subprocess.run(
        [*NEWSMETA, "keys", "revoke", str(key.id)], cwd=REPO, env=env, check=True, timeout=60
    )

    r = await client.get("/v1/articles", headers=headers)
    assert_problem(r, 401, "revoked")
    listed = subprocess.run(
        [*NEWSMETA, "keys", "list"], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    line = next(x for x in listed.stdout.splitlines() if str(key.id) in x)
    assert "revoked" in line
