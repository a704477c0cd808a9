"""Audit rows for events that change nothing else, such as a refused attempt."""

from storage.audit import record
from storage.engine import SessionFactory


class AuditLog:
    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    async def denied(self, actor: str, action: str, target: str | None = None) -> None:
        async with self._sessions() as session, session.begin():
            record(session, actor=actor, action=action, target_type="permission", target_id=target, outcome="denied")
