"""Text helpers for Block Kit: escaping untrusted strings, limits, dates that render per viewer."""

import re
from datetime import datetime

ELLIPSIS = "…"
# Slack's formatting reference (https://docs.slack.dev/messaging/formatting-message-text#escaping) lists
# `&`, `<` and `>` as the only characters to encode, and documents no escape for the mrkdwn markers
# (`*bold*`, `_italic_`, `~strike~`, `` `code` ``). A zero-width space after each marker stops it from
# pairing up, so a name such as `*ACME*_corp` shows exactly as typed; readers see no difference.
ZERO_WIDTH_SPACE = "\u200b"
MARKERS = re.compile(r"([*_~`])")
# A bare @here / @channel / @everyone: broken the same way, so it can never notify anyone.
BROADCASTS = re.compile(r"@(here|channel|everyone)\b", re.IGNORECASE)
# An entity (`&amp;`) or a control sequence (`<@U123>`) must never be cut in half by a limit.
UNFINISHED = re.compile(r"(&[a-z]*|<[^>]*)$")


def escape(text: str, limit: int | None = None) -> str:
    """User text for mrkdwn: shown exactly as typed, never a link, a mention or formatting.

    With ``limit``, the text is cut first and escaped after, so an entity is never cut in half.
    """
    if limit is not None:
        text = truncate(text, limit)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = MARKERS.sub("\\1" + ZERO_WIDTH_SPACE, text)
    return BROADCASTS.sub("@" + ZERO_WIDTH_SPACE + "\\1", text)


def unescape(text: str) -> str:
    """Undo Slack's encoding of incoming command text (`&amp;` last, so `&amp;lt;` stays `&lt;`)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def truncate(text: str, limit: int) -> str:
    """At most ``limit`` characters, with an ellipsis when something was cut."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def truncate_mrkdwn(text: str, limit: int) -> str:
    """Like ``truncate`` for text already in mrkdwn: never ends inside an entity or a `<…>` sequence."""
    if len(text) <= limit:
        return text
    kept = text[: limit - 1]
    return UNFINISHED.sub("", kept) + ELLIPSIS


def plain(text: str, limit: int = 3000) -> dict[str, object]:
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def mrkdwn(text: str, limit: int = 3000) -> dict[str, object]:
    """``verbatim``: Slack then never turns bare URLs, channel names or @here typed by a user into links
    or mentions (https://docs.slack.dev/reference/block-kit/composition-objects/text-object); our own
    `<@U…>` and `<!date…>` sequences keep working."""
    return {"type": "mrkdwn", "text": truncate_mrkdwn(text, limit), "verbatim": True}


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
