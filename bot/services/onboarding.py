"""Create a customer company and invite its administrator, exactly once per submitted form.

Rainbow's create and invite calls are not idempotent, and a timeout leaves their
outcome unknown. So each attempt is written down before the call, and an attempt
whose outcome is unknown looks Rainbow up before calling again. A company that was
created stays tracked even if the invitation fails; that failure is stored and
offered as a retry, never hidden.
"""

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import col, select

from bot.notifier import Notifier
from bot.rainbow import (
    UNKNOWN_OUTCOME,
    Company,
    RainbowClient,
    RainbowError,
    RainbowSearchUnavailable,
)
from bot.services.countries import fold
from bot.services.drafts import AdminChoice, CompanyDraft
from bot.services.errors import DomainError, NotFound, RainbowProblem, explain
from bot.services.flows import Flows
from bot.services.publishing import publish
from bot.services.typeahead import within_typeahead_budget
from storage.audit import record
from storage.engine import SessionFactory
from storage.inserts import insert_if_absent
from storage.models import AdminInvitation, Association, Flow, utcnow
from storage.statuses import CompanyStatus, FlowStatus, Origin

logger = logging.getLogger(__name__)
DUPLICATE_CHECK_SECONDS = 20.0
MAX_PAGES_FULL_NAME = 5  # 500 visible companies containing the whole name is already more than anyone reads
CLOCK_SKEW = timedelta(minutes=2)


NO_COMPANYLESS_USERS = "Rainbow shows resellers no company-less users: type the e-mail"


@dataclass(frozen=True)
class Duplicate:
    """A company that may be the one the reseller is about to create."""

    company_id: str
    name: str
    status: str | None
    country: str | None
    ours: bool
    reason: str


@dataclass(frozen=True)
class CreationResult:
    association: Association
    admin_invitation: AdminInvitation | None
    problem: str | None
    already_running: bool = False  # another click is retrying the invitation right now


def search_terms(name: str) -> set[str]:
    """What to ask Rainbow for so that a match is found whatever its case and accents.

    Rainbow's `name` filter is "contains"; whether it ignores accents is unconfirmed. So
    besides the name as typed and unaccented, its first and last three letters are searched
    too ("Acmé" contains "acm", "Étoile" contains "ile"); `similar` then keeps the real matches.
    """
    folded = fold(name)
    terms = {name, folded}
    if len(folded) >= 4:
        terms |= {folded[:3], folded[-3:]}
    return {term for term in terms if term}


def similar(a: str, b: str) -> bool:
    """Same name once case and accents are ignored, or one contained in the other."""
    left, right = fold(a), fold(b)
    return bool(left and right) and (left == right or left in right or right in left)


class Onboarding:
    def __init__(self, sessions: SessionFactory, rainbow: RainbowClient, notifier: Notifier, flows: Flows) -> None:
        self._sessions = sessions
        self._rainbow = rainbow
        self._notifier = notifier
        self._flows = flows

    async def find_duplicates(self, draft: CompanyDraft) -> list[Duplicate]:
        """Our customers by name and by customer reference, then visible companies by name.

        Bounded: the short accent-proof terms read at most one page of the public directory, and
        the whole check gives up after DUPLICATE_CHECK_SECONDS rather than keep the person waiting.
        """
        try:
            return await asyncio.wait_for(self._duplicates(draft), DUPLICATE_CHECK_SECONDS)
        except TimeoutError:
            raise RainbowProblem(
                "Rainbow took too long to answer the duplicate check. Try again, or go back and create anyway.",
                retryable=True,
            ) from None

    async def _duplicates(self, draft: CompanyDraft) -> list[Duplicate]:
        names = search_terms(draft.name)
        found: dict[str, Duplicate] = {}
        try:
            for name in names:
                for company in await self._rainbow.list_customers(name=name):
                    if similar(company.name, draft.name):
                        found.setdefault(company.id, self._duplicate(company, True, "already our customer"))
            if draft.external_reference:
                for company in await self._rainbow.list_customers(external_reference=draft.external_reference):
                    if company.external_reference == draft.external_reference:
                        found.setdefault(company.id, self._duplicate(company, True, "same customer reference"))
            for name in names:
                pages = MAX_PAGES_FULL_NAME if name in (draft.name, fold(draft.name)) else 1
                for company in await self._rainbow.search_visible_companies(name, max_pages=pages):
                    if similar(company.name, draft.name):
                        found.setdefault(company.id, self._duplicate(company, False, "existing Rainbow company"))
        except RainbowError as error:
            raise explain(error, "checking Rainbow for duplicates") from error
        return sorted(found.values(), key=lambda d: (not d.ours, fold(d.name)))

    @staticmethod
    def _duplicate(company: Company, ours: bool, reason: str) -> Duplicate:
        return Duplicate(
            company_id=company.id,
            name=company.name,
            status=company.status,
            country=company.country,
            ours=ours,
            reason=reason,
        )

    async def find_users(self, prefix: str) -> tuple[list[tuple[str, str]], str | None]:
        """Rainbow users without a company whose name starts with ``prefix``: (id, label) pairs, or why not.

        No documented call lists company-less users for a bp_admin: GetUsers gives a bp_admin "only users
        from company being End Customers of their BP company" (admin OpenAPI 1.82.0), and the official SDK
        has nothing else. The search is still tried (another account type may get answers), but an empty
        answer is explained and steers to the e-mail field, as are a refusal and a slow answer.
        """
        if not prefix.strip():
            return [], None
        try:
            users = await within_typeahead_budget(
                self._rainbow.search_users_without_company(prefix), "search_users_without_company"
            )
        except RainbowSearchUnavailable:
            return [], "Searching Rainbow users is not available: use the e-mail field"
        except RainbowError:
            return [], "Rainbow did not answer in time: use the e-mail field"
        if not users:
            return [], NO_COMPANYLESS_USERS
        labels = [(u.id, f"{u.display_name} ({u.login_email})" if u.login_email else u.display_name) for u in users]
        return labels, None

    async def submit(self, view_id: str) -> CreationResult | None:
        """Run the final step of the create flow; None if another delivery of the same submit runs it."""
        flow = await self._flows.begin_submit(view_id)
        if flow is None:
            return None
        assert flow.id is not None
        draft = CompanyDraft.from_data(flow.data["company"])
        try:
            association = await self._ensure_company(flow, draft)
            result = await self._ensure_invitation(association, AdminChoice.from_data(flow.data["admin"]), flow)
        except DomainError as error:
            await self._flows.finish(flow.id, error=error.message)
            raise
        except Exception:  # never leave the form stuck in "submitting": Try again must stay possible
            await self._flows.finish(flow.id, error="unexpected error")
            raise
        await self._flows.finish(flow.id, association_id=association.id, error=result.problem)
        return result

    async def stored_outcome(self, view_id: str) -> CreationResult | None:
        """What a finished create flow produced, read back from the store (None while it runs)."""
        flow = await self._flows.get(view_id)
        if flow.status != FlowStatus.DONE or flow.association_id is None:
            return None
        association = await self._association(flow.association_id)
        return CreationResult(association, await self._admin_invitation(association), association.problem)

    async def retry_invitation(self, association_id: int, actor: str) -> CreationResult:
        """The *Retry invitation* button: invite again unless an invitation already exists.

        The button is in a channel: two people may press it at once. Clearing the stored problem
        is the claim (a conditional UPDATE); only its winner talks to Rainbow.
        """
        flow = await self._flows.get_for_association(association_id)
        association = await self._association(association_id)
        if flow is None or "admin" not in flow.data:
            raise NotFound("The administrator's details for this company are no longer known; invite them again.")
        async with self._sessions() as session, session.begin():
            claimed = await session.exec(
                update(Association)
                .where(col(Association.id) == association_id, col(Association.problem).is_not(None))
                .values(problem=None, updated_at=utcnow())
            )
        if claimed.rowcount != 1:
            return CreationResult(association, await self._admin_invitation(association), None, already_running=True)
        return await self._ensure_invitation(association, AdminChoice.from_data(flow.data["admin"]), flow, actor)

    async def _ensure_company(self, flow: Flow, draft: CompanyDraft) -> Association:
        if flow.association_id is not None:
            return await self._association(flow.association_id)
        assert flow.id is not None
        earlier_attempt = flow.data.get("create_sent_at")
        if earlier_attempt:
            existing = await self._find_created(draft, datetime.fromisoformat(earlier_attempt))
            if existing is not None:
                logger.info("adopting company %s created by an earlier attempt", existing.id)
                return await self._track_company(flow, existing, draft)
        await self._flows.save(flow.view_id, "submitting", create_sent_at=utcnow().isoformat())
        try:
            company = await self._rainbow.create_company(
                name=draft.name,
                country=draft.country,
                state=draft.state,
                visibility=draft.visibility,
                external_reference=draft.external_reference,
                external_reference2=draft.external_reference2,
                support_email=draft.support_email,
            )
        except RainbowError as error:
            if not isinstance(error, UNKNOWN_OUTCOME):
                await self._flows.save(flow.view_id, "submitting", create_sent_at=None)
            await self._audit(flow.user_id, "company.create", None, "failed", name=draft.name, error=str(error))
            raise explain(error, f"creating {draft.name}") from error
        return await self._track_company(flow, company, draft)

    async def _find_created(self, draft: CompanyDraft, since: datetime) -> Company | None:
        """A company our earlier, unanswered create may have made: same name, made since, not tracked yet."""
        try:
            candidates = await self._rainbow.list_customers(name=draft.name)
        except RainbowError as error:
            raise explain(error, f"checking whether {draft.name} was already created") from error
        async with self._sessions() as session:
            tracked = set(
                (
                    await session.exec(
                        select(Association.rainbow_company_id).where(
                            col(Association.rainbow_company_id).in_([c.id for c in candidates])
                        )
                    )
                ).all()
            )
        matches = [
            company
            for company in candidates
            if company.name == draft.name
            and company.id not in tracked
            and (company.external_reference or None) == draft.external_reference
            and (company.creation_date is None or company.creation_date >= since - CLOCK_SKEW)
        ]
        return max(matches, key=lambda c: c.creation_date or since) if matches else None

    async def _track_company(self, flow: Flow, company: Company, draft: CompanyDraft) -> Association:
        assert flow.id is not None
        async with self._sessions() as session, session.begin():
            await insert_if_absent(
                session,
                Association,
                {
                    "rainbow_company_id": company.id,
                    "name": company.name or draft.name,
                    "name_folded": fold(company.name or draft.name),
                    "country": company.country or draft.country,
                    "state": company.state or draft.state,
                    "visibility": company.visibility or draft.visibility,
                    "external_reference": draft.external_reference,
                    "external_reference2": draft.external_reference2,
                    "support_email": draft.support_email,
                    "origin": Origin.CREATED,
                    "status": company.status or CompanyStatus.INITIALIZING,
                    "requester": flow.user_id,
                    "channel_id": flow.channel_id,
                },
                unique=("rainbow_company_id",),
            )
            association = (
                await session.exec(select(Association).where(col(Association.rainbow_company_id) == company.id))
            ).one()
            record(
                session,
                actor=flow.user_id,
                action="company.create",
                target_type="association",
                target_id=association.id,
                name=association.name,
                rainbow_company_id=company.id,
            )
        assert association.id is not None
        await self._flows.attach(flow.id, association.id)
        return association

    async def _ensure_invitation(
        self, association: Association, admin: AdminChoice, flow: Flow, actor: str | None = None
    ) -> CreationResult:
        actor = actor or flow.user_id
        existing = await self._admin_invitation(association)
        if existing is not None:
            return CreationResult(association, existing, None)
        invitation_id = problem = None
        if flow.data.get("invite_sent_at"):
            try:
                invitation_id = await self._find_invitation(association, admin)
            except DomainError as error:  # unknown whether the earlier one landed: never invite blindly
                problem = (
                    f"{association.name} was created; the invitation to {admin.who} is unconfirmed: {error.message}"
                )
        if invitation_id is None and problem is None:
            await self._flows.save(flow.view_id, flow.step, invite_sent_at=utcnow().isoformat())
            try:
                invitation = await self._rainbow.invite_company_admin(
                    association.rainbow_company_id,
                    email=admin.email,
                    invited_user_id=admin.user_id,
                    lang=admin.lang,
                    custom_message=admin.message,
                )
                invitation_id = invitation.id
            except RainbowError as error:
                if not isinstance(error, UNKNOWN_OUTCOME):
                    await self._flows.save(flow.view_id, flow.step, invite_sent_at=None)
                problem = (
                    f"{association.name} was created, but the invitation to {admin.who} was not sent: "
                    + explain(error, f"inviting {admin.who}").message
                )
        stored = await self._store_invitation(association, admin, invitation_id, problem, actor)
        refreshed = await self._association(association.id or 0)
        await publish(self._sessions, self._notifier, refreshed)
        return CreationResult(await self._association(association.id or 0), stored, problem)

    async def _find_invitation(self, association: Association, admin: AdminChoice) -> str | None:
        """The invitation an earlier, unanswered attempt may have created (RainbowProblem if unknowable)."""
        try:
            pending = await self._rainbow.list_join_invitations(association.rainbow_company_id)
        except RainbowError as error:
            raise explain(error, f"checking whether {admin.who} was already invited") from error
        for invitation in pending:
            if (admin.email and (invitation.invited_user_login_email or "").lower() == admin.email.lower()) or (
                admin.user_id and invitation.invited_user_id == admin.user_id
            ):
                return invitation.id
        return None

    async def _store_invitation(
        self,
        association: Association,
        admin: AdminChoice,
        invitation_id: str | None,
        problem: str | None,
        actor: str,
    ) -> AdminInvitation | None:
        assert association.id is not None
        async with self._sessions() as session, session.begin():
            row = await session.get(Association, association.id)
            assert row is not None
            row.problem = problem
            row.updated_at = utcnow()
            session.add(row)
            record(
                session,
                actor=actor,
                action="admin_invitation.send",
                target_type="association",
                target_id=association.id,
                outcome="failed" if problem else "ok",
                invitee=admin.who,
                problem=problem,
            )
            if invitation_id is None:
                return None
            await insert_if_absent(
                session,
                AdminInvitation,
                {
                    "rainbow_invitation_id": invitation_id,
                    "association_id": association.id,
                    "email": admin.email,
                    "invited_user_id": admin.user_id,
                    "lang": admin.lang,
                    "requester": actor,
                },
                unique=("rainbow_invitation_id",),
            )
        return await self._admin_invitation(association)

    async def _admin_invitation(self, association: Association) -> AdminInvitation | None:
        async with self._sessions() as session:
            return (
                await session.exec(
                    select(AdminInvitation)
                    .where(col(AdminInvitation.association_id) == association.id)
                    .order_by(col(AdminInvitation.id).desc())
                )
            ).first()

    async def _association(self, association_id: int) -> Association:
        async with self._sessions() as session:
            association = await session.get(Association, association_id)
        if association is None:
            raise NotFound("This customer company is no longer tracked by the bot.")
        return association

    async def _audit(self, actor: str, action: str, target_id: int | None, outcome: str, **details: object) -> None:
        async with self._sessions() as session, session.begin():
            record(
                session,
                actor=actor,
                action=action,
                target_type="association",
                target_id=target_id,
                outcome=outcome,
                **details,
            )
