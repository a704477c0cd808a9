"""Builds the running product: store, Rainbow client, Slack app, HTTP endpoints.

One ``aiohttp.ClientSession`` serves both Slack and Rainbow. Every Slack request
(commands, interactivity, options, events) arrives on ``POST /slack/events`` with
Bolt's signature check on; ``/healthz`` says the process is alive and ``/readyz``
whether it can do its job.
"""

import json
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.authz import Authorizer
from bot.config import EMBEDDED, Settings
from bot.notifier import Notifier
from bot.rainbow import RainbowClient, RainbowError
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from bot.services.audit_log import AuditLog
from bot.services.countries import CountryCatalog
from bot.services.directory import Directory
from bot.services.flows import Flows
from bot.services.health import Health
from bot.services.linking import Linking
from bot.services.onboarding import Onboarding
from handlers import register_all
from storage.engine import make_engine, make_session_factory
from storage.schema import ensure_schema

logger = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"


@dataclass
class Running:
    """What ``assemble`` started, for the server and for tests."""

    runtime: Runtime
    bolt: AsyncApp
    web: web.Application
    rainbow: RainbowClient
    sandbox: Sandbox | None


def slack_client(settings: Settings, session: aiohttp.ClientSession) -> AsyncWebClient:
    """Web API client with retries on 429 (Retry-After) and dropped connections, never on 5xx."""
    return AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        session=session,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        ],
    )


async def rainbow_for(
    settings: Settings, session: aiohttp.ClientSession, stack: AsyncExitStack, health: Health
) -> tuple[RainbowClient, Sandbox | None]:
    """The Rainbow client, pointed at the embedded sandbox when RAINBOW_HOST=embedded."""
    sandbox = None
    if settings.rainbow_host == EMBEDDED:
        sandbox = Sandbox(seed_companies=40)
        await sandbox.start(host="127.0.0.1", port=0)
        stack.push_async_callback(sandbox.stop)
        credentials = sandbox.credentials
        base_url, login, password = sandbox.url, credentials.login, credentials.password
        app_id, app_secret = credentials.app_id, credentials.app_secret
    else:
        assert settings.rainbow_login and settings.rainbow_password and settings.rainbow_app_id
        assert settings.rainbow_app_secret
        base_url, login, password = settings.rainbow_host, settings.rainbow_login, settings.rainbow_password
        app_id, app_secret = settings.rainbow_app_id, settings.rainbow_app_secret
    client = RainbowClient(
        base_url, login, password, app_id, app_secret, session=session, observer=health.observe_rainbow
    )
    return client, sandbox


def web_app(bolt: AsyncApp, health: Health) -> web.Application:
    async def slack_events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

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
    application.router.add_post(EVENTS_PATH, slack_events)
    application.router.add_get("/healthz", healthz)
    application.router.add_get("/readyz", readyz)
    return application


@asynccontextmanager
async def assemble(settings: Settings) -> AsyncIterator[Running]:
    """Build and start everything the process needs; tear it down in reverse on exit."""
    async with AsyncExitStack() as stack:
        engine = make_engine(settings.database_url)
        stack.push_async_callback(engine.dispose)
        await ensure_schema(engine)
        sessions = make_session_factory(engine)
        session = await stack.enter_async_context(aiohttp.ClientSession())
        health = Health(engine)
        rainbow, sandbox = await rainbow_for(settings, session, stack, health)
        client = slack_client(settings, session)
        bolt = AsyncApp(
            client=client,
            signing_secret=(
                settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
            ),
            logger=logging.getLogger("slack_bolt"),
        )
        notifier = Notifier(client)
        flows = Flows(sessions)
        countries = CountryCatalog(rainbow)
        runtime = Runtime(
            settings=settings,
            authz=Authorizer(
                client,
                resellers=settings.resellers,
                approvers=settings.approvers,
                approvals_channel=settings.approvals_channel,
            ),
            notifier=notifier,
            flows=flows,
            onboarding=Onboarding(sessions, rainbow, notifier, flows),
            linking=Linking(sessions, rainbow, notifier, flows),
            directory=Directory(sessions),
            audit=AuditLog(sessions),
            countries=countries,
            health=health,
        )
        register_all(bolt, runtime)
        await warm_up(runtime, rainbow, client)
        yield Running(runtime, bolt, web_app(bolt, health), rainbow, sandbox)


async def warm_up(runtime: Runtime, rainbow: RainbowClient, client: AsyncWebClient) -> None:
    """Log in to Rainbow, load its countries and learn the workspace URL, so first clicks are fast.

    A failure here is reported (log, /readyz) but does not stop the process: Slack users
    then get a clear message and the next call tries again.
    """
    try:
        me = await rainbow.login()
        logger.info("logged in to Rainbow as %s (company %s)", me.login_email, me.company_name)
        await runtime.countries.names()
    except RainbowError as error:
        logger.error("Rainbow login failed: %s", error)
    try:
        identity = await client.auth_test()
        runtime.team_url = identity.get("url")
        runtime.health.slack_problem = None
    except SlackApiError as error:
        runtime.health.slack_problem = f"auth.test: {error.response.get('error')}"
        logger.error("Slack refused the bot token: %s", error.response.get("error"))
