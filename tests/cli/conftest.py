"""The servers a ``reseller-bot`` process talks to, served by the test's own event loop on 127.0.0.1."""

from collections.abc import AsyncIterator

import pytest

from standins.rainbow import Sandbox
from standins.slack import FakeSlack, example_workspace


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    """The fake Slack Web API with the example reseller workspace."""
    async with FakeSlack(example_workspace()) as fake:
        yield fake


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    """An empty Rainbow sandbox whose account is bp_admin."""
    async with Sandbox(seed_companies=0, account_roles=None) as started:
        yield started
