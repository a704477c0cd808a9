"""Start-up schema policy: SQLite migrates itself, PostgreSQL replicas wait for ``reseller-bot migrate``."""

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.errors import DatabaseUnavailable, SchemaNotReady, database_reason
from storage.revisions import head_revision, stored_revision

__all__ = ["DatabaseUnavailable", "SchemaNotReady", "ensure_schema"]


async def ensure_schema(engine: AsyncEngine) -> str | None:
    """Return the schema revision, migrating a SQLite file on the spot.

    Several PostgreSQL replicas must never migrate concurrently at start
    (docs/architecture.md, "Scale-out"), so there a schema behind head is an error.
    """
    try:
        current, head = await stored_revision(engine), head_revision()
        if current != head and engine.dialect.name == "sqlite":
            from storage.migrate import upgrade  # Alembic is imported only when there is work for it

            _, current = await upgrade(engine)
    except (SQLAlchemyError, OSError) as error:
        raise DatabaseUnavailable(database_reason(error)) from error
    if current != head:
        raise SchemaNotReady(
            f"the database schema is at revision {current or 'none'}, the code needs {head}:"
            " run `reseller-bot migrate` once before starting the replicas"
        )
    return current
