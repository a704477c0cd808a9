"""The App Home tab: the current picture for whoever opens it."""

from datetime import datetime
from typing import Any

from blocks.association import COMPANY_STATUS, company_status
from blocks.forms import actions, button, context, section
from blocks.ids import Action
from blocks.text import age, escape
from storage.models import Association


def home_view(counts: dict[str, int], mine: list[Association], pending_requests: int, now: datetime) -> dict[str, Any]:
    total = sum(counts.values())
    by_status = " · ".join(
        f"{COMPANY_STATUS.get(status, status)}: *{count}*" for status, count in sorted(counts.items())
    )
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Rainbow customers"}},
        section(f"*{total}* customer companies tracked" + (f"\n{by_status}" if total else "")),
        section(f"*{pending_requests}* customer request(s) waiting for a decision"),
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
    return {"type": "home", "blocks": blocks}
