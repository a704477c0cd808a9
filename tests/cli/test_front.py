"""Listening first: alive at once, "starting" until the application is attached, then the application's routes."""

import subprocess
import sys
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from bot.front import Front


@pytest.fixture
async def front() -> AsyncIterator[tuple[Front, str]]:
    front = Front()
    runner = web.AppRunner(front.app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield front, f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


async def test_before_the_application_is_attached_only_healthz_succeeds(front: tuple[Front, str]) -> None:
    _, base = front
    async with aiohttp.ClientSession() as http:
        async with http.get(base + "/healthz") as alive:
            assert alive.status == 200 and (await alive.json()) == {"status": "alive"}
        async with http.get(base + "/readyz") as ready:
            assert ready.status == 503 and (await ready.json())["checks"] == {"start-up": "starting"}
        async with http.post(base + "/slack/events", data="x") as events:
            assert events.status == 503


async def test_once_attached_the_application_routes_every_request(front: tuple[Front, str]) -> None:
    handler, base = front
    inner = web.Application()

    async def events(request: web.Request) -> web.Response:
        return web.Response(text="ack " + await request.text())

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "alive", "from": "inner"})

    inner.router.add_post("/slack/events", events)
    inner.router.add_get("/healthz", healthz)
    handler.attach(inner)
    async with aiohttp.ClientSession() as http:
        async with http.post(base + "/slack/events", data="hello") as answer:
            assert answer.status == 200 and await answer.text() == "ack hello"
        async with http.get(base + "/healthz") as alive:
            assert (await alive.json())["from"] == "inner"
        async with http.get(base + "/slack/events") as wrong_method:
            assert wrong_method.status == 405
        async with http.get(base + "/nothing") as missing:
            assert missing.status == 404


def loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sys.modules))"
    answer = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    return set(answer.stdout.split())


def test_the_listener_opens_before_sqlalchemy_bolt_and_alembic_are_imported() -> None:
    loaded = loaded_after("import bot.cli, bot.server")
    assert not {"sqlalchemy", "slack_bolt", "alembic", "bot.app"} & loaded, loaded


def test_alembic_and_the_sandbox_are_imported_only_when_used() -> None:
    loaded = loaded_after("import bot.app")
    assert not {"alembic", "standins.rainbow"} & loaded
