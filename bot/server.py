"""`reseller-bot run`: serve Slack over HTTP (or Socket Mode) until asked to stop.

The port is opened first (bot.front: /healthz answers at once), then the rest of the bot is
imported in a thread, so the event loop keeps answering, and assembled; Rainbow and Slack are
warmed up in the background and /readyz says when that is done.
"""

import asyncio
import contextlib
import importlib
import logging
import signal
from typing import TYPE_CHECKING

import aiohttp
from aiohttp import web
from slack_sdk.errors import SlackApiError

from bot.config import Settings
from bot.front import Front
from bot.gc_tuning import freeze_start_up_heap
from bot.outages import Outage

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    from bot.app import Running

logger = logging.getLogger(__name__)
BACKOFF_FIRST_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 300.0


class CannotListen(Exception):
    """HOST:PORT is taken or not allowed."""


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run until SIGINT/SIGTERM (or ``stop`` is set). The HTTP listener always serves the health routes."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await _serve(settings, stop)
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


async def _serve(settings: Settings, stop: asyncio.Event) -> None:
    front = Front()
    runner = web.AppRunner(front.app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
    try:
        await site.start()
    except OSError as error:
        await runner.cleanup()
        raise CannotListen(f"cannot listen on {settings.host}:{settings.port} ({error.strerror or error})") from error
    try:
        await _serve_listening(settings, stop, front)
    finally:
        await runner.cleanup()


async def _serve_listening(settings: Settings, stop: asyncio.Event, front: Front) -> None:
    app = await asyncio.to_thread(importlib.import_module, "bot.app")
    async with app.assemble(settings, warm_in_background=True) as running:
        front.attach(running.web)
        freeze_start_up_heap()
        if running.warming is not None:  # what the warm-up loaded is long-lived too
            running.warming.add_done_callback(lambda _: freeze_start_up_heap())
        socket_handler = None
        if running.sandbox is not None:
            logger.info("Rainbow: embedded sandbox at %s", running.sandbox.url)
        running.scheduler.start()
        try:
            if settings.slack_app_token is not None:
                socket_handler = await _connect_socket_mode(running, settings.slack_app_token.get_secret_value(), stop)
                if socket_handler is not None:
                    logger.info(
                        "connected to Slack in Socket Mode; health on http://%s:%s", settings.host, settings.port
                    )
            else:
                logger.info("serving Slack on http://%s:%s%s", settings.host, settings.port, app.EVENTS_PATH)
            await stop.wait()
        finally:
            logger.info("stopping")
            await running.scheduler.stop()
            if socket_handler is not None:
                await socket_handler.close_async()


async def _connect_socket_mode(
    running: "Running", app_token: str, stop: asyncio.Event
) -> "AsyncSocketModeHandler | None":
    """Open the Socket Mode connection, waiting out a Slack that cannot be reached; None if stopped first.

    slack_sdk retries a refused connection forever, so apps.connections.open is asked first: a
    refused token (``ok: false``) stops start-up, while an unreachable Slack (no connection, a
    timeout, a 5xx) is said once, retried with back-off, and said again every few minutes.
    """
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    client = running.bolt.client
    outage = Outage(
        what=f"Slack cannot be reached at {client.base_url}",
        meanwhile=(
            f"Socket Mode connects as soon as it can (retried with back-off up to {_minutes(BACKOFF_MAX_SECONDS)});"
            " /healthz, /readyz and the scheduler keep running"
        ),
        log=logger,
    )
    delay = BACKOFF_FIRST_SECONDS
    while True:
        try:
            await client.apps_connections_open(app_token=app_token)
            break
        except SlackApiError as error:
            if error.response.status_code < 500:
                raise
            outage.failed(f"HTTP {error.response.status_code}")
        except (aiohttp.ClientError, TimeoutError) as error:
            outage.failed(f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)
        if stop.is_set():
            return None
        delay = min(delay * 2, BACKOFF_MAX_SECONDS)
    outage.ended("reachable again")
    handler = AsyncSocketModeHandler(running.bolt, app_token)
    connecting = asyncio.ensure_future(handler.connect_async())
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait({connecting, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if not connecting.done():
        connecting.cancel()
        await handler.close_async()
        return None
    connecting.result()
    return handler


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:g} minutes"
