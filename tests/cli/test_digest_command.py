"""`reseller-bot digest --post` posts today's digest to DIGEST_CHANNEL through Slack's Web API."""

from pathlib import Path

from bot.fakeslack import FakeSlack
from bot.sandbox import Sandbox
from tests.cli.support import assert_no_secrets, bot_environment, reseller_bot


async def test_digest_post_sends_it_to_the_digest_channel(tmp_path: Path, sandbox: Sandbox, slack: FakeSlack) -> None:
    env = bot_environment(sandbox, slack, f"sqlite+aiosqlite:///{tmp_path}/bot.db", DIGEST_CHANNEL="C0GENERAL")
    result = await reseller_bot("digest", "--post", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.output
    assert "posted 1 message(s) to C0GENERAL" in result.output
    [message] = slack.messages("C0GENERAL")
    assert "Daily digest" in message.text and "nothing new" in message.text
    assert_no_secrets(result.output, env)
    again = await reseller_bot("digest", "--post", env=env, cwd=tmp_path)
    assert again.returncode == 0 and "already claimed" in again.output
    assert len(slack.messages("C0GENERAL")) == 1, "one digest a day, even when posted by hand"
