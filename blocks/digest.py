"""The daily digest as Slack messages: counts first, then details, split to stay within limits."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Protocol

from blocks.forms import actions, button, context, section
from blocks.ids import Action
from blocks.text import age, escape, noun, slack_date, user_mention
from storage.models import Association, IncomingRequest, JobRun, LinkInvitation

BLOCKS_PER_MESSAGE = 45
DETAILS_PER_SECTION = 15


class StaleLike(Protocol):
    """Read-only, so a frozen dataclass fits."""

    @property
    def kind(self) -> str: ...
    @property
    def id(self) -> int: ...
    @property
    def company(self) -> str: ...
    @property
    def who(self) -> str | None: ...
    @property
    def sent_at(self) -> datetime: ...


class DigestLike(Protocol):
    since: datetime
    until: datetime
    local_date: date
    activated: list[Association]
    created: list[Association]
    invited: list[LinkInvitation]
    awaiting: list[IncomingRequest]
    decided: list[IncomingRequest]
    failed_ticks: list[JobRun]
    rainbow_problem: str | None

    @property
    def stale(self) -> Sequence[StaleLike]: ...
    @property
    def quiet(self) -> bool: ...


def _lines(items: Sequence[str], more: int) -> str:
    text = "\n".join(f"• {item}" for item in items)
    return text + (f"\n…and {more} more" if more > 0 else "")


def _detail(title: str, items: Sequence[str]) -> list[dict[str, Any]]:
    if not items:
        return []
    shown = items[:DETAILS_PER_SECTION]
    return [section(f"*{title}*\n" + _lines(shown, len(items) - len(shown)))]


def request_link(team_url: str | None, request: IncomingRequest) -> str | None:
    """Slack's permalink form for the stored (channel, ts) of a request's approval message."""
    if team_url and request.channel_id and request.message_ts:
        return f"{team_url.rstrip('/')}/archives/{request.channel_id}/p{request.message_ts.replace('.', '')}"
    return None


def _link(team_url: str | None, request: IncomingRequest) -> str:
    link = request_link(team_url, request)
    return f" · <{link}|open>" if link else ""


def _decider(request: IncomingRequest) -> str:
    return user_mention(request.decided_by) if request.decided_by else "Rainbow"


def digest_messages(data: DigestLike, team_url: str | None = None) -> list[tuple[str, list[dict[str, Any]]]]:
    """One or more (text, blocks) messages; a quiet day is one short line."""
    day = data.local_date.strftime("%A %d %B %Y")
    if data.quiet:
        text = f"Daily digest, {day}: nothing new since {data.since:%Y-%m-%d %H:%M} UTC, nothing waiting."
        return [(text, [section(f":sunny: {escape(text)}")])]
    counts = [
        f"*{len(data.activated)}* activated",
        f"*{len(data.created)}* created",
        f"*{len(data.invited)}* invited",
        f"*{len(data.awaiting)}* {noun(len(data.awaiting), 'request')} waiting",
        f"*{len(data.decided)}* decided",
        f"*{len(data.stale)}* stale {noun(len(data.stale), 'invitation')}",
    ]
    summary = " · ".join(counts)
    head: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"Daily digest · {day}"}},
        section(summary),
        context(f"Since {slack_date(data.since)}"),
    ]
    problems = []
    if data.rainbow_problem:
        problems.append(f"Rainbow: {escape(data.rainbow_problem)}")
    problems += [
        f"{escape(run.job)} {escape(run.period)} failed: {escape(run.result or 'unknown error')}"
        for run in data.failed_ticks
    ]
    body = _detail(":warning: Problems", problems)
    body += _detail(
        "Requests waiting for a decision",
        [
            f"*{escape(r.requesting_company_name)}* · waiting {age(r.request_date or r.created_at, data.until)}"
            + _link(team_url, r)
            for r in data.awaiting
        ],
    )
    body += _detail("Activated", [f"*{escape(a.name)}*" for a in data.activated])
    body += _detail("Created", [f"*{escape(a.name)}* by {user_mention(a.requester)}" for a in data.created])
    body += _detail(
        "Invited", [f"*{escape(i.invited_company_name)}* by {user_mention(i.requester)}" for i in data.invited]
    )
    body += _detail(
        "Decisions",
        [f"*{escape(r.requesting_company_name)}*: {r.status} by {_decider(r)}" for r in data.decided],
    )
    for stale in data.stale[:DETAILS_PER_SECTION]:
        kind = "administrator invitation" if stale.kind == "admin" else "reseller invitation"
        who = f" to {escape(stale.who)}" if stale.who else ""
        body.append(
            section(f":hourglass: *{escape(stale.company)}*: {kind}{who} pending for {age(stale.sent_at, data.until)}")
        )
        value = f"{stale.kind}:{stale.id}"
        body.append(
            actions(
                button("Resend", Action.RESEND_INVITATION, value),
                button("Cancel", Action.CANCEL_INVITATION, value, style="danger"),
            )
        )
    if len(data.stale) > DETAILS_PER_SECTION:
        body.append(context(f"…and {len(data.stale) - DETAILS_PER_SECTION} more stale invitations."))
    blocks = head + body
    chunks = [blocks[i : i + BLOCKS_PER_MESSAGE] for i in range(0, len(blocks), BLOCKS_PER_MESSAGE)]
    total = len(chunks)
    return [
        (f"Daily digest, {day}: {summary.replace('*', '')}" + (f" (part {n}/{total})" if total > 1 else ""), chunk)
        for n, chunk in enumerate(chunks, start=1)
    ]
