"""Name matching for the typeaheads: Rainbow's `name` filter is "contains", the UI wants a prefix."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Case- and accent-insensitive form of `text` ("Étoile" -> "etoile")."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def starts_with(text: str, prefix: str) -> bool:
    """True when `text` begins with `prefix`, ignoring case, accents and leading blanks."""
    return fold(text.lstrip()).startswith(fold(prefix.strip()))
