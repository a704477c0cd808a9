"""`reseller-bot digest --post`: today's digest posted through Slack's Web API, once a day, never lost.

A refusal (``ok: false``, a connection that never opened) proves nothing was posted: the day stays
open. Only a post sent without an answer may have been posted, and the command says exactly that.
"""

from datetime import UTC, datetime
from pathlib import Path

from standins.rainbow import Sandbox
from standins.slack import FakeSlack
from standins.slack.faults import Fault
from tests.cli.support import assert_no_secrets, bot_environment, free_port, reseller_bot


def today() -> str:
    return datetime.now(UTC).date().isoformat()


async def test_digest_post_sends_it_once_a_day_and_force_posts_it_again(
    tmp_path: Path, sandbox: Sandbox, slack: FakeSlack
) -> None:
    env = bot_environment(sandbox, slack, f"sqlite+aiosqlite:///{tmp_path}/bot.db", DIGEST_CHANNEL="C0GENERAL")
    result = await reseller_bot("digest", "--post", env=env, cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, ""), result.output
    assert result.lines == [f"posted the digest of {today()} to C0GENERAL (1 message)"]
    [message] = slack.messages("C0GENERAL")
    assert "Daily digest" in message.text and "nothing new" in message.text
    assert_no_secrets(result.output, env)

    again = await reseller_bot("digest", "--post", env=env, cwd=tmp_path)
    assert (again.returncode, again.stderr) == (1, ""), again.output
    assert again.lines == [
        f"the digest of {today()} was already posted to C0GENERAL; `reseller-bot digest --post --force` posts it again"
    ]
    assert len(slack.messages("C0GENERAL")) == 1, "one digest a day, even when posted by hand"

    forced = await reseller_bot("digest", "--post", "--force", env=env, cwd=tmp_path)
    assert (forced.returncode, forced.stderr) == (0, ""), forced.output
    assert forced.lines == [f"posted the digest of {today()} to C0GENERAL again (1 message)"]
    assert len(slack.messages("C0GENERAL")) == 2


async def test_a_channel_the_bot_is_not_in_leaves_the_day_open_for_the_next_try(
    tmp_path: Path, sandbox: Sandbox, slack: FakeSlack
) -> None:
    env = bot_environment(sandbox, slack, f"sqlite+aiosqlite:///{tmp_path}/bot.db", DIGEST_CHANNEL="C0RANDOM1")
    refused = await reseller_bot("digest", "--post", env=env, cwd=tmp_path)
    assert (refused.returncode, refused.stderr) == (1, ""), refused.output
    assert refused.lines == [
        f"the digest of {today()} was not posted: Slack answered not_in_channel: invite the bot to C0RANDOM1"
        " (`/invite @rainbow-reseller`) or fix DIGEST_CHANNEL; the day stays open and the scheduler tries again"
        " every minute"
    ]

    channel = slack.workspace.channel("C0RANDOM1")
    assert channel is not None
    channel.bot_is_member = True
    posted = await reseller_bot("digest", "--post", env=env, cwd=tmp_path)
    assert (posted.returncode, posted.stderr) == (0, ""), posted.output
    assert posted.lines == [f"posted the digest of {today()} to C0RANDOM1 (1 message)"]
    assert len(slack.messages("C0RANDOM1")) == 1


async def test_slack_unreachable_posts_nothing_and_the_next_post_goes_through(
    tmp_path: Path, sandbox: Sandbox, slack: FakeSlack
) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path}/bot.db"
    unreachable = f"http://127.0.0.1:{free_port()}/api/"
    env = bot_environment(sandbox, slack, database, DIGEST_CHANNEL="C0GENERAL", SLACK_API_URL=unreachable)
    refused = await reseller_bot("digest", "--post", env=env, cwd=tmp_path)
    assert (refused.returncode, refused.stderr) == (1, ""), refused.output
    assert refused.lines == [
        f"the digest of {today()} was not posted: Slack could not be reached (ClientConnectorError): check"
        " SLACK_API_URL and the network; the day stays open and the scheduler tries again every minute"
    ]

    back = await reseller_bot("digest", "--post", env={**env, "SLACK_API_URL": slack.api_url}, cwd=tmp_path)
    assert (back.returncode, back.stderr) == (0, ""), back.output
    assert back.lines == [f"posted the digest of {today()} to C0GENERAL (1 message)"]


async def test_a_post_without_an_answer_may_have_been_posted_and_is_not_repeated_without_force(
    tmp_path: Path, sandbox: Sandbox, slack: FakeSlack
) -> None:
    env = bot_environment(sandbox, slack, f"sqlite+aiosqlite:///{tmp_path}/bot.db", DIGEST_CHANNEL="C0GENERAL")
    slack.faults.add("chat.postMessage", Fault.http_error(500))
    unknown = await reseller_bot("digest", "--post", env=env, cwd=tmp_path)
    maybe = (
        f"the digest of {today()} may have been posted to C0GENERAL: it was sent and Slack gave no answer"
        " (http_500); it is not retried, to never post twice: look in the channel, and if it is missing"
        " run `reseller-bot digest --post --force`"
    )
    assert (unknown.returncode, unknown.stderr, unknown.lines) == (1, "", [maybe]), unknown.output

    again = await reseller_bot("digest", "--post", env=env, cwd=tmp_path)
    assert (again.returncode, again.stderr, again.lines) == (1, "", [maybe]), again.output
    assert slack.messages("C0GENERAL") == []

    forced = await reseller_bot("digest", "--post", "--force", env=env, cwd=tmp_path)
    assert (forced.returncode, forced.lines) == (0, [f"posted the digest of {today()} to C0GENERAL again (1 message)"])
