"""Read-only views of what we track: customer companies and requests awaiting a decision."""

from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlmodel import col, select

from bot.services.countries import fold
from storage.engine import SessionFactory
from storage.models import Association, IncomingRequest, LinkInvitation
from storage.statuses import RequestStatus

PAGE = 10


@dataclass(frozen=True)
class CustomerRow:
    association: Association
    link_status: str | None


@dataclass(frozen=True)
class CustomerPage:
    rows: list[CustomerRow]
    total: int
    offset: int
    query: str

    @property
    def next_offset(self) -> int | None:
        following = self.offset + len(self.rows)
        return following if following < self.total else None


@dataclass(frozen=True)
class HomeSummary:
    counts: dict[str, int]
    mine: list[Association]
    pending_requests: int


class Directory:
    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    async def customers(self, query: str = "", offset: int = 0, limit: int = PAGE) -> CustomerPage:
        """Tracked companies, newest first, matching ``query`` in the name or the customer reference."""
        condition = None
        if query:
            condition = or_(
                col(Association.name_folded).contains(fold(query), autoescape=True),
                col(Association.external_reference).startswith(query, autoescape=True),
            )
        async with self._sessions() as session:
            counted = select(func.count()).select_from(Association)
            listed = select(Association).order_by(col(Association.created_at).desc(), col(Association.id).desc())
            if condition is not None:
                counted, listed = counted.where(condition), listed.where(condition)
            total = (await session.exec(counted)).one()
            associations = (await session.exec(listed.offset(offset).limit(limit))).all()
            links = {
                link.association_id: link.status
                for link in (
                    await session.exec(
                        select(LinkInvitation)
                        .where(col(LinkInvitation.association_id).in_([a.id for a in associations]))
                        .order_by(col(LinkInvitation.id))
                    )
                ).all()
            }
        rows = [CustomerRow(a, links.get(a.id)) for a in associations]
        return CustomerPage(rows=rows, total=int(total), offset=offset, query=query)

    async def home(self, user: str, recent: int = 5) -> HomeSummary:
        """Counts by company status, the viewer's latest companies, and how many requests wait."""
        async with self._sessions() as session:
            counts = dict(
                (await session.exec(select(Association.status, func.count()).group_by(col(Association.status)))).all()
            )
            mine = (
                await session.exec(
                    select(Association)
                    .where(col(Association.requester) == user)
                    .order_by(col(Association.created_at).desc(), col(Association.id).desc())
                    .limit(recent)
                )
            ).all()
            waiting = (
                await session.exec(
                    select(func.count())
                    .select_from(IncomingRequest)
                    .where(col(IncomingRequest.status).in_([RequestStatus.PENDING, RequestStatus.FAILED]))
                )
            ).one()
        return HomeSummary({str(k): int(v) for k, v in counts.items()}, list(mine), int(waiting))

    async def pending_requests(self, limit: int = 50) -> list[IncomingRequest]:
        """Customer requests nobody has answered yet, oldest first."""
        waiting = (RequestStatus.PENDING, RequestStatus.ACCEPTING, RequestStatus.DECLINING, RequestStatus.FAILED)
        async with self._sessions() as session:
            return list(
                (
                    await session.exec(
                        select(IncomingRequest)
                        .where(col(IncomingRequest.status).in_([str(s) for s in waiting]))
                        .order_by(col(IncomingRequest.request_date), col(IncomingRequest.id))
                        .limit(limit)
                    )
                ).all()
            )
