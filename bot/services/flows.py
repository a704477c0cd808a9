"""Modal flows kept in the store, keyed by Slack view id.

Everything a reseller typed lives here between steps, so a restart, a double
submit or a Slack retry neither loses it nor runs the final step twice.
"""

from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select

from bot.services.errors import NotFound
from storage.engine import SessionFactory
from storage.inserts import insert_if_absent
from storage.models import Flow, utcnow
from storage.statuses import FlowKind, FlowStatus
from storage.transitions import transition

SUBMIT_LEASE = timedelta(minutes=10)
EXPIRED = "This form is no longer known to the bot (it may be older than the bot's records). Start again with /rainbow."


class Flows:
    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    async def start(
        self, view_id: str, kind: FlowKind, user_id: str, channel_id: str | None, data: dict[str, Any]
    ) -> None:
        """Remember a newly opened modal; opening the same view twice keeps the first record."""
        async with self._sessions() as session, session.begin():
            await insert_if_absent(
                session,
                Flow,
                {
                    "view_id": view_id,
                    "kind": kind,
                    "user_id": user_id,
                    "channel_id": channel_id,
                    "data": data,
                },
                unique=("view_id",),
            )

    async def get(self, view_id: str) -> Flow:
        async with self._sessions() as session:
            flow = (await session.exec(select(Flow).where(col(Flow.view_id) == view_id))).first()
        if flow is None:
            raise NotFound(EXPIRED)
        return flow

    async def get_for_association(self, association_id: int) -> Flow | None:
        async with self._sessions() as session:
            return (
                await session.exec(
                    select(Flow).where(col(Flow.association_id) == association_id).order_by(col(Flow.id).desc())
                )
            ).first()

    async def save(
        self, view_id: str, step: str, *, kind: FlowKind | None = None, **data: dict[str, Any] | str | None
    ) -> Flow:
        """Record the step reached and merge ``data`` into what was typed so far."""
        async with self._sessions() as session, session.begin():
            flow = (await session.exec(select(Flow).where(col(Flow.view_id) == view_id))).first()
            if flow is None:
                raise NotFound(EXPIRED)
            flow.data = {**flow.data, **data}
            flow.step = step
            if kind is not None:
                flow.kind = kind
            flow.updated_at = utcnow()
            session.add(flow)
        return flow

    async def remember_candidates(self, view_id: str, candidates: dict[str, dict[str, Any]]) -> None:
        """Add typeahead results to the flow (several may arrive at once: one locked read-modify-write)."""
        async with self._sessions() as session, session.begin():
            flow = (await session.exec(select(Flow).where(col(Flow.view_id) == view_id).with_for_update())).first()
            if flow is None:
                return
            flow.data = {**flow.data, "candidates": {**(flow.data.get("candidates") or {}), **candidates}}
            session.add(flow)

    async def begin_submit(self, view_id: str) -> Flow | None:
        """Claim the final step: the flow if this caller won it, None if it already ran or is running.

        A submit left running by a process that died is taken over once it is older than
        SUBMIT_LEASE (by one caller: a conditional UPDATE on its timestamp); the services then
        look Rainbow up before repeating anything.
        """
        flow = await self.get(view_id)
        assert flow.id is not None
        now = utcnow()
        async with self._sessions() as session, session.begin():
            won = await transition(
                session,
                Flow,
                flow.id,
                (FlowStatus.COLLECTING, FlowStatus.FAILED),
                FlowStatus.SUBMITTING,
                error=None,
            )
            if not won and flow.status == FlowStatus.SUBMITTING and flow.updated_at < now - SUBMIT_LEASE:
                taken = await session.exec(
                    update(Flow)
                    .where(
                        col(Flow.id) == flow.id,
                        col(Flow.status) == FlowStatus.SUBMITTING,
                        col(Flow.updated_at) == flow.updated_at,
                    )
                    .values(updated_at=now, error=None)
                )
                won = taken.rowcount == 1
        return await self.get(view_id) if won else None

    async def finish(self, flow_id: int, *, association_id: int | None = None, error: str | None = None) -> None:
        values: dict[str, Any] = {"error": error}
        if association_id is not None:
            values["association_id"] = association_id
        async with self._sessions() as session, session.begin():
            await transition(
                session,
                Flow,
                flow_id,
                FlowStatus.SUBMITTING,
                FlowStatus.FAILED if error and association_id is None else FlowStatus.DONE,
                **values,
            )

    async def attach(self, flow_id: int, association_id: int, **data: Any) -> None:
        """Tie the flow to the company it created, as soon as Rainbow returns it."""
        async with self._sessions() as session, session.begin():
            flow = await session.get(Flow, flow_id)
            if flow is None:
                raise NotFound(EXPIRED)
            flow.association_id = association_id
            flow.data = {**flow.data, **data}
            flow.updated_at = utcnow()
            session.add(flow)
