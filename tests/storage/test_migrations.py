"""Migrations are the schema: they match the models and `reseller-bot migrate` is safe to repeat."""

import os
import subprocess
import sys

import pytest
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import make_engine
from storage.migrate import current_revision, head_revision, pending_model_changes
from storage.models import TABLES
from storage.schema import SchemaNotReady, ensure_schema


def reseller_bot(*arguments: str, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "RAINBOW_"))}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *arguments], env=env, capture_output=True, text=True, timeout=120
    )


async def test_models_and_migrations_agree(engine: AsyncEngine) -> None:
    assert await pending_model_changes(engine) == []
    assert await current_revision(engine) == head_revision()


async def test_migrate_creates_the_schema_on_an_empty_database_and_a_second_run_is_a_no_op(
    database_url: str,
) -> None:
    first = reseller_bot("migrate", DATABASE_URL=database_url)
    second = reseller_bot("migrate", DATABASE_URL=database_url)

    assert first.returncode == 0, first.stderr
    assert f"migrated from an empty database to revision {head_revision()}" in first.stdout
    assert second.returncode == 0, second.stderr
    assert "already at the latest revision" in second.stdout and "nothing to do" in second.stdout
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            tables = set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await engine.dispose()
    assert {table.__tablename__ for table in TABLES} | {"alembic_version"} <= tables  # type: ignore[attr-defined]


async def test_start_up_migrates_sqlite_but_asks_postgresql_operators_to_migrate_first(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    try:
        if engine.dialect.name == "sqlite":
            assert await ensure_schema(engine) == head_revision()
        else:
            with pytest.raises(SchemaNotReady, match="run `reseller-bot migrate`"):
                await ensure_schema(engine)
    finally:
        await engine.dispose()


def test_migrate_with_a_malformed_database_url_says_what_is_expected() -> None:
    result = reseller_bot("migrate", DATABASE_URL="mysql://root:topsecret@localhost/bot")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "DATABASE_URL must be sqlite+aiosqlite:///path/to/file.db or"
        " postgresql+asyncpg://user:password@host:5432/dbname"
    ]
    assert "topsecret" not in result.stdout + result.stderr


async def test_start_up_reads_the_revisions_without_alembic_and_agrees_with_it(engine: AsyncEngine) -> None:
    from storage import revisions

    assert revisions.head_revision() == head_revision()
    assert await revisions.stored_revision(engine) == await current_revision(engine) == head_revision()
