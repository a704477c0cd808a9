"""`reseller-bot run`: serve Slack over HTTP (or Socket Mode) until asked to stop.

The port is opened first (bot.front: /healthz answers at once), then the rest of the bot is
imported in a thread, so the event loop keeps answering, and assembled; Rainbow and Slack are
warmed up in the background and /readyz says when that is done.
"""

import asyncio
import importlib
import logging
import signal

from aiohttp import web

from bot.config import Settings
from bot.front import Front
from bot.gc_tuning import freeze_start_up_heap

logger = logging.getLogger(__name__)


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
        if settings.slack_app_token is not None:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            app_token = settings.slack_app_token.get_secret_value()
            # slack_sdk retries a refused connection forever; ask once first so a bad token stops start-up.
            await running.bolt.client.apps_connections_open(app_token=app_token)
            socket_handler = AsyncSocketModeHandler(running.bolt, app_token)
            connecting = asyncio.ensure_future(socket_handler.connect_async())
            stopping = asyncio.ensure_future(stop.wait())
            await asyncio.wait({connecting, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if not connecting.done():
                connecting.cancel()
            else:
                logger.info("connected to Slack in Socket Mode; health on http://%s:%s", settings.host, settings.port)
        else:
            logger.info("serving Slack on http://%s:%s%s", settings.host, settings.port, app.EVENTS_PATH)
        running.scheduler.start()
        if running.sandbox is not None:
            logger.info("Rainbow: embedded sandbox at %s", running.sandbox.url)
        try:
            await stop.wait()
        finally:
            logger.info("stopping")
            running.scheduler.shutdown()
            if socket_handler is not None:
                await socket_handler.close_async()
