"""Builds the running product: store, Rainbow client, Slack app, HTTP endpoints.

One ``aiohttp.ClientSession`` serves both Slack and Rainbow. Every Slack request
(commands, interactivity, options, events) arrives on ``POST /slack/events`` with
Bolt's signature check on; ``/healthz`` says the process is alive and ``/readyz``
whether it can do its job.
"""

import asyncio
import json
import logging
import os
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from slack_bolt import BoltResponse
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.authz import Authorizer
from bot.config import DigestPostSettings, Settings
from bot.logs import context_id
from bot.metrics import Metrics
from bot.notifier import Notifier
from bot.rainbow import RainbowClient, RainbowError
from bot.rainbow_access import open_rainbow
from bot.runtime import Runtime
from bot.scheduler import Job, Scheduler, default_owner
from bot.services.audit_log import AuditLog
from bot.services.countries import CountryCatalog
from bot.services.digest import Digest, Posting
from bot.services.directory import Directory
from bot.services.flows import Flows
from bot.services.health import Health
from bot.services.linking import Linking
from bot.services.onboarding import Onboarding
from bot.services.reminders import Reminders
from bot.services.requests import Requests
from bot.services.sync import StatusSync
from handlers import register_all
from storage.engine import SessionFactory, make_engine, make_session_factory
from storage.retention import prune
from storage.schema import ensure_schema

if TYPE_CHECKING:  # the sandbox is imported only when RAINBOW_HOST=embedded asks for it
    from standins.rainbow import Sandbox

logger = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
DEMO_COMPANIES = 40
INTERACTIVE_TIMEOUT = 2  # seconds (slack_sdk types its timeout as an int)


@dataclass
class Running:
    """What ``assemble`` started, for the server and for tests."""

    runtime: Runtime
    bolt: AsyncApp
    web: web.Application
    rainbow: RainbowClient
    sandbox: "Sandbox | None"
    scheduler: Scheduler
    metrics: Metrics
    warming: asyncio.Task[None] | None = None  # the warm-up, when it runs in the background


def slack_client(settings: DigestPostSettings, session: aiohttp.ClientSession) -> AsyncWebClient:
    """For background work (posts, polls, digest): retries on 429 (Retry-After) and dropped connections,
    never on 5xx."""
    return AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        session=session,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        ],
    )


def interactive_client(settings: Settings, session: aiohttp.ClientSession, *, with_token: bool) -> AsyncWebClient:
    """For calls made while a person waits: Slack drops an interaction not acknowledged within 3 s, and a
    trigger_id lives 3 s (https://docs.slack.dev/interactivity/handling-user-interaction#acknowledgment_response),
    so nothing here sleeps on a 429's Retry-After or retries; each call gives up after INTERACTIVE_TIMEOUT.

    Bolt copies this client's settings into the one it gives each listener. Bolt's own copy carries no
    token: the token reaches each request through ``authorize``."""
    return AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value() if with_token else None,
        base_url=settings.slack_api_url,
        session=session,
        timeout=INTERACTIVE_TIMEOUT,
        retry_handlers=[],
    )


def bolt_app(settings: Settings, session: aiohttp.ClientSession, runtime_identity: Callable[[], Runtime]) -> AsyncApp:
    """The Bolt app, authorized without calling Slack.

    Bolt's single-team authorization calls auth.test on every request until one succeeds
    (slack_bolt/middleware/authorization/async_single_team_authorization.py, 1.30): with Slack's Web API
    unreachable, every request would fail. ``authorize`` answers from the token we hold and the
    identity learnt at start instead. Bolt falls back on SLACK_BOT_TOKEN when given no token, then
    warns that `client` wins (slack_bolt/app/async_app.py ``__init__``): it is hidden from Bolt while
    the app is built, as the token reaches Bolt through ``authorize`` only.
    """
    token = settings.slack_bot_token.get_secret_value()

    async def authorize(enterprise_id: str | None, team_id: str | None, user_id: str | None) -> AuthorizeResult:
        runtime = runtime_identity()
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            bot_token=token,
            bot_id=runtime.bot_id,
            bot_user_id=runtime.bot_user_id,
        )

    hidden = os.environ.pop("SLACK_BOT_TOKEN", None)
    try:
        return AsyncApp(
            client=interactive_client(settings, session, with_token=False),
            authorize=authorize,
            signing_secret=(
                settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
            ),
            logger=logging.getLogger("slack_bolt"),
        )
    finally:
        if hidden is not None:
            os.environ["SLACK_BOT_TOKEN"] = hidden


def describe(body: dict[str, Any]) -> tuple[str, str]:
    """(kind, name) of a Slack request for metrics and logs: the command, action, view or event."""
    if "command" in body:
        return "command", str(body["command"])
    kind = str(body.get("type") or "unknown")
    if kind == "block_actions":
        return kind, str((body.get("actions") or [{}])[0].get("action_id", "?"))
    if kind in ("view_submission", "view_closed"):
        return kind, str((body.get("view") or {}).get("callback_id", "?"))
    if kind == "block_suggestion":
        return kind, str(body.get("action_id", "?"))
    if kind == "event_callback":
        return "event", str((body.get("event") or {}).get("type", "?"))
    return kind, "-"


def count_and_tag(bolt: AsyncApp, metrics: Metrics) -> None:
    """Every Slack request, over HTTP or Socket Mode, is counted and its log lines tagged.

    The id is set before the listener's task starts, and asyncio copies it into that task.
    """

    @bolt.use
    async def tag(body: dict[str, Any], next: Callable[[], Awaitable[BoltResponse]]) -> BoltResponse:
        context_id.set(f"slack:{uuid.uuid4().hex[:8]}")
        metrics.slack_requests.labels(*describe(body)).inc()
        return await next()


def web_app(bolt: AsyncApp, health: Health, metrics: Metrics, *, serve_slack: bool = True) -> web.Application:
    async def slack_events(request: web.Request) -> web.Response:
        """Bolt returns as soon as the listener acks; that moment is the acknowledgement latency."""
        started = time.perf_counter()
        response = await bolt.async_dispatch(await to_bolt_request(request))
        metrics.ack_seconds.observe(time.perf_counter() - started)
        return await to_aiohttp_response(response)

    async def prometheus(_: web.Request) -> web.Response:
        return web.Response(body=metrics.render(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "alive"})

    async def readyz(_: web.Request) -> web.Response:
        ready, checks = await health.report()
        return web.Response(
            status=200 if ready else 503,
            text=json.dumps({"ready": ready, "checks": checks}),
            content_type="application/json",
        )

    application = web.Application()
    if serve_slack:  # in Socket Mode, Slack's requests come over the socket only
        application.router.add_post(EVENTS_PATH, slack_events)
    application.router.add_get("/healthz", healthz)
    application.router.add_get("/readyz", readyz)
    application.router.add_get("/metrics", prometheus)
    return application


@asynccontextmanager
async def assemble(settings: Settings, *, warm_in_background: bool = False) -> AsyncIterator[Running]:
    """Build and start everything the process needs; tear it down in reverse on exit.

    With `warm_in_background` the Rainbow login, the country list and Slack's auth.test run after
    this yields (the server is already answering; /readyz says "warming up" until they are done).
    """
    async with AsyncExitStack() as stack:
        engine = make_engine(settings.database_url)
        stack.push_async_callback(engine.dispose)
        await ensure_schema(engine)
        sessions = make_session_factory(engine)
        session = await stack.enter_async_context(aiohttp.ClientSession())
        health = Health(engine)
        metrics = Metrics()

        def observe_rainbow(operation: str, outcome: str, seconds: float) -> None:
            health.observe_rainbow(operation, outcome, seconds)
            metrics.observe_rainbow(operation, outcome, seconds)

        rainbow, sandbox, _ = await open_rainbow(
            settings, stack, session=session, observer=observe_rainbow, seed_companies=DEMO_COMPANIES
        )
        client = slack_client(settings, session)
        runtime_holder: list[Runtime] = []
        bolt = bolt_app(settings, session, lambda: runtime_holder[0])
        notifier = Notifier(client)
        flows = Flows(sessions)
        countries = CountryCatalog(rainbow)
        runtime = Runtime(
            settings=settings,
            authz=Authorizer(
                interactive_client(settings, session, with_token=True),
                resellers=settings.resellers,
                approvers=settings.approvers,
                approvals_channel=settings.approvals_channel,
            ),
            notifier=notifier,
            flows=flows,
            onboarding=Onboarding(sessions, rainbow, notifier, flows),
            linking=Linking(sessions, rainbow, notifier, flows),
            requests=Requests(
                sessions,
                rainbow,
                notifier,
                settings.approvals_channel,
                on_decision=lambda status: metrics.decisions.labels(status).inc(),
            ),
            digest=Digest(
                sessions,
                notifier,
                channel=settings.digest_channel_id,
                zone=settings.zone,
                at=settings.digest_time,
                stale_after=timedelta(days=settings.stale_invitation_days),
                rainbow_problem=lambda: health.rainbow_problem,
            ),
            reminders=Reminders(sessions, rainbow, notifier),
            directory=Directory(sessions),
            audit=AuditLog(sessions),
            countries=countries,
            health=health,
            metrics=metrics,
        )
        health.digest_problem = lambda: runtime.digest.outage.problem
        health.countries_problem = lambda: countries.problem
        runtime_holder.append(runtime)
        count_and_tag(bolt, metrics)
        register_all(bolt, runtime)
        warming = None
        if warm_in_background:
            warming = asyncio.ensure_future(warm_up(runtime, rainbow, client))
            health.warming = True
            warming.add_done_callback(lambda _: setattr(health, "warming", False))
            stack.callback(warming.cancel)
        else:
            await warm_up(runtime, rainbow, client)
        scheduler = build_scheduler(runtime, sessions, StatusSync(sessions, rainbow, notifier), metrics)
        yield Running(
            runtime,
            bolt,
            web_app(bolt, health, metrics, serve_slack=not settings.socket_mode),
            rainbow,
            sandbox,
            scheduler,
            metrics,
            warming,
        )


def build_scheduler(runtime: Runtime, sessions: SessionFactory, sync: StatusSync, metrics: Metrics) -> Scheduler:
    every = runtime.settings.poll_interval_seconds

    async def poll_requests(_: datetime) -> object:
        result = await runtime.requests.poll()
        metrics.polled(result.pending)
        return result

    async def sync_statuses(_: datetime) -> object:
        return await sync.run()

    owner = default_owner()

    async def digest(now: datetime) -> object | None:
        attempt = await runtime.digest.post_if_due(owner, now)
        return None if attempt.state is Posting.NOT_DUE else attempt

    async def prune_bookkeeping(now: datetime) -> object:
        return await prune(sessions, now)

    return Scheduler(
        sessions,
        [
            Job("requests.poll", every, poll_requests),
            Job("status.sync", every, sync_statuses),
            Job("digest", 60, digest, claims_own_periods=True),
            Job("bookkeeping.prune", 3600, prune_bookkeeping),
        ],
        owner=owner,
        on_tick=lambda job, outcome: metrics.ticks.labels(job, outcome).inc(),
    )


async def warm_up(runtime: Runtime, rainbow: RainbowClient, client: AsyncWebClient) -> None:
    """Log in to Rainbow, start loading its countries (in the background) and learn the workspace URL,
    so first clicks are fast.

    A failure here is reported (log, /readyz) but does not stop the process: Slack users
    then get a clear message and the next call tries again.
    """
    try:
        me = await rainbow.login()
        logger.info("logged in to Rainbow as %s (company %s)", me.login_email, me.company_name)
        runtime.countries.warm()
    except RainbowError as error:
        logger.error("Rainbow login failed: %s", error)
    try:
        identity = await client.auth_test()
        runtime.team_url = runtime.notifier.team_url = identity.get("url")
        runtime.bot_id, runtime.bot_user_id = identity.get("bot_id"), identity.get("user_id")
        runtime.health.slack_problem = None
        await runtime.authz.warm()
    except SlackApiError as error:
        runtime.health.slack_problem = f"auth.test: {error.response.get('error')}"
        logger.error("Slack refused the bot token: %s", error.response.get("error"))
    except (aiohttp.ClientError, TimeoutError) as error:
        runtime.health.slack_problem = f"auth.test: Slack unreachable ({type(error).__name__})"
        logger.error("Slack cannot be reached at %s: %s", runtime.settings.slack_api_url, type(error).__name__)
