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


def fold(text: str) -> str:
    """Lower-case without accents: "Étoile" and "etoile" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


class CountryCatalog:
    """Rainbow's ISO 3166-1 alpha-3 list, refreshed daily; pycountry's while Rainbow is unreachable."""

    def __init__(self, rainbow: RainbowClient) -> None:
        self._rainbow = rainbow
        self._names: dict[str, str] = {}
        self._expires = 0.0
        self._refreshing: asyncio.Task[None] | None = None

    async def names(self) -> dict[str, str]:
        """The list; once loaded, a stale one is served while a single refresh runs in the background
        (the typeahead must answer within Slack's 3 seconds)."""
        if time.monotonic() >= self._expires:
            if not self._names:
                await self._refresh()
            elif self._refreshing is None or self._refreshing.done():
                self._refreshing = asyncio.create_task(self._refresh())
        return self._names

    async def _refresh(self) -> None:
        try:
            countries = await self._rainbow.countries()
            self._names = {c.alpha3: c.name or c.alpha3 for c in countries}
            self._expires = time.monotonic() + FRESH_SECONDS
        except RainbowError as error:
            logger.warning("using the built-in country list: Rainbow's could not be read (%s)", error)
            self._names = self._names or {c.alpha_3: c.name for c in pycountry.countries}
            self._expires = time.monotonic() + FALLBACK_SECONDS

    def known(self) -> set[str] | None:
        """The codes loaded so far, or None before the first load (validation then relies on ISO alone)."""
        return set(self._names) or None

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
