"""Insert-if-absent on a unique key, portable across SQLite and PostgreSQL."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


async def insert_if_absent(
    session: AsyncSession, model: type[SQLModel], values: dict[str, Any], unique: Sequence[str]
) -> bool:
    """Insert one row unless a row with the same ``unique`` columns exists; True if this call inserted it.

    ``INSERT … ON CONFLICT DO NOTHING``: the database, not a prior SELECT, decides the
    single winner, so concurrent pollers or claimants never both insert.
    """
    dialect = session.get_bind().dialect.name
    row = model.model_validate(values)  # fills defaults (timestamps, statuses) exactly as the ORM would
    table = model.__table__  # type: ignore[attr-defined]  # SQLModel sets it at runtime on table=True models only
    columns = {c.key: getattr(row, c.key) for c in table.columns if c.key != "id"}
    statement = (
        _INSERTS[dialect](table)
        .values(**columns)
        .on_conflict_do_nothing(  # type: ignore[attr-defined]  # both dialects' Insert have it; their union does not
            index_elements=list(unique)
        )
    )
    result = await session.exec(statement)
    inserted: int = result.rowcount
    return inserted == 1
