"""The Python face of the sandbox: start/stop a real HTTP server and drive the customer's side."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aiohttp import web

from standins.rainbow import contract
from standins.rainbow.app import build_app
from standins.rainbow.auth import Authenticator, SandboxCredentials, TokenPolicy
from standins.rainbow.clock import SandboxClock
from standins.rainbow.control import CONTROLS, SandboxControls
from standins.rainbow.faults import Faults
from standins.rainbow.runtime import SandboxRuntime
from standins.rainbow.seed import seed
from standins.rainbow.state import DEFAULT_ACCOUNT_ROLES, SandboxState
from standins.rainbow.stats import RequestStats
from standins.rainbow.views import company_row, join_invitation_row, link_invitation_row

Row = dict[str, Any]


class Sandbox(SandboxControls):
    """An embedded Rainbow: `await start()`, point the client at `url` with `credentials`, then play
    the customer with the inherited control methods (create_customer_company, accept_join_invitation...)."""

    def __init__(
        self,
        seed_companies: int = 0,
        token_lifetime_seconds: int = 3600,
        max_token_renew: int = 5,
        account_roles: Iterable[str] | None = None,
    ) -> None:
        self.credentials = SandboxCredentials()
        clock = SandboxClock()
        roles = list(account_roles) if account_roles is not None else list(DEFAULT_ACCOUNT_ROLES)
        state = SandboxState(clock, self.credentials.login, roles)
        seed(state, seed_companies)
        policy = TokenPolicy(token_lifetime_seconds, max_token_renew)
        runtime = SandboxRuntime(
            state=state,
            credentials=self.credentials,
            authenticator=Authenticator(state, self.credentials, clock, policy),
            faults=Faults(),
            stats=RequestStats(),
        )
        super().__init__(runtime, policy)
        self.state = state
        self.contract = runtime.contract
        self.app = build_app(runtime)
        self.app[CONTROLS] = self
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    @property
    def bp_company_id(self) -> str:
        return self.state.bp_company.id

    @property
    def default_company_id(self) -> str:
        return self.state.default_company.id

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("The sandbox is not started")
        return self._url

    def environment(self) -> dict[str, str]:
        """The RAINBOW_* settings that point the bot at this sandbox."""
        return self.credentials.environment(self.url)

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen on host:port (0 = a free port) and return the base URL.

        The OpenAPI files are read here (once per process), not during the first request."""
        contract.operations()
        runner = web.AppRunner(self.app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound_port = runner.addresses[0][1]
        self._runner = runner
        reachable_host = "127.0.0.1" if host in ("0.0.0.0", "") else host
        self._url = f"http://{reachable_host}:{bound_port}"
        return self._url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            self._url = None

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def company(self, company_id: str) -> Row:
        """A company as the BP's admin sees it in full format (for assertions and the demo)."""
        return company_row(self.state, self.state.company(company_id))

    def join_invitations(self, company_id: str | None = None) -> list[Row]:
        return [
            join_invitation_row(self.state, invitation)
            for invitation in self.state.join_invitations.values()
            if company_id is None or invitation.company_id == company_id
        ]

    def link_invitations(self, invited_company_id: str | None = None) -> list[Row]:
        return [
            link_invitation_row(self.state, invitation)
            for invitation in self.state.link_invitations.values()
            if invited_company_id is None or invitation.invited_company_id == invited_company_id
        ]
