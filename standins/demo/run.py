"""`reseller-bot demo [--step]`: the whole product offline, step by step, as people would see it in Slack."""

import asyncio
import logging
import os
import sys
import threading
import time
from typing import TextIO

from bot import logs
from standins.demo.printer import Printer
from standins.demo.steps import STEPS, StepFailed, Story
from standins.demo.world import SEED_COMPANIES, demo_world

logger = logging.getLogger(__name__)


async def wait_for_enter(show: Printer, number: int) -> None:
    """Read one line of stdin in a daemon thread, so Ctrl-C is not held up by a blocked read at exit."""
    show.line()
    show.line(f"  … press Enter for step {number} (Ctrl-C to stop)")
    loop = asyncio.get_running_loop()
    entered: asyncio.Future[None] = loop.create_future()

    def read() -> None:
        sys.stdin.readline()
        loop.call_soon_threadsafe(lambda: None if entered.done() else entered.set_result(None))

    threading.Thread(target=read, name="demo-enter", daemon=True).start()
    await entered


async def run_demo(step_by_step: bool, out: TextIO) -> int:
    """Play every step; 0 when each did what it showed, else 1 after one line naming the step and why."""
    show = Printer(out)
    show.banner(SEED_COMPANIES)
    pausing = step_by_step and sys.stdin.isatty()
    if step_by_step and not pausing:
        show.line("(--step: stdin is not a terminal, so the demo does not wait between steps.)")
    started, waited = time.monotonic(), 0.0
    story = Story()
    async with demo_world() as world:
        for number, step in enumerate(STEPS, start=1):
            if pausing and number > 1:
                before = time.monotonic()
                await wait_for_enter(show, number)
                waited += time.monotonic() - before
            show.heading(number, step.title)
            refused_before = len(world.slack.failed_calls())
            deviations_before = len(world.sandbox.contract.deviations)
            try:
                await step.run(world, story, show)
                refused = world.slack.failed_calls()[refused_before:]
                if refused:  # what people saw may be fine, yet the bot did not get everything through
                    raise StepFailed("Slack refused " + ", ".join(str(call) for call in refused))
                deviations = world.sandbox.contract.deviations[deviations_before:]
                if deviations:  # the bot or the sandbox left Rainbow's OpenAPI contract
                    raise StepFailed("Rainbow contract deviation: " + "; ".join(map(str, deviations)))
            except StepFailed as failure:
                show.failed(number, step.title, str(failure))
                return 1
            except Exception as error:  # whatever broke, the reader learns which step and why
                logger.debug("step %d failed", number, exc_info=True)
                show.failed(number, step.title, f"{type(error).__name__}: {error}")
                return 1
    show.summary(len(STEPS), time.monotonic() - started - waited)
    return 0


def command(step_by_step: bool) -> int:
    """The CLI entry: no log noise unless LOG_LEVEL=DEBUG (the only variable the demo reads)."""
    debug = os.environ.get("LOG_LEVEL", "").strip().upper() == "DEBUG"
    logs.configure("DEBUG" if debug else "WARNING", "text")
    return asyncio.run(run_demo(step_by_step, sys.stdout))
