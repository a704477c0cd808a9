"""One-line news posted in a company's thread and sent to its requester: what changed, in words."""

from blocks.text import escape

COMPANY = {
    "active": ":tada: *{name}* is now *Activated*: its administrator joined.",
    "terminated": ":no_entry_sign: *{name}* was terminated in Rainbow.",
    "hold": ":double_vertical_bar: *{name}* was put on hold in Rainbow.",
    "alerting": ":warning: *{name}* is alerting in Rainbow.",
    "missing": ":warning: *{name}* no longer exists in Rainbow (or the bot may no longer see it).",
}
ADMIN = {
    "accepted": ":white_check_mark: {who} accepted the invitation to administer *{name}*.",
    "auto-accepted": ":white_check_mark: {who} joined *{name}* as its administrator.",
    "declined": ":x: {who} declined the invitation to administer *{name}*.",
    "canceled": ":leftwards_arrow_with_hook: The invitation of {who} to *{name}* was cancelled.",
    "failed": ":warning: The invitation of {who} to *{name}* failed in Rainbow.",
}
LINK = {
    "accepted": ":handshake: *{name}* accepted: we are now its reseller.",
    "auto-accepted": ":handshake: *{name}* is now our customer.",
    "declined": ":x: *{name}* declined our reseller invitation.",
    "canceled": ":leftwards_arrow_with_hook: Our reseller invitation to *{name}* was cancelled.",
    "failed": ":warning: Our reseller invitation to *{name}* failed in Rainbow.",
}
REMINDER = {
    "resent": "The invitation for *{name}* was sent again.",
    "cancelled": "The invitation for *{name}* was cancelled.",
    "not_pending": "The invitation for *{name}* is already {status}; nothing was sent.",
}


def company_changed(name: str, status: str) -> str:
    return COMPANY.get(status, "*{name}* is now " + escape(status) + ".").format(name=escape(name))


def admin_invitation_changed(name: str, who: str | None, status: str) -> str:
    return ADMIN[status].format(name=escape(name), who=escape(who) if who else "The chosen user")


def link_invitation_changed(name: str, status: str) -> str:
    return LINK[status].format(name=escape(name))


def reminder_done(name: str, outcome: str, status: str = "") -> str:
    return REMINDER[outcome].format(name=escape(name), status=escape(status))
