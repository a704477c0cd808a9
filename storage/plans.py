"""Query plans of the statements a piece of code sends: the index check of the tests and the benchmark."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import TABLES

OUR_TABLES = tuple(str(table.__tablename__) for table in TABLES)
Statement = tuple[str, Any]


@contextmanager
def captured(engine: AsyncEngine) -> Iterator[list[Statement]]:
    """Every SELECT, UPDATE and DELETE on our tables sent through `engine` inside the block, with its parameters."""
    statements: list[Statement] = []

    def remember(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "DELETE", "UPDATE")) and any(
            table in statement for table in OUR_TABLES
        ):
            statements.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", remember)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", remember)


async def explain(engine: AsyncEngine, statement: str, parameters: Any, *, forbid_seqscan: bool = True) -> str:
    """The plan as text: SQLite's EXPLAIN QUERY PLAN, or PostgreSQL's EXPLAIN (by default with
    sequential scans disabled, so the plan shown is the one a large table would get)."""
    async with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            if forbid_seqscan:
                await connection.exec_driver_sql("SET enable_seqscan = off")
            rows = (await connection.exec_driver_sql("EXPLAIN " + statement, parameters)).all()
            return "\n".join(row[0] for row in rows)
        rows = (await connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)).all()
        return "\n".join(row[-1] for row in rows)


def full_scans(plan: str, dialect: str) -> list[str]:
    """The plan's lines that read a whole table rather than an index."""
    lines = [line.strip() for line in plan.splitlines()]
    if dialect == "postgresql":
        return [line for line in lines if "Seq Scan" in line]
    return [line for line in lines if line.startswith("SCAN ") and " USING " not in line]
