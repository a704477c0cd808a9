"""The ``reseller-bot`` command line."""

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from bot import logs
from bot.config import EMBEDDED, ConfigError, load_digest_settings, load_settings, load_store_settings

EXIT_CONFIG = 2
EXIT_FAILED = 1


def redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


async def _migrate(url: str) -> str:
    from storage.engine import make_engine
    from storage.migrate import upgrade

    engine = make_engine(url)
    try:
        before, after = await upgrade(engine)
    finally:
        await engine.dispose()
    if before == after:
        return f"{redacted(url)}: already at the latest revision ({after}); nothing to do"
    return f"{redacted(url)}: migrated from {before or 'an empty database'} to revision {after}"


def cmd_migrate(_: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from storage.errors import database_reason
    from storage.migrate import sqlite_file_problem

    settings = load_store_settings()
    logs.configure(settings.log_level, settings.log_format)
    try:
        if problem := sqlite_file_problem(settings.database_url):
            raise OSError(problem)
        print(asyncio.run(_migrate(settings.database_url)))
    except (SQLAlchemyError, OSError) as error:
        print(
            f"DATABASE_URL: cannot migrate {redacted(settings.database_url)}: {database_reason(error)};"
            " check the address, the credentials and that the database (or the SQLite file's folder) exists",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return 0


def cmd_check(_: argparse.Namespace) -> int:
    from bot.checks import run_checks

    settings = load_settings()
    # check prints one line per result; the libraries' own log lines would only repeat them
    logs.configure("CRITICAL", settings.log_format)
    return asyncio.run(run_checks(settings))


def cmd_run(arguments: argparse.Namespace) -> int:
    """Imports only what listening needs; the server imports the rest while /healthz already answers."""
    from bot.server import CannotListen, serve
    from storage.errors import DatabaseUnavailable, SchemaNotReady

    if arguments.sandbox:
        os.environ["RAINBOW_HOST"] = EMBEDDED
    settings = load_settings()
    logs.configure(settings.log_level, settings.log_format)
    try:
        asyncio.run(serve(settings))
    except SchemaNotReady as error:
        print(f"DATABASE_URL: {error}", file=sys.stderr)
        return 1
    except DatabaseUnavailable as error:
        print(
            f"DATABASE_URL: cannot open {redacted(settings.database_url)}: {error};"
            " check the address, the credentials and that the folder or server exists",
            file=sys.stderr,
        )
        return 1
    except CannotListen as error:
        print(f"HOST/PORT: {error}; choose a free port or stop what uses it", file=sys.stderr)
        return 1
    except Exception as error:
        from slack_sdk.errors import SlackApiError  # loaded by then; not imported before listening

        if not isinstance(error, SlackApiError):
            raise
        print(
            f"Slack refused the connection ({error.response.get('error')}): SLACK_APP_TOKEN must be an app-level"
            " token with connections:write, and Socket Mode must be enabled for the app",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_sandbox(arguments: argparse.Namespace) -> int:
    from standins.rainbow.serve import serve

    logs.configure("INFO", "text")
    return serve(arguments.host, arguments.port, arguments.seed_companies)


def cmd_digest(arguments: argparse.Namespace) -> int:
    from bot.config import DigestPostSettings
    from bot.digest_command import post_digest, print_digest
    from storage.schema import DatabaseUnavailable, SchemaNotReady

    if arguments.force and not arguments.post:
        print("--force only goes with --post", file=sys.stderr)
        return EXIT_CONFIG
    settings = load_digest_settings(post=arguments.post)
    # the command prints its one outcome line; log lines would only repeat it (unless asked for DEBUG)
    logs.configure("DEBUG" if settings.log_level == "DEBUG" else "CRITICAL", settings.log_format)
    try:
        if isinstance(settings, DigestPostSettings):
            return asyncio.run(post_digest(settings, force=arguments.force))
        return asyncio.run(print_digest(settings))
    except SchemaNotReady as error:
        print(f"DATABASE_URL: {error}", file=sys.stderr)
    except DatabaseUnavailable as error:
        print(f"DATABASE_URL: cannot open {redacted(settings.database_url)}: {error}", file=sys.stderr)
    return EXIT_FAILED


def cmd_demo(arguments: argparse.Namespace) -> int:
    from standins.demo.run import command

    return command(arguments.step)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reseller-bot",
        description="Slack app for Rainbow reseller teams: customer companies, reseller requests, daily digest.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser("run", help="serve Slack (HTTP, or Socket Mode with SLACK_APP_TOKEN)")
    run.add_argument("--sandbox", action="store_true", help="use the embedded Rainbow sandbox instead of Rainbow")
    run.set_defaults(handler=cmd_run)
    sandbox = commands.add_parser("sandbox", help="serve the embedded Rainbow sandbox and print the RAINBOW_* values")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8181)
    sandbox.add_argument("--seed-companies", type=int, default=0, metavar="N", help="create N companies to play with")
    sandbox.set_defaults(handler=cmd_sandbox)
    digest = commands.add_parser("digest", help="print today's digest (or post it now with --post)")
    digest.add_argument("--post", action="store_true", help="post it to DIGEST_CHANNEL now (counts as today's)")
    digest.add_argument("--force", action="store_true", help="with --post: post even if today's was already posted")
    digest.set_defaults(handler=cmd_digest)
    demo = commands.add_parser("demo", help="run the whole product offline and show it working, as seen in Slack")
    demo.add_argument("--step", action="store_true", help="wait for Enter between steps")
    demo.set_defaults(handler=cmd_demo)
    commands.add_parser(
        "migrate", help="apply database migrations to DATABASE_URL (run once before starting replicas)"
    ).set_defaults(handler=cmd_migrate)
    commands.add_parser(
        "check", help="validate the configuration, the database, the Rainbow login and the Slack token"
    ).set_defaults(handler=cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        return int(arguments.handler(arguments))
    except ConfigError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
