"""The approval message of a customer's request: a pure function of the stored request."""

from typing import Any

from blocks.forms import actions, button, context, section
from blocks.ids import Action
from blocks.text import escape, mrkdwn, slack_date, user_mention
from storage.models import IncomingRequest

OUTCOME = {
    "accepting": ":hourglass_flowing_sand: Being accepted by {who}…",
    "declining": ":hourglass_flowing_sand: Being declined by {who}…",
    "accepted": ":white_check_mark: Accepted by {who} {when}",
    "auto-accepted": ":white_check_mark: Accepted automatically by Rainbow {when}",
    "declined": ":no_entry_sign: Declined by {who} {when}",
    "canceled": ":leftwards_arrow_with_hook: Cancelled by the customer {when}",
    "failed": ":warning: Rainbow marked this request as failed {when}",
}


def _confirm(title: str, text: str, confirm: str, style: str) -> dict[str, Any]:
    return {
        "title": {"type": "plain_text", "text": title},
        "text": mrkdwn(text, 300),
        "confirm": {"type": "plain_text", "text": confirm},
        "deny": {"type": "plain_text", "text": "Cancel"},
        "style": style,
    }


def decision_words(request: IncomingRequest, outcome: str, reason: str | None = None) -> str:
    """What the clicker is told, privately, after an Accept or Decline."""
    company = escape(request.requesting_company_name)
    if outcome == "answered":
        verb = "declined" if request.status == "declined" else "accepted"
        return f"You {verb} the request of *{company}*."
    if outcome == "not_answered":
        return f"Not answered: {escape(reason or 'Rainbow did not take the answer')} The request is open again."
    by = f" by {user_mention(request.decided_by)}" if request.decided_by else " in Rainbow"
    words = {
        "accepting": f"This request is being accepted{by}.",
        "declining": f"This request is being declined{by}.",
        "accepted": f"Already accepted{by}.",
        "auto-accepted": "Already accepted automatically by Rainbow.",
        "declined": f"Already declined{by}.",
        "canceled": "The customer cancelled this request.",
        "failed": "Rainbow marked this request as failed.",
        "pending": "This request is still waiting for a decision.",
    }
    return words.get(request.status, f"This request is {escape(request.status)}.")


def request_message(request: IncomingRequest) -> tuple[str, list[dict[str, Any]]]:
    """(fallback text, blocks): who asks, when, their words, and either the buttons or the outcome."""
    company = escape(request.requesting_company_name)
    asked = slack_date(request.request_date or request.created_at)
    who = f" ({escape(request.requester_email)})" if request.requester_email else ""
    words = f"“{escape(request.message, 1500)}”" if request.message else "_No message._"
    blocks: list[dict[str, Any]] = [
        section(f":incoming_envelope: *{company}*{who} asks us to become its reseller.\nAsked {asked}"),
        section(words),
    ]
    if request.status in ("pending", "failed"):
        value = str(request.id)
        accept = button(
            "Accept",
            Action.ACCEPT_REQUEST,
            value,
            style="primary",
            confirm=_confirm(
                "Accept this request?", f"*{company}* becomes our customer company in Rainbow.", "Accept", "primary"
            ),
        )
        decline = button(
            "Decline",
            Action.DECLINE_REQUEST,
            value,
            style="danger",
            confirm=_confirm(
                "Decline this request?", f"Rainbow tells *{company}* that we declined.", "Decline", "danger"
            ),
        )
        # Rainbow accepts only a pending request; a failed one can be declined (Rainbow admin API 1.82.0, bp-link)
        buttons = (accept, decline) if request.status == "pending" else (decline,)
        blocks.append(actions(*buttons, block_id=f"request:{request.id}"))
        if request.status == "failed":
            blocks.append(context(":warning: Rainbow marked this request as failed; it can only be declined."))
        outcome = "Waiting for a decision" if request.status == "pending" else "Failed in Rainbow"
    else:
        when = slack_date(request.decided_at) if request.decided_at else ""
        template = OUTCOME.get(request.status, "Status: " + request.status)
        outcome = template.format(who=user_mention(request.decided_by) if request.decided_by else "Rainbow", when=when)
        blocks.append(context(outcome))
    return f"{company} asks us to become its reseller: {outcome}", blocks
