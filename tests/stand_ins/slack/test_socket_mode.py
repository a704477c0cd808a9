"""Socket Mode in the fake: apps.connections.open, the websocket protocol as slack_sdk speaks it, and a real
Bolt app driven over its socket by the same `SlackUser` API as over HTTP."""

import asyncio
import json
from collections.abc import AsyncIterator

import aiohttp
import pytest
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_sdk.web.async_client import AsyncWebClient

from standins.slack import FakeSlack, SlackUser, SocketSender
from standins.slack.socket_sender import NO_ACK_STATUS

from .bolt_app import Seen, build_bolt_app
from .conftest import ALICE, GENERAL
from .test_web_api import slack_error


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def socket_url(fake: FakeSlack) -> str:
    answer = await AsyncWebClient(base_url=fake.api_url).apps_connections_open(app_token=fake.app_token)
    return str(answer["url"])


async def test_apps_connections_open_takes_the_app_level_token_only(fake: FakeSlack) -> None:
    api = AsyncWebClient(base_url=fake.api_url)

    url = await socket_url(fake)

    assert url.startswith(fake.base_url.replace("http://", "ws://") + "socket/")
    assert await slack_error(api.apps_connections_open(app_token=fake.token)) == "not_allowed_token_type"
    assert await slack_error(api.apps_connections_open(app_token="xapp-1-A0FAKE001-1-revoked")) == "invalid_auth"
    as_app = AsyncWebClient(token=fake.app_token, base_url=fake.api_url)
    assert await slack_error(as_app.chat_postMessage(channel=GENERAL, text="hi")) == "not_allowed_token_type"
    assert [c.error for c in fake.calls] == [None, "not_allowed_token_type", "invalid_auth", "not_allowed_token_type"]


async def test_a_url_opens_one_connection_which_starts_with_hello_and_answers_pings(
    fake: FakeSlack, http: aiohttp.ClientSession
) -> None:
    url = await socket_url(fake)

    async with http.ws_connect(url, autoping=False) as socket:
        hello = await socket.receive_json()
        await socket.ping(b"sdk-ping-pong:1.5")
        pong = await socket.receive()
        with pytest.raises(aiohttp.WSServerHandshakeError) as reused:
            await http.ws_connect(url)
        assert fake.sockets.connections == 1

    assert hello["type"] == "hello" and hello["num_connections"] == 1
    assert hello["connection_info"] == {"app_id": fake.workspace.app_id}
    assert (pong.type, pong.data) == (aiohttp.WSMsgType.PONG, b"sdk-ping-pong:1.5")
    assert reused.value.status == 401
    await fake.wait_until(lambda: fake.sockets.connections == 0, what="the hang-up")


async def test_an_envelope_is_answered_by_the_ack_naming_it(fake: FakeSlack, http: aiohttp.ClientSession) -> None:
    async with http.ws_connect(await socket_url(fake)) as socket:
        await socket.receive_json()
        alice = SocketSender(fake).user(ALICE)
        running = asyncio.ensure_future(alice.run_command("/rainbow help", channel="general"))
        envelope = await socket.receive_json()
        await socket.send_str("not an ack")
        await socket.send_json({"envelope_id": "someone-else"})
        await socket.send_json({"envelope_id": envelope["envelope_id"], "payload": {"text": "Try /rainbow create"}})
        answer = await running

    assert envelope["type"] == "slash_commands" and envelope["accepts_response_payload"] is True
    assert envelope["payload"]["command"] == "/rainbow" and envelope["payload"]["channel_id"] == GENERAL
    assert set(envelope) == {"envelope_id", "payload", "type", "accepts_response_payload"}
    assert (answer.status, answer.json) == (200, {"text": "Try /rainbow create"})
    assert [e.text for e in fake.ephemerals(ALICE)] == ["Try /rainbow create"]
    assert fake.sockets.deliveries[0].ack == {"envelope_id": envelope["envelope_id"], "payload": answer.json}


async def test_an_envelope_nobody_acks_in_time_gets_no_answer(fake: FakeSlack, http: aiohttp.ClientSession) -> None:
    async with http.ws_connect(await socket_url(fake)) as socket:
        await socket.receive_json()
        answer = await SocketSender(fake, ack_timeout=0.05).user(ALICE).open_home()
        envelope = json.loads((await socket.receive()).data)

    assert (answer.status, answer.text) == (NO_ACK_STATUS, "")
    assert envelope["type"] == "events_api" and envelope["accepts_response_payload"] is False
    assert (envelope["retry_attempt"], envelope["retry_reason"]) == (0, "")
    assert envelope["payload"]["event"]["type"] == "app_home_opened"
    assert fake.sockets.deliveries[0].ack is None


async def test_nothing_is_delivered_without_a_connection(fake: FakeSlack) -> None:
    with pytest.raises(AssertionError, match="no Socket Mode connection"):
        await SocketSender(fake).user(ALICE).run_command("/rainbow help", channel="general")


async def test_stopping_the_fake_hangs_up_on_connected_clients(fake: FakeSlack, http: aiohttp.ClientSession) -> None:
    async with http.ws_connect(await socket_url(fake)) as socket:
        await socket.receive_json()
        await fake.close()
        closing = await socket.receive()

    assert (closing.type, closing.data) == (aiohttp.WSMsgType.CLOSE, aiohttp.WSCloseCode.GOING_AWAY)


# A real Bolt app behind slack_sdk's aiohttp SocketModeClient, as `reseller-bot run` uses it.


@pytest.fixture
def seen() -> Seen:
    return Seen()


@pytest.fixture
async def alice(fake: FakeSlack, seen: Seen) -> AsyncIterator[SlackUser]:
    handler = AsyncSocketModeHandler(build_bolt_app(fake, seen), fake.app_token)
    await handler.connect_async()
    await fake.wait_for_socket()
    yield SocketSender(fake).user(ALICE)
    await handler.close_async()
    await fake.wait_until(lambda: fake.sockets.connections == 0, what="Bolt hanging up")


async def test_a_person_drives_bolt_over_the_socket_as_over_http(alice: SlackUser, fake: FakeSlack, seen: Seen) -> None:
    help_answer = await alice.run_command("/rainbow help", channel=GENERAL)
    await alice.run_command("/rainbow Acme", channel=GENERAL)
    (opened,) = await fake.wait_for_calls("views.open")
    view_id = opened.answer["view"]["id"]
    await alice.click("Back", in_view=view_id)
    refused = await alice.fill_and_submit(
        view_id, {"email": "admin@gmail.com", "country": "Italy", "company": "Acme L", "visibility": "Public"}
    )
    accepted = await alice.fill_and_submit(view_id, {"email": "admin@acme.example"})
    await alice.open_home()

    assert help_answer.json == {"text": "Try `/rainbow create <name>`"}, "Bolt's text ack becomes {'text': ...}"
    assert [e.text for e in fake.ephemerals(ALICE, GENERAL)] == ["Try `/rainbow create <name>`"]
    assert seen.commands[1]["text"] == "Acme" and seen.actions[0]["actions"][0]["action_id"] == "back"
    assert refused.json is not None and refused.json["response_action"] == "errors"
    assert seen.submissions[1]["view"]["state"]["values"]["company"]["company"]["selected_option"]["value"] == (
        "acme-labs"
    )
    assert accepted.json is not None and accepted.json["response_action"] == "update"
    await fake.wait_for_calls("views.publish")
    assert "Acme created" in fake.render_view(view_id)
    flags = [(d.envelope["type"], d.envelope["accepts_response_payload"]) for d in fake.sockets.deliveries]
    assert flags == [
        ("slash_commands", True),
        ("slash_commands", True),
        ("interactive", False),  # block_actions: Slack ignores the ack's body
        ("interactive", True),  # block_suggestion: the options
        ("interactive", True),  # view_submission: response_action errors
        ("interactive", True),  # view_submission: response_action update
        ("events_api", False),
    ]
    assert all(d.ack is not None for d in fake.sockets.deliveries)
    assert fake.failed_calls() == []


async def test_bolt_opens_a_new_connection_when_slack_asks(alice: SlackUser, fake: FakeSlack) -> None:
    await fake.sockets.ask_to_reconnect()
    await fake.wait_until(lambda: (fake.sockets.opened, fake.sockets.connections) == (2, 1), what="a new connection")

    answer = await alice.run_command("/rainbow help", channel=GENERAL)

    assert answer.status == 200
    assert len(fake.calls_to("apps.connections.open")) == 2
