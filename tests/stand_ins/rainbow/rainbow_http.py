"""A deliberately tiny raw HTTP caller for the sandbox tests: not the bot's client, so the sandbox is
checked against the documented wire format itself."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

import aiohttp

from standins.rainbow import Sandbox

AUTH = "/api/rainbow/authentication/v1.0"
ADMIN = "/api/rainbow/admin/v1.0"
ENDUSER = "/api/rainbow/enduser/v1.0"

Params = list[tuple[str, str]] | dict[str, str] | None


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str]

    @property
    def data(self) -> Any:
        return self.body["data"]

    @property
    def detail_code(self) -> int:
        return int(self.body["errorDetailsCode"])


def basic(user: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


def app_auth(app_id: str, app_secret: str, password: str) -> str:
    """The documented x-rainbow-app-auth: base64(appId + ":" + sha256_hex(appSecret + password))."""
    return basic(app_id, hashlib.sha256((app_secret + password).encode()).hexdigest())


class RainbowHttp:
    """Raw calls to one sandbox; `token` is sent as Bearer once `login()` succeeded."""

    def __init__(self, session: aiohttp.ClientSession, sandbox: Sandbox) -> None:
        self.session = session
        self.sandbox = sandbox
        self.token: str | None = None

    async def login(self, password: str | None = None, app_header: str | None = None) -> Reply:
        credentials = self.sandbox.credentials
        password = credentials.password if password is None else password
        headers = {
            "Authorization": basic(credentials.login, password),
            "x-rainbow-app-auth": app_header or app_auth(credentials.app_id, credentials.app_secret, password),
        }
        reply = await self.request("GET", f"{AUTH}/login", headers=headers)
        if reply.status == 200:
            self.token = reply.body["token"]
        return reply

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Params = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
        client_timeout: float = 10.0,
    ) -> Reply:
        sent_headers = {"Accept": "application/json"}
        if self.token and path.startswith("/api/") and not path.endswith("/login"):
            sent_headers["Authorization"] = f"Bearer {self.token}"
        sent_headers.update(headers or {})
        async with self.session.request(
            method,
            self.sandbox.url + path,
            params=params,
            json=json,
            headers=sent_headers,
            timeout=aiohttp.ClientTimeout(total=client_timeout),
        ) as response:
            body = await response.json(content_type=None)
            return Reply(response.status, body, dict(response.headers))

    async def get(self, path: str, params: Params = None, **options: Any) -> Reply:
        return await self.request("GET", path, params=params, **options)

    async def post(self, path: str, json: Any = None, **options: Any) -> Reply:
        return await self.request("POST", path, json=json if json is not None else {}, **options)

    async def delete(self, path: str) -> Reply:
        return await self.request("DELETE", path)
