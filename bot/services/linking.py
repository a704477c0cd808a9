"""Invite an existing Rainbow company to take us as its reseller (a bp-link invitation)."""

import logging
from dataclasses import dataclass

from sqlmodel import col, select

from bot.notifier import Notifier
from bot.rainbow import UNKNOWN_OUTCOME, Company, RainbowClient, RainbowError
from bot.services.countries import fold
from bot.services.drafts import LinkChoice
from bot.services.errors import DomainError, explain
from bot.services.flows import Flows
from bot.services.publishing import publish
from bot.services.typeahead import within_typeahead_budget
from storage.audit import record
from storage.engine import SessionFactory
from storage.inserts import insert_if_absent
from storage.models import Association, LinkInvitation, utcnow
from storage.statuses import CompanyStatus, InvitationStatus, Origin

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkResult:
    association: Association
    invitation: LinkInvitation


class Linking:
    def __init__(self, sessions: SessionFactory, rainbow: RainbowClient, notifier: Notifier, flows: Flows) -> None:
        self._sessions = sessions
        self._rainbow = rainbow
        self._notifier = notifier
        self._flows = flows

    async def candidates(self, prefix: str, limit: int = 25) -> list[Company]:
        """Companies without a reseller whose name starts with ``prefix`` (case and accents ignored)."""
        try:
            return await within_typeahead_budget(
                self._rainbow.search_companies_without_reseller(prefix, limit=limit),
                "search_companies_without_reseller",
            )
        except RainbowError as error:
            raise explain(error, "searching Rainbow companies") from error

    async def submit(self, view_id: str) -> LinkResult | None:
        """Send the invitation once per submitted form; None if another delivery already runs it."""
        flow = await self._flows.begin_submit(view_id)
        if flow is None:
            return None
        assert flow.id is not None
        choice = LinkChoice.from_data(flow.data["link"])
        try:
            invitation_id = await self._send(view_id, choice, flow.data.get("invite_sent_at"))
        except DomainError as error:
            await self._flows.finish(flow.id, error=error.message)
            await self._audit(flow.user_id, choice, "failed", error.message)
            raise
        except Exception:  # never leave the form stuck in "submitting": Try again must stay possible
            await self._flows.finish(flow.id, error="unexpected error")
            raise
        association, invitation = await self._track(choice, invitation_id, flow.user_id, flow.channel_id)
        assert association.id is not None
        await self._flows.finish(flow.id, association_id=association.id)
        await publish(self._sessions, self._notifier, association)
        return LinkResult(association, invitation)

    async def _send(self, view_id: str, choice: LinkChoice, earlier_attempt: str | None) -> str:
        if earlier_attempt:
            try:
                for invitation in await self._rainbow.list_link_invitations(statuses=[InvitationStatus.PENDING]):
                    if invitation.invited_company_id == choice.company_id:
                        return invitation.id
            except RainbowError as error:
                raise explain(error, f"checking the invitation to {choice.company_name}") from error
        await self._flows.save(view_id, "submitting", invite_sent_at=utcnow().isoformat())
        try:
            invitation = await self._rainbow.invite_company_to_link(
                choice.company_id, lang=choice.lang, custom_message=choice.message
            )
        except RainbowError as error:
            if not isinstance(error, UNKNOWN_OUTCOME):
                await self._flows.save(view_id, "submitting", invite_sent_at=None)
            raise explain(error, f"inviting {choice.company_name}") from error
        return invitation.id

    async def _track(
        self, choice: LinkChoice, invitation_id: str, requester: str, channel_id: str | None
    ) -> tuple[Association, LinkInvitation]:
        async with self._sessions() as session, session.begin():
            await insert_if_absent(
                session,
                Association,
                {
                    "rainbow_company_id": choice.company_id,
                    "name": choice.company_name,
                    "name_folded": fold(choice.company_name),
                    "country": choice.country,
                    "origin": Origin.INVITED,
                    "status": choice.status or CompanyStatus.ACTIVE,
                    "requester": requester,
                    "channel_id": channel_id,
                },
                unique=("rainbow_company_id",),
            )
            association = (
                await session.exec(select(Association).where(col(Association.rainbow_company_id) == choice.company_id))
            ).one()
            await insert_if_absent(
                session,
                LinkInvitation,
                {
                    "rainbow_invitation_id": invitation_id,
                    "association_id": association.id,
                    "invited_company_id": choice.company_id,
                    "invited_company_name": choice.company_name,
                    "lang": choice.lang,
                    "custom_message": choice.message,
                    "requester": requester,
                },
                unique=("rainbow_invitation_id",),
            )
            invitation = (
                await session.exec(
                    select(LinkInvitation).where(col(LinkInvitation.rainbow_invitation_id) == invitation_id)
                )
            ).one()
            record(
                session,
                actor=requester,
                action="link_invitation.send",
                target_type="association",
                target_id=association.id,
                company=choice.company_name,
                rainbow_invitation_id=invitation_id,
            )
        return association, invitation

    async def _audit(self, actor: str, choice: LinkChoice, outcome: str, problem: str) -> None:
        async with self._sessions() as session, session.begin():
            record(
                session,
                actor=actor,
                action="link_invitation.send",
                target_type="company",
                target_id=choice.company_id,
                outcome=outcome,
                company=choice.company_name,
                problem=problem,
            )
