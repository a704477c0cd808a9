"""What the HTTP layer needs at hand: the state, auth, faults, stats and run-time switches."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from standins.rainbow.auth import Authenticator, SandboxCredentials
from standins.rainbow.contract import ContractLog
from standins.rainbow.faults import Faults
from standins.rainbow.state import SandboxState
from standins.rainbow.stats import RequestStats


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
