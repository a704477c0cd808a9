"""The daily digest: what happened since the last one, read from the store, posted once per day.

Due at DIGEST_TIME in TIMEZONE, computed with zoneinfo so a DST change moves nothing:
the digest of a local date is due from that local wall-clock time on (on a spring-forward
day whose digest time does not exist, from the first minute that exists after it; on an
autumn day that repeats it, from its first occurrence). It is claimed as
``digest:<channel>:<local date>`` and never taken over: at most once, even if a replica
dies mid-post (a log line says so).

Slack refusing the post (``ok: false`` such as ``not_in_channel``, a 429, a connection that
never opened) proves nothing was posted: the day is released and the next tick tries again,
the operator being told once when it starts, every few minutes, and when it is posted. Only an
unknown outcome (sent, no answer) counts as possibly posted, and is never retried by itself.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_
from sqlmodel import col, select

from bot.notifier import Notifier, NotifierError
from bot.outages import Outage
from storage.engine import SessionFactory
from storage.jobs import claim, finish, job_run
from storage.models import AdminInvitation, Association, IncomingRequest, JobRun, LinkInvitation, utcnow
from storage.statuses import InvitationStatus, JobStatus, RequestStatus

logger = logging.getLogger(__name__)
DIGEST_JOB = "digest"
RETRY_MEANWHILE = "retried every minute until it is posted"
DECIDED = (RequestStatus.ACCEPTED, RequestStatus.AUTO_ACCEPTED, RequestStatus.DECLINED, RequestStatus.CANCELED)


@dataclass(frozen=True)
class StaleInvitation:
    kind: str  # "admin" | "link"
    id: int
    company: str
    who: str | None
    sent_at: datetime


@dataclass
class DigestData:
    since: datetime
    until: datetime
    local_date: date
    activated: list[Association] = field(default_factory=list)
    created: list[Association] = field(default_factory=list)
    invited: list[LinkInvitation] = field(default_factory=list)
    awaiting: list[IncomingRequest] = field(default_factory=list)
    decided: list[IncomingRequest] = field(default_factory=list)
    stale: list[StaleInvitation] = field(default_factory=list)
    failed_ticks: list[JobRun] = field(default_factory=list)
    rainbow_problem: str | None = None

    @property
    def quiet(self) -> bool:
        return (
            not any(
                (self.activated, self.created, self.invited, self.awaiting, self.decided, self.stale, self.failed_ticks)
            )
            and not self.rainbow_problem
        )


def digest_period(channel: str, local_date: date) -> str:
    """The ``job_run`` period of a channel's digest of a local date."""
    return f"{channel}:{local_date.isoformat()}"


def scheduled_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """When ``at`` happens on ``day`` in ``zone``: its first occurrence if the clock repeats it (autumn),
    the first existing minute after it if the clock skips it (spring)."""
    wall = datetime.combine(day, at)
    for _ in range(24 * 60):
        candidate = wall.replace(tzinfo=zone)
        if candidate.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall:
            return candidate
        wall += timedelta(minutes=1)
    return datetime.combine(day, at, tzinfo=zone)


def due_date(now: datetime, zone: ZoneInfo, at: time) -> date | None:
    """The local date whose digest is due at ``now``, or None before today's digest time."""
    day = now.astimezone(zone).date()
    return day if now >= scheduled_instant(day, at, zone) else None


async def stale_invitations(sessions: SessionFactory, older_than: timedelta, now: datetime) -> list[StaleInvitation]:
    """Invitations still pending after ``older_than``: flagged with Resend / Cancel."""
    limit = now - older_than
    async with sessions() as session:
        admins = (
            await session.exec(
                select(AdminInvitation, Association)
                .join(Association, col(Association.id) == col(AdminInvitation.association_id))
                .where(col(AdminInvitation.status) == InvitationStatus.PENDING, col(AdminInvitation.sent_at) < limit)
            )
        ).all()
        links = (
            await session.exec(
                select(LinkInvitation).where(
                    col(LinkInvitation.status) == InvitationStatus.PENDING, col(LinkInvitation.sent_at) < limit
                )
            )
        ).all()
    found = [StaleInvitation("admin", i.id or 0, a.name, i.email, i.sent_at) for i, a in admins]
    found += [StaleInvitation("link", i.id or 0, i.invited_company_name, None, i.sent_at) for i in links]
    return sorted(found, key=lambda s: s.sent_at)


class Digest:
    def __init__(
        self,
        sessions: SessionFactory,
        notifier: Notifier,
        *,
        channel: str,
        zone: ZoneInfo,
        at: time,
        stale_after: timedelta,
        rainbow_problem: Callable[[], str | None],
    ) -> None:
        self._sessions = sessions
        self._notifier = notifier
        self.channel = channel  # "" when only printing: the last digest of any channel then counts
        self._zone = zone
        self._at = at
        self._stale_after = stale_after
        self._rainbow_problem = rainbow_problem
        self.outage = Outage(what=f"the digest cannot be posted in {channel}", meanwhile=RETRY_MEANWHILE, log=logger)

    async def stale(self, now: datetime | None = None) -> list[StaleInvitation]:
        return await stale_invitations(self._sessions, self._stale_after, now or utcnow())

    def period(self, local_date: date) -> str:
        return digest_period(self.channel, local_date)

    async def collect(self, now: datetime | None = None) -> DigestData:
        now = now or utcnow()
        since = await self._last_digest_at() or now - timedelta(days=1)
        data = DigestData(since=since, until=now, local_date=now.astimezone(self._zone).date())
        async with self._sessions() as session:
            data.activated = list(
                (
                    await session.exec(
                        select(Association).where(
                            col(Association.activated_at) >= since, col(Association.activated_at) < now
                        )
                    )
                ).all()
            )
            data.created = list(
                (
                    await session.exec(
                        select(Association).where(
                            col(Association.origin) == "created",
                            col(Association.created_at) >= since,
                            col(Association.created_at) < now,
                        )
                    )
                ).all()
            )
            data.invited = list(
                (
                    await session.exec(
                        select(LinkInvitation).where(
                            col(LinkInvitation.sent_at) >= since, col(LinkInvitation.sent_at) < now
                        )
                    )
                ).all()
            )
            data.awaiting = list(
                (
                    await session.exec(
                        select(IncomingRequest)
                        .where(col(IncomingRequest.status).in_([RequestStatus.PENDING, RequestStatus.FAILED]))
                        .order_by(col(IncomingRequest.request_date))
                    )
                ).all()
            )
            data.decided = list(
                (
                    await session.exec(
                        select(IncomingRequest).where(
                            col(IncomingRequest.status).in_([str(s) for s in DECIDED]),
                            col(IncomingRequest.decided_at) >= since,
                            col(IncomingRequest.decided_at) < now,
                        )
                    )
                ).all()
            )
            # failed ticks, and ticks whose replica died mid-way (still "running" after their lease)
            data.failed_ticks = list(
                (
                    await session.exec(
                        select(JobRun).where(
                            or_(
                                col(JobRun.status) == JobStatus.FAILED,
                                and_(col(JobRun.status) == JobStatus.RUNNING, col(JobRun.lease_until) < now),
                            ),
                            col(JobRun.started_at) >= since,
                            col(JobRun.started_at) < now,
                        )
                    )
                ).all()
            )
        data.stale = await stale_invitations(self._sessions, self._stale_after, now)
        data.rainbow_problem = self._rainbow_problem()
        return data

    async def _last_digest_at(self) -> datetime | None:
        async with self._sessions() as session:
            last = (
                await session.exec(
                    select(JobRun)
                    .where(
                        col(JobRun.job) == DIGEST_JOB,
                        col(JobRun.period).startswith(f"{self.channel}:" if self.channel else ""),
                        col(JobRun.status) == JobStatus.DONE,
                    )
                    .order_by(col(JobRun.started_at).desc())
                )
            ).first()
        return last.started_at if last else None

    async def post_if_due(self, owner: str, now: datetime | None = None) -> "DigestAttempt":
        """The per-minute tick: post today's digest once, from whichever replica claims it first."""
        now = now or utcnow()
        local_date = due_date(now, self._zone, self._at)
        if local_date is None:
            return DigestAttempt(Posting.NOT_DUE, self.channel, None)
        return await self._post_once(owner, local_date, now)

    async def post_now(self, owner: str, now: datetime | None = None, *, force: bool = False) -> "DigestAttempt":
        """`reseller-bot digest --post`: today's digest now, counted as today's (never two in a day).

        With ``force`` it is posted even if today's was already posted (or may have been); a day
        still unclaimed is then claimed as usual.
        """
        now = now or utcnow()
        local_date = now.astimezone(self._zone).date()
        attempt = await self._post_once(owner, local_date, now)
        if not force or attempt.state not in (Posting.ALREADY_POSTED, Posting.POSSIBLY_POSTED, Posting.BEING_POSTED):
            return attempt
        try:
            refs = await self.post(now)
        except NotifierError as error:
            return DigestAttempt(
                Posting.POSSIBLY_POSTED if error.outcome_unknown else Posting.REFUSED,
                self.channel,
                local_date,
                error.code,
            )
        return DigestAttempt(Posting.POSTED_AGAIN, self.channel, local_date, messages=len(refs))

    async def _post_once(self, owner: str, local_date: date, now: datetime) -> "DigestAttempt":
        period = self.period(local_date)
        if not await claim(
            self._sessions, DIGEST_JOB, period, owner, take_over_stale=False, retry_failed=True, now=now
        ):
            return await self._already(local_date)
        try:
            refs = await self.post(now)
        except NotifierError as error:
            return await self._not_posted(owner, local_date, error)
        except Exception as error:  # a bug or the store: the day stays failed and is retried next minute
            await finish(self._sessions, DIGEST_JOB, period, owner, failed=True, result=f"{type(error).__name__}")
            raise
        await finish(self._sessions, DIGEST_JOB, period, owner, result=",".join(refs))
        self.outage.ended(f"the digest of {local_date} is posted")
        return DigestAttempt(Posting.POSTED, self.channel, local_date, messages=len(refs))

    async def _not_posted(self, owner: str, local_date: date, error: NotifierError) -> "DigestAttempt":
        period = self.period(local_date)
        if error.outcome_unknown:
            await finish(
                self._sessions, DIGEST_JOB, period, owner, status=JobStatus.UNKNOWN, result=f"no answer: {error.code}"
            )
            attempt = DigestAttempt(Posting.POSSIBLY_POSTED, self.channel, local_date, error.code)
            logger.error("%s", attempt)
            return attempt
        await finish(self._sessions, DIGEST_JOB, period, owner, failed=True, result=f"not posted: {error.code}")
        self.outage.failed(_refusal(error.code, self.channel))
        return DigestAttempt(Posting.REFUSED, self.channel, local_date, error.code)

    async def _already(self, local_date: date) -> "DigestAttempt":
        row = await job_run(self._sessions, DIGEST_JOB, self.period(local_date))
        if row is not None and row.status == JobStatus.UNKNOWN:
            return DigestAttempt(Posting.POSSIBLY_POSTED, self.channel, local_date, (row.result or "").split(": ")[-1])
        if row is not None and row.status == JobStatus.RUNNING:
            return DigestAttempt(Posting.BEING_POSTED, self.channel, local_date)
        return DigestAttempt(Posting.ALREADY_POSTED, self.channel, local_date)

    async def post(self, now: datetime | None = None) -> list[str]:
        data = await self.collect(now)
        refs = []
        for text, blocks in self._notifier.digest_messages(data):
            ref = await self._notifier.post(self.channel, text, blocks)
            refs.append(ref.ts)
        return refs


class Posting(StrEnum):
    NOT_DUE = "not due"
    POSTED = "posted"
    POSTED_AGAIN = "posted again"
    REFUSED = "refused"
    POSSIBLY_POSTED = "possibly posted"
    BEING_POSTED = "being posted"
    ALREADY_POSTED = "already posted"


@dataclass(frozen=True)
class DigestAttempt:
    """What became of one attempt to post a day's digest, said as the operator needs it."""

    state: Posting
    channel: str
    local_date: date | None
    code: str | None = None
    messages: int = 0

    @property
    def posted(self) -> bool:
        return self.state in (Posting.POSTED, Posting.POSTED_AGAIN)

    def __str__(self) -> str:
        day = f"the digest of {self.local_date}"
        posted = f"{self.messages} message" if self.messages == 1 else f"{self.messages} messages"
        match self.state:
            case Posting.NOT_DUE:
                return "not due"
            case Posting.POSTED:
                return f"posted {day} to {self.channel} ({posted})"
            case Posting.POSTED_AGAIN:
                return f"posted {day} to {self.channel} again ({posted})"
            case Posting.REFUSED:
                return (
                    f"{day} was not posted: {_refusal(self.code or '', self.channel)};"
                    " the day stays open and the scheduler tries again every minute"
                )
            case Posting.POSSIBLY_POSTED:
                return (
                    f"{day} may have been posted to {self.channel}: it was sent and Slack gave no answer ({self.code});"
                    " it is not retried, to never post twice: look in the channel, and if it is missing"
                    " run `reseller-bot digest --post --force`"
                )
            case Posting.BEING_POSTED:
                return f"{day} is being posted to {self.channel} right now by another process"
            case Posting.ALREADY_POSTED:
                return (
                    f"{day} was already posted to {self.channel}; `reseller-bot digest --post --force` posts it again"
                )


def _refusal(code: str, channel: str) -> str:
    """Why Slack did not take the digest, and what to do about it when the code says it."""
    if code in ("not_in_channel", "channel_not_found"):
        return f"Slack answered {code}: invite the bot to {channel} (`/invite @rainbow-reseller`) or fix DIGEST_CHANNEL"
    if code == "is_archived":
        return f"Slack answered {code}: {channel} is archived; unarchive it or choose another DIGEST_CHANNEL"
    if code.startswith("Client"):  # aiohttp's connection errors: the request never reached Slack
        return f"Slack could not be reached ({code}): check SLACK_API_URL and the network"
    return f"Slack answered {code}"
