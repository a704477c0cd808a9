"""Text helpers for Block Kit: escaping untrusted strings, limits, dates that render per viewer."""

from datetime import datetime

ELLIPSIS = "…"


def escape(text: str) -> str:
    """Neutralise Slack's control characters so `<!channel>` or `<https://x|y>` typed by a user stays text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Undo Slack's encoding of incoming command text (`&amp;` last, so `&amp;lt;` stays `&lt;`)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def truncate(text: str, limit: int) -> str:
    """At most ``limit`` characters, with an ellipsis when something was cut."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def plain(text: str, limit: int = 3000) -> dict[str, object]:
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def mrkdwn(text: str, limit: int = 3000) -> dict[str, object]:
    return {"type": "mrkdwn", "text": truncate(text, limit)}


def slack_date(moment: datetime, fmt: str = "{date_short_pretty} at {time}") -> str:
    """A date Slack renders in each reader's own time zone, with a UTC fallback."""
    fallback = moment.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{fmt}|{fallback}>"


def user_mention(user_id: str | None) -> str:
    return f"<@{user_id}>" if user_id else "someone"


def age(since: datetime, now: datetime) -> str:
    """A short, human age such as "3 d", "5 h" or "just now"."""
    seconds = max(0, int((now - since).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return "just now"


def noun(number: int, singular: str, plural: str | None = None) -> str:
    """The word as a person says it after ``number``: 1 request, 0 requests, 2 companies."""
    return singular if number == 1 else (plural or singular + "s")


def count(number: int, singular: str, plural: str | None = None) -> str:
    """``number`` and its noun: "1 request waiting", "3 requests waiting"."""
    return f"{number} {noun(number, singular, plural)}"
