"""The HTTP face of the fake: `POST|GET /api/{method}`, `POST /response/{id}` and the Socket Mode
websocket `GET /socket/{ticket}`, answered like Slack."""

from __future__ import annotations

import copy
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from standins.slack.errors import RateLimited, SlackError
from standins.slack.faults import Fault, FaultPlan
from standins.slack.methods import METHODS, decode_arguments
from standins.slack.recording import Call
from standins.slack.reference import reference
from standins.slack.state import SlackState
from standins.slack.workspace import Workspace

Recorder = Callable[[Call], Awaitable[None]]
ResponseRecorder = Callable[[], Awaitable[None]]
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})


async def read_arguments(request: web.Request) -> dict[str, Any]:
    """Query string plus whatever body slack_sdk sent: JSON, form-encoded or multipart."""
    arguments: dict[str, Any] = dict(request.query)
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                arguments.update(body)
        else:
            form = await request.post()
            arguments.update({key: value for key, value in form.items() if isinstance(value, str)})
    return arguments


def presented_token(request: web.Request, arguments: dict[str, Any]) -> str | None:
    """The bearer token, or the legacy `token` argument."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header.removeprefix("Bearer ").strip()
    token = arguments.pop("token", None)
    return str(token) if token else None


def token_error(workspace: Workspace, method: str, token: str | None) -> str | None:
    """Slack's auth refusals: no token, a token it does not know, or the wrong kind for this method.

    apps.connections.open takes only the app-level token; every other method only the bot token.
    """
    if token is None:
        return "not_authed"
    if token not in (workspace.token, workspace.app_token):
        return "invalid_auth"
    if (token == workspace.app_token) != (method in APP_TOKEN_METHODS):
        return "not_allowed_token_type"
    return None


def slack_json(body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response(body, status=status, headers=headers)


def fault_response(fault: Fault) -> web.Response:
    if fault.status == 429:
        return slack_json({"ok": False, "error": fault.error}, 429, {"Retry-After": str(fault.retry_after or 1)})
    if not fault.error:
        return web.Response(status=fault.status, text="Internal Server Error")
    return slack_json({"ok": False, "error": fault.error}, fault.status)


class SlackApi:
    """Routes requests to the methods, applying auth, forced faults and recording, in Slack's order."""

    def __init__(self, state: SlackState, faults: FaultPlan, record: Recorder, notify: ResponseRecorder) -> None:
        self._state = state
        self._faults = faults
        self._record = record
        self._notify = notify

    def application(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self.web_api)
        app.router.add_post("/response/{target}", self.response_url)
        app.router.add_get("/socket/{ticket}", self._state.sockets.accept)
        app.on_shutdown.append(self._hang_up)
        return app

    async def _hang_up(self, _: web.Application) -> None:
        """Once the port no longer accepts, close the websockets: the server would otherwise wait for them."""
        await self._state.sockets.close()

    async def web_api(self, request: web.Request) -> web.Response:
        method_name = request.match_info["method"]
        try:
            arguments = await read_arguments(request)
        except (json.JSONDecodeError, ValueError):
            return await self._answer(method_name, {}, {"ok": False, "error": "invalid_json"})
        token = presented_token(request, arguments)
        method = METHODS.get(method_name)
        if method is None:
            return await self._answer(method_name, arguments, {"ok": False, "error": "unknown_method"})
        described = reference(method_name)
        if described is None:  # every method the stand-in serves has its reference copied in
            raise RuntimeError(f"no api_ref/methods/{method_name}.json")
        refusal = token_error(self._state.workspace, method_name, token)
        if refusal is not None:
            return await self._answer(method_name, arguments, {"ok": False, "error": refusal})
        try:
            described.check_scopes(self._state.workspace.scopes)
            described.check_arguments(arguments)
            params = decode_arguments(arguments)
        except SlackError as error:
            return await self._answer(method_name, arguments, error.as_body())
        fault = self._faults.take(method_name)
        if fault is not None:
            return await self._answer(method_name, params, {"ok": False, "error": fault.error}, fault)
        try:
            self._state.tiers.admit(described)
            answer = {"ok": True, **await method(self._state, params)}
        except RateLimited as limited:
            rate_limit = Fault.rate_limited(limited.retry_after)
            return await self._answer(method_name, params, limited.as_body(), rate_limit)
        except SlackError as error:
            if not described.documents(error.error):
                self._state.undocumented.append(f"{method_name}: {error.error}")
            answer = error.as_body()
        return await self._answer(method_name, params, answer)

    async def _answer(
        self, method: str, params: dict[str, Any], answer: dict[str, Any], fault: Fault | None = None
    ) -> web.Response:
        status = fault.status if fault else 200
        await self._record(Call(method, params, self._state.clock.now(), status, copy.deepcopy(answer)))
        return fault_response(fault) if fault else slack_json(answer)

    async def response_url(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return slack_json({"ok": False, "error": "invalid_payload"}, 400)
        try:
            self._state.response_urls.apply(request.match_info["target"], body)
        except SlackError as error:
            status = 404 if error.error == "no_service" else 400
            return slack_json(error.as_body(), status)
        finally:
            await self._notify()
        return slack_json({"ok": True})
