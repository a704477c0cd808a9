"""Reading JSON bodies the way Rainbow's Express server does, and writing the `data` envelope."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from standins.rainbow.errors import bad_request


async def json_body(request: web.Request) -> Any:
    """The parsed body; a body that is not declared as JSON is ignored (treated as empty), like
    Express's json parser does, and malformed JSON is a 400."""
    if not request.body_exists or request.content_type != "application/json":
        return {}
    raw = await request.text()
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except json.JSONDecodeError as malformed:
        raise bad_request(f"Malformed JSON body: {malformed.msg}") from malformed


def data(payload: Any, status: int = 200) -> web.Response:
    return web.json_response({"data": payload}, status=status)


def listing(envelope: dict[str, Any]) -> web.Response:
    return web.json_response(envelope)
