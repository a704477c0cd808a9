"""Embedded Rainbow sandbox: an aiohttp server speaking Rainbow's REST contract (admin, enduser, auth APIs)."""

from bot.sandbox.auth import SandboxCredentials
from bot.sandbox.errors import SandboxError
from bot.sandbox.sandbox import Sandbox

__all__ = ["Sandbox", "SandboxCredentials", "SandboxError"]
