"""Alembic, configured in code so no ``alembic.ini`` is needed at the top level."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def current(database_url: str) -> None:
    command.current(alembic_config(database_url))


def execute_script(sql: str) -> None:
    """Run a multi-statement SQL script inside the migration's transaction.

    SQLAlchemy's asyncpg adapter prepares each statement, and Postgres refuses to prepare
    several at once; asyncpg's own ``execute`` without arguments uses the simple protocol.
    """
    from alembic import op
    from sqlalchemy.util import await_only

    raw = op.get_bind().connection.driver_connection
    assert raw is not None
    await_only(raw.execute(sql))
