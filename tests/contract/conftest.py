"""The Rainbow client against the embedded sandbox, over real HTTP on 127.0.0.1.

Customer-side actions and fault injection go through the sandbox's /sandbox/ control routes;
call counts come from the sandbox's request statistics.
"""

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.rainbow import RainbowClient
from standins.rainbow import Sandbox
from tests.contract.support import FAST_RETRIES, ClientFactory, Controls


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    instance = Sandbox(seed_companies=0, token_lifetime_seconds=3600, max_token_renew=5, account_roles=None)
    await instance.start(host="127.0.0.1", port=0)
    yield instance
    await instance.stop()


@pytest.fixture
async def controls(sandbox: Sandbox) -> AsyncIterator[Controls]:
    async with aiohttp.ClientSession() as session:
        yield Controls(sandbox, session)


@pytest.fixture
async def make_client(sandbox: Sandbox) -> AsyncIterator[ClientFactory]:
    """Clients on the sandbox with fast retries and no practical rate limit; closed at teardown."""
    made: list[RainbowClient] = []

    def make(**overrides: Any) -> RainbowClient:
        credentials = sandbox.credentials
        options: dict[str, Any] = {
            "requests_per_second": 1000.0,
            "burst": 1000,
            "retry": FAST_RETRIES,
            "timeout_seconds": 5.0,
        }
        options.update(overrides)
        client = RainbowClient(
            sandbox.url,
            options.pop("login", credentials.login),
            options.pop("password", credentials.password),
            credentials.app_id,
            options.pop("app_secret", credentials.app_secret),
            **options,
        )
        made.append(client)
        return client

    yield make
    for client in made:
        await client.close()


@pytest.fixture
async def client(make_client: ClientFactory) -> RainbowClient:
    """A logged-in client."""
    made = make_client()
    await made.login()
    return made
