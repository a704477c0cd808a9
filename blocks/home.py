"""The App Home tab: the current picture for whoever opens it."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from blocks.association import COMPANY_STATUS, company_status
from blocks.digest import StaleLike, request_link
from blocks.forms import actions, button, context, section
from blocks.ids import Action
from blocks.text import age, escape, noun
from storage.models import Association, IncomingRequest


def home_view(
    counts: dict[str, int],
    mine: list[Association],
    pending_requests: int,
    now: datetime,
    *,
    waiting: Sequence[IncomingRequest] = (),
    stale: Sequence[StaleLike] = (),
    team_url: str | None = None,
) -> dict[str, Any]:
    """``waiting`` is shown to approvers only (the caller decides); ``stale`` invitations get Resend / Cancel."""
    total = sum(counts.values())
    by_status = " · ".join(
        f"{COMPANY_STATUS.get(status, status)}: *{count}*" for status, count in sorted(counts.items())
    )
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Rainbow customers"}},
        section(
            f"*{total}* customer {noun(total, 'company', 'companies')} tracked" + (f"\n{by_status}" if total else "")
        ),
        section(f"*{pending_requests}* customer {noun(pending_requests, 'request')} waiting for a decision"),
        actions(
            button("Create a customer company", Action.OPEN_CREATE, style="primary"),
            button("Invite an existing company", Action.OPEN_INVITE),
        ),
        {"type": "divider"},
        section("*Your latest companies*"),
    ]
    if not mine:
        blocks.append(context("None yet. Start with the buttons above or `/rainbow create`."))
    for association in mine:
        blocks.append(
            context(
                f"*{escape(association.name)}* · {company_status(association)} · "
                f"{association.origin} {age(association.created_at, now)} ago"
            )
        )
    if waiting:
        blocks += [{"type": "divider"}, section("*Requests waiting for your decision*")]
        for request in waiting[:10]:
            link = request_link(team_url, request)
            where = f" · <{link}|open>" if link else ""
            since = age(request.request_date or request.created_at, now)
            blocks.append(context(f"*{escape(request.requesting_company_name)}* · waiting {since}{where}"))
    if stale:
        blocks += [{"type": "divider"}, section("*Invitations waiting too long*")]
        for invitation in stale[:10]:
            kind = "administrator" if invitation.kind == "admin" else "reseller"
            blocks.append(
                section(
                    f"*{escape(invitation.company)}* · {kind} invitation pending for {age(invitation.sent_at, now)}"
                )
            )
            value = f"{invitation.kind}:{invitation.id}"
            blocks.append(
                actions(
                    button("Resend", Action.RESEND_INVITATION, value),
                    button("Cancel", Action.CANCEL_INVITATION, value, style="danger"),
                )
            )
    return {"type": "home", "blocks": blocks[:100]}
