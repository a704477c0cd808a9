"""Who may create and invite (RESELLERS) and who may approve (APPROVERS).

Checked on every command, click and submit, never only when a modal opens.
Membership comes from Slack (user groups, the approvals channel), cached for a few
minutes; when Slack cannot answer, the answer is no (fail closed), and that failure is
remembered for a short while too: usergroups.users.list is Tier 2 (about 20 calls a
minute, https://docs.slack.dev/reference/methods/usergroups.users.list), so a workspace
answering `plan_upgrade_required` must not be asked again on every click.
"""

import functools
import logging
import time
from collections.abc import Awaitable, Callable

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

logger = logging.getLogger(__name__)
CACHE_SECONDS = 300.0
FAILURE_SECONDS = 30.0
LOOKUP_FAILURES = (SlackApiError, aiohttp.ClientError, TimeoutError)


class MembershipCache:
    """Sets of user ids fetched from Slack, kept for ``ttl`` seconds; a failed fetch is kept for
    ``failure_ttl`` seconds and raised again to every caller meanwhile."""

    def __init__(self, ttl: float = CACHE_SECONDS, failure_ttl: float = FAILURE_SECONDS) -> None:
        self._ttl = ttl
        self._failure_ttl = failure_ttl
        self._entries: dict[str, tuple[float, frozenset[str] | Exception]] = {}

    async def get(self, key: str, load: Callable[[], Awaitable[frozenset[str]]]) -> frozenset[str]:
        cached = self._entries.get(key)
        if cached is not None and cached[0] > time.monotonic():
            if isinstance(cached[1], Exception):
                raise cached[1]
            return cached[1]
        try:
            members = await load()
        except LOOKUP_FAILURES as error:
            self._entries[key] = (time.monotonic() + self._failure_ttl, error)
            raise
        self._entries[key] = (time.monotonic() + self._ttl, members)
        return members


class Authorizer:
    def __init__(
        self,
        client: AsyncWebClient,
        *,
        resellers: tuple[str, ...],
        approvers: tuple[str, ...],
        approvals_channel: str,
        cache: MembershipCache | None = None,
    ) -> None:
        self._client = client
        self._resellers = resellers
        self._approvers = approvers
        self._approvals_channel = approvals_channel
        self._cache = cache or MembershipCache()

    async def warm(self) -> None:
        """Load the memberships at start, so a first command does not wait for Slack before views.open."""
        await self.is_reseller("")
        await self.is_approver("")

    async def is_reseller(self, user_id: str) -> bool | None:
        """Everyone when RESELLERS is unset; otherwise the listed users and members of the listed groups.

        None (falsy, so a refusal) when Slack could not say: a group lookup failed and no other one matched."""
        if not self._resellers:
            return True
        return await self._listed(user_id, self._resellers)

    async def is_approver(self, user_id: str) -> bool | None:
        """The listed users and groups; with APPROVERS unset, the members of the approvals channel
        (None, falsy, when Slack could not say)."""
        if self._approvers:
            return await self._listed(user_id, self._approvers)
        try:
            members = await self._cache.get(
                f"channel:{self._approvals_channel}", lambda: self._channel_members(self._approvals_channel)
            )
        except LOOKUP_FAILURES as error:
            logger.warning("approvals channel members unavailable (%s): refusing", _reason(error))
            return None
        return user_id in members

    async def _listed(self, user_id: str, principals: tuple[str, ...]) -> bool | None:
        if user_id in principals:
            return True
        unknown = False
        for group in (p for p in principals if p.startswith("S")):
            try:
                members = await self._cache.get(f"group:{group}", functools.partial(self._group_members, group))
            except LOOKUP_FAILURES as error:
                logger.warning("user group %s unavailable (%s): not counted", group, _reason(error))
                unknown = True
                continue
            if user_id in members:
                return True
        return None if unknown else False

    async def _group_members(self, group: str) -> frozenset[str]:
        response = await self._client.usergroups_users_list(usergroup=group, include_disabled=False)
        return frozenset(response.get("users") or [])

    async def _channel_members(self, channel: str) -> frozenset[str]:
        members: set[str] = set()
        async for page in await self._client.conversations_members(channel=channel, limit=200):
            members.update(page.get("members") or [])
        return frozenset(members)


def _reason(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error"))
    return type(error).__name__
