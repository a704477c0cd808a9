"""Every builder produces Block Kit that Slack's own SDK models accept, within Slack's limits."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from blocks import create_flow, invite_flow
from blocks.association import status_message
from blocks.home import home_view
from blocks.listings import customers_message, help_message, requests_message
from blocks.text import ZERO_WIDTH_SPACE, escape, unescape
from bot.services.drafts import LANGUAGES, VISIBILITIES
from bot.services.onboarding import Duplicate
from storage.models import AdminInvitation, Association, IncomingRequest

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
HOSTILE = "<!channel> & <https://evil.example|click> *bold*"


def valid_view(view: dict[str, Any]) -> dict[str, Any]:
    View(**view).to_dict()
    return view


def valid_message(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    assert 0 < len(blocks) <= 50
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None, block
        parsed.to_dict()
    return blocks


def mrkdwn_texts(node: Any) -> str:
    """All mrkdwn text in a payload: the only place Slack parses mentions and links."""
    if isinstance(node, dict):
        own = node["text"] if node.get("type") == "mrkdwn" else ""
        return own + "".join(mrkdwn_texts(v) for v in node.values())
    if isinstance(node, list):
        return "".join(mrkdwn_texts(v) for v in node)
    return ""


def association(**changes: Any) -> Association:
    values = {
        "id": 7,
        "rainbow_company_id": "5f0c0ffee",
        "name": HOSTILE,
        "name_folded": "x",
        "country": "USA",
        "state": "NY",
        "external_reference": "CUST-<1>",
        "requester": "U0123ABCD",
        "created_at": NOW - timedelta(days=2),
        "updated_at": NOW,
    }
    return Association(**{**values, **changes})


def test_create_flow_views_are_valid_and_keep_what_was_typed() -> None:
    meta = {"channel": "C0123ABCD"}
    typed = {"name": HOSTILE, "country": "USA", "state": "NY", "visibility": "public", "support_email": "a@b.c"}
    details = valid_view(create_flow.details_view(typed, "United States (USA)", VISIBILITIES, meta))
    name_input = next(b for b in details["blocks"] if b.get("block_id") == "name")
    assert name_input["element"]["initial_value"] == HOSTILE
    country = next(b for b in details["blocks"] if b.get("block_id") == "country")
    assert country["element"]["initial_option"]["value"] == "USA"
    valid_view(create_flow.checking_view(HOSTILE, meta))
    matches = [Duplicate(f"id{n}", f"Acme {n}", "active", "FRA", n % 2 == 0, "existing") for n in range(20)]
    duplicates = valid_view(create_flow.duplicates_view(HOSTILE, matches, meta))
    assert "&lt;!channel&gt;" in mrkdwn_texts(duplicates) and "<!channel>" not in mrkdwn_texts(duplicates)
    valid_view(create_flow.admin_view("*Acme*", {"email": "a@b.c", "lang": "fr"}, LANGUAGES, meta))
    valid_view(create_flow.progress_view("Working…", meta))
    valid_view(create_flow.problem_view("Rainbow is down", meta, retry_action="r", back_action="b"))
    valid_view(create_flow.result_view(HOSTILE, "Initializing", "Invitation sent.", "It failed.", "in <#C1>", 7))


def test_invite_flow_views_are_valid() -> None:
    meta = {"channel": None}
    company = {"company": {"id": "c1", "name": "Acme", "label": "Acme (FRA)"}, "lang": "de", "message": HOSTILE}
    view = valid_view(invite_flow.pick_view(company, LANGUAGES, meta, hint="3 companies"))
    assert view["blocks"][1]["element"]["initial_option"]["value"] == "c1"
    valid_view(invite_flow.confirm_view("Acme (FRA)", "Deutsch", HOSTILE, meta))
    valid_view(invite_flow.result_view(HOSTILE, "in <#C1>"))


def test_status_message_escapes_everything_a_person_typed() -> None:
    invitation = AdminInvitation(rainbow_invitation_id="i1", email="<b@x.example>", sent_at=NOW)
    text, blocks = status_message(association(problem="Rainbow <refused>"), invitation)
    valid_message(blocks)
    rendered = mrkdwn_texts(blocks)
    assert "<!channel>" not in rendered and "<https://evil" not in rendered and "CUST-<1>" not in rendered
    assert "&lt;!channel&gt;" in rendered and "Initializing" in rendered and text.startswith(escape(HOSTILE))


def test_a_failed_invitation_offers_a_retry_button_carrying_only_an_id() -> None:
    _, blocks = status_message(association(problem="not sent", origin="created"), None)
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["value"]) for b in buttons] == [("retry_invitation", "7")]


def test_listings_stay_within_message_limits() -> None:
    rows = [(association(id=n, name=f"Company {n}"), "pending" if n % 3 == 0 else None) for n in range(10)]
    text, blocks = customers_message(rows, 35, 10, "comp", 20, NOW)
    valid_message(blocks)
    assert "11–20 of 35" in text and blocks[-1]["elements"][0]["value"] == "20|comp"
    requests = [
        IncomingRequest(
            id=n,
            rainbow_request_id=f"r{n}",
            requesting_company_id="c",
            requesting_company_name=HOSTILE,
            requester_email="x@y.example",
            request_date=NOW - timedelta(hours=n),
            channel_id="C1",
            message_ts="1.2",
        )
        for n in range(60)
    ]
    _, request_blocks = requests_message(requests, lambda r: "https://t.slack.com/archives/C1/p12", NOW)
    valid_message(request_blocks)
    valid_message(help_message("frobnicate")[1])
    valid_message(customers_message([], 0, 0, "", None, NOW)[1])


def test_home_view_is_valid() -> None:
    view = home_view({"active": 3, "initializing": 1}, [association(id=n) for n in range(5)], 2, NOW)
    View(**view).to_dict()
    assert "*4* customer companies" in str(view)


@given(st.text(max_size=200))
def test_escape_then_unescape_gives_back_the_original(text: str) -> None:
    escaped = escape(text)
    assert "<" not in escaped and ">" not in escaped
    assert unescape(escaped.replace(ZERO_WIDTH_SPACE, "")) == text.replace(ZERO_WIDTH_SPACE, "")


@pytest.mark.parametrize(("incoming", "expected"), [("a &amp;lt; b", "a &lt; b"), ("&lt;@U1&gt;", "<@U1>")])
def test_unescape_undoes_slacks_encoding_once(incoming: str, expected: str) -> None:
    assert unescape(incoming) == expected


def test_user_text_keeps_its_markers_and_never_notifies() -> None:
    from standins.slack import mrkdwn_to_plain

    typed = "*ACME* _x_ ~y~ `z` @here @channel <!everyone>"
    escaped = escape(typed)
    assert mrkdwn_to_plain(escaped) == typed  # shown exactly as typed, no bold, italics, strike or code
    assert "@here" not in escaped and "@channel" not in escaped and "<!" not in escaped
    _, blocks = status_message(association(name=typed))
    assert all(node.get("verbatim") is True for node in mrkdwn_nodes(blocks))


def mrkdwn_nodes(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        own = [node] if node.get("type") == "mrkdwn" else []
        return own + [n for v in node.values() for n in mrkdwn_nodes(v)]
    if isinstance(node, list):
        return [n for v in node for n in mrkdwn_nodes(v)]
    return []


def test_truncation_never_cuts_an_entity_or_a_mention() -> None:
    from blocks.forms import section

    cut = section(escape("&" * 1000))["text"]["text"]
    assert len(cut) <= 3000 and cut.endswith("&amp;…"), cut[-12:]
    assert escape("&" * 10, limit=4) == "&amp;&amp;&amp;…"
    mention = section("x" * 2990 + "<@U0ALICE01>")["text"]["text"]
    assert mention.endswith("x…")
