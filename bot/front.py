"""The HTTP listener, opened before the heavy part of the bot is imported and assembled.

`/healthz` answers "alive" from the first moment; until the application is attached, `/readyz` says
"starting" and Slack's requests get 503 (Slack retries them, as it would a closed port). Once attached,
every request is routed by the application's own router, so its routes, methods and 404/405 stay
exactly what `bot.app.web_app` declares.
"""

import json

from aiohttp import web

STARTING = {"ready": False, "checks": {"start-up": "starting"}}


class Front:
    def __init__(self) -> None:
        self._inner: web.Application | None = None
        self.app = web.Application()
        self.app.router.add_route("*", "/{path:.*}", self._dispatch)

    def attach(self, inner: web.Application) -> None:
        """From now on, requests go to `inner`."""
        self._inner = inner

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        if self._inner is None:
            if request.method == "GET" and request.path == "/healthz":
                return web.json_response({"status": "alive"})
            return web.Response(status=503, text=json.dumps(STARTING), content_type="application/json")
        match = await self._inner.router.resolve(request)
        if match.http_exception is not None:
            raise match.http_exception
        return await match.handler(request)
