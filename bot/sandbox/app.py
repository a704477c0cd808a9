"""Builds the aiohttp application: /api/ routes behind stats, faults, error and Bearer middlewares,
and the /sandbox/ control routes."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.sandbox import control, routes_auth, routes_bp_link, routes_companies, routes_join
from bot.sandbox.errors import SandboxError, error_body
from bot.sandbox.runtime import RUNTIME, SandboxRuntime, runtime_of

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
API_PREFIX = "/api/"


@web.middleware
async def count_requests(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path.startswith(API_PREFIX):
        runtime_of(request).stats.record(request)
    return await handler(request)


@web.middleware
async def inject_faults(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Latency first, then the first firing rule: an error answer or a dropped connection."""
    if not request.path.startswith(API_PREFIX):
        return await handler(request)
    faults = runtime_of(request).faults
    if faults.latency_ms:
        await asyncio.sleep(faults.latency_ms / 1000)
    rule = faults.fire(request.method, request.path)
    if rule is None:
        return await handler(request)
    if rule.drop_connection:
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError
    headers = {"Retry-After": f"{rule.retry_after:g}"} if rule.retry_after is not None else {}
    body = error_body(rule.status, "Injected fault", rule.status * 1000)
    return web.json_response(body, status=rule.status, headers=headers)


@web.middleware
async def render_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every refusal (ours or the router's 404/405) leaves with Rainbow's error body and a request id."""
    try:
        response = await handler(request)
    except SandboxError as refusal:
        response = web.json_response(refusal.body(), status=refusal.status)
    except web.HTTPException as routing_error:
        if routing_error.status < 400:
            raise
        details = f"{request.method} {request.path}: {routing_error.reason}"
        response = web.json_response(
            error_body(routing_error.status, details, routing_error.status * 1000),
            status=routing_error.status,
        )
    if request.path.startswith(API_PREFIX):
        response.headers["x-rainbow-request-id"] = uuid.uuid4().hex
    return response


@web.middleware
async def require_bearer(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every /api/ route except login needs a valid, unexpired Bearer JWT (unknown routes stay 404)."""
    needs_token = (
        request.path.startswith(API_PREFIX)
        and request.path != routes_auth.LOGIN_PATH
        and request.match_info.http_exception is None
    )
    if needs_token:
        runtime_of(request).authenticator.verify(request.headers.get("Authorization"))
    return await handler(request)


def build_app(runtime: SandboxRuntime) -> web.Application:
    app = web.Application(middlewares=[count_requests, inject_faults, render_errors, require_bearer])
    app[RUNTIME] = runtime
    for table in (routes_auth.routes, routes_companies.routes, routes_join.routes, routes_bp_link.routes):
        app.add_routes(table)
    app.add_routes(control.routes)
    return app
