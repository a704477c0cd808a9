"""Counts every /api/ request received, keyed by method and route template, for tests and benchmarks."""

from __future__ import annotations

from collections import Counter

from aiohttp import web


class RequestStats:
    """Counted before faults and auth, so refused and faulted requests show up too."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()

    def record(self, request: web.Request) -> None:
        self._counts[f"{request.method} {route_template(request)}"] += 1

    def counts(self) -> dict[str, int]:
        return dict(sorted(self._counts.items()))

    def reset(self) -> None:
        self._counts.clear()


def route_template(request: web.Request) -> str:
    """The path with placeholders ("/companies/{companyId}"), or the raw path when no route matched."""
    resource = request.match_info.route.resource
    if resource is None or request.match_info.http_exception is not None:
        return request.path
    return resource.canonical
