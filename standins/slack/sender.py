"""`SlackSender`: plays Slack towards the bot, POSTing signed requests to its events URL."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from standins.slack.answers import BotAnswer
from standins.slack.server import FakeSlack
from standins.slack.transport import Transport

FORM = "application/x-www-form-urlencoded"
SLACK_USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"


@dataclass(frozen=True)
class Signing:
    """How requests are signed; the forged variants exist to prove the bot answers them with 401."""

    secret: str
    clock_skew_seconds: int = 0

    def headers(self, body: str) -> dict[str, str]:
        timestamp = str(int(time.time()) + self.clock_skew_seconds)
        signature = SignatureVerifier(self.secret).generate_signature(timestamp=timestamp, body=body)
        assert signature is not None  # slack_sdk returns None only without a secret
        return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature}


class SlackSender(Transport):
    """Signs and POSTs commands, interactivity payloads and events; people act through `user(...)`."""

    def __init__(
        self,
        fake: FakeSlack,
        events_url: str,
        signing_secret: str,
        *,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        super().__init__(fake)
        self.events_url = events_url
        self.signing = Signing(signing_secret)
        self._session = session
        self._owns_session = session is None

    def with_wrong_secret(self) -> SlackSender:
        """The same sender, signing with a secret the bot does not know: every request must get 401."""
        return self._variant(Signing("not-the-signing-secret", self.signing.clock_skew_seconds))

    def with_clock_skew(self, seconds: int) -> SlackSender:
        """The same sender, with timestamps `seconds` away from now (e.g. -301: a replayed request)."""
        return self._variant(Signing(self.signing.secret, seconds))

    def _variant(self, signing: Signing) -> SlackSender:
        variant = SlackSender(self.fake, self.events_url, signing.secret, session=self._http())
        variant.signing = signing
        return variant

    # transport

    async def post_form(self, fields: dict[str, str]) -> BotAnswer:
        """A slash command: form-encoded fields."""
        return await self.post_raw(urlencode(fields), FORM)

    async def post_payload(self, payload: dict[str, Any]) -> BotAnswer:
        """Interactivity (block_actions, view_submission, view_closed, block_suggestion): `payload=<json>`."""
        return await self.post_raw(urlencode({"payload": json.dumps(payload)}), FORM)

    async def post_event(self, envelope: dict[str, Any]) -> BotAnswer:
        """Events API: a raw JSON body."""
        return await self.post_raw(json.dumps(envelope), "application/json")

    async def post_raw(self, body: str, content_type: str, extra_headers: dict[str, str] | None = None) -> BotAnswer:
        """Sign `body` as it will be sent (the signature covers the raw bytes) and POST it."""
        headers = {"Content-Type": content_type, "User-Agent": SLACK_USER_AGENT, **self.signing.headers(body)}
        headers.update(extra_headers or {})
        async with self._http().post(self.events_url, data=body.encode(), headers=headers) as response:
            return BotAnswer(response.status, await response.text(), dict(response.headers))

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
            self._owns_session = True
        return self._session

    async def close(self) -> None:
        if self._owns_session and self._session is not None:
            await self._session.close()

    async def __aenter__(self) -> SlackSender:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.close()
