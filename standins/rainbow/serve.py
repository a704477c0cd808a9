"""`reseller-bot sandbox`: serve the sandbox in the foreground and print the settings that reach it."""

from __future__ import annotations

import asyncio
import contextlib
import signal

from standins.rainbow.sandbox import Sandbox


async def _serve_until_stopped(host: str, port: int, seed_companies: int) -> None:
    """Runs until SIGINT or SIGTERM, then closes the listener cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(stop_signal, stop.set)
    sandbox = Sandbox(seed_companies=seed_companies)
    await sandbox.start(host=host, port=port)
    try:
        print(f"Rainbow sandbox listening on {sandbox.url} (BP company {sandbox.bp_company_id})")
        print("Point the bot at it with:")
        for name, value in sandbox.environment().items():
            print(f"{name}={value}")
        print("Control routes under /sandbox/ (state, stats, faults, clock...). Ctrl-C to stop.", flush=True)
        await stop.wait()
    finally:
        await sandbox.stop()


def serve(host: str, port: int, seed_companies: int) -> int:
    """Run in the foreground until interrupted; returns the process exit code."""
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve_until_stopped(host, port, seed_companies))
    print("Rainbow sandbox stopped.")
    return 0
