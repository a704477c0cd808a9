"""Posts and updates Slack messages on behalf of the services.

Services hand over stored state; the notifier renders it with ``blocks`` and talks
to Slack: one message per second per channel (Slack's pace for chat.postMessage),
a DM when the bot cannot post where the work started, never an automatic re-post
on a server error (that would duplicate the message).
"""

import asyncio
import functools
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from blocks.announcements import admin_invitation_changed, company_changed, link_invitation_changed
from blocks.association import status_message
from blocks.digest import DigestLike, digest_messages
from blocks.requests import request_message
from storage.models import AdminInvitation, Association, IncomingRequest, LinkInvitation

logger = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")
CANNOT_POST_HERE = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}


class NotifierError(Exception):
    """Slack refused or could not take a message; ``code`` is Slack's error (``not_in_channel``, …).

    ``outcome_unknown`` is True when the request may have reached Slack and been applied (a 5xx, a
    timeout or a connection lost after sending); False when it certainly was not: an ``ok: false``
    answer, a 429, or a connection that never opened.
    """

    def __init__(self, code: str, *, outcome_unknown: bool = False) -> None:
        super().__init__(f"Slack refused the message ({code})")
        self.code = code
        self.outcome_unknown = outcome_unknown


def _slack(call: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """Services see NotifierError, never slack_sdk's exceptions (they know nothing of Slack)."""

    @functools.wraps(call)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return await call(*args, **kwargs)
        except SlackApiError as error:
            status, data = error.response.status_code, error.response.data
            named = data.get("error") if isinstance(data, dict) else None  # a bare 5xx has no JSON body
            raise NotifierError(str(named or f"http_{status}"), outcome_unknown=status >= 500) from error
        except aiohttp.ClientConnectorError as error:  # the connection never opened: nothing was sent
            raise NotifierError(type(error).__name__) from error
        except (aiohttp.ClientError, TimeoutError) as error:
            raise NotifierError(type(error).__name__, outcome_unknown=True) from error

    return wrapped


@dataclass(frozen=True)
class Change:
    """Something that happened to a tracked company: ``what`` (company, admin_invitation,
    link_invitation), its new ``status``, and who it concerns when that is a person."""

    what: str
    status: str
    who: str | None = None


@dataclass(frozen=True)
class MessageRef:
    channel: str
    ts: str


class ChannelPacer:
    """At most one post per ``interval`` seconds per channel, without holding other channels back."""

    def __init__(self, interval: float = 1.0) -> None:
        self._interval = interval
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._last: dict[str, float] = {}

    async def wait(self, channel: str) -> asyncio.Lock:
        lock = self._locks[channel]
        await lock.acquire()
        delay = self._last.get(channel, 0.0) + self._interval - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        return lock

    def done(self, channel: str, lock: asyncio.Lock) -> None:
        self._last[channel] = time.monotonic()
        lock.release()


class Notifier:
    def __init__(self, client: AsyncWebClient, pacer: ChannelPacer | None = None) -> None:
        self._client = client
        self.pacer = pacer or ChannelPacer()
        self.team_url: str | None = None

    @_slack
    async def post(
        self, channel: str, text: str, blocks: list[dict[str, Any]] | None = None, thread_ts: str | None = None
    ) -> MessageRef:
        lock = await self.pacer.wait(channel)
        try:
            response = await self._client.chat_postMessage(
                channel=channel, text=text, blocks=blocks, thread_ts=thread_ts, unfurl_links=False, unfurl_media=False
            )
        finally:
            self.pacer.done(channel, lock)
        return MessageRef(channel=str(response["channel"]), ts=str(response["ts"]))

    @_slack
    async def dm_channel(self, user_id: str) -> str:
        response = await self._client.conversations_open(users=user_id)
        return str(response["channel"]["id"])

    async def post_where_possible(
        self, channel: str | None, user_id: str, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> MessageRef:
        """Post in ``channel``; in a DM with ``user_id`` when there is no channel or the bot cannot post there."""
        if channel and not channel.startswith("D"):
            try:
                return await self.post(channel, text, blocks)
            except NotifierError as error:
                if error.code not in CANNOT_POST_HERE:
                    raise
                logger.info("cannot post in %s (%s); using a DM", channel, error.code)
        return await self.post(await self.dm_channel(user_id), text, blocks)

    @_slack
    async def update(self, ref: MessageRef, text: str, blocks: list[dict[str, Any]]) -> None:
        await self._client.chat_update(channel=ref.channel, ts=ref.ts, text=text, blocks=blocks)

    async def dm(self, user_id: str, text: str, blocks: list[dict[str, Any]] | None = None) -> MessageRef:
        return await self.post(await self.dm_channel(user_id), text, blocks)

    async def post_request(self, channel: str, request: IncomingRequest) -> MessageRef:
        text, blocks = request_message(request)
        return await self.post(channel, text, blocks)

    async def update_request(self, ref: MessageRef, request: IncomingRequest) -> None:
        text, blocks = request_message(request)
        await self.update(ref, text, blocks)

    async def announce(self, association: Association, change: Change) -> None:
        """In the thread of the company's status message, and by DM to whoever started the work."""
        if change.what == "company":
            text = company_changed(association.name, change.status)
        elif change.what == "admin_invitation":
            text = admin_invitation_changed(association.name, change.who, change.status)
        else:
            text = link_invitation_changed(association.name, change.status)
        if association.channel_id and association.thread_ts:
            await self.post(association.channel_id, text, thread_ts=association.thread_ts)
        if association.requester and not (association.channel_id or "").startswith("D"):
            await self.dm(association.requester, text)

    def digest_messages(self, data: DigestLike) -> list[tuple[str, list[dict[str, Any]]]]:
        return digest_messages(data, self.team_url)

    async def publish_association(
        self,
        association: Association,
        admin_invitation: AdminInvitation | None = None,
        link_invitation: LinkInvitation | None = None,
    ) -> MessageRef:
        """Post the company's status message where the work started (or update it if it exists)."""
        text, blocks = status_message(association, admin_invitation, link_invitation)
        if association.channel_id and association.thread_ts:
            ref = MessageRef(association.channel_id, association.thread_ts)
            await self.update(ref, text, blocks)
            return ref
        return await self.post_where_possible(association.channel_id, association.requester or "", text, blocks)
