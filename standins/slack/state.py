"""Everything the fake remembers, in one object the Web API methods and the sender share."""

from __future__ import annotations

import math

from standins.slack.clock import FakeClock
from standins.slack.conversations import ConversationStore
from standins.slack.errors import RateLimited
from standins.slack.ids import TimestampSource
from standins.slack.reference import TierPace
from standins.slack.response_urls import ResponseUrls
from standins.slack.socket_mode import Notify, SocketHub
from standins.slack.views import ViewStore
from standins.slack.workspace import Workspace


class PostingPace:
    """Slack's "about one message per second per channel" for chat.postMessage, when a test asks for it."""

    def __init__(self, clock: FakeClock, min_interval: float | None) -> None:
        self._clock = clock
        self.min_interval = min_interval
        self._last_post: dict[str, float] = {}

    def admit(self, channel: str) -> None:
        """Count a post to `channel`, or refuse it with the seconds left until the next one is allowed."""
        if self.min_interval is None:
            return
        now = self._clock.now()
        last = self._last_post.get(channel)
        if last is not None and now - last < self.min_interval:
            raise RateLimited(max(1, math.ceil(self.min_interval - (now - last))))
        self._last_post[channel] = now


class SlackState:
    """The workspace plus conversations, views, response_urls, pacing and Socket Mode, all on one clock.

    `notify` is called when a Socket Mode connection opens or closes, so waiters can re-check.
    """

    def __init__(self, workspace: Workspace, clock: FakeClock, post_interval: float | None, notify: Notify) -> None:
        self.workspace = workspace
        self.clock = clock
        self.conversations = ConversationStore(workspace, TimestampSource(clock))
        self.views = ViewStore(workspace, clock)
        self.response_urls = ResponseUrls(self.conversations, clock)
        self.tiers = TierPace(clock)
        # Errors the stand-in answered that the method's reference does not document: bugs of the stand-in.
        self.undocumented: list[str] = []
        self.pace = PostingPace(clock, post_interval)
        self.sockets = SocketHub(workspace, notify)
