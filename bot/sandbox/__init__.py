"""Embedded Rainbow sandbox: an aiohttp server speaking the REST contract of docs rainbow-api.md."""

from bot.sandbox.auth import SandboxCredentials
from bot.sandbox.errors import SandboxError
from bot.sandbox.sandbox import Sandbox

__all__ = ["Sandbox", "SandboxCredentials", "SandboxError"]
