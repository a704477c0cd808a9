"""The Rainbow client the configuration asks for: the real Rainbow, or the embedded sandbox."""

from collections.abc import Callable
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING

import aiohttp
from pydantic import SecretStr

from bot.config import EMBEDDED, Settings
from bot.rainbow import RainbowClient

if TYPE_CHECKING:
    from standins.rainbow import Sandbox


async def open_rainbow(
    settings: Settings,
    stack: AsyncExitStack,
    *,
    session: aiohttp.ClientSession | None = None,
    observer: Callable[[str, str, float], None] | None = None,
    seed_companies: int = 0,
    login_backoff_seconds: float = 15 * 60,
) -> tuple[RainbowClient, "Sandbox | None", str]:
    """(client, sandbox if embedded, where in words); everything opened is closed with ``stack``."""
    sandbox = None
    password: str | SecretStr
    app_secret: str | SecretStr
    if settings.rainbow_host == EMBEDDED:
        from standins.rainbow import Sandbox  # imported only when asked for: never with a real Rainbow

        sandbox = Sandbox(seed_companies=seed_companies)
        await sandbox.start(host="127.0.0.1", port=0)
        stack.push_async_callback(sandbox.stop)
        c = sandbox.credentials
        base_url, login, password, app_id, app_secret = sandbox.url, c.login, c.password, c.app_id, c.app_secret
        where = f"the embedded sandbox at {sandbox.url}"
    else:
        assert settings.rainbow_login and settings.rainbow_password
        assert settings.rainbow_app_id and settings.rainbow_app_secret
        base_url, login, password = settings.rainbow_host, settings.rainbow_login, settings.rainbow_password
        app_id, app_secret, where = settings.rainbow_app_id, settings.rainbow_app_secret, settings.rainbow_host
    client = RainbowClient(
        base_url,
        login,
        password,
        app_id,
        app_secret,
        session=session,
        observer=observer,
        login_backoff_seconds=login_backoff_seconds,
        requests_per_second=settings.rainbow_max_rps,
        burst=max(1, round(2 * settings.rainbow_max_rps)),  # two seconds' worth, as the former 10/s and 20
    )
    stack.push_async_callback(client.close)
    return client, sandbox, where
