"""Each test gets its own sandbox on a free 127.0.0.1 port and a logged-in raw HTTP caller."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from standins.rainbow import Sandbox

from .rainbow_http import RainbowHttp


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    instance = Sandbox()
    await instance.start(host="127.0.0.1", port=0)
    yield instance
    await instance.stop()


@pytest.fixture
async def anonymous(sandbox: Sandbox) -> AsyncIterator[RainbowHttp]:
    async with aiohttp.ClientSession() as session:
        yield RainbowHttp(session, sandbox)


@pytest.fixture
async def api(anonymous: RainbowHttp) -> RainbowHttp:
    reply = await anonymous.login()
    assert reply.status == 200, reply.body
    return anonymous
