"""Every performance figure of issue #14 in one run, each beside its anchor or target, on 127.0.0.1 only.

The bot runs as `reseller-bot run` in its own process, the anchor (bench/bare_bolt.py, a bare Bolt
AsyncApp on aiohttp with the same library versions) in another; the driver (this process) hosts the
Slack stand-in and the Rainbow sandbox and measures from outside. The steady-cycle and digest figures
run the bot's own services in this process (see bench/cycles.py, bench/digest_build.py).

    bench/run_all                      # everything (about 10 minutes on 2 idle cores)
    bench/run_all --quick              # smaller counts, to check the wiring
    bench/run_all --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/bench
    bench/run_all --only acks,startup  # some parts only (also --sizes 1000,10000 for the cycles)

It prints a Markdown table (figure, bot, anchor or target, ratio, target, met) and writes it to
bench/results/latest.md with the machine's description.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import signal
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.pool import NullPool

from bench import acks, cycles, digest_build
from bench.stage import (
    ROOT,
    bot_environment,
    free_port,
    median,
    peak_rss_mb,
    settle,
    start_anchor,
    start_bot,
)
from standins.rainbow import Sandbox
from standins.slack import FakeSlack, example_workspace
from storage.engine import make_engine
from storage.migrate import upgrade

ACK_ROUNDS = {1: 50, 10: 200, 100: 500}
QUICK_ACK_ROUNDS = {1: 10, 10: 40, 100: 100}


@dataclass
class Row:
    figure: str
    bot: float
    anchor: float | None
    unit: str
    target: str
    ratio_limit: float | None = None  # bot / anchor must stay at or below this
    absolute_limit: float | None = None  # bot must stay at or below this

    @property
    def ratio(self) -> float | None:
        return self.bot / self.anchor if self.anchor else None

    @property
    def met(self) -> str:
        if self.ratio_limit is not None and self.ratio is not None:
            return "yes" if self.ratio <= self.ratio_limit else "NO"
        if self.absolute_limit is not None:
            return "yes" if self.bot <= self.absolute_limit else "NO"
        return "—"


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        ratio = f"{row.ratio:.2f}×" if row.ratio is not None else ""
        anchor = f"{row.anchor:.1f}" if row.anchor is not None else "—"
        print(f"  {row.figure}: {row.bot:.1f} {row.unit} (anchor {anchor}) {ratio} target {row.target}", flush=True)

    def markdown(self) -> str:
        lines = ["| figure | bot | anchor / target | ratio | target | met |", "|---|---|---|---|---|---|"]
        for row in self.rows:
            anchor = f"{row.anchor:,.1f} {row.unit}" if row.anchor is not None else "—"
            ratio = f"{row.ratio:.2f}×" if row.ratio is not None else "—"
            bot = f"{row.bot:,.1f} {row.unit}"
            lines.append(f"| {row.figure} | {bot} | {anchor} | {ratio} | {row.target} | {row.met} |")
        return "\n".join(lines)


def machine() -> str:
    cpus = os.cpu_count()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{platform.node()}: {platform.machine()}, {cpus} CPU(s), Python {platform.python_version()},"
        f" {platform.system()} {platform.release()}; load average at the end {load}"
    )


async def ack_figures(report: Report, workdir: Path, rounds: dict[int, int], rps: int) -> None:
    async with Sandbox(seed_companies=2000) as sandbox, FakeSlack(example_workspace()) as slack:
        database_url = f"sqlite+aiosqlite:///{workdir / 'acks.db'}"
        engine = make_engine(database_url)
        await upgrade(engine)
        await engine.dispose()
        clicks_needed = sum(rounds.values()) + rounds[10]
        bot_posted = await acks.seed_requests(sandbox, slack, database_url, clicks_needed, "Bot")
        anchor_posted = acks.post_lookalikes(slack, clicks_needed)
        environment = bot_environment(sandbox, slack, database_url, free_port(), RAINBOW_MAX_RPS=str(rps))
        bot, anchor = start_bot(workdir, environment), start_anchor(workdir, slack)
        try:
            await asyncio.gather(bot.wait_healthy(), anchor.wait_healthy())
            await bot.wait_healthy(path="/readyz")
            bot_sender = await acks.sender_for(slack, bot.events_url)
            anchor_sender = await acks.sender_for(slack, anchor.events_url)
            for sender in (anchor_sender, bot_sender):  # first requests pay lazy imports and auth.test
                await acks.under_load(acks.commands(sender, 10), 1)
            await settle(slack)
            for kind in ("command", "click"):
                for concurrency, count in rounds.items():
                    if kind == "command":
                        anchor_load = acks.commands(anchor_sender, count)
                        bot_load = acks.commands(bot_sender, count)
                    else:
                        anchor_load = acks.clicks(anchor_sender, anchor_posted[:count])
                        bot_load = acks.clicks(bot_sender, bot_posted[:count])
                        del anchor_posted[:count], bot_posted[:count]
                    anchor_latency = await acks.under_load(anchor_load, concurrency)
                    await settle(slack)
                    bot_latency = await acks.under_load(bot_load, concurrency)
                    await settle(slack)
                    name = "/rainbow create" if kind == "command" else "Accept click"
                    errors = bot_latency.errors + anchor_latency.errors
                    if errors:
                        report.notes.append(f"{name} at concurrency {concurrency}: {errors} non-200 answer(s)")
                    report.add(
                        Row(
                            f"ack p50, {name}, concurrency {concurrency}",
                            bot_latency.p50_ms,
                            anchor_latency.p50_ms,
                            "ms",
                            "—",
                        )
                    )
                    limit = 1.15 if concurrency > 1 else None
                    report.add(
                        Row(
                            f"ack p99, {name}, concurrency {concurrency}",
                            bot_latency.p99_ms,
                            anchor_latency.p99_ms,
                            "ms",
                            "≤ 1.15× bare Bolt" if limit else "—",
                            ratio_limit=limit,
                        )
                    )
            sandbox.set_faults(latency_ms=2000)
            slow = rounds[10]
            for kind in ("command", "click"):
                if kind == "command":
                    bot_load = acks.commands(bot_sender, slow)
                    anchor_load = acks.commands(anchor_sender, slow)
                else:
                    bot_load = acks.clicks(bot_sender, bot_posted[:slow])
                    anchor_load = acks.clicks(anchor_sender, anchor_posted[:slow])
                anchor_latency = await acks.under_load(anchor_load, 10)
                bot_latency = await acks.under_load(bot_load, 10)
                name = "/rainbow create" if kind == "command" else "Accept click"
                report.add(
                    Row(
                        f"ack p99, {name}, concurrency 10, Rainbow +2 s",
                        bot_latency.p99_ms,
                        anchor_latency.p99_ms,
                        "ms",
                        "≤ 1.15× bare Bolt",
                        ratio_limit=1.15,
                    )
                )
            sandbox.clear_faults()
            await settle(slack, limit=180)
            report.add(
                Row(
                    "peak RSS during the load",
                    peak_rss_mb(bot.process.pid),
                    peak_rss_mb(anchor.process.pid),
                    "MB",
                    "≤ 100 MB",
                    absolute_limit=100,
                )
            )
            await bot_sender.close()
            await anchor_sender.close()
        finally:
            bot.stop()
            anchor.stop()


async def decision_figures(report: Report, workdir: Path, count: int, rps: int, latency_ms: int = 100) -> None:
    async with Sandbox() as sandbox, FakeSlack(example_workspace()) as slack:
        database_url = f"sqlite+aiosqlite:///{workdir / 'decisions.db'}"
        engine = make_engine(database_url)
        await upgrade(engine)
        await engine.dispose()
        posted = await acks.seed_requests(sandbox, slack, database_url, count, "Decision")
        bot = start_bot(
            workdir, bot_environment(sandbox, slack, database_url, free_port(), RAINBOW_MAX_RPS=str(rps)), "decider"
        )
        try:
            await bot.wait_healthy(path="/readyz")
            sender = await acks.sender_for(slack, bot.events_url)
            sandbox.set_faults(latency_ms=latency_ms)
            sandbox.reset_stats()
            seconds = await acks.decisions(sandbox, sender, posted)
            accepts = sum(n for route, n in sandbox.stats()["counts"].items() if route.endswith("/accept"))
            sandbox.clear_faults()
            await sender.close()
        finally:
            bot.stop()
    ideal = max(count / rps, count * latency_ms / 1000 / 8)
    report.add(
        Row(
            f"{count} concurrent Accepts, Rainbow answering in {latency_ms} ms, RAINBOW_MAX_RPS={rps}",
            seconds,
            ideal,
            "s",
            f"≤ 1.5× ideal max({count}/{rps}, {count}×{latency_ms / 1000}/8 in flight)",
            ratio_limit=1.5,
        )
    )
    report.notes.append(f"{count} concurrent Accepts made {accepts} accept call(s) to Rainbow")


async def startup_figures(report: Report, workdir: Path, repeats: int) -> None:
    async with Sandbox() as sandbox, FakeSlack(example_workspace()) as slack:
        database_url = f"sqlite+aiosqlite:///{workdir / 'startup.db'}"
        engine = make_engine(database_url)
        await upgrade(engine)
        await engine.dispose()
        bot_seconds, ready_seconds, anchor_seconds = [], [], []
        for _ in range(repeats):
            anchor = start_anchor(workdir, slack)
            try:
                anchor_seconds.append(await anchor.wait_healthy())
            finally:
                anchor.stop()
            bot = start_bot(workdir, bot_environment(sandbox, slack, database_url, free_port()), "startup")
            try:
                bot_seconds.append(await bot.wait_healthy())
                ready_seconds.append(bot_seconds[-1] + await bot.wait_healthy(path="/readyz"))
            finally:
                bot.stop()
    report.add(
        Row(
            "start-up to /healthz 200",
            median(bot_seconds) * 1000,
            median(anchor_seconds) * 1000,
            "ms",
            "≤ 1.5× bare Bolt",
            ratio_limit=1.5,
        )
    )
    report.add(Row("start-up to /readyz 200 (warm)", median(ready_seconds) * 1000, None, "ms", "—"))


async def cycle_figures(report: Report, workdir: Path, sizes: list[int]) -> None:
    async with FakeSlack(example_workspace()) as slack:
        for companies in sizes:
            figures = await cycles.measure(companies, workdir, slack)
            label = f"{companies:,} companies ({figures.tracked_waiting:,} tracked waiting)"
            report.add(
                Row(
                    f"Rainbow calls per steady poll + sync cycle, {label}",
                    figures.steady.calls,
                    figures.target_calls,
                    "calls",
                    "≤ ceil(tracked waiting / page size) + 3",
                    ratio_limit=1.0,
                )
            )
            report.add(Row(f"that cycle's wall time, {label}", figures.steady.seconds, None, "s", "—"))
            report.add(
                Row(
                    f"that cycle's time in the bot (wall time less the {figures.steady.sandbox_seconds:.1f} s"
                    f" the in-process sandbox spent answering), {label}",
                    figures.steady.seconds - figures.steady.sandbox_seconds,
                    None,
                    "s",
                    "≤ 10 s: inside the shortest poll interval and the 120 s lease",
                    absolute_limit=10,
                )
            )
            report.add(
                Row(
                    f"calls in the cycle after 1 % changed ({figures.changed_companies} companies), {label}",
                    figures.changed.calls,
                    None,
                    "calls",
                    "—",
                )
            )
            report.add(
                Row(
                    f"wall time of the cycle after 1 % changed, {label}"
                    f" (sandbox's own share {figures.changed.sandbox_seconds:.1f} s)",
                    figures.changed.seconds,
                    None,
                    "s",
                    "—",
                )
            )


async def digest_figures(report: Report, workdir: Path, postgres: str | None, plans_file: Path) -> None:
    engines = [("SQLite", make_engine(f"sqlite+aiosqlite:///{workdir / 'digest.db'}"))]
    if postgres:
        name = f"bench_digest_{os.getpid()}"
        admin = make_engine(postgres, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        try:
            async with admin.connect() as connection:
                await connection.execute(text(f'CREATE DATABASE "{name}"'))
            engines.append(("PostgreSQL", make_engine(postgres.rsplit("/", 1)[0] + "/" + name)))
        except OSError as error:
            report.notes.append(f"PostgreSQL digest figure skipped: {postgres} unreachable ({error})")
    plans = []
    try:
        for label, engine in engines:
            figures = await digest_build.measure(engine)
            report.add(
                Row(
                    f"digest build, {label}, {figures.associations:,} associations / {figures.audit_events:,}"
                    f" audit events / {figures.job_runs:,} job runs ({figures.full_scans} full scan(s))",
                    figures.build_ms,
                    None,
                    "ms",
                    "every query through an index",
                )
            )
            plans.append(f"## {label}\n")
            plans += [f"```sql\n{statement}\n```\n```\n{plan}\n```\n" for statement, plan in figures.plans]
            await engine.dispose()
    finally:
        if postgres and len(engines) > 1:
            async with admin.connect() as connection:
                await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await admin.dispose()
    await asyncio.to_thread(plans_file.write_text, "# Digest query plans (latest run)\n\n" + "\n".join(plans))


async def main(arguments: argparse.Namespace) -> None:
    report = Report()
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    started = datetime.now(UTC)
    rounds = QUICK_ACK_ROUNDS if arguments.quick else ACK_ROUNDS
    sizes = arguments.sizes or ([1000, 10000] if arguments.quick else [1000, 10000, 100000])
    parts = {
        "startup": lambda: startup_figures(report, workdir, 2 if arguments.quick else 5),
        "acks": lambda: ack_figures(report, workdir, rounds, arguments.rps),
        "decisions": lambda: decision_figures(report, workdir, 100 if arguments.quick else 500, arguments.rps),
        "cycles": lambda: cycle_figures(report, workdir, sizes),
        "digest": lambda: digest_figures(report, workdir, arguments.postgres, results / "digest-plans.md"),
    }
    try:
        for part in arguments.only or list(parts):
            print(part, flush=True)
            await parts[part]()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    table = report.markdown()
    notes = "\n".join(f"- {note}" for note in report.notes)
    text_out = (
        f"# Latest run\n\n{started:%Y-%m-%d %H:%M} UTC, {(datetime.now(UTC) - started).seconds} s;"
        f" {machine()}\n\n{table}\n\n{notes}\n"
    )
    (results / "latest.md").write_text(text_out)
    print("\n" + text_out)


def stop_on_sigterm() -> None:
    """A SIGTERM unwinds like Ctrl-C, so the processes this run started are stopped too."""

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


if __name__ == "__main__":
    stop_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller counts: checks the wiring in a minute or two")
    parser.add_argument("--rps", type=int, default=80, help="RAINBOW_MAX_RPS given to the bot (default 80)")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL"),
        help="a postgresql+asyncpg URL whose server may create a scratch database (default $BENCH_POSTGRES_URL)",
    )
    parser.add_argument(
        "--only",
        type=lambda text: text.split(","),
        help="comma-separated parts to run: startup,acks,decisions,cycles,digest (default all)",
    )
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(size) for size in text.split(",")],
        help="company counts for the steady cycles (default 1000,10000,100000)",
    )
    asyncio.run(main(parser.parse_args()))
