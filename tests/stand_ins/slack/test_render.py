"""The renderer turns blocks into what a person reads."""

from slack_sdk.web.async_client import AsyncWebClient

from standins.slack import FakeSlack, Names, mrkdwn_to_plain, render_blocks

from .conftest import ALICE, APPROVALS, modal, text_input

NAMES = Names(users={"U1": "alice"}, channels={"C1": "approvals"}, groups={"S1": "approvers"})


def test_mrkdwn_becomes_plain_text() -> None:
    text = (
        "*Acme &amp; Co* &lt;acme&gt; by <@U1> in <#C1> for <!subteam^S1> <https://x.example|site>"
        " <!date^1700000000^{date}|Nov 14> :white_check_mark:"
    )

    assert mrkdwn_to_plain(text, NAMES) == "Acme & Co <acme> by @alice in #approvals for @approvers site Nov 14 ✅"


def test_emphasis_markers_inside_words_are_kept() -> None:
    assert mrkdwn_to_plain("file_name_v2 and 2*3*4", NAMES) == "file_name_v2 and 2*3*4"


def test_a_sample_request_message() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "New reseller request"}},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "*Acme* asks <@U1>"},
            "fields": [{"type": "mrkdwn", "text": "*Country*\nFrance"}],
        },
        {"type": "divider"},
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": "_pending_"}, {"type": "plain_text", "text": "#42"}],
        },
        {
            "type": "actions",
            "elements": [
                {"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": "Accept"}},
                {"type": "button", "action_id": "d", "text": {"type": "plain_text", "text": "Decline"}},
            ],
        },
    ]

    assert render_blocks(blocks, NAMES).splitlines() == [
        "NEW RESELLER REQUEST",
        "",
        "Acme asks @alice",
        "Country: France",
        "─" * 48,
        "  pending · #42",
        "[ Accept ]  [ Decline ]",
    ]


async def test_channel_and_modal_as_a_person_sees_them(client: AsyncWebClient, fake: FakeSlack) -> None:
    await client.chat_postMessage(channel=APPROVALS, text="Accepted by <@U0CAROL01>")
    await client.chat_postEphemeral(channel=APPROVALS, user="U0CAROL01", text="Only you")
    opened = await client.views_open(
        trigger_id=fake.issue_trigger(ALICE),
        view=modal(text_input("name", "Company name"), text_input("ref", "Ref", optional=True)),
    )
    fake.view(opened["view"]["id"]).values["name"] = {"value": {"type": "plain_text_input", "value": "Acme"}}

    assert fake.render_channel(APPROVALS, user="U0CAROL01").splitlines() == [
        "reseller-bot",
        "  Accepted by @carol",
        "",
        "(only visible to you)",
        "  Only you",
    ]
    assert fake.render_view(opened["view"]["id"]).splitlines()[1:] == [
        "║ Company name: Acme",
        "║ Ref (optional): ____",
        "╚═ [ Next ]",
    ]
