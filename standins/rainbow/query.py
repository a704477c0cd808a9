"""Query-string rules shared by every list: repeated keys, "true"/"false" booleans, formats, sorting, pages.

Strict on purpose: a comma-joined multi-value, a Python-style "True" or a non-numeric limit is a 400, so a
client that encodes parameters wrongly fails here rather than silently against real Rainbow.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from multidict import MultiMapping

from standins.rainbow.errors import bad_request

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
FORMATS = ("small", "medium", "full")

Query = MultiMapping[str]


def single(query: Query, key: str) -> str | None:
    """A parameter that may appear at most once."""
    values = query.getall(key, [])
    if len(values) > 1:
        raise bad_request(f"Query parameter '{key}' must be given once")
    return values[0] if values else None


def boolean(query: Query, key: str) -> bool | None:
    raw = single(query, key)
    if raw is None:
        return None
    if raw not in ("true", "false"):
        raise bad_request(f"Query parameter '{key}' must be 'true' or 'false', got '{raw}'")
    return raw == "true"


def choices(query: Query, key: str, allowed: Collection[str]) -> list[str]:
    """A multi-valued filter sent as repeated keys (status=a&status=b); each value must be a known one."""
    values = query.getall(key, [])
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise bad_request(f"Query parameter '{key}' has invalid value(s) {unknown}; allowed: {sorted(allowed)}")
    return list(values)


def response_format(query: Query, default: str = "small") -> str:
    chosen = single(query, "format") or default
    if chosen not in FORMATS:
        raise bad_request(f"Query parameter 'format' must be one of {list(FORMATS)}, got '{chosen}'")
    return chosen


def no_bp_only(query: Query) -> bool:
    """hasBP: a bp_admin may only send false (decisions §12: true is a 400)."""
    has_bp = boolean(query, "hasBP")
    if has_bp is True:
        raise bad_request("A bp_admin can only use the hasBP filter with value false")
    return has_bp is False


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


def page(query: Query) -> Page:
    limit = _non_negative_int(query, "limit", DEFAULT_LIMIT)
    if limit < 1:
        raise bad_request("Query parameter 'limit' must be at least 1")
    return Page(min(limit, MAX_LIMIT), _non_negative_int(query, "offset", 0))


def _non_negative_int(query: Query, key: str, default: int) -> int:
    raw = single(query, key)
    if raw is None:
        return default
    if not raw.isdigit():
        raise bad_request(f"Query parameter '{key}' must be a non-negative integer, got '{raw}'")
    return int(raw)


def sorted_rows(
    rows: Iterable[dict[str, Any]], query: Query, default_field: str, default_order: int
) -> list[dict[str, Any]]:
    """Sort full-format rows on an API field name (sortField) and direction (sortOrder 1 or -1).

    Rows missing the field sort last; the id breaks ties so pagination is stable.
    """
    sort_field = single(query, "sortField") or default_field
    raw_order = single(query, "sortOrder")
    if raw_order not in (None, "1", "-1"):
        raise bad_request(f"Query parameter 'sortOrder' must be 1 or -1, got '{raw_order}'")
    descending = (int(raw_order) if raw_order else default_order) == -1
    by_id = sorted(rows, key=lambda row: row.get("id") or row.get("_id") or "")
    present = [row for row in by_id if row.get(sort_field) is not None]
    missing = [row for row in by_id if row.get(sort_field) is None]
    present.sort(key=lambda row: _sort_key(row[sort_field]), reverse=descending)
    return present + missing


def _sort_key(value: Any) -> tuple[int, Any]:
    if isinstance(value, bool | int | float):
        return (0, value)
    return (1, str(value).casefold())


def list_envelope(
    rows: list[dict[str, Any]], chosen_page: Page, project: Callable[[dict[str, Any]], dict[str, Any]]
) -> dict[str, Any]:
    """{"data": [...], "limit", "offset", "total"}; an offset past the end gives an empty page."""
    window = rows[chosen_page.offset : chosen_page.offset + chosen_page.limit]
    return {
        "data": [project(row) for row in window],
        "limit": chosen_page.limit,
        "offset": chosen_page.offset,
        "total": len(rows),
    }
