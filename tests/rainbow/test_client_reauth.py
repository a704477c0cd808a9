"""Client behaviour on `401 jwt expired`, against a tiny local server (the sandbox's tokens do not
expire early, so this path needs its own fake)."""

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import jwt
import pytest
from aiohttp import web

from bot.rainbow import RainbowClient, RainbowError

PASSWORD = "pw-never-logged"
APP_SECRET = "app-secret-never-logged"


@dataclass
class FakeRainbow:
    """Issues hour-long tokens and lets the test declare them expired server-side."""

    valid_tokens: set[str] = field(default_factory=set)
    reject_every_token: bool = False
    counts: Counter[str] = field(default_factory=Counter)
    issued: int = 0

    def expire_all(self) -> None:
        self.valid_tokens.clear()

    async def login(self, request: web.Request) -> web.Response:
        self.counts["login"] += 1
        assert "x-rainbow-app-auth" in request.headers
        self.issued += 1
        token = jwt.encode(
            {"iat": 1000, "exp": 4600, "countRenewed": 0, "maxTokenRenew": 5, "n": self.issued},
            "k" * 32,
            algorithm="HS256",
        )
        self.valid_tokens.add(token)
        user = {"id": "u1", "companyId": "bp1", "roles": ["user", "admin", "bp_admin"]}
        return web.json_response({"token": token, "loggedInUser": user, "loggedInApplication": {}})

    async def company(self, request: web.Request) -> web.Response:
        self.counts["company"] += 1
        assert "x-rainbow-app-auth" not in request.headers
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if self.reject_every_token or token not in self.valid_tokens:
            body = {"errorCode": 401, "errorMsg": "Unauthorized", "errorDetails": "jwt expired"}
            return web.json_response({**body, "errorDetailsCode": 401000}, status=401)
        return web.json_response({"data": {"id": request.match_info["id"], "name": "Acme"}})


@pytest.fixture
async def fake() -> AsyncIterator[tuple[FakeRainbow, str]]:
    server = FakeRainbow()
    app = web.Application()
    app.router.add_get("/api/rainbow/authentication/v1.0/login", server.login)
    app.router.add_get("/api/rainbow/admin/v1.0/companies/{id}", server.company)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield server, f"http://127.0.0.1:{port}"
    await runner.cleanup()


def _client(url: str, observed: list[tuple[str, str]]) -> RainbowClient:
    return RainbowClient(
        url,
        "bot@reseller.example.com",
        PASSWORD,
        "app-1",
        APP_SECRET,
        requests_per_second=1000,
        burst=1000,
        observer=lambda operation, outcome, _seconds: observed.append((operation, outcome)),
    )


async def test_expired_token_triggers_one_login_and_one_replay_per_call(
    fake: tuple[FakeRainbow, str],
) -> None:
    server, url = fake
    observed: list[tuple[str, str]] = []
    async with _client(url, observed) as client:
        await client.login()
        server.expire_all()

        companies = await asyncio.gather(*(client.get_company(f"c{i}") for i in range(30)))

    assert [company.id for company in companies] == [f"c{i}" for i in range(30)]
    assert server.counts["login"] == 2
    assert server.counts["company"] <= 60
    assert observed.count(("login", "ok")) == 2
    assert observed.count(("get_company", "ok")) == 30


async def test_a_token_rejected_twice_surfaces_an_error(fake: tuple[FakeRainbow, str]) -> None:
    server, url = fake
    async with _client(url, []) as client:
        await client.login()
        server.reject_every_token = True

        with pytest.raises(RainbowError) as raised:
            await client.get_company("c1")

    assert raised.value.status == 401
    assert raised.value.error_details == "jwt expired"
    assert server.counts == {"login": 2, "company": 2}


async def test_logs_never_show_secrets(fake: tuple[FakeRainbow, str], caplog: pytest.LogCaptureFixture) -> None:
    server, url = fake
    caplog.set_level(logging.DEBUG, logger="bot.rainbow")
    async with _client(url, []) as client:
        await client.login()
        server.expire_all()
        await client.get_company("c1")

    text = caplog.text
    assert "get_company GET /api/rainbow/admin/v1.0/companies/c1 -> 401" in text
    assert PASSWORD not in text
    assert APP_SECRET not in text
    assert "eyJ" not in text
    assert "Bearer" not in text and "Basic" not in text
