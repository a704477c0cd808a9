"""Forced failures and pacing: 429 with Retry-After, Slack errors, bare 5xx."""

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from standins.slack import FakeSlack, example_workspace

from .conftest import APPROVALS, GENERAL


async def test_rate_limit_then_slack_sdk_retry_handler_succeeds(fake: FakeSlack) -> None:
    client = AsyncWebClient(
        token=fake.token, base_url=fake.api_url, retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)]
    )
    fake.rate_limit_next("chat.postMessage", retry_after=1)

    await client.chat_postMessage(channel=GENERAL, text="digest")

    assert [(call.status, call.error) for call in fake.calls_to("chat.postMessage")] == [
        (429, "ratelimited"),
        (200, None),
    ]
    assert [m.text for m in fake.messages(GENERAL)] == ["digest"]


async def test_rate_limit_without_retry_handler_surfaces_retry_after(client: AsyncWebClient, fake: FakeSlack) -> None:
    fake.rate_limit_next("chat.update", times=2, retry_after=7)

    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            await client.chat_update(channel=GENERAL, ts="1.000001", text="x")
        assert raised.value.response.status_code == 429
        assert raised.value.response.headers["Retry-After"] == "7"
    with pytest.raises(SlackApiError) as raised:
        await client.chat_update(channel=GENERAL, ts="1.000001", text="x")
    assert raised.value.response["error"] == "message_not_found", "the fault was used up"


async def test_forced_slack_error_and_bare_server_error(client: AsyncWebClient, fake: FakeSlack) -> None:
    fake.fail_next("chat.postMessage", "fatal_error")
    fake.http_error_next("chat.postMessage", status=500)

    with pytest.raises(SlackApiError) as fatal:
        await client.chat_postMessage(channel=GENERAL, text="x")
    with pytest.raises(SlackApiError) as server_error:
        await client.chat_postMessage(channel=GENERAL, text="x")
    await client.chat_postMessage(channel=GENERAL, text="third time")

    assert fatal.value.response["error"] == "fatal_error"
    assert server_error.value.response.status_code == 500
    assert [m.text for m in fake.messages(GENERAL)] == ["third time"]


async def test_pacing_allows_one_post_per_second_per_channel() -> None:
    async with FakeSlack(example_workspace(), post_interval=60.0) as fake:
        client = AsyncWebClient(token=fake.token, base_url=fake.api_url)
        await client.chat_postMessage(channel=GENERAL, text="1")
        with pytest.raises(SlackApiError) as raised:
            await client.chat_postMessage(channel=GENERAL, text="2")
        await client.chat_postMessage(channel=APPROVALS, text="other channel")
        fake.clock.advance(60.0)
        await client.chat_postMessage(channel=GENERAL, text="3")

    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "60"
    assert [m.text for m in fake.messages(GENERAL)] == ["1", "3"]
