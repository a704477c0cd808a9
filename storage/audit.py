"""The audit trail: every state change and every refused attempt, in the same transaction."""

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditEvent


def record(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    target_type: str,
    target_id: str | int | None = None,
    outcome: str = "ok",
    **details: Any,
) -> AuditEvent:
    """Add an audit row to ``session``; it commits (or rolls back) with the change it describes."""
    event = AuditEvent(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        outcome=outcome,
        details=details,
    )
    session.add(event)
    return event
