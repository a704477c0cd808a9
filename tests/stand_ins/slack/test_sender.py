"""The sender against a real Bolt AsyncApp over HTTP, with request verification on."""

from collections.abc import AsyncIterator

import pytest

from standins.slack import FakeSlack, InteractionError, SlackSender, SlackUser

from .bolt_app import SIGNING_SECRET, Seen, build_bolt_app, serve
from .conftest import ALICE, CAROL, GENERAL


@pytest.fixture
def seen() -> Seen:
    return Seen()


@pytest.fixture
async def sender(fake: FakeSlack, seen: Seen) -> AsyncIterator[SlackSender]:
    runner, events_url = await serve(build_bolt_app(fake, seen))
    async with SlackSender(fake, events_url, SIGNING_SECRET) as running:
        yield running
    await runner.cleanup()


@pytest.fixture
def alice(sender: SlackSender) -> SlackUser:
    return sender.user(ALICE)


async def open_create_modal(alice: SlackUser, fake: FakeSlack) -> str:
    answer = await alice.run_command("/rainbow Acme", channel="general")
    assert answer.status == 200
    (opened,) = await fake.wait_for_calls("views.open")
    assert opened.ok, opened.answer
    return str(opened.answer["view"]["id"])


async def test_a_command_reaches_the_listener_and_its_modal_opens(
    alice: SlackUser, fake: FakeSlack, seen: Seen
) -> None:
    view_id = await open_create_modal(alice, fake)

    (command,) = seen.commands
    assert command["command"] == "/rainbow" and command["text"] == "Acme"
    assert command["user_id"] == ALICE and command["channel_id"] == GENERAL and command["channel_name"] == "general"
    assert command["response_url"].startswith(fake.base_url + "response/")
    assert fake.top_view(ALICE).id == view_id
    assert "Company name: Acme" in fake.render_view(view_id)


async def test_a_command_ack_with_text_is_shown_ephemerally(alice: SlackUser, fake: FakeSlack) -> None:
    answer = await alice.run_command("/rainbow help", channel=GENERAL)

    assert answer.text == "Try `/rainbow create <name>`", "Bolt acks a command's text as text/plain"
    assert [e.text for e in fake.ephemerals(ALICE, GENERAL)] == ["Try `/rainbow create <name>`"]


async def test_fill_and_submit_sends_state_values_shaped_like_slack(
    alice: SlackUser, fake: FakeSlack, seen: Seen
) -> None:
    view_id = await open_create_modal(alice, fake)

    answer = await alice.fill_and_submit(
        view_id,
        {
            "email": "admin@acme.example",
            "country": "Italy",
            "company": "Acme L",
            "owner": "@carol",
            "visibility/visibility": "private",
            "Notify": ["Requester", "chan"],
        },
    )

    assert answer.status == 200 and answer.json is not None and answer.json["response_action"] == "update"
    values = seen.submissions[0]["view"]["state"]["values"]
    assert values["name"]["name"] == {"type": "plain_text_input", "value": "Acme"}
    assert values["email"]["email"] == {"type": "email_text_input", "value": "admin@acme.example"}
    assert values["country"]["country"]["selected_option"]["value"] == "ITA"
    assert values["company"]["company"]["selected_option"]["value"] == "acme-labs"
    assert values["owner"]["owner"] == {"type": "users_select", "selected_user": CAROL}
    assert values["visibility"]["visibility"]["selected_option"]["value"] == "private"
    assert [o["value"] for o in values["notify"]["notify"]["selected_options"]] == ["req", "chan"]
    assert seen.submissions[0]["view"]["private_metadata"] == GENERAL
    await fake.wait_for_calls("chat.postMessage")
    assert "Acme created" in fake.render_view(view_id), "the listener's views_update came after the ack's update"
    assert [m.text for m in fake.messages(GENERAL)] == ["Customer created"]
    assert fake.failed_calls() == []


async def test_errors_in_the_ack_stay_on_the_open_modal(alice: SlackUser, fake: FakeSlack) -> None:
    view_id = await open_create_modal(alice, fake)

    answer = await alice.fill_and_submit(
        view_id, {"email": "admin@gmail.com", "country": "FRA", "visibility": "Public"}
    )

    assert answer.json == {"response_action": "errors", "errors": {"email": "Use the customer's own domain"}}
    assert fake.top_view(ALICE).errors == {"email": "Use the customer's own domain"}
    assert "⚠ Use the customer's own domain" in fake.render_view(view_id)


async def test_slack_would_not_submit_with_a_required_field_empty(
    alice: SlackUser, fake: FakeSlack, seen: Seen
) -> None:
    view_id = await open_create_modal(alice, fake)

    with pytest.raises(InteractionError, match="Administrator e-mail"):
        await alice.fill_and_submit(view_id, {"country": "France", "visibility": "Public"})

    assert seen.submissions == []


async def test_options_load_returns_the_listeners_options(alice: SlackUser, fake: FakeSlack, seen: Seen) -> None:
    view_id = await open_create_modal(alice, fake)

    options = await alice.type_in_external_select(view_id, "company", "acm")

    assert [o["text"]["text"] for o in options] == ["Acme Corp", "Acme Labs"]
    assert seen.option_queries == ["acm"]


async def test_a_forged_signature_gets_401_and_never_reaches_the_listener(
    sender: SlackSender, fake: FakeSlack, seen: Seen
) -> None:
    forged = await sender.with_wrong_secret().user(ALICE).run_command("/rainbow Acme", channel=GENERAL)
    replayed = await sender.with_clock_skew(-301).user(ALICE).run_command("/rainbow Acme", channel=GENERAL)

    assert (forged.status, replayed.status) == (401, 401)
    assert seen.commands == []
    assert fake.calls_to("views.open") == []


async def test_a_click_reaches_the_listener_and_respond_lands_in_the_fake(
    sender: SlackSender, fake: FakeSlack, seen: Seen
) -> None:
    posted = fake.state.conversations.post(
        "C0APPROVE",
        method="test",
        text="Acme asks us to be their reseller",
        blocks=[
            {"type": "section", "text": {"type": "mrkdwn", "text": "*Acme* asks us to be their reseller"}},
            {
                "type": "actions",
                "block_id": "req:42",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "accept",
                        "value": "42",
                        "style": "primary",
                        "text": {"type": "plain_text", "text": "Accept"},
                    }
                ],
            },
        ],
    )

    answer = await sender.user(CAROL).click("Accept", in_channel="approvals")

    assert answer.status == 200
    body = seen.actions[0]
    assert body["actions"][0]["value"] == "42" and body["actions"][0]["block_id"] == "req:42"
    assert body["container"] == {
        "type": "message",
        "message_ts": posted.ts,
        "channel_id": "C0APPROVE",
        "is_ephemeral": False,
    }
    assert body["message"]["ts"] == posted.ts
    await fake.wait_until(lambda: fake.responses, what="respond()")
    assert fake.responses[0].body["replace_original"] is True and fake.responses[0].outcome == "replaced"
    assert fake.message("C0APPROVE", posted.ts).text == "Accepted by <@U0CAROL01>"


async def test_a_click_in_a_modal_carries_the_view_and_its_state(alice: SlackUser, fake: FakeSlack, seen: Seen) -> None:
    view_id = await open_create_modal(alice, fake)
    await alice.fill(view_id, {"email": "typed@acme.example"})

    await alice.click("Back")

    body = seen.actions[0]
    assert body["container"] == {"type": "view", "view_id": view_id}
    assert body["view"]["state"]["values"]["email"]["email"]["value"] == "typed@acme.example"
    assert "response_url" not in body


async def test_closing_a_view_that_asked_to_be_told(alice: SlackUser, fake: FakeSlack, seen: Seen) -> None:
    view_id = await open_create_modal(alice, fake)

    answer = await alice.close_view(view_id)

    assert answer is not None and answer.status == 200
    assert seen.closed[0]["view"]["id"] == view_id and seen.closed[0]["is_cleared"] is False
    assert fake.open_views(ALICE) == []


async def test_opening_the_home_tab_lets_the_bot_publish(alice: SlackUser, fake: FakeSlack, seen: Seen) -> None:
    answer = await alice.open_home()

    assert answer.status == 200
    await fake.wait_for_calls("views.publish")
    assert seen.home_opened[0]["tab"] == "home"
    home = fake.home(ALICE)
    assert home is not None and home.view["blocks"][0]["text"]["text"] == "No pending requests"


async def test_push_and_clear_answers_change_the_stack(alice: SlackUser, fake: FakeSlack) -> None:
    view_id = await open_create_modal(alice, fake)
    filled = {"name": "wizard", "email": "a@acme.example", "country": "France", "visibility": "Public"}

    await alice.fill_and_submit(view_id, filled)
    pushed = alice.current_view()
    assert pushed.view["previous_view_id"] == view_id and len(fake.open_views(ALICE)) == 2

    await alice.run_command("/rainbow abandon", channel=GENERAL)
    (_, second_open) = await fake.wait_for_calls("views.open", count=2)
    await alice.fill_and_submit(second_open.answer["view"]["id"], filled | {"name": "abandon"})
    assert fake.open_views(ALICE) == []


async def test_changing_a_select_in_a_modal_sends_block_actions(alice: SlackUser, fake: FakeSlack, seen: Seen) -> None:
    view_id = await open_create_modal(alice, fake)

    await alice.select("country", "Italy", in_view=view_id)

    action = seen.actions[0]["actions"][0]
    assert action["type"] == "static_select" and action["selected_option"]["value"] == "ITA"
    assert seen.actions[0]["view"]["state"]["values"]["country"]["country"]["selected_option"]["value"] == "ITA"


async def test_a_click_on_an_ephemeral_says_so(sender: SlackSender, fake: FakeSlack, seen: Seen) -> None:
    accept = {"type": "button", "action_id": "accept", "text": {"type": "plain_text", "text": "Accept"}}
    ephemeral = fake.state.conversations.post_ephemeral(
        "C0APPROVE", CAROL, text="Retry?", blocks=[{"type": "actions", "elements": [accept]}], source="test"
    )

    await sender.user(CAROL).click("accept", in_message=("C0APPROVE", ephemeral.ts))

    body = seen.actions[0]
    assert body["container"]["is_ephemeral"] is True and "message" not in body
    await fake.wait_until(lambda: fake.responses, what="respond()")
    assert [e.text for e in fake.ephemerals(CAROL)] == ["Accepted by <@U0CAROL01>"]


async def test_command_text_arrives_escaped_as_slack_sends_it(alice: SlackUser, seen: Seen) -> None:
    await alice.run_command("/rainbow help me with Ben & Jerry <ltd>", channel=GENERAL)

    assert seen.commands[0]["text"] == "help me with Ben &amp; Jerry &lt;ltd&gt;"
