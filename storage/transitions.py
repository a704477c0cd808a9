"""Compare-and-set status transitions: the one way a racing status change is written."""

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from sqlalchemy import update
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import utcnow
from storage.statuses import check_transition


async def transition(
    session: AsyncSession,
    model: type[SQLModel],
    row_id: int,
    expected: StrEnum | Iterable[StrEnum],
    new: StrEnum,
    **values: Any,
) -> bool:
    """Move row ``row_id`` from ``expected`` to ``new`` if nobody else moved it first.

    Runs ``UPDATE … WHERE id = :id AND status IN (:expected)``; the rowcount decides
    who won, so two clicks, two replicas or a click and a poll never both succeed.
    Raises IllegalTransition before touching the database if the move is not allowed; a row
    already in ``new`` is left alone (False).
    """
    expected_statuses = [s for s in ([expected] if isinstance(expected, StrEnum) else expected) if s != new]
    if not expected_statuses:
        return False
    for current in expected_statuses:
        check_transition(current, new)
    table: Any = model
    if "updated_at" in model.model_fields:
        values.setdefault("updated_at", utcnow())
    statement = (
        update(table)
        .where(table.id == row_id, table.status.in_([str(s) for s in expected_statuses]))
        .values(status=str(new), **values)
    )
    result = await session.exec(statement)
    return result.rowcount == 1
