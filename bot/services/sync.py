"""Follow companies and invitations until they settle, and tell the people who started them.

Each period reads Rainbow with list calls (the customers still initializing; our
bp-link invitations; the join invitations of companies still waiting for their
administrator) and compares with the store. Only what changed is written, each
change by compare-and-set, so two replicas never announce the same event twice.
"""

import logging
from dataclasses import dataclass, field

from sqlmodel import col, select

from bot.notifier import Notifier, NotifierError
from bot.rainbow import RainbowClient
from bot.services.publishing import publish
from storage.audit import record
from storage.engine import SessionFactory
from storage.models import AdminInvitation, Association, LinkInvitation, utcnow
from storage.statuses import CompanyStatus, InvitationStatus
from storage.transitions import transition

logger = logging.getLogger(__name__)
ANNOUNCE_COMPANY = {
    CompanyStatus.ACTIVE: ":tada: *{name}* is now *Activated*: its administrator joined.",
    CompanyStatus.TERMINATED: ":no_entry_sign: *{name}* was terminated in Rainbow.",
    CompanyStatus.HOLD: ":double_vertical_bar: *{name}* was put on hold in Rainbow.",
    CompanyStatus.ALERTING: ":warning: *{name}* is alerting in Rainbow.",
}
ANNOUNCE_ADMIN = {
    InvitationStatus.ACCEPTED: ":white_check_mark: {who} accepted the invitation to administer *{name}*.",
    InvitationStatus.AUTO_ACCEPTED: ":white_check_mark: {who} joined *{name}* as its administrator.",
    InvitationStatus.DECLINED: ":x: {who} declined the invitation to administer *{name}*.",
    InvitationStatus.CANCELED: ":leftwards_arrow_with_hook: The invitation of {who} to *{name}* was cancelled.",
    InvitationStatus.FAILED: ":warning: The invitation of {who} to *{name}* failed in Rainbow.",
}
ANNOUNCE_LINK = {
    InvitationStatus.ACCEPTED: ":handshake: *{name}* accepted: we are now its reseller.",
    InvitationStatus.AUTO_ACCEPTED: ":handshake: *{name}* is now our customer.",
    InvitationStatus.DECLINED: ":x: *{name}* declined our reseller invitation.",
    InvitationStatus.CANCELED: ":leftwards_arrow_with_hook: Our reseller invitation to *{name}* was cancelled.",
    InvitationStatus.FAILED: ":warning: Our reseller invitation to *{name}* failed in Rainbow.",
}


@dataclass
class SyncResult:
    changes: list[str] = field(default_factory=list)
    calls: int = 0

    def __str__(self) -> str:
        return f"{len(self.changes)} change(s) in {self.calls} Rainbow call(s)"


def _known(enum: type[CompanyStatus] | type[InvitationStatus], value: str | None) -> str | None:
    return value if value in {member.value for member in enum} else None


class StatusSync:
    def __init__(self, sessions: SessionFactory, rainbow: RainbowClient, notifier: Notifier) -> None:
        self._sessions = sessions
        self._rainbow = rainbow
        self._notifier = notifier

    async def run(self) -> SyncResult:
        result = SyncResult()
        await self._companies(result)
        await self._admin_invitations(result)
        await self._link_invitations(result)
        return result

    async def _companies(self, result: SyncResult) -> None:
        async with self._sessions() as session:
            waiting = (
                await session.exec(select(Association).where(col(Association.status) == CompanyStatus.INITIALIZING))
            ).all()
        if not waiting:
            return
        still = {c.id for c in await self._rainbow.list_customers(statuses=[CompanyStatus.INITIALIZING])}
        result.calls += 1
        for association in waiting:
            if association.rainbow_company_id in still:
                continue
            company = await self._rainbow.get_company(association.rainbow_company_id)
            result.calls += 1
            new = _known(CompanyStatus, company.status)
            if new is None or new == association.status:
                continue
            values = {"activated_at": utcnow()} if new == CompanyStatus.ACTIVE else {}
            if await self._move(association, CompanyStatus(association.status), CompanyStatus(new), **values):
                text = ANNOUNCE_COMPANY.get(CompanyStatus(new), "*{name}* is now " + new + ".")
                await self._announce(association.id, text.format(name=association.name), "company." + new)
                result.changes.append(f"{association.name}: {new}")

    async def _admin_invitations(self, result: SyncResult) -> None:
        async with self._sessions() as session:
            pending = (
                await session.exec(
                    select(AdminInvitation, Association)
                    .join(Association, col(Association.id) == col(AdminInvitation.association_id))
                    .where(col(AdminInvitation.status) == InvitationStatus.PENDING)
                )
            ).all()
        by_company: dict[str, list[tuple[AdminInvitation, Association]]] = {}
        for invitation, association in pending:
            by_company.setdefault(association.rainbow_company_id, []).append((invitation, association))
        for company_id, rows in by_company.items():
            seen = {i.id: i for i in await self._rainbow.list_join_invitations(company_id)}
            result.calls += 1
            for invitation, association in rows:
                fresh = seen.get(invitation.rainbow_invitation_id)
                new = _known(InvitationStatus, fresh.status if fresh else None)
                if new is None or new == invitation.status:
                    continue
                if await self._move(invitation, InvitationStatus.PENDING, InvitationStatus(new), decided_at=utcnow()):
                    who = invitation.email or "The chosen user"
                    text = ANNOUNCE_ADMIN[InvitationStatus(new)].format(who=who, name=association.name)
                    await self._announce(association.id, text, "admin_invitation." + new)
                    result.changes.append(f"{association.name} administrator: {new}")

    async def _link_invitations(self, result: SyncResult) -> None:
        async with self._sessions() as session:
            pending = (
                await session.exec(select(LinkInvitation).where(col(LinkInvitation.status) == InvitationStatus.PENDING))
            ).all()
        if not pending:
            return
        seen = {i.id: i for i in await self._rainbow.list_link_invitations()}
        result.calls += 1
        for invitation in pending:
            fresh = seen.get(invitation.rainbow_invitation_id)
            new = _known(InvitationStatus, fresh.status if fresh else None)
            if new is None or new == invitation.status:
                continue
            if await self._move(invitation, InvitationStatus.PENDING, InvitationStatus(new), decided_at=utcnow()):
                text = ANNOUNCE_LINK[InvitationStatus(new)].format(name=invitation.invited_company_name)
                await self._announce(invitation.association_id, text, "link_invitation." + new)
                result.changes.append(f"{invitation.invited_company_name} link: {new}")

    async def _move(
        self,
        row: Association | AdminInvitation | LinkInvitation,
        current: CompanyStatus | InvitationStatus,
        new: CompanyStatus | InvitationStatus,
        **values: object,
    ) -> bool:
        assert row.id is not None
        async with self._sessions() as session, session.begin():
            moved = await transition(session, type(row), row.id, current, new, **values)
            if moved:
                record(
                    session,
                    actor="scheduler",
                    action="sync." + type(row).__tablename__,  # type: ignore[attr-defined]
                    target_type=type(row).__tablename__,  # type: ignore[attr-defined]
                    target_id=row.id,
                    status=str(new),
                )
        return moved

    async def _announce(self, association_id: int | None, text: str, event: str) -> None:
        """Reply in the status message's thread, DM the requester, re-render the status message."""
        if association_id is None:
            return
        async with self._sessions() as session:
            association = await session.get(Association, association_id)
        if association is None:
            return
        try:
            if association.channel_id and association.thread_ts:
                await self._notifier.post(association.channel_id, text, thread_ts=association.thread_ts)
            if association.requester and not (association.channel_id or "").startswith("D"):
                await self._notifier.dm(association.requester, text)
        except NotifierError as error:  # the change is stored either way; the next re-render shows it
            logger.warning("could not announce %s for %s: %s", event, association.name, error.code)
        await publish(self._sessions, self._notifier, association)
