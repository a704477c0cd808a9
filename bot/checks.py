"""``reseller-bot check``: each part of the setup verified, one line a person can act on per result."""

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.config import EMBEDDED, Settings
from bot.rainbow import RainbowError, RainbowLoginRefused, RainbowUnavailable
from bot.rainbow_access import open_rainbow
from bot.services.digest import DIGEST_JOB, digest_period
from storage.engine import make_engine, make_session_factory
from storage.errors import database_reason
from storage.jobs import job_run
from storage.migrate import current_revision, head_revision, sqlite_file_problem
from storage.models import utcnow
from storage.statuses import JobStatus

SLACK_UNREACHABLE = "check SLACK_API_URL and the network (proxy, firewall)"


@dataclass(frozen=True)
class Outcome:
    ok: bool
    line: str
    warning: bool = False

    def render(self) -> str:
        mark = "ok  " if self.ok and not self.warning else ("warn" if self.ok else "FAIL")
        return f"[{mark}] {self.line}"


Check = Callable[[Settings], Awaitable[list[Outcome]]]


async def check_configuration(settings: Settings) -> list[Outcome]:
    mode = "Socket Mode" if settings.socket_mode else f"HTTP mode on {settings.host}:{settings.port}"
    rainbow = "the embedded sandbox" if settings.rainbow_host == EMBEDDED else settings.rainbow_host
    return [Outcome(True, f"configuration: {mode}, Rainbow at {rainbow}, approvals in {settings.approvals_channel}")]


async def check_database(settings: Settings) -> list[Outcome]:
    url = make_url(settings.database_url)
    shown = url.render_as_string(hide_password=True)
    is_file = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
    if is_file and not await asyncio.to_thread(Path(str(url.database)).exists):
        problem = await asyncio.to_thread(sqlite_file_problem, settings.database_url)
        if problem is not None:
            return [Outcome(False, f"database {shown}: {problem}; check DATABASE_URL")]
        return [Outcome(True, f"database {shown}: does not exist yet; it is created and migrated at start")]
    engine = make_engine(settings.database_url)
    try:
        current = await current_revision(engine)
    except (SQLAlchemyError, OSError) as error:
        return [Outcome(False, f"database {shown}: cannot connect: {database_reason(error)}; check DATABASE_URL")]
    finally:
        await engine.dispose()
    head = head_revision()
    if current == head:
        return [Outcome(True, f"database {shown}: reachable, schema at the latest revision ({head})")]
    if url.get_backend_name() == "sqlite":
        return [Outcome(True, f"database {shown}: schema at {current or 'none'}; migrated to {head} at start")]
    return [
        Outcome(
            False,
            f"database {shown}: schema at {current or 'none'}, the code needs {head}: run `reseller-bot migrate`",
        )
    ]


async def check_rainbow(settings: Settings) -> list[Outcome]:
    """Log in as the bot will; say who we are in Rainbow and whether the account can do the job."""
    async with AsyncExitStack() as stack:
        client, _, where = await open_rainbow(settings, stack, login_backoff_seconds=0)
        try:
            me = await client.login()
        except RainbowLoginRefused as error:
            return [
                Outcome(
                    False,
                    f"{error} ({where}). Check RAINBOW_LOGIN, RAINBOW_PASSWORD, RAINBOW_APP_ID"
                    " and RAINBOW_APP_SECRET; do not retry more than a few times (5 failures lock the"
                    " account for an hour)",
                )
            ]
        except RainbowUnavailable:
            return [
                Outcome(
                    False, f"Rainbow ({where}) cannot be reached: check RAINBOW_HOST and the network (proxy, firewall)"
                )
            ]
        except RainbowError as error:
            return [Outcome(False, f"Rainbow ({where}) answered the login with an error: {error}")]
    roles = ", ".join(me.roles) or "none"
    outcomes = [
        Outcome(
            True,
            f"Rainbow ({where}): logged in as {me.login_email}; reseller company {me.company_name}"
            f" ({me.company_id}); roles: {roles}",
        )
    ]
    if not me.is_bp_admin:
        outcomes.append(
            Outcome(
                True,
                "the Rainbow account is not bp_admin: it cannot create customer companies or answer reseller"
                " requests; give it the bp_admin role in the Rainbow admin console",
                warning=True,
            )
        )
    return outcomes


async def check_slack(settings: Settings) -> list[Outcome]:
    """auth.test with the bot token (and apps.connections.open with the app token in Socket Mode)."""
    outcomes = []
    async with aiohttp.ClientSession() as session:
        bot = AsyncWebClient(
            token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url, session=session
        )
        try:
            identity = await bot.auth_test()
            outcomes.append(
                Outcome(
                    True,
                    f"Slack: workspace {identity.get('team')} ({identity.get('url')}),"
                    f" bot user @{identity.get('user')} ({identity.get('user_id')})",
                )
            )
        except SlackApiError as error:
            outcomes.append(
                Outcome(
                    False,
                    f"Slack refused SLACK_BOT_TOKEN ({error.response.get('error')}): copy the Bot User OAuth"
                    " Token again from OAuth & Permissions, and reinstall the app if its scopes changed",
                )
            )
        except (aiohttp.ClientError, TimeoutError):
            outcomes.append(
                Outcome(False, f"the Slack API at {settings.slack_api_url} cannot be reached: {SLACK_UNREACHABLE}")
            )
            return outcomes
        if outcomes[-1].ok:
            outcomes += await _memberships(bot, settings)
        if settings.slack_app_token is not None:
            app = AsyncWebClient(
                token=settings.slack_app_token.get_secret_value(), base_url=settings.slack_api_url, session=session
            )
            try:
                await app.apps_connections_open(app_token=settings.slack_app_token.get_secret_value())
                outcomes.append(Outcome(True, "Slack: SLACK_APP_TOKEN can open a Socket Mode connection"))
            except SlackApiError as error:
                outcomes.append(
                    Outcome(
                        False,
                        f"Slack refused SLACK_APP_TOKEN ({error.response.get('error')}): it must be an app-level"
                        " token with the connections:write scope, and Socket Mode must be enabled",
                    )
                )
            except (aiohttp.ClientError, TimeoutError):
                outcomes.append(
                    Outcome(False, f"the Slack API at {settings.slack_api_url} cannot be reached: {SLACK_UNREACHABLE}")
                )
    return outcomes


async def _memberships(bot: AsyncWebClient, settings: Settings) -> list[Outcome]:
    """The bot must be a member of the approvals and digest channels to post there.

    conversations.info (scopes channels:read, groups:read; Slack Web API reference,
    https://api.slack.com/methods/conversations.info) returns the conversation object, whose
    ``is_member`` says whether the calling bot is in it; a private channel the bot is not in
    answers ``channel_not_found``.
    """
    roles = {settings.approvals_channel: "APPROVALS_CHANNEL"}
    if settings.digest_channel_id != settings.approvals_channel:
        roles[settings.digest_channel_id] = "DIGEST_CHANNEL"
    outcomes = []
    for channel, variable in roles.items():
        invite = f"invite the bot there (`/invite @rainbow-reseller`) or fix {variable}"
        try:
            found = (await bot.conversations_info(channel=channel))["channel"]
        except SlackApiError as error:
            code = error.response.get("error")
            advice = invite if code == "channel_not_found" else "reinstall the app if its scopes changed"
            outcomes.append(Outcome(False, f"Slack: {variable} {channel} cannot be read ({code}): {advice}"))
            continue
        except (aiohttp.ClientError, TimeoutError):
            outcomes.append(
                Outcome(False, f"the Slack API at {settings.slack_api_url} cannot be reached: {SLACK_UNREACHABLE}")
            )
            break
        name = f"{variable} {channel} (#{found.get('name')})"
        if found.get("is_archived"):
            outcomes.append(Outcome(False, f"Slack: {name} is archived; unarchive it or choose another channel"))
        elif found.get("is_member") is False:
            outcomes.append(Outcome(False, f"Slack: the bot is not a member of {name}: {invite}"))
        else:
            outcomes.append(Outcome(True, f"Slack: the bot is a member of {name}"))
    return outcomes


async def check_digest(settings: Settings) -> list[Outcome]:
    """Today's digest, if it could not be posted (the store says why) or may have been posted twice over."""
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and not await asyncio.to_thread(Path(str(url.database)).exists):
        return []  # nothing posted yet, and check must not create the file
    local_date = utcnow().astimezone(settings.zone).date()
    channel = settings.digest_channel_id
    engine = make_engine(settings.database_url)
    try:
        row = await job_run(make_session_factory(engine), DIGEST_JOB, digest_period(channel, local_date))
    except (SQLAlchemyError, OSError):
        return []  # the database line already says why
    finally:
        await engine.dispose()
    if row is not None and row.status == JobStatus.FAILED:
        return [
            Outcome(
                False,
                f"digest of {local_date}: not posted to {channel} ({row.result}); the running bot tries again"
                " every minute",
            )
        ]
    if row is not None and row.status == JobStatus.UNKNOWN:
        return [
            Outcome(
                True,
                f"digest of {local_date}: may have been posted to {channel} (sent, Slack gave no answer); look in"
                " the channel, and if it is missing run `reseller-bot digest --post --force`",
                warning=True,
            )
        ]
    return []


CHECKS: tuple[Check, ...] = (check_configuration, check_database, check_rainbow, check_slack, check_digest)


async def run_checks(settings: Settings, checks: tuple[Check, ...] = CHECKS) -> int:
    """Print every outcome; exit status 0 only when nothing failed."""
    failed = False
    for check in checks:
        for outcome in await check(settings):
            print(outcome.render())
            failed = failed or not outcome.ok
    return 1 if failed else 0
