"""`reseller-bot sandbox`: serve the sandbox in the foreground and print the settings that reach it."""

from __future__ import annotations

import asyncio
import contextlib

from bot.sandbox.sandbox import Sandbox


async def _serve_until_cancelled(host: str, port: int, seed_companies: int) -> None:
    sandbox = Sandbox(seed_companies=seed_companies)
    await sandbox.start(host=host, port=port)
    try:
        print(f"Rainbow sandbox listening on {sandbox.url} (BP company {sandbox.bp_company_id})")
        print("Point the bot at it with:")
        for name, value in sandbox.environment().items():
            print(f"{name}={value}")
        print("Control endpoints under /sandbox/ (state, stats, faults, clock...). Ctrl-C to stop.", flush=True)
        await asyncio.Event().wait()
    finally:
        await sandbox.stop()


def serve(host: str, port: int, seed_companies: int) -> int:
    """Run until interrupted; returns the process exit code."""
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve_until_cancelled(host, port, seed_companies))
    return 0
