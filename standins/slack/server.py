"""`FakeSlack`: a real Web API (and Socket Mode) server on 127.0.0.1 that tests and the demo point slack_sdk at."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import TracebackType

from aiohttp import web

from blocks.render import Names
from standins.slack.api import SlackApi
from standins.slack.clock import FakeClock
from standins.slack.conversations import SlackWarning, StoredEphemeral, StoredMessage
from standins.slack.faults import Fault, FaultPlan
from standins.slack.recording import Call
from standins.slack.reference import reference
from standins.slack.render import names_of, render_message, render_view
from standins.slack.response_urls import ResponsePost
from standins.slack.socket_mode import SocketHub
from standins.slack.state import SlackState
from standins.slack.views import StoredView
from standins.slack.workspace import Workspace

DEFAULT_WAIT_SECONDS = 5.0


class FakeSlack:
    """Slack's Web API and response_urls for one workspace, with state tests can read and faults they can force.

    `post_interval` turns on per-channel pacing of chat.postMessage (e.g. 1.0: a second post to the
    same channel within a second gets 429 + Retry-After), so tests can prove the bot paces itself.
    A bot given `app_token` can connect in Socket Mode; `SocketSender` then plays Slack over its websocket.
    """

    def __init__(
        self, workspace: Workspace | None = None, *, post_interval: float | None = None, host: str = "127.0.0.1"
    ) -> None:
        self.workspace = workspace or Workspace()
        self.clock = FakeClock()
        self.state = SlackState(self.workspace, self.clock, post_interval, self._notify)
        self.faults = FaultPlan()
        self.calls: list[Call] = []
        self._host = host
        self._changed = asyncio.Condition()
        self._api = SlackApi(self.state, self.faults, self._record, self._notify)
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None

    # lifecycle

    async def start(self) -> FakeSlack:
        """Listen on a free port of 127.0.0.1."""
        self._runner = web.AppRunner(self._api.application(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self._base_url = f"http://{self._host}:{port}/"
        self.sockets.listen_at(f"ws://{self._host}:{port}/socket/")
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeSlack:
        return await self.start()

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise RuntimeError("FakeSlack is not started; await fake.start() first")
        return self._base_url

    @property
    def api_url(self) -> str:
        """What `AsyncWebClient(base_url=...)` and `SLACK_API_URL` take; ends with `/api/`."""
        return self.base_url + "api/"

    @property
    def token(self) -> str:
        return self.workspace.token

    @property
    def app_token(self) -> str:
        """The app-level token (`xapp-…`) a bot in Socket Mode calls apps.connections.open with."""
        return self.workspace.app_token

    @property
    def sockets(self) -> SocketHub:
        """Socket Mode: live connections, how many were ever opened, every envelope delivered and its ack."""
        return self.state.sockets

    # faults

    def fail_next(self, method: str, error: str = "fatal_error", times: int = 1) -> None:
        """The next `times` calls to `method` answer `{"ok": false, "error": error}`, an error its reference
        documents (anything else is refused: Slack would never answer it)."""
        described = reference(method)
        if described is None or not described.documents(error):
            raise ValueError(f"{method} does not document the error {error!r}")
        self.faults.add(method, Fault(error=error), times)

    def rate_limit_next(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """The next `times` calls to `method` answer HTTP 429 with `Retry-After: retry_after`."""
        self.faults.add(method, Fault.rate_limited(retry_after), times)

    def http_error_next(self, method: str, times: int = 1, status: int = 500) -> None:
        """The next `times` calls to `method` answer a bare HTTP `status` (not JSON)."""
        self.faults.add(method, Fault.http_error(status), times)

    # what the sender hands out with interactions

    def issue_trigger(self, user_id: str) -> str:
        """A trigger_id for this user: valid once, for three seconds of `fake.clock`."""
        return self.state.views.issue_trigger(user_id)

    def issue_response_url(
        self, channel: str, user: str, message_ts: str | None = None, is_ephemeral: bool = False
    ) -> str:
        target = self.state.response_urls.issue(channel, user, message_ts, is_ephemeral)
        return f"{self.base_url}response/{target.id}"

    # seeding

    def post_as_user(self, channel: str, user: str, text: str) -> StoredMessage:
        """A message written by a person, e.g. to prove the bot cannot edit it."""
        return self.state.conversations.post(channel, method="seed", text=text, blocks=None, author=user)

    # reading state

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def failed_calls(self) -> list[Call]:
        return [call for call in self.calls if not call.ok]

    def messages(self, channel: str) -> list[StoredMessage]:
        """Top-level messages of a channel or DM (`D…`, see `dm_channel`), oldest first."""
        return self.state.conversations.channel_messages(channel)

    def message(self, channel: str, ts: str) -> StoredMessage:
        return self.state.conversations.find(channel, ts)

    def thread(self, channel: str, ts: str) -> list[StoredMessage]:
        return self.state.conversations.thread(channel, ts)

    def dm_channel(self, user_id: str) -> str:
        return self.state.conversations.open_dm(user_id)

    def ephemerals(self, user: str, channel: str | None = None) -> list[StoredEphemeral]:
        return [
            e
            for e in self.state.conversations.ephemerals
            if e.user == user and not e.deleted and channel in (None, e.channel)
        ]

    def view(self, view_id: str) -> StoredView:
        return self.state.views.get(view_id)

    def open_views(self, user: str) -> list[StoredView]:
        """The user's modal stack, root first (empty when no modal is open)."""
        return self.state.views.stack(user)

    def top_view(self, user: str) -> StoredView:
        stack = self.open_views(user)
        if not stack:
            raise AssertionError(f"{user} has no modal open")
        return stack[-1]

    def home(self, user: str) -> StoredView | None:
        return self.state.views.home(user)

    @property
    def responses(self) -> list[ResponsePost]:
        """Everything POSTed to response_urls, in order."""
        return self.state.response_urls.posts

    @property
    def undocumented(self) -> list[str]:
        """Errors the stand-in answered that the method's reference does not document (should stay empty)."""
        return self.state.undocumented

    @property
    def warnings(self) -> list[SlackWarning]:
        """Accepted-but-frowned-upon calls, e.g. `missing_text_in_blocks`."""
        return self.state.conversations.warnings

    # reading it as a person would

    @property
    def names(self) -> Names:
        return names_of(self.workspace)

    def render_channel(self, channel: str, user: str | None = None) -> str:
        """The channel's messages (and `user`'s ephemerals there) as text, oldest first."""
        shown: list[StoredMessage | StoredEphemeral] = [*self.messages(channel)]
        if user is not None:
            shown += self.ephemerals(user, channel)
        return "\n\n".join(render_message(m, self.names) for m in sorted(shown, key=lambda m: m.ts))

    def render_view(self, view_id: str) -> str:
        return render_view(self.view(view_id), self.names)

    # Socket Mode

    async def wait_for_socket(self, within: float = DEFAULT_WAIT_SECONDS) -> None:
        """Wait until the bot holds a Socket Mode connection, so envelopes can be delivered."""
        await self.wait_until(lambda: self.sockets.connections > 0, within, "the bot's Socket Mode connection")

    # waiting for the bot's background work

    async def wait_until(
        self, condition: Callable[[], object], within: float = DEFAULT_WAIT_SECONDS, what: str = "condition"
    ) -> None:
        """Wait until `condition()` is truthy; re-checked after every call answered and socket opened or closed."""
        try:
            async with asyncio.timeout(within), self._changed:
                await self._changed.wait_for(condition)
        except TimeoutError:
            seen = ", ".join(str(call) for call in self.calls[-10:]) or "no calls"
            raise AssertionError(f"timed out after {within}s waiting for {what}; last calls: {seen}") from None

    async def wait_for_calls(self, method: str, count: int = 1, within: float = DEFAULT_WAIT_SECONDS) -> list[Call]:
        """The first `count` calls to `method`, once they have arrived."""
        await self.wait_until(lambda: len(self.calls_to(method)) >= count, within, f"{count} x {method}")
        return self.calls_to(method)[:count]

    async def _record(self, call: Call) -> None:
        self.calls.append(call)
        await self._notify()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()
