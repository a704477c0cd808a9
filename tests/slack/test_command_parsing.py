"""Command text arrives encoded by Slack; it is decoded, trimmed and bounded before use."""

from hypothesis import given
from hypothesis import strategies as st

from blocks.digest import request_link
from handlers.commands import TEXT_MAX, parse
from standins.slack.payloads import slack_escape as escape
from storage.models import IncomingRequest


def test_sub_command_and_rest() -> None:
    assert parse("  CREATE   Acme &amp; Sons  ") == ("create", "Acme & Sons")
    assert parse("") == ("", "")
    assert parse(None) == ("", "")
    assert parse("invite\tÉtoile\nTélécom") == ("invite", "Étoile Télécom")


@given(st.text(max_size=1000))
def test_any_text_parses_to_a_bounded_single_line(text: str) -> None:
    sub, rest = parse(escape(text))
    assert sub == sub.lower() and " " not in sub
    assert len(rest) <= TEXT_MAX and "\n" not in rest and rest == rest.strip()


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Cc", "Zl", "Zp")), min_size=1, max_size=50))
def test_what_slack_escapes_comes_back_as_typed(word: str) -> None:
    assert parse(escape(f"create {word}")) == ("create", word)


def test_permalink_from_stored_channel_and_ts() -> None:
    request = IncomingRequest(
        rainbow_request_id="r",
        requesting_company_id="c",
        requesting_company_name="C",
        channel_id="C1",
        message_ts="1700000000.000100",
    )
    assert request_link("https://acme.slack.com/", request) == "https://acme.slack.com/archives/C1/p1700000000000100"
    assert request_link(None, request) is None
