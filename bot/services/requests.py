"""Customers asking us to be their reseller: poll, post for approval, decide exactly once.

Every decision is a compare-and-set from ``pending`` to ``accepting``/``declining``;
only its winner calls Rainbow. A request answered elsewhere (console, another
replica, the customer cancelling) is read back and shown as it really is.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.notifier import MessageRef, Notifier, NotifierError
from bot.rainbow import LinkRequest, RainbowClient, RainbowConflict, RainbowError
from bot.rainbow.ratelimit import background_calls
from bot.services.countries import fold
from bot.services.errors import NotFound, explain
from storage.audit import record
from storage.engine import SessionFactory
from storage.inserts import insert_if_absent
from storage.models import Association, IncomingRequest, utcnow
from storage.statuses import CompanyStatus, Origin, RequestStatus
from storage.transitions import transition

logger = logging.getLogger(__name__)
POST_LEASE = timedelta(minutes=5)
ANSWER_LEASE = timedelta(minutes=10)  # an accept/decline in flight for longer was abandoned by its process
IN_FLIGHT = (RequestStatus.ACCEPTING, RequestStatus.DECLINING)
FINAL_FROM_RAINBOW = {
    "accepted": RequestStatus.ACCEPTED,
    "auto-accepted": RequestStatus.AUTO_ACCEPTED,
    "declined": RequestStatus.DECLINED,
    "canceled": RequestStatus.CANCELED,
    "failed": RequestStatus.FAILED,
    "pending": RequestStatus.PENDING,
}


@dataclass(frozen=True)
class PollResult:
    new: int
    posted: int
    updated: int
    pending: int
    not_posted: int = 0

    def __str__(self) -> str:
        text = f"{self.new} new, {self.posted} posted, {self.updated} answered elsewhere, {self.pending} pending"
        return text + (f", {self.not_posted} not posted (Slack refused; retried next poll)" if self.not_posted else "")


@dataclass(frozen=True)
class Decision:
    """What happened to a click, as data (blocks.requests words it).

    ``outcome``: "answered" (this click answered Rainbow), "already" (someone or something
    answered first; ``request`` shows the real state), "not_answered" (Rainbow did not take
    it; ``reason`` says why and the request is pending again).
    """

    request: IncomingRequest
    outcome: str
    reason: str | None = None


class Requests:
    def __init__(
        self,
        sessions: SessionFactory,
        rainbow: RainbowClient,
        notifier: Notifier,
        channel: str,
        on_decision: Callable[[str], None] | None = None,
    ) -> None:
        self._sessions = sessions
        self._rainbow = rainbow
        self._notifier = notifier
        self._channel = channel
        self._on_decision = on_decision or (lambda _status: None)

    async def poll(self) -> PollResult:
        """Store new pending requests, post what is not posted yet, and notice requests answered elsewhere."""
        with background_calls():  # an approver's click waiting for Rainbow goes first
            pending = await self._rainbow.list_link_requests(statuses=["pending"])
        new = 0
        async with self._sessions() as session, session.begin():
            for request in pending:
                new += await insert_if_absent(
                    session, IncomingRequest, self._row(request), unique=("rainbow_request_id",)
                )
        posted, not_posted = await self._post_unposted()
        updated = await self._reconcile({request.id for request in pending})
        return PollResult(new=new, posted=posted, updated=updated, pending=len(pending), not_posted=not_posted)

    @staticmethod
    def _row(request: LinkRequest) -> dict[str, object]:
        return {
            "rainbow_request_id": request.id,
            "requesting_company_id": request.requesting_company_id or "",
            "requesting_company_name": request.requesting_company_name or request.requesting_company_id or "?",
            "requester_email": request.requesting_admin_login_email,
            "message": request.custom_message,
            "request_date": request.request_date or utcnow(),
        }

    async def _post_unposted(self) -> tuple[int, int]:
        """Post every stored request without a message (new ones, or ones whose post failed last time).

        Each post is claimed first (a conditional UPDATE with a lease), so replicas whose polls
        overlap never post the same request twice; a claim left by a crash expires.
        """
        async with self._sessions() as session:
            waiting = (
                await session.exec(
                    select(IncomingRequest)
                    .where(col(IncomingRequest.message_ts).is_(None))
                    .order_by(col(IncomingRequest.request_date), col(IncomingRequest.id))
                )
            ).all()
        posted = not_posted = 0
        for request in waiting:
            if not await self._claim_post(request):
                continue
            try:
                ref = await self._notifier.post_request(self._channel, request)
            except NotifierError as error:
                logger.warning("request %s not posted: %s", request.rainbow_request_id, error.code)
                await self._release_post(request)
                not_posted += 1
                continue
            async with self._sessions() as session, session.begin():
                row = await session.get(IncomingRequest, request.id)
                if row is not None:
                    row.channel_id, row.message_ts = ref.channel, ref.ts
                    session.add(row)
            posted += 1
        return posted, not_posted

    async def _release_post(self, request: IncomingRequest) -> None:
        """A post Slack refused is open again at once for the next poll."""
        async with self._sessions() as session, session.begin():
            await session.exec(
                update(IncomingRequest)
                .where(col(IncomingRequest.id) == request.id, col(IncomingRequest.message_ts).is_(None))
                .values(post_claimed_at=None)
            )

    async def _claim_post(self, request: IncomingRequest) -> bool:
        now = utcnow()
        async with self._sessions() as session, session.begin():
            result = await session.exec(
                update(IncomingRequest)
                .where(
                    col(IncomingRequest.id) == request.id,
                    col(IncomingRequest.message_ts).is_(None),
                    or_(
                        col(IncomingRequest.post_claimed_at).is_(None),
                        col(IncomingRequest.post_claimed_at) < now - POST_LEASE,
                    ),
                )
                .values(post_claimed_at=now)
            )
        return result.rowcount == 1

    async def _reconcile(self, still_pending: set[str]) -> int:
        """Requests we think are open but Rainbow no longer lists as pending, and answers abandoned mid-way
        by a dead process: read each from Rainbow and show its real state."""
        async with self._sessions() as session:
            stale = (
                await session.exec(
                    select(IncomingRequest).where(
                        col(IncomingRequest.status).in_([RequestStatus.PENDING, RequestStatus.FAILED]),
                        col(IncomingRequest.rainbow_request_id).not_in(still_pending),
                    )
                )
            ).all()
            abandoned = (
                await session.exec(
                    select(IncomingRequest).where(
                        col(IncomingRequest.status).in_([str(s) for s in IN_FLIGHT]),
                        col(IncomingRequest.updated_at) < utcnow() - ANSWER_LEASE,
                    )
                )
            ).all()
        updated = 0
        for request in [*stale, *abandoned]:
            try:
                fresh = await self._rainbow.get_link_request(request.rainbow_request_id)
            except RainbowError as error:
                logger.warning("request %s could not be re-read: %s", request.rainbow_request_id, error)
                continue
            if request.status in IN_FLIGHT and fresh.status == "pending":
                # the process answering it died before Rainbow heard: open it again for approvers
                await self._roll_back(request, "the answer was interrupted; it is waiting for a decision again")
                updated += 1
            elif await self._settle(
                request, fresh, actor=self._who_answered(request, fresh), expected=RequestStatus(request.status)
            ):
                updated += 1
        return updated

    @staticmethod
    def _who_answered(request: IncomingRequest, fresh: LinkRequest) -> str:
        """The approver, when Rainbow's state is what their interrupted click asked for; else Rainbow."""
        intended = {RequestStatus.ACCEPTING: ("accepted", "auto-accepted"), RequestStatus.DECLINING: ("declined",)}
        if request.decided_by and fresh.status in intended.get(RequestStatus(request.status), ()):
            return request.decided_by
        return "rainbow"

    async def decide(self, request_id: int, accept: bool, user: str) -> Decision:
        """One approver's click; the first click wins, every other one is told who decided."""
        target = RequestStatus.ACCEPTING if accept else RequestStatus.DECLINING
        async with self._sessions() as session, session.begin():
            won = await transition(
                session,
                IncomingRequest,
                request_id,
                (RequestStatus.PENDING, RequestStatus.FAILED) if not accept else RequestStatus.PENDING,
                target,
                decided_by=user,
            )
        request = await self.get(request_id)
        if not won:
            return Decision(request, "already")
        try:
            answered = await (
                self._rainbow.accept_link_request(request.rainbow_request_id)
                if accept
                else self._rainbow.decline_link_request(request.rainbow_request_id)
            )
            actor = user
        except RainbowError as error:
            # 409: answered elsewhere first; timeout or 5xx: it may or may not have landed. Either way,
            # Rainbow's own state decides what we show and in whose name.
            read = await self._read_back(request)
            if read is None or read.status == "pending":
                reason = (
                    "Rainbow says this request changed; try again in a minute."
                    if isinstance(error, RainbowConflict)
                    else explain(error, "answering the request").message
                )
                return await self._roll_back(request, reason)
            answered, actor = read, self._who_answered(request, read)
        await self._settle(request, answered, actor=actor, expected=target)
        final = await self.get(request_id)
        self._on_decision(str(final.status))
        wanted = {RequestStatus.ACCEPTED, RequestStatus.AUTO_ACCEPTED} if accept else {RequestStatus.DECLINED}
        return Decision(final, "answered" if final.status in wanted and actor == user else "already")

    async def _read_back(self, request: IncomingRequest) -> LinkRequest | None:
        try:
            return await self._rainbow.get_link_request(request.rainbow_request_id)
        except RainbowError as error:
            logger.warning("request %s could not be read back: %s", request.rainbow_request_id, error)
            return None

    async def _roll_back(self, request: IncomingRequest, reason: str) -> Decision:
        """Rainbow did not take the answer: the request is pending again and the clicker may retry."""
        assert request.id is not None
        async with self._sessions() as session, session.begin():
            await transition(
                session, IncomingRequest, request.id, IN_FLIGHT, RequestStatus.PENDING, decided_by=None, decided_at=None
            )
            record(
                session,
                actor=request.decided_by or "?",
                action="request.answer",
                target_type="request",
                target_id=request.id,
                outcome="failed",
                reason=reason,
            )
        await self._rerender(await self.get(request.id))
        return Decision(await self.get(request.id), "not_answered", reason)

    async def _settle(
        self,
        request: IncomingRequest,
        fresh: LinkRequest,
        *,
        actor: str,
        expected: RequestStatus | tuple[RequestStatus, ...],
    ) -> bool:
        """Store Rainbow's view of the request (and the customer it brought), then re-render its message."""
        assert request.id is not None
        status = FINAL_FROM_RAINBOW.get(fresh.status or "", RequestStatus.PENDING)
        if status == RequestStatus.PENDING:
            return False
        decided_by = request.decided_by if actor != "rainbow" else None
        async with self._sessions() as session, session.begin():
            changed = await transition(
                session,
                IncomingRequest,
                request.id,
                expected,
                status,
                decided_by=decided_by,
                decided_at=fresh.acceptation_date or fresh.declination_date or utcnow(),
            )
            if not changed:
                return False
            record(
                session,
                actor=actor,
                action="request.answer",
                target_type="request",
                target_id=request.id,
                status=str(status),
                company=request.requesting_company_name,
            )
            if status in (RequestStatus.ACCEPTED, RequestStatus.AUTO_ACCEPTED):
                await self._track_customer(session, request, actor)
        await self._rerender(await self.get(request.id))
        return True

    @staticmethod
    async def _track_customer(session: AsyncSession, request: IncomingRequest, actor: str) -> None:
        await insert_if_absent(
            session,
            Association,
            {
                "rainbow_company_id": request.requesting_company_id,
                "name": request.requesting_company_name,
                "name_folded": fold(request.requesting_company_name),
                "origin": Origin.REQUESTED,
                "status": CompanyStatus.ACTIVE,
                "requester": actor if actor.startswith(("U", "W")) else None,
            },
            unique=("rainbow_company_id",),
        )

    async def _rerender(self, request: IncomingRequest) -> None:
        """The decision is stored whatever Slack says; a refused update is logged and redone next change."""
        if request.channel_id and request.message_ts:
            try:
                await self._notifier.update_request(MessageRef(request.channel_id, request.message_ts), request)
            except NotifierError as error:
                logger.warning("approval message of request %s not updated: %s", request.id, error.code)

    async def get(self, request_id: int) -> IncomingRequest:
        async with self._sessions() as session:
            request = await session.get(IncomingRequest, request_id)
        if request is None:
            raise NotFound("This request is no longer known to the bot.")
        return request
