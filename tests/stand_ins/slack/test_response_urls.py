"""response_url: what Bolt's respond() posts (with slack_sdk's AsyncWebhookClient) changes what people see."""

from slack_sdk.webhook.async_client import AsyncWebhookClient

from standins.slack import FakeSlack

from .conftest import APPROVALS, CAROL


async def test_default_reply_is_ephemeral_and_in_channel_is_public(fake: FakeSlack) -> None:
    url = fake.issue_response_url(APPROVALS, CAROL)

    await AsyncWebhookClient(url).send(text="Only you see this")
    await AsyncWebhookClient(url).send(text="Everyone sees this", response_type="in_channel")

    assert [e.text for e in fake.ephemerals(CAROL, APPROVALS)] == ["Only you see this"]
    assert [m.text for m in fake.messages(APPROVALS)] == ["Everyone sees this"]
    assert [post.outcome for post in fake.responses] == ["ephemeral", "in_channel"]


async def test_replace_and_delete_an_ephemeral_original(fake: FakeSlack) -> None:
    original = fake.state.conversations.post_ephemeral(APPROVALS, CAROL, text="Pick one", blocks=None, source="test")
    url = fake.issue_response_url(APPROVALS, CAROL, original.ts, is_ephemeral=True)

    await AsyncWebhookClient(url).send(text="Picked", replace_original=True)
    assert [e.text for e in fake.ephemerals(CAROL)] == ["Picked"]

    await AsyncWebhookClient(url).send(delete_original=True)
    assert fake.ephemerals(CAROL) == []


async def test_invalid_blocks_and_unknown_urls_are_refused(fake: FakeSlack) -> None:
    url = fake.issue_response_url(APPROVALS, CAROL)

    refused = await AsyncWebhookClient(url).send(
        text="x", blocks=[{"type": "header", "text": {"type": "mrkdwn", "text": "x"}}]
    )
    unknown = await AsyncWebhookClient(fake.base_url + "response/nope").send(text="x")

    assert refused.status_code == 400 and "invalid_blocks" in refused.body
    assert unknown.status_code == 404
    assert fake.responses[0].outcome == "error:invalid_blocks"
