"""Start-up schema policy: SQLite migrates itself, PostgreSQL replicas wait for ``reseller-bot migrate``."""

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.migrate import current_revision, database_reason, head_revision, upgrade


class SchemaNotReady(Exception):
    """The shared database is behind the code; migrations must run once, before the replicas."""


class DatabaseUnavailable(Exception):
    """The database cannot be opened or reached at all."""


async def ensure_schema(engine: AsyncEngine) -> str | None:
    """Return the schema revision, migrating a SQLite file on the spot.

    Several PostgreSQL replicas must never migrate concurrently at start
    (docs/architecture.md, "Scale-out"), so there a schema behind head is an error.
    """
    try:
        if engine.dialect.name == "sqlite":
            _, after = await upgrade(engine)
            return after
        current, head = await current_revision(engine), head_revision()
    except (SQLAlchemyError, OSError) as error:
        raise DatabaseUnavailable(database_reason(error)) from error
    if current != head:
        raise SchemaNotReady(
            f"the database schema is at revision {current or 'none'}, the code needs {head}:"
            " run `reseller-bot migrate` once before starting the replicas"
        )
    return current
