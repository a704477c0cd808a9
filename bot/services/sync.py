"""Follow companies and invitations until they settle, and tell the people who started them.

Each period reads Rainbow with list calls (the customers still initializing; our
pending bp-link invitations) and compares with the store. Only what changed is
written, each change by compare-and-set, so two replicas never announce the same
event twice.

A steady period costs one call per page of each list, whatever the number of
companies. A company's join invitations are read only when the company's status
changed (its administrator joined, so the invitation was accepted), plus a small
rotating sample of the companies still waiting, which notices invitations declined,
cancelled or failed while the company stays initializing.
"""

import logging
from dataclasses import dataclass, field

from sqlmodel import col, select

from bot.notifier import Change, Notifier, NotifierError
from bot.rainbow import RainbowClient, RainbowError, RainbowNotFound
from bot.rainbow.ratelimit import background_calls
from bot.services.publishing import publish
from storage.audit import record
from storage.engine import SessionFactory
from storage.models import AdminInvitation, Association, LinkInvitation, utcnow
from storage.statuses import CompanyStatus, InvitationStatus
from storage.transitions import transition

logger = logging.getLogger(__name__)


@dataclass
class SyncResult:
    changes: list[str] = field(default_factory=list)
    calls: int = 0
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        changes, calls, problems = len(self.changes), self.calls, len(self.problems)
        text = f"{changes} change{'' if changes == 1 else 's'} in {calls} Rainbow call{'' if calls == 1 else 's'}"
        if not problems:
            return text
        return text + f"; {problems} problem{'' if problems == 1 else 's'}: " + "; ".join(self.problems)


class SyncIncomplete(Exception):
    """Some items could not be read; everything else was synced (the tick is recorded as failed)."""

    def __init__(self, result: SyncResult) -> None:
        super().__init__(str(result))
        self.result = result


def _known(enum: type[CompanyStatus] | type[InvitationStatus], value: str | None) -> str | None:
    return value if value in {member.value for member in enum} else None


SAMPLE_PER_PERIOD = 1


class StatusSync:
    def __init__(
        self,
        sessions: SessionFactory,
        rainbow: RainbowClient,
        notifier: Notifier,
        sample_per_period: int = SAMPLE_PER_PERIOD,
    ) -> None:
        """`sample_per_period` companies still waiting get their invitations read each period, in
        turn (at 1 and a 60 s period, 1,000 waiting companies are each looked at about every 17 hours)."""
        self._sessions = sessions
        self._rainbow = rainbow
        self._notifier = notifier
        self._sample_per_period = sample_per_period
        self._sample_after = 0  # association id the rotating sample resumes after
        self._changed_companies: set[int] = set()

    async def run(self) -> SyncResult:
        """Each phase and each item on its own: one company Rainbow cannot read never blocks the rest."""
        result = SyncResult()
        self._changed_companies = set()
        with background_calls():  # a person's click waiting for Rainbow goes first
            for phase in (self._companies, self._admin_invitations, self._link_invitations):
                try:
                    await phase(result)
                except RainbowError as error:
                    result.problems.append(f"{phase.__name__.strip('_')}: {error}")
        if result.problems:
            raise SyncIncomplete(result)
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
            result.calls += 1
            try:
                company = await self._rainbow.get_company(association.rainbow_company_id)
                new = _known(CompanyStatus, company.status)
            except RainbowNotFound:
                new, missing = CompanyStatus.TERMINATED, True
            except RainbowError as error:
                result.problems.append(f"{association.name}: {error}")
                continue
            else:
                missing = False
            if new is None or new == association.status:
                continue
            values: dict[str, object] = {"activated_at": utcnow()} if new == CompanyStatus.ACTIVE else {}
            if missing:
                values["problem"] = "Rainbow no longer knows this company (deleted, or no longer visible to the bot)."
            if await self._move(association, CompanyStatus(association.status), CompanyStatus(new), **values):
                assert association.id is not None
                self._changed_companies.add(association.id)
                await self._announce(association.id, Change("company", "missing" if missing else new))
                result.changes.append(f"{association.name}: {'missing' if missing else new}")

    async def _admin_invitations(self, result: SyncResult) -> None:
        """Read the invitations of the companies that changed this period, and of the next few in turn."""
        ids = self._changed_companies | set(await self._next_sample())
        if not ids:
            return
        async with self._sessions() as session:
            pending = (
                await session.exec(
                    select(AdminInvitation, Association)
                    .join(Association, col(Association.id) == col(AdminInvitation.association_id))
                    .where(
                        col(AdminInvitation.status) == InvitationStatus.PENDING,
                        col(Association.status) != CompanyStatus.TERMINATED,
                        col(Association.id).in_(ids),
                    )
                )
            ).all()
        by_company: dict[str, list[tuple[AdminInvitation, Association]]] = {}
        for invitation, association in pending:
            by_company.setdefault(association.rainbow_company_id, []).append((invitation, association))
        for company_id, rows in by_company.items():
            result.calls += 1
            try:
                seen = {i.id: i for i in await self._rainbow.list_join_invitations(company_id)}
            except RainbowError as error:
                result.problems.append(f"{rows[0][1].name} invitations: {error}")
                continue
            for invitation, association in rows:
                fresh = seen.get(invitation.rainbow_invitation_id)
                new = _known(InvitationStatus, fresh.status if fresh else None)
                if new is None or new == invitation.status:
                    continue
                if await self._move(invitation, InvitationStatus.PENDING, InvitationStatus(new), decided_at=utcnow()):
                    await self._announce(association.id, Change("admin_invitation", new, invitation.email))
                    result.changes.append(f"{association.name} administrator: {new}")

    async def _next_sample(self) -> list[int]:
        """The next companies with a pending administrator invitation after the cursor, wrapping around."""
        if self._sample_per_period <= 0:
            return []
        chosen = await self._waiting_companies(after=self._sample_after, limit=self._sample_per_period)
        if len(chosen) < self._sample_per_period and self._sample_after:
            more = await self._waiting_companies(after=0, limit=self._sample_per_period - len(chosen))
            chosen += [company for company in more if company not in chosen]
        self._sample_after = chosen[-1] if chosen else 0
        return chosen

    async def _waiting_companies(self, *, after: int, limit: int) -> list[int]:
        async with self._sessions() as session:
            rows = await session.exec(
                select(Association.id)
                .join(AdminInvitation, col(AdminInvitation.association_id) == col(Association.id))
                .where(
                    col(AdminInvitation.status) == InvitationStatus.PENDING,
                    col(Association.status) != CompanyStatus.TERMINATED,
                    col(Association.id) > after,
                )
                .group_by(col(Association.id))
                .order_by(col(Association.id))
                .limit(limit)
            )
            return [company for company in rows.all() if company is not None]

    async def _link_invitations(self, result: SyncResult) -> None:
        async with self._sessions() as session:
            pending = (
                await session.exec(select(LinkInvitation).where(col(LinkInvitation.status) == InvitationStatus.PENDING))
            ).all()
        if not pending:
            return
        seen = {i.id: i for i in await self._rainbow.list_link_invitations(statuses=[InvitationStatus.PENDING])}
        result.calls += 1
        for invitation in pending:
            fresh = seen.get(invitation.rainbow_invitation_id)
            if fresh is None:  # no longer pending: read this one to learn how it ended
                result.calls += 1
                try:
                    fresh = await self._rainbow.get_link_invitation(invitation.rainbow_invitation_id)
                except RainbowError as error:
                    result.problems.append(f"{invitation.invited_company_name} invitation: {error}")
                    continue
            new = _known(InvitationStatus, fresh.status)
            if new is None or new == invitation.status:
                continue
            if await self._move(invitation, InvitationStatus.PENDING, InvitationStatus(new), decided_at=utcnow()):
                await self._announce(invitation.association_id, Change("link_invitation", new))
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
                    action="sync." + type(row).__tablename__,
                    target_type=type(row).__tablename__,
                    target_id=row.id,
                    status=str(new),
                )
        return moved

    async def _announce(self, association_id: int | None, change: Change) -> None:
        """Reply in the status message's thread, DM the requester, re-render the status message."""
        if association_id is None:
            return
        async with self._sessions() as session:
            association = await session.get(Association, association_id)
        if association is None:
            return
        try:
            await self._notifier.announce(association, change)
        except NotifierError as error:  # the change is stored either way; the next re-render shows it
            logger.warning("could not announce %s for %s: %s", change, association.name, error.code)
        await publish(self._sessions, self._notifier, association)
