"""What the HTTP layer needs at hand: the state, auth, faults, stats and run-time switches."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from bot.sandbox.auth import Authenticator, SandboxCredentials
from bot.sandbox.contract import ContractLog
from bot.sandbox.faults import Faults
from bot.sandbox.state import SandboxState
from bot.sandbox.stats import RequestStats


@dataclass
class SandboxRuntime:
    state: SandboxState
    credentials: SandboxCredentials
    authenticator: Authenticator
    faults: Faults
    stats: RequestStats
    users_search_forbidden: bool = False
    contract: ContractLog = field(default_factory=ContractLog)


RUNTIME = web.AppKey("sandbox_runtime", SandboxRuntime)


def runtime_of(request: web.Request) -> SandboxRuntime:
    return request.app[RUNTIME]
