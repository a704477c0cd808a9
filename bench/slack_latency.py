"""How much of Slack's 3-second window the bot uses, measured in one run on this machine.

Starts the real bot (HTTP endpoint, SQLite store) against the embedded Rainbow sandbox seeded
with many companies and a local Slack stand-in, then times, N times each:
  - `/rainbow create` until its acknowledgement (the modal opens right after);
  - the invite typeahead (`block_suggestion`), which calls Rainbow before answering;
  - an Accept click on a customer request until its acknowledgement.
Prints medians and 95th percentiles as fractions of Slack's 3 s limit. Loopback only.

    .venv/bin/python bench/slack_latency.py [--companies 2000] [--rounds 50]
"""

import argparse
import asyncio
import statistics
import tempfile
import time
from contextlib import AsyncExitStack
from pathlib import Path

from bot.app import assemble
from standins.demo.world import local_settings, serve_http
from standins.rainbow import Sandbox
from standins.slack import FakeSlack, SlackSender, example_workspace
from storage.engine import make_engine
from storage.migrate import upgrade

SLACK_WINDOW = 3.0
SECRET = "bench-secret"


def summary(name: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    median = statistics.median(ordered)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return (
        f"{name:<32} median {median * 1000:7.1f} ms ({median / SLACK_WINDOW:6.2%} of 3 s)"
        f"   p95 {p95 * 1000:7.1f} ms ({p95 / SLACK_WINDOW:6.2%})"
    )


async def timed(action) -> float:
    started = time.perf_counter()
    answer = await action()
    elapsed = time.perf_counter() - started
    assert answer.status == 200, answer
    return elapsed


async def main(companies: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        engine = make_engine(url)
        await upgrade(engine)
        await engine.dispose()
        async with (
            Sandbox(seed_companies=companies) as sandbox,
            FakeSlack(example_workspace()) as slack,
            assemble(local_settings(sandbox, slack, url, slack_signing_secret=SECRET)) as running,
            AsyncExitStack() as stack,
        ):
            sender = await stack.enter_async_context(SlackSender(slack, await serve_http(running, stack), SECRET))
            alice, carol = sender.user("U0ALICE01"), sender.user("U0CAROL01")
            commands = [
                await timed(lambda: alice.run_command("/rainbow create Bench", "general")) for _ in range(rounds)
            ]
            await alice.run_command("/rainbow invite", "general")
            view_id = slack.top_view("U0ALICE01").id
            typeahead = []
            for n in range(rounds):
                started = time.perf_counter()
                await alice.type_in_external_select(view_id, "company", ["a", "be", "co", "eto"][n % 4])
                typeahead.append(time.perf_counter() - started)
            for n in range(rounds):
                sandbox.file_link_request(company_name=f"Bench customer {n}")
            await running.runtime.requests.poll()
            clicks = [
                await timed(lambda m=message: carol.click("Accept", in_message=("C0APPROVE", m.ts)))
                for message in slack.messages("C0APPROVE")[:rounds]
            ]
    print(f"Sandbox with {companies} companies, {rounds} rounds each, one run on this machine:")
    print(summary("/rainbow create → ack", commands))
    print(summary("invite typeahead (Rainbow search)", typeahead))
    print(summary("Accept click → ack", clicks))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=50)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.companies, arguments.rounds))
