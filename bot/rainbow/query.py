"""Query-string encoding the way Rainbow expects it (Rainbow admin API 1.82.0 examples; rainbow-node-sdk 2.46.1)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

QueryScalar = str | int | float | bool
QueryValue = QueryScalar | Iterable[QueryScalar] | None


def encode_query(params: Mapping[str, QueryValue]) -> list[tuple[str, str]]:
    """Turn filters into (key, value) pairs aiohttp accepts.

    Multi-valued filters become repeated keys (`status=a&status=b`), booleans the strings
    `true`/`false` (aiohttp refuses bool), and None means "not sent".
    """
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, str | int | float | bool):
            pairs.append((key, _scalar(value)))
        else:
            pairs.extend((key, _scalar(item)) for item in value)
    return pairs


def _scalar(value: QueryScalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
