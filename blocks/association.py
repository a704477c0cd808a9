"""The status message of a customer company: a pure function of what the store holds."""

from typing import Any

from blocks.ids import Action
from blocks.text import escape, mrkdwn, slack_date, user_mention
from storage.models import AdminInvitation, Association, LinkInvitation

COMPANY_STATUS = {
    "initializing": "Initializing",
    "active": "Activated",
    "alerting": "Alerting",
    "hold": "On hold",
    "terminated": "Terminated",
}
INVITATION_STATUS = {
    "pending": "pending",
    "accepted": "accepted",
    "auto-accepted": "accepted",
    "declined": "declined",
    "canceled": "cancelled",
    "failed": "failed",
}
ORIGIN = {"created": "created", "invited": "invited", "requested": "asked us to be its reseller"}


def company_status(association: Association) -> str:
    return COMPANY_STATUS.get(association.status, association.status.capitalize())


def where_posted(association: Association) -> str:
    """Where the company's status message lives, in words."""
    if not association.thread_ts:
        return "nowhere yet (Slack refused the message); `/rainbow customers` shows it"
    if association.channel_id and association.channel_id.startswith("D"):
        return "in your direct messages with the bot"
    return f"in <#{association.channel_id}>, in the thread of its status message"


def headline(association: Association) -> str:
    """One line for notifications and fallback text."""
    return f"{escape(association.name)}: {company_status(association)}"


def _admin_line(invitation: AdminInvitation | None) -> str | None:
    if invitation is None:
        return None
    who = escape(invitation.email or "the chosen Rainbow user")
    state = INVITATION_STATUS.get(invitation.status, invitation.status)
    return f"Administrator invitation to {who}: *{state}* (sent {slack_date(invitation.sent_at)})"


def _link_line(invitation: LinkInvitation | None) -> str | None:
    if invitation is None:
        return None
    state = INVITATION_STATUS.get(invitation.status, invitation.status)
    return f"Reseller invitation: *{state}* (sent {slack_date(invitation.sent_at)})"


def status_message(
    association: Association,
    admin_invitation: AdminInvitation | None = None,
    link_invitation: LinkInvitation | None = None,
) -> tuple[str, list[dict[str, Any]]]:
    """(fallback text, blocks) describing the company and where its invitations stand."""
    name = escape(association.name)
    origin = ORIGIN.get(association.origin, association.origin)
    facts = [f"Status: *{company_status(association)}*"]
    if link_invitation is not None and link_invitation.status not in ("accepted", "auto-accepted"):
        facts[0] += " in Rainbow, not our customer yet"
    if association.country:
        facts.append(
            f"Country: {escape(association.country)}" + (f" ({escape(association.state)})" if association.state else "")
        )
    if association.external_reference:
        facts.append(f"Customer reference: {escape(association.external_reference)}")
    lines = [f"*{name}* · {origin} by {user_mention(association.requester)}", " · ".join(facts)]
    lines += [line for line in (_admin_line(admin_invitation), _link_line(link_invitation)) if line]
    blocks: list[dict[str, Any]] = [{"type": "section", "text": mrkdwn("\n".join(lines))}]
    if association.problem:
        blocks.append({"type": "section", "text": mrkdwn(f":warning: {escape(association.problem)}")})
        if admin_invitation is None and association.origin == "created":
            blocks.append(
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "action_id": Action.RETRY_INVITATION,
                            "text": {"type": "plain_text", "text": "Retry invitation"},
                            "style": "primary",
                            "value": str(association.id),
                        }
                    ],
                }
            )
    blocks.append(
        {
            "type": "context",
            "elements": [
                mrkdwn(
                    f"Rainbow id `{escape(association.rainbow_company_id)}`"
                    f" · updated {slack_date(association.updated_at)}"
                )
            ],
        }
    )
    return headline(association), blocks
