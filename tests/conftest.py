"""Fixtures: a real Postgres (embedded unless TEST_DATABASE_URL), the real app, real workers.

The database is created fresh for each test session and migrated with alembic; every test
starts from empty tables.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import msgspec
import pytest
from litestar import Litestar

from service import migrate
from service.api.app import create_app
from service.db import EmbeddedPostgres, create_pool
from service.settings import Settings, load_settings
from service.store import keys
from service.worker.runner import Worker

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "moscowtimes-2025-09-03-aliyev-putin.txt"
DEVSET = SHARED / "corpora" / "factRuEval-2016" / "devset"


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def _admin(url: str, *statements: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        for sql in statements:
            await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """A maintenance URL of the server the tests use (its ``postgres`` database)."""
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        yield given
        return
    embedded = EmbeddedPostgres(REPO / ".newsmeta" / "test", database="postgres")
    try:
        yield embedded.url
    finally:
        embedded.stop()


def fresh_database(server_url: str, name: str) -> str:
    """Drop and create database ``name`` on the test server; return its URL."""
    asyncio.run(
        _admin(
            server_url,
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'CREATE DATABASE "{name}"',
        )
    )
    return _with_database(server_url, name)


@contextlib.contextmanager
def scratch_database(server_url: str, name: str, *, migrated: bool = True) -> Iterator[str]:
    """A fresh database ``name`` (migrated to head unless ``migrated=False``), dropped after."""
    url = fresh_database(server_url, name)
    try:
        if migrated:
            migrate.upgrade(url)
        yield url
    finally:
        asyncio.run(_admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def database_url(server_url: str) -> Iterator[str]:
    with scratch_database(server_url, f"newsmeta_test_{os.getpid()}") as url:
        yield url


@pytest.fixture(scope="session")
def settings() -> Settings:
    """Defaults, with short leases and backoff so failure paths run in seconds."""
    return msgspec.structs.replace(
        load_settings({}),
        lease_seconds=3.0,
        retry_base_seconds=0.2,
        poll_seconds=0.2,
        max_attempts=3,
    )


@pytest.fixture(scope="session")
async def session_pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(database_url, min_size=1, max_size=10)
    yield pool
    await pool.close()


@pytest.fixture
async def pool(session_pool: asyncpg.Pool) -> asyncpg.Pool:
    """The test database, emptied before each test."""
    await session_pool.execute(
        "TRUNCATE articles, entities, entity_merges, outlets, api_keys, changes, webhooks CASCADE"
    )
    return session_pool


@pytest.fixture
def app(settings: Settings, database_url: str, pool: asyncpg.Pool) -> Litestar:
    return create_app(settings, database_url, pool=pool)


@pytest.fixture
async def admin_key(pool: asyncpg.Pool) -> str:
    _, secret = await keys.create(pool, "admin", "tests")
    return secret


def _client(app: Litestar) -> httpx.AsyncClient:
    # In this event loop, with the session's pool (given to the app, so no lifespan needed).
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver", timeout=60
    )


@pytest.fixture
async def client(app: Litestar, admin_key: str) -> AsyncIterator[httpx.AsyncClient]:
    """The real app over ASGI, authenticated with an admin key."""
    async with _client(app) as c:
        c.headers["Authorization"] = f"Bearer {admin_key}"
        yield c


@pytest.fixture
async def anonymous(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(app) as c:
        yield c


@pytest.fixture
def worker(pool: asyncpg.Pool, settings: Settings) -> Worker:
    """A real worker in this process; call ``await worker.run_once()`` to process one."""
    return Worker(pool, settings)


@pytest.fixture
async def running_worker(worker: Worker) -> AsyncIterator[Worker]:
    """A real worker processing in the background for the duration of the test."""
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    yield worker
    stop.set()
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(task, 30)


async def drain(worker: Worker) -> int:
    """Process queued articles until none is left; how many were processed."""
    n = 0
    while await worker.run_once():
        n += 1
    return n


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def devset_texts(n: int) -> list[str]:
    files = sorted(DEVSET.glob("book_*.txt"))[:n]
    return [f.read_text(encoding="utf-8") for f in files]


def new_id() -> str:
    return str(uuid.uuid4())
