"""``reseller-bot check``: each part of the setup verified, one line a person can act on per result."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.config import EMBEDDED, Settings
from storage.engine import make_engine
from storage.migrate import current_revision, head_revision


@dataclass(frozen=True)
class Outcome:
    ok: bool
    line: str
    warning: bool = False

    def render(self) -> str:
        mark = "ok  " if self.ok and not self.warning else ("warn" if self.ok else "FAIL")
        return f"[{mark}] {self.line}"


Check = Callable[[Settings], Awaitable[list[Outcome]]]


async def check_configuration(settings: Settings) -> list[Outcome]:
    mode = "Socket Mode" if settings.socket_mode else f"HTTP mode on {settings.host}:{settings.port}"
    rainbow = "the embedded sandbox" if settings.rainbow_host == EMBEDDED else settings.rainbow_host
    return [
        Outcome(
            True, f"configuration: {mode}, Rainbow at {rainbow}, approvals in {settings.approvals_channel}"
        )
    ]


async def check_database(settings: Settings) -> list[Outcome]:
    url = make_url(settings.database_url)
    shown = url.render_as_string(hide_password=True)
    is_file = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
    if is_file and not await asyncio.to_thread(Path(str(url.database)).exists):
        return [Outcome(True, f"database {shown}: does not exist yet; it is created and migrated at start")]
    engine = make_engine(settings.database_url)
    try:
        current = await current_revision(engine)
    except (SQLAlchemyError, OSError) as error:
        return [
            Outcome(False, f"database {shown}: cannot connect ({type(error).__name__}); check DATABASE_URL")
        ]
    finally:
        await engine.dispose()
    head = head_revision()
    if current == head:
        return [Outcome(True, f"database {shown}: reachable, schema at the latest revision ({head})")]
    if url.get_backend_name() == "sqlite":
        return [
            Outcome(True, f"database {shown}: schema at {current or 'none'}; migrated to {head} at start")
        ]
    return [
        Outcome(
            False,
            f"database {shown}: schema at {current or 'none'}, the code needs {head}:"
            " run `reseller-bot migrate`",
        )
    ]


CHECKS: tuple[Check, ...] = (check_configuration, check_database)


async def run_checks(settings: Settings, checks: tuple[Check, ...] = CHECKS) -> int:
    """Print every outcome; exit status 0 only when nothing failed."""
    failed = False
    for check in checks:
        for outcome in await check(settings):
            print(outcome.render())
            failed = failed or not outcome.ok
    return 1 if failed else 0
