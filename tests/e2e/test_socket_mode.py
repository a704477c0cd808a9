"""The real `serve` in Socket Mode: it dials (fake) Slack's websocket instead of taking HTTP requests, people
use it exactly as over HTTP, its health routes stay on HTTP, and it stops cleanly when asked."""

import asyncio
import gc
import signal
import socket
import warnings
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError

from bot.server import serve
from standins.rainbow import Sandbox
from standins.slack import FakeSlack, SlackUser, SocketSender, StoredView, example_workspace
from storage.engine import make_engine
from storage.migrate import upgrade
from tests.e2e.conftest import ALICE, settings_for

STOP_WITHIN_SECONDS = 5.0
PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SocketBot:
    """`serve` running as a task in Socket Mode, the fakes it talks to, and what went wrong on the loop."""

    slack: FakeSlack
    sandbox: Sandbox
    port: int
    stop: asyncio.Event
    task: asyncio.Task[None]
    alice: SlackUser = field(init=False)
    loop_errors: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.alice = SocketSender(self.slack).user(ALICE)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def view_becomes(self, view_id: str, callback_id: str) -> StoredView:
        await self.slack.wait_until(
            lambda: self.slack.view(view_id).view.get("callback_id") == callback_id, what=f"view {callback_id}"
        )
        return self.slack.view(view_id)

    async def stopped(self) -> None:
        """Ask `serve` to stop and wait for it to return; its exception, if any, is raised here, and a `serve`
        still running after STOP_WITHIN_SECONDS is cancelled (TimeoutError)."""
        self.stop.set()
        async with asyncio.timeout(STOP_WITHIN_SECONDS):
            await self.task


async def connected(slack: FakeSlack, serving: asyncio.Task[None]) -> None:
    """Wait for the bot's websocket, or for `serve` to fail first (then its error is raised)."""
    waiting = asyncio.ensure_future(slack.wait_for_socket(within=10))
    done, _ = await asyncio.wait({waiting, serving}, return_when=asyncio.FIRST_COMPLETED)
    if serving in done:
        waiting.cancel()
        serving.result()
        raise AssertionError("serve returned before connecting")
    waiting.result()


@pytest.fixture
async def bot(database_url: str, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[SocketBot]:
    for name in PROXY_VARIABLES:  # slack_sdk would route the websocket through a proxy: stay on loopback
        monkeypatch.delenv(name, raising=False)
    engine = make_engine(database_url)
    await upgrade(engine)
    await engine.dispose()
    loop = asyncio.get_running_loop()
    previous_handler = loop.get_exception_handler()
    async with Sandbox(seed_companies=0) as sandbox, FakeSlack(example_workspace()) as slack:
        port = free_port()
        settings = settings_for(
            sandbox, slack, database_url, slack_app_token=slack.app_token, slack_signing_secret=None, port=port
        )
        stop = asyncio.Event()
        running = SocketBot(slack, sandbox, port, stop, asyncio.create_task(serve(settings, stop)))
        loop.set_exception_handler(lambda _, context: running.loop_errors.append(context))
        try:
            await connected(slack, running.task)
            yield running
        finally:
            if not running.task.done():
                await running.stopped()
            loop.set_exception_handler(previous_handler)
            for signum in (signal.SIGINT, signal.SIGTERM):  # serve leaves its handlers installed
                loop.remove_signal_handler(signum)


async def test_a_reseller_creates_a_company_over_the_socket(bot: SocketBot) -> None:
    answer = await bot.alice.run_command("/rainbow create Acme", channel="general")
    assert answer.status == 200, answer
    (opened,) = await bot.slack.wait_for_calls("views.open")
    assert opened.ok, opened.answer
    view = bot.slack.top_view(ALICE)
    assert view.view["callback_id"] == "create_details"
    (command,) = [d.envelope for d in bot.slack.sockets.deliveries if d.envelope["type"] == "slash_commands"]
    assert command["payload"]["command"] == "/rainbow" and command["payload"]["text"] == "create Acme"

    await bot.alice.fill_and_submit(view.id, {"country": "France", "external_reference": "CUST-7"})
    await bot.view_becomes(view.id, "create_admin")
    await bot.alice.fill_and_submit(view.id, {"admin_email": "boss@acme.example.com"})
    await bot.view_becomes(view.id, "create_result")

    rendered = bot.slack.render_view(view.id)
    assert "was created in Rainbow" in rendered and "boss@acme.example.com" in rendered, rendered
    companies = [c for c in bot.sandbox.state_dump()["companies"] if c["name"] == "Acme"]
    assert [(c["country"], c["status"]) for c in companies] == [("FRA", "initializing")]
    assert all(d.ack is not None for d in bot.slack.sockets.deliveries), "every envelope was acked"
    # one check of the app token at start-up, then the connection itself
    assert len(bot.slack.calls_to("apps.connections.open")) == 2 and bot.slack.failed_calls() == []
    assert bot.slack.sockets.opened == 1


async def test_health_stays_on_http_while_slack_talks_over_the_socket(bot: SocketBot) -> None:
    async with aiohttp.ClientSession() as http, http.get(bot.url("/healthz")) as response:
        assert response.status == 200
        assert await response.json() == {"status": "alive"}
    async with aiohttp.ClientSession() as http, http.post(bot.url("/slack/events"), data="x") as response:
        assert response.status == 404, "in Socket Mode Slack's requests come over the socket only"
    assert bot.slack.sockets.connections == 1


async def test_the_bot_opens_a_new_connection_when_slack_asks_it_to(bot: SocketBot) -> None:
    await bot.slack.sockets.ask_to_reconnect()
    await bot.slack.wait_until(
        lambda: bot.slack.sockets.opened == 2 and bot.slack.sockets.connections == 1, what="a second connection"
    )
    answer = await bot.alice.run_command("/rainbow help", channel="general")
    assert answer.status == 200 and "/rainbow create" in bot.slack.render_channel("C0GENERAL", user=ALICE)


async def test_serve_hangs_up_and_returns_cleanly_when_stopped(bot: SocketBot) -> None:
    await bot.alice.run_command("/rainbow help", channel="general")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        await bot.stopped()
        await bot.slack.wait_until(lambda: bot.slack.sockets.connections == 0, what="the websocket closed")
        others = asyncio.all_tasks() - {asyncio.current_task()}
        if others:
            await asyncio.wait(others, timeout=1)
        gc.collect()
    lingering = [task for task in others if not task.done()]
    assert bot.task.result() is None
    assert not lingering, lingering
    assert not bot.loop_errors, bot.loop_errors
    assert [str(w.message) for w in caught] == []


async def test_commands_over_the_socket_are_counted_in_the_metrics(bot: SocketBot) -> None:
    await bot.alice.run_command("/rainbow help", channel="general")
    async with aiohttp.ClientSession() as http, http.get(bot.url("/metrics")) as response:
        text = await response.text()
    assert 'reseller_bot_slack_requests_total{kind="command",name="/rainbow"} 1.0' in text


async def test_a_refused_app_token_stops_start_up_instead_of_retrying_forever(database_url: str) -> None:
    engine = make_engine(database_url)
    await upgrade(engine)
    await engine.dispose()
    async with Sandbox(seed_companies=0) as sandbox, FakeSlack(example_workspace()) as slack:
        settings = settings_for(
            sandbox, slack, database_url, slack_app_token="xapp-1-revoked", slack_signing_secret=None, port=free_port()
        )
        with pytest.raises(SlackApiError) as refused:
            async with asyncio.timeout(STOP_WITHIN_SECONDS):
                await serve(settings, asyncio.Event())
    assert refused.value.response["error"] == "invalid_auth"
    assert slack.sockets.opened == 0
