"""The countries Rainbow accepts, cached, searchable the way people type them."""

import asyncio
import logging
import time
import unicodedata

import pycountry

from bot.rainbow import RainbowClient, RainbowError

logger = logging.getLogger(__name__)
FRESH_SECONDS = 24 * 3600
FALLBACK_SECONDS = 300
# A typeahead answer must reach Slack within 3 s: the first load waits at most this long, then the
# picker is served from the built-in list while the load goes on in the background.
TYPEAHEAD_WAIT_SECONDS = 2.0
LOAD_TIMEOUT_SECONDS = 10.0


def fold(text: str) -> str:
    """Lower-case without accents: "Étoile" and "etoile" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def builtin_names() -> dict[str, str]:
    """ISO 3166-1 (pycountry): what the picker offers while Rainbow's own list cannot be read."""
    return {c.alpha_3: c.name for c in pycountry.countries}


class CountryCatalog:
    """Rainbow's ISO 3166-1 alpha-3 list, refreshed daily; pycountry's while Rainbow's is unavailable.

    Only a list Rainbow actually sent counts as loaded: an empty or unreadable one is a `problem`
    (logged, kept for /readyz-style reporting) and is retried after FALLBACK_SECONDS.
    """

    def __init__(self, rainbow: RainbowClient) -> None:
        self._rainbow = rainbow
        self._names: dict[str, str] = {}
        self._from_rainbow = False
        self._expires = 0.0
        self._refreshing: asyncio.Task[None] | None = None
        self.problem: str | None = None

    def warm(self) -> None:
        """Start loading in the background (at start-up); never blocks."""
        self._start_refresh()

    async def names(self) -> dict[str, str]:
        """The list, within TYPEAHEAD_WAIT_SECONDS: a stale or built-in one is served while a single
        refresh runs in the background."""
        if time.monotonic() >= self._expires:
            task = self._start_refresh()
            if not self._names:
                done, _ = await asyncio.wait({task}, timeout=TYPEAHEAD_WAIT_SECONDS)
                if not done:
                    return builtin_names()
        return self._names or builtin_names()

    def _start_refresh(self) -> asyncio.Task[None]:
        if self._refreshing is None or self._refreshing.done():
            self._refreshing = asyncio.create_task(self._refresh())
        return self._refreshing

    async def _refresh(self) -> None:
        try:
            countries = await self._rainbow.countries(timeout_seconds=LOAD_TIMEOUT_SECONDS)
        except RainbowError as error:
            self.problem = f"Rainbow's country list could not be read ({error})"
            logger.warning("%s; the picker offers the built-in ISO 3166 list for now", self.problem)
            if not self._from_rainbow:
                self._names = builtin_names()
            self._expires = time.monotonic() + FALLBACK_SECONDS
            return
        self._names = {c.alpha3: c.name or c.alpha3 for c in countries}
        self._from_rainbow, self.problem = True, None
        self._expires = time.monotonic() + FRESH_SECONDS

    def known(self) -> set[str] | None:
        """The codes Rainbow listed, or None while its list is not loaded (validation then relies on ISO alone)."""
        return set(self._names) if self._from_rainbow else None

    def label(self, code: str) -> str:
        name = self._names.get(code) or getattr(pycountry.countries.get(alpha_3=code), "name", code)
        return f"{name} ({code})"

    async def search(self, query: str, limit: int = 100) -> list[tuple[str, str]]:
        """(code, label) pairs whose code or any word of the name starts with what was typed."""
        wanted = fold(query)
        names = await self.names()
        if not wanted:
            return []
        matches = [
            (code, name)
            for code, name in names.items()
            if fold(code).startswith(wanted)
            or fold(name).startswith(wanted)
            or any(word.startswith(wanted) for word in fold(name).replace(",", " ").split())
        ]
        matches.sort(key=lambda item: (not fold(item[1]).startswith(wanted), item[1]))
        return [(code, f"{name} ({code})") for code, name in matches[:limit]]
