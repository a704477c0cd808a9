"""What `/rainbow help`, `/rainbow customers` and `/rainbow requests` show (ephemeral)."""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from blocks.association import COMPANY_STATUS, INVITATION_STATUS, ORIGIN
from blocks.forms import actions, button, context, section
from blocks.ids import Action
from blocks.text import age, count, escape, user_mention
from storage.models import Association, IncomingRequest

HELP = (
    "*/rainbow create* `[name]`: create a customer company and invite its administrator\n"
    "*/rainbow invite* `[name]`: invite an existing company to make us its reseller\n"
    "*/rainbow customers* `[text]`: the customer companies we track (search by name or customer reference)\n"
    "*/rainbow requests*: customers' requests waiting for a decision\n"
    "*/rainbow help*: this list"
)


def help_message(unknown: str | None = None) -> tuple[str, list[dict[str, Any]]]:
    blocks: list[dict[str, Any]] = []
    if unknown:
        blocks.append(section(f"I don't know “{escape(unknown)}”. Here is what I can do:"))
    blocks.append(section(HELP))
    return "What /rainbow can do", blocks


def customers_message(
    rows: Sequence[tuple[Association, str | None]],
    total: int,
    offset: int,
    query: str,
    next_offset: int | None,
    now: datetime,
) -> tuple[str, list[dict[str, Any]]]:
    """One page of customer companies, with a *More* button while there are more."""
    scope = f" matching “{escape(query)}”" if query else ""
    if not rows:
        text = f"No customer companies{scope} yet." if offset == 0 else "No more customer companies."
        return text, [section(text)]
    shown = f"{offset + 1}–{offset + len(rows)} of {total}"
    blocks: list[dict[str, Any]] = [section(f"*Customer companies{scope}* ({shown})")]
    for association, link_status in rows:
        status = COMPANY_STATUS.get(association.status, association.status)
        if link_status and link_status not in ("accepted", "auto-accepted"):
            status = f"invitation {INVITATION_STATUS.get(link_status, link_status)}"
        facts = [
            f"*{status}*",
            ORIGIN.get(association.origin, association.origin),
            f"by {user_mention(association.requester)}",
            age(association.created_at, now) + " ago",
        ]
        if association.external_reference:
            facts.insert(1, f"ref {escape(association.external_reference)}")
        blocks.append(
            section(f"*{escape(association.name)}* ({escape(association.country or '?')})\n" + " · ".join(facts))
        )
    if next_offset is not None:
        blocks.append(actions(button("More", Action.CUSTOMERS_MORE, f"{next_offset}|{query}"[:2000])))
    return f"Customer companies{scope}: {shown}", blocks


def requests_message(
    requests: Sequence[IncomingRequest], link_of: Callable[[IncomingRequest], str | None], now: datetime
) -> tuple[str, list[dict[str, Any]]]:
    """Pending customer requests with links to their approval messages."""
    if not requests:
        return "No customer request is waiting for a decision.", [
            section("No customer request is waiting for a decision.")
        ]
    blocks: list[dict[str, Any]] = [section(f"*{count(len(requests), 'customer request')} waiting for a decision*")]
    for request in requests[:45]:
        since = request.request_date or request.created_at
        link = link_of(request)
        where = f" · <{link}|approval message>" if link else " · not posted yet"
        who = f" ({escape(request.requester_email)})" if request.requester_email else ""
        blocks.append(section(f"*{escape(request.requesting_company_name)}*{who}\nwaiting {age(since, now)}{where}"))
    if len(requests) > 45:
        blocks.append(context(f"…and {len(requests) - 45} more."))
    return f"{count(len(requests), 'customer request')} waiting", blocks
