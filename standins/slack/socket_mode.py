"""Slack's side of Socket Mode: the websocket URLs apps.connections.open hands out, the bot's connections,
and the envelopes sent on them with the acks that come back.

Shaped after what slack_sdk's `SocketModeClient` speaks: a `hello` on connect, envelopes
`{envelope_id, payload, type, accepts_response_payload}`, acks `{envelope_id, payload?}`, and a
`disconnect` message that makes the client open a new connection. The client's pings get pongs
from aiohttp itself (autoping), as it echoes them the way the client checks.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from standins.slack.workspace import Workspace

Notify = Callable[[], Awaitable[None]]
Message = dict[str, Any]
DEBUG_HOST = "applink-fake-1"
# What Slack's hello says about when it will ask for a fresh connection (seconds); the fake never does unasked.
APPROXIMATE_CONNECTION_TIME = 18_060


@dataclass
class Delivery:
    """One envelope sent to the bot, and the ack it sent back (None until, or unless, it does)."""

    envelope: Message
    ack: Message | None = None


class SocketHub:
    """Tickets, live websockets and envelopes in flight; envelopes go to the newest connection."""

    def __init__(self, workspace: Workspace, notify: Notify) -> None:
        self._workspace = workspace
        self._notify = notify
        self._url_base: str | None = None
        self._tickets: set[str] = set()
        self._sockets: list[web.WebSocketResponse] = []
        self._waiting: dict[str, asyncio.Future[Message]] = {}
        self.deliveries: list[Delivery] = []
        self.opened = 0

    @property
    def connections(self) -> int:
        """Websockets open right now (each was sent its hello)."""
        return len(self._sockets)

    def listen_at(self, url_base: str) -> None:
        """Where websocket URLs point, known once the server has its port (`ws://127.0.0.1:<port>/socket/`)."""
        self._url_base = url_base

    def open_url(self) -> str:
        """apps.connections.open: a URL good for one connection."""
        if self._url_base is None:
            raise RuntimeError("the fake is not listening yet")
        ticket = str(uuid.uuid4())
        self._tickets.add(ticket)
        return self._url_base + ticket

    async def accept(self, request: web.Request) -> web.StreamResponse:
        """`GET /socket/{ticket}`: upgrade, say hello, then read acks until either side closes."""
        ticket = request.match_info["ticket"]
        if ticket not in self._tickets:
            raise web.HTTPUnauthorized(text="unknown or already used ticket; call apps.connections.open")
        self._tickets.discard(ticket)
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        hello = self._hello()
        self._sockets.append(socket)
        self.opened += 1
        try:
            await socket.send_json(hello)
            await self._notify()
            async for message in socket:
                if message.type == WSMsgType.TEXT:
                    self._acknowledge(message.data)
        finally:
            self._sockets.remove(socket)
            await self._notify()
        return socket

    def _hello(self) -> Message:
        return {
            "type": "hello",
            "num_connections": len(self._sockets) + 1,
            "debug_info": {
                "host": DEBUG_HOST,
                "build_number": 1,
                "approximate_connection_time": APPROXIMATE_CONNECTION_TIME,
            },
            "connection_info": {"app_id": self._workspace.app_id},
        }

    def _acknowledge(self, text: str) -> None:
        """An ack names its envelope; anything else the client sends is ignored, as Slack ignores it."""
        with contextlib.suppress(json.JSONDecodeError):
            ack = json.loads(text)
            waiter = self._waiting.get(str(ack.get("envelope_id"))) if isinstance(ack, dict) else None
            if waiter is not None and not waiter.done():
                waiter.set_result(ack)

    async def deliver(self, kind: str, payload: Message, *, accepts_response_payload: bool, within: float) -> Delivery:
        """Send `payload` in an envelope of `kind` and wait up to `within` seconds for its ack.

        Without a connection there is nothing to send on: that is a mistake in the test, not a Slack answer.
        """
        if not self._sockets:
            raise AssertionError("the bot has no Socket Mode connection; await fake.wait_for_socket() first")
        envelope: Message = {
            "envelope_id": str(uuid.uuid4()),
            "payload": copy.deepcopy(payload),
            "type": kind,
            "accepts_response_payload": accepts_response_payload,
        }
        if kind == "events_api":
            envelope.update({"retry_attempt": 0, "retry_reason": ""})
        delivery = Delivery(envelope)
        self.deliveries.append(delivery)
        waiter: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        self._waiting[envelope["envelope_id"]] = waiter
        try:
            await self._sockets[-1].send_json(envelope)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(within):
                    delivery.ack = await waiter
        finally:
            del self._waiting[envelope["envelope_id"]]
        return delivery

    async def ask_to_reconnect(self, reason: str = "refresh_requested") -> None:
        """Slack's `disconnect` message, sent when it rotates connections: the client must open a new one."""
        for socket in list(self._sockets):
            await socket.send_json({"type": "disconnect", "reason": reason, "debug_info": {"host": DEBUG_HOST}})

    async def close(self) -> None:
        """Drop every connection (1001 going away), as Slack does when it goes down."""
        for socket in list(self._sockets):
            await socket.close(code=WSCloseCode.GOING_AWAY, message=b"fake Slack is stopping")
