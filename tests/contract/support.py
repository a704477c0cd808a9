"""Helpers shared by the contract tests: route keys of the sandbox statistics, fast retries and
the sandbox's HTTP control routes (the customer's side and the fault knobs)."""

from collections.abc import Callable
from typing import Any

import aiohttp

from bot.rainbow import RainbowClient, RetryPolicy
from standins.rainbow import Sandbox

LOGIN = "GET /api/rainbow/authentication/v1.0/login"
RENEW = "GET /api/rainbow/authentication/v1.0/renew"
COMPANIES = "/api/rainbow/admin/v1.0/companies"
COMPANY = "/api/rainbow/admin/v1.0/companies/{companyId}"

FAST_RETRIES = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05, max_total_delay=2.0, retry_after_cap=0.2)


ClientFactory = Callable[..., RainbowClient]


class Controls:
    """The customer's side and the test knobs, through the sandbox's HTTP control routes."""

    def __init__(self, sandbox: Sandbox, session: aiohttp.ClientSession) -> None:
        self.sandbox = sandbox
        self._sandbox = sandbox
        self._session = session

    async def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        async with self._session.post(self._sandbox.url + path, json=body or {}) as response:
            payload = await response.json()
            assert response.status < 300, payload
            return payload.get("data", payload)

    async def delete(self, path: str) -> None:
        async with self._session.delete(self._sandbox.url + path) as response:
            assert response.status < 300, await response.text()

    async def company(self, name: str, **fields: Any) -> dict[str, Any]:
        return await self.post("/sandbox/companies", {"name": name, **fields})

    async def faults(self, **settings: Any) -> None:
        await self.post("/sandbox/faults", settings)

    def counts(self) -> dict[str, int]:
        return dict(self._sandbox.stats()["counts"])

    def count(self, key: str) -> int:
        return self.counts().get(key, 0)
