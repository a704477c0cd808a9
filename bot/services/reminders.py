"""Resend or cancel an invitation that has been pending too long (offered in the digest and App Home)."""

from dataclasses import dataclass

from sqlmodel import col, select

from bot.notifier import Notifier
from bot.rainbow import RainbowClient, RainbowError
from bot.services.errors import InvalidInput, NotFound, explain
from bot.services.publishing import publish
from storage.audit import record
from storage.engine import SessionFactory
from storage.models import AdminInvitation, Association, LinkInvitation, utcnow
from storage.statuses import InvitationStatus
from storage.transitions import transition

KINDS: dict[str, type[AdminInvitation] | type[LinkInvitation]] = {"admin": AdminInvitation, "link": LinkInvitation}


@dataclass(frozen=True)
class ReminderOutcome:
    """Which company, and what happened: "resent", "cancelled" or "not_pending" (with its status)."""

    company: str
    outcome: str
    status: str = ""


def parse_target(value: str) -> tuple[str, int]:
    """A button value ``admin:12`` / ``link:3``: which kind of invitation, and its row id."""
    kind, _, raw_id = value.partition(":")
    if kind not in KINDS or not raw_id.isdigit():
        raise InvalidInput({"invitation": "This button does not name an invitation."})
    return kind, int(raw_id)


class Reminders:
    def __init__(self, sessions: SessionFactory, rainbow: RainbowClient, notifier: Notifier) -> None:
        self._sessions = sessions
        self._rainbow = rainbow
        self._notifier = notifier

    async def resend(self, value: str, actor: str) -> ReminderOutcome:
        kind, row_id = parse_target(value)
        invitation, association = await self._load(kind, row_id)
        if invitation.status != InvitationStatus.PENDING:
            return ReminderOutcome(association.name, "not_pending", invitation.status)
        try:
            if isinstance(invitation, AdminInvitation):
                await self._rainbow.resend_join_invitation(
                    association.rainbow_company_id, invitation.rainbow_invitation_id
                )
            else:
                await self._rainbow.resend_link_invitation(invitation.rainbow_invitation_id)
        except RainbowError as error:
            raise explain(error, f"re-sending the invitation for {association.name}") from error
        async with self._sessions() as session, session.begin():
            row = await session.get(type(invitation), row_id)
            assert row is not None
            row.reminded_at = row.sent_at = utcnow()
            session.add(row)
            record(
                session,
                actor=actor,
                action=f"{kind}_invitation.resend",
                target_type="association",
                target_id=association.id,
            )
        await publish(self._sessions, self._notifier, association)
        return ReminderOutcome(association.name, "resent")

    async def cancel(self, value: str, actor: str) -> ReminderOutcome:
        kind, row_id = parse_target(value)
        invitation, association = await self._load(kind, row_id)
        try:
            if isinstance(invitation, AdminInvitation):
                await self._rainbow.cancel_join_invitation(
                    association.rainbow_company_id, invitation.rainbow_invitation_id
                )
            else:
                await self._rainbow.cancel_link_invitation(invitation.rainbow_invitation_id)
        except RainbowError as error:
            raise explain(error, f"cancelling the invitation for {association.name}") from error
        async with self._sessions() as session, session.begin():
            cancelled = await transition(
                session,
                type(invitation),
                row_id,
                InvitationStatus.PENDING,
                InvitationStatus.CANCELED,
                decided_at=utcnow(),
            )
            if cancelled:
                record(
                    session,
                    actor=actor,
                    action=f"{kind}_invitation.cancel",
                    target_type="association",
                    target_id=association.id,
                )
        await publish(self._sessions, self._notifier, association)
        return ReminderOutcome(association.name, "cancelled")

    async def _load(self, kind: str, row_id: int) -> tuple[AdminInvitation | LinkInvitation, Association]:
        model = KINDS[kind]
        async with self._sessions() as session:
            invitation: AdminInvitation | LinkInvitation | None = await session.get(model, row_id)
            association = None
            if invitation is not None and invitation.association_id is not None:
                association = (
                    await session.exec(select(Association).where(col(Association.id) == invitation.association_id))
                ).first()
        if invitation is None or association is None:
            raise NotFound("This invitation is no longer known to the bot.")
        return invitation, association
