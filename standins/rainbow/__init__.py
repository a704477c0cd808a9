"""Embedded Rainbow sandbox: an aiohttp server speaking Rainbow's REST contract (admin, enduser, auth APIs)."""

from standins.rainbow.auth import SandboxCredentials
from standins.rainbow.errors import SandboxError
from standins.rainbow.sandbox import Sandbox

__all__ = ["Sandbox", "SandboxCredentials", "SandboxError"]
