"""Migrations go all the way up, all the way down, and up again: in code and on the CLI."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from collections.abc import Iterator

import asyncpg
import pytest

from service import migrate
from tests.conftest import scratch_database
from tests.system.conftest import newsmeta_env, run_newsmeta

TABLES = {
    "alembic_version",
    "outlets",
    "articles",
    "entities",
    "article_entities",
    "mentions",
    "events",
    "event_participants",
    "statements",
    "api_keys",
}


def tables(url: str) -> set[str]:
    async def fetch() -> set[str]:
        conn = await asyncpg.connect(url)
        try:
            rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            return {r["tablename"] for r in rows}
        finally:
            await conn.close()

    return asyncio.run(fetch())


def version(url: str) -> str | None:
    async def fetch() -> str | None:
        conn = await asyncpg.connect(url)
        try:
            value: str | None = await conn.fetchval("SELECT version_num FROM alembic_version")
            return value
        finally:
            await conn.close()

    return asyncio.run(fetch())


@pytest.fixture(scope="module")
def migrations_database(server_url: str) -> Iterator[str]:
    name = f"newsmeta_migrations_{os.getpid()}"
    with scratch_database(server_url, name, migrated=False) as url:
        yield url


@pytest.fixture
def empty_database(migrations_database: str) -> str:
    """A database with no schema (only, once a test has migrated it, ``alembic_version``)."""
    migrate.downgrade(migrations_database, "base")
    assert tables(migrations_database) <= {"alembic_version"}
    return migrations_database


def test_upgrade_downgrade_upgrade_in_code(empty_database: str) -> None:
    migrate.upgrade(empty_database)
    assert tables(empty_database) >= TABLES
    head = version(empty_database)
    assert head is not None

    migrate.downgrade(empty_database, "base")
    assert tables(empty_database) == {"alembic_version"}
    assert version(empty_database) is None

    migrate.upgrade(empty_database, "head")
    assert tables(empty_database) >= TABLES
    assert version(empty_database) == head


def test_upgrade_downgrade_upgrade_on_the_command_line(empty_database: str) -> None:
    env = newsmeta_env(DATABASE_URL=empty_database)

    def newsmeta(*args: str) -> str:
        done = run_newsmeta(args, env, timeout=60)
        assert done.returncode == 0, done.stderr.decode()
        return done.stdout.decode() + done.stderr.decode()

    newsmeta("migrate", "upgrade")
    assert tables(empty_database) >= TABLES
    head = version(empty_database)
    assert head is not None and head in newsmeta("migrate", "current")

    newsmeta("migrate", "downgrade", "base")
    assert tables(empty_database) == {"alembic_version"}

    newsmeta("migrate", "upgrade")
    assert tables(empty_database) >= TABLES
    assert version(empty_database) == head

    refused = run_newsmeta(["migrate", "downgrade"], env, timeout=60)
    assert refused.returncode != 0
    assert "revision" in refused.stderr.decode()
    assert version(empty_database) == head


def test_0007_backfills_registry_dates_from_the_articles(empty_database: str) -> None:
    migrate.upgrade(empty_database, "0004")

    async def at_0004() -> None:
        conn = await asyncpg.connect(empty_database)
        try:
            await conn.execute(
                """
                INSERT INTO articles (id, content_hash, text, length, published_at, created_at)
                VALUES ('00000000-0000-4000-8000-000000000001', '\\x01', 'a', 1, '2019-03-01',
                        '2026-01-01T10:00:00Z'),
                       ('00000000-0000-4000-8000-000000000002', '\\x02', 'b', 1, NULL,
                        '2026-01-02T10:00:00Z');
                INSERT INTO entities (id, type, key, name)  -- first/last_seen: now()
                VALUES ('00000000-0000-4000-8000-00000000000e', 'PER', 'x', 'X');
                INSERT INTO article_entities (article_id, entity_id, ord, name, salience,
                                              mention_count)
                VALUES ('00000000-0000-4000-8000-000000000001',
                        '00000000-0000-4000-8000-00000000000e', 0, 'X', 1, 1),
                       ('00000000-0000-4000-8000-000000000002',
                        '00000000-0000-4000-8000-00000000000e', 0, 'X', 1, 1);
                """
            )
        finally:
            await conn.close()

    async def seen() -> tuple[dt.datetime, dt.datetime]:
        conn = await asyncpg.connect(empty_database)
        try:
            row = await conn.fetchrow(
                "SELECT first_seen AS f, last_seen AS l FROM entities"
                " WHERE id = '00000000-0000-4000-8000-00000000000e'"
            )
            return row["f"], row["l"]
        finally:
            await conn.close()

    asyncio.run(at_0004())
    migrate.upgrade(empty_database, "0007")
    # the dated article's date; the undated one's arrival
    assert asyncio.run(seen()) == (
        dt.datetime(2019, 3, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 1, 2, 10, tzinfo=dt.UTC),
    )
    migrate.downgrade(empty_database, "0004")
    assert version(empty_database) == "0004"
    migrate.downgrade(empty_database, "base")
