"""Schema migrations applied from the package: no alembic.ini, no working-directory assumptions."""

import tempfile
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(_current)


async def upgrade(engine: AsyncEngine) -> tuple[str | None, str | None]:
    """Bring the schema to head; returns (revision before, revision after). A no-op at head."""
    async with engine.begin() as connection:
        before = await connection.run_sync(_current)
        await connection.run_sync(lambda sync: command.upgrade(alembic_config(connection=sync), "head"))
        after = await connection.run_sync(_current)
    return before, after


async def pending_model_changes(engine: AsyncEngine) -> list[object]:
    """What autogenerate would still emit: empty when models and migrations agree."""

    def _diff(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, SQLModel.metadata))

    async with engine.connect() as connection:
        return await connection.run_sync(_diff)


def sqlite_file_problem(url: str) -> str | None:
    """Why SQLite could not create its file (and its -wal and -shm companions), found without connecting.

    A file is really created and removed in the folder: permission bits say nothing for root, nor for a
    read-only filesystem such as /proc. Asking aiosqlite instead leaves its worker thread answering a
    closed event loop when the command ends right after the failure.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(str(parsed.database))
    if path.exists():
        return None
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".reseller-bot-probe-"):
            return None
    except OSError as error:
        return f"cannot create a file in {path.parent}: {error.strerror or type(error).__name__}"
