"""Builds the aiohttp application: /api/ routes behind stats, faults, error and Bearer middlewares,
and the /sandbox/ control routes."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from aiohttp import web

from standins.rainbow import contract, control, routes_auth, routes_bp_link, routes_companies, routes_join
from standins.rainbow.errors import NOT_FOUND, VALIDATION_FAILED, SandboxError, error_body
from standins.rainbow.runtime import RUNTIME, SandboxRuntime, runtime_of

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
API_PREFIX = "/api/"
FAULT_INJECTED = web.RequestKey("fault_injected", bool)


@web.middleware
async def count_requests(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path.startswith(API_PREFIX):
        runtime_of(request).stats.record(request)
    return await handler(request)


@web.middleware
async def check_contract(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every /api/ request and answer against Rainbow's OpenAPI files; a deviating request gets the 400
    Rainbow's own validation answers (SPEC-admin PostCompanies 400 / GetCompaniesId 400 examples)."""
    if not request.path.startswith(API_PREFIX):
        return await handler(request)
    log = runtime_of(request).contract
    body = await _request_json(request)
    operation, problems = contract.check_request(request.method, request.path, request.query, request.headers, body)
    if problems:
        log.record("request", request.method, request.path, problems)
        status = 404 if operation is None else 400
        refusal = {
            "errorCode": status,
            "errorMsg": HTTPStatus(status).phrase,
            "errorDetails": problems if operation is not None else problems[0]["msg"],
            "errorDetailsCode": VALIDATION_FAILED if operation is not None else NOT_FOUND,
        }
        return web.json_response(refusal, status=status, headers={"x-rainbow-request-id": uuid.uuid4().hex})
    response = await handler(request)
    if operation is not None and not request.get(FAULT_INJECTED) and isinstance(response, web.Response):
        answer = json.loads(response.body) if isinstance(response.body, bytes | bytearray) and response.body else None
        deviations = contract.check_response(operation, response.status, answer)
        if deviations:
            log.record("response", request.method, request.path, deviations)
    return response


async def _request_json(request: web.Request) -> Any:
    """The body as the contract sees it: JSON when declared as JSON, else no body (as Express reads it)."""
    if not request.body_exists or request.content_type != "application/json":
        return contract.NO_BODY
    raw = await request.text()
    if not raw.strip():
        return contract.NO_BODY
    try:
        return json.loads(raw)
    except ValueError:
        return contract.NO_BODY


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
    request[FAULT_INJECTED] = True
    if rule.drop_connection:
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError
    headers = {"Retry-After": f"{rule.retry_after:g}"} if rule.retry_after is not None else {}
    body = error_body(rule.status, "Injected fault", rule.details_code or rule.status * 1000)
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
    app = web.Application(middlewares=[count_requests, check_contract, inject_faults, render_errors, require_bearer])
    app[RUNTIME] = runtime
    for table in (routes_auth.routes, routes_companies.routes, routes_join.routes, routes_bp_link.routes):
        app.add_routes(table)
    app.add_routes(control.routes)
    return app
