"""The Web API methods through the real slack_sdk client: answers, stored state, Slack's errors."""

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from standins.slack import FakeSlack

from .conftest import ALICE, APPROVALS, BOB, CAROL, GENERAL, RANDOM, section


async def slack_error(call: object) -> str:
    with pytest.raises(SlackApiError) as raised:
        await call  # type: ignore[misc]
    return str(raised.value.response["error"])


async def test_auth_test_describes_the_bot(client: AsyncWebClient, fake: FakeSlack) -> None:
    answer = await client.auth_test()

    assert answer["team_id"] == fake.workspace.team_id
    assert answer["user_id"] == fake.workspace.bot_user_id
    assert answer["bot_id"] == fake.workspace.bot_id
    assert answer["url"] == "https://fake-resellers.slack.com/"


async def test_wrong_token_is_invalid_auth_and_missing_token_is_not_authed(fake: FakeSlack) -> None:
    wrong = AsyncWebClient(token="xoxb-someone-else", base_url=fake.api_url)
    anonymous = AsyncWebClient(base_url=fake.api_url)

    assert await slack_error(wrong.chat_postMessage(channel=GENERAL, text="hi")) == "invalid_auth"
    assert await slack_error(anonymous.auth_test()) == "not_authed"
    assert fake.messages(GENERAL) == []


async def test_unknown_method(client: AsyncWebClient) -> None:
    assert await slack_error(client.api_call("chat.teleport")) == "unknown_method"


async def test_post_then_update_keeps_history_and_threads(client: AsyncWebClient, fake: FakeSlack) -> None:
    posted = await client.chat_postMessage(channel=GENERAL, text="New request", blocks=[section("*Acme*")])
    reply = await client.chat_postMessage(channel=GENERAL, text="Accepted", thread_ts=posted["ts"])
    await client.chat_update(channel=GENERAL, ts=posted["ts"], text="Request accepted")

    message = fake.message(GENERAL, posted["ts"])
    assert message.text == "Request accepted"
    assert message.blocks[0]["text"]["text"] == "*Acme*", "omitted blocks are kept, as on Slack"
    assert [version.text for version in message.history] == ["New request"]
    assert [m.ts for m in fake.thread(GENERAL, posted["ts"])] == [posted["ts"], reply["ts"]]
    assert [m.ts for m in fake.messages(GENERAL)] == [posted["ts"]]
    assert float(reply["ts"]) > float(posted["ts"])


async def test_update_of_unknown_or_foreign_message_fails(client: AsyncWebClient, fake: FakeSlack) -> None:
    human = fake.post_as_user(GENERAL, ALICE, "hello team")

    assert await slack_error(client.chat_update(channel=GENERAL, ts="1.000001", text="x")) == "message_not_found"
    assert await slack_error(client.chat_update(channel=GENERAL, ts=human.ts, text="x")) == "cant_update_message"


async def test_posting_where_the_bot_is_not_a_member(client: AsyncWebClient) -> None:
    assert await slack_error(client.chat_postMessage(channel=RANDOM, text="hi")) == "not_in_channel"
    assert await slack_error(client.chat_postMessage(channel="C0NOWHERE", text="hi")) == "channel_not_found"


async def test_posting_to_a_user_id_lands_in_their_dm(client: AsyncWebClient, fake: FakeSlack) -> None:
    opened = await client.conversations_open(users=ALICE)
    posted = await client.chat_postMessage(channel=ALICE, text="Your company is active")

    assert posted["channel"] == opened["channel"]["id"] == fake.dm_channel(ALICE)
    assert [m.text for m in fake.messages(posted["channel"])] == ["Your company is active"]


async def test_ephemeral_needs_the_user_in_the_channel(client: AsyncWebClient, fake: FakeSlack) -> None:
    await client.chat_postEphemeral(channel=APPROVALS, user=CAROL, text="Already declined by @bob")

    assert [e.text for e in fake.ephemerals(CAROL)] == ["Already declined by @bob"]
    assert fake.ephemerals(CAROL)[0].source == "chat.postEphemeral"
    assert await slack_error(client.chat_postEphemeral(channel=APPROVALS, user=BOB, text="x")) == (
        "user_not_in_channel"
    )


async def test_permalink(client: AsyncWebClient) -> None:
    posted = await client.chat_postMessage(channel=GENERAL, text="x")

    answer = await client.chat_getPermalink(channel=GENERAL, message_ts=posted["ts"])

    assert (
        answer["permalink"] == f"https://fake-resellers.slack.com/archives/{GENERAL}/p{posted['ts'].replace('.', '')}"
    )


async def test_members_are_paginated_with_cursors(client: AsyncWebClient) -> None:
    pages = [page["members"] async for page in await client.conversations_members(channel=GENERAL, limit=2)]

    assert pages == [[ALICE, BOB], [CAROL]]
    assert await slack_error(client.conversations_members(channel=GENERAL, cursor="bm9wZQ==")) == "invalid_cursor"


async def test_private_channel_the_bot_cannot_see_is_not_found(fake: FakeSlack, client: AsyncWebClient) -> None:
    fake.workspace.channel(APPROVALS).bot_is_member = False  # type: ignore[union-attr]

    assert await slack_error(client.conversations_info(channel=APPROVALS)) == "channel_not_found"
    assert await slack_error(client.conversations_members(channel=APPROVALS)) == "channel_not_found"


async def test_directory_lookups(client: AsyncWebClient, fake: FakeSlack) -> None:
    assert await slack_error(client.users_info(user=ALICE)) == "missing_scope"  # the manifest asks no users:read
    fake.workspace.scopes = fake.workspace.scopes | {"users:read"}
    info = await client.conversations_info(channel=APPROVALS)
    user = await client.users_info(user=ALICE)
    group = await client.usergroups_users_list(usergroup="S0APPROVE")

    assert info["channel"]["is_private"] is True
    assert user["user"]["profile"]["email"] == "alice@reseller.example"
    assert group["users"] == [CAROL]
    assert await slack_error(client.users_info(user="U0NOBODY0")) == "user_not_found"
    assert await slack_error(client.usergroups_users_list(usergroup="S0NOPE")) == "no_such_subteam"


async def test_every_call_is_recorded_with_decoded_arguments(client: AsyncWebClient, fake: FakeSlack) -> None:
    await client.chat_postMessage(channel=GENERAL, text="hi", blocks=[section("hello")])
    await client.api_call(
        "chat.postMessage", data={"channel": GENERAL, "text": "form", "blocks": '[{"type": "divider"}]'}
    )

    first, second = fake.calls_to("chat.postMessage")
    assert first.params["blocks"][0]["text"]["text"] == "hello"
    assert second.params["blocks"] == [{"type": "divider"}], "form-encoded JSON is decoded"
    assert first.ok and second.ok


async def test_chat_write_public_allows_public_channels_only(fake: FakeSlack, client: AsyncWebClient) -> None:
    fake.workspace.chat_write_public = True
    fake.workspace.channel(APPROVALS).bot_is_member = False  # type: ignore[union-attr]

    await client.chat_postMessage(channel="#random", text="hello")

    assert [m.text for m in fake.messages(RANDOM)] == ["hello"]
    assert await slack_error(client.chat_postMessage(channel=APPROVALS, text="x")) == "channel_not_found"
