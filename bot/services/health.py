"""What /readyz reports: the database answers, Rainbow accepted us lately, Slack knows our token.

A digest that cannot be posted (``checks.digest``) and a country list Rainbow did not give
(``checks.countries``; the picker offers ISO 3166 meanwhile) are reported too, without making the
replica unready: Slack's requests are still served.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


@dataclass
class Health:
    engine: AsyncEngine
    rainbow_ok_at: float | None = None
    rainbow_problem: str | None = None
    slack_problem: str | None = field(default="not checked yet")
    digest_problem: Callable[[], str | None] = field(default=lambda: None)
    countries_problem: Callable[[], str | None] = field(default=lambda: None)
    warming: bool = False  # the start-up warm-up (login, countries, auth.test) is still running

    def observe_rainbow(self, operation: str, outcome: str, _seconds: float) -> None:
        """RainbowClient observer: remember the last call's outcome (login failures matter most)."""
        if outcome == "ok":
            self.rainbow_ok_at, self.rainbow_problem = time.monotonic(), None
        elif outcome in ("login_refused", "unavailable", "server_error"):
            self.rainbow_problem = f"{operation}: {outcome}"

    async def report(self) -> tuple[bool, dict[str, str]]:
        checks: dict[str, str] = {}
        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception as error:  # any failure means "not ready"; the type says which
            checks["database"] = f"unreachable ({type(error).__name__})"
        if self.rainbow_problem:
            checks["rainbow"] = self.rainbow_problem
        elif self.rainbow_ok_at is None:
            checks["rainbow"] = "not logged in yet"
        else:
            checks["rainbow"] = "ok"
        checks["slack"] = self.slack_problem or "ok"
        if self.warming:
            checks["warm-up"] = "in progress"
        ready = all(value == "ok" for value in checks.values())
        if digest := self.digest_problem():
            checks["digest"] = digest
        if countries := self.countries_problem():  # the picker offers ISO 3166 meanwhile: still ready
            checks["countries"] = countries
        return ready, checks
