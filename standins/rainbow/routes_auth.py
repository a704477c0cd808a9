"""/api/rainbow/authentication/v1.0: login, renew, logout (bodies without the `data` wrapper)."""

from __future__ import annotations

from aiohttp import web

from standins.rainbow.runtime import runtime_of

AUTH_PREFIX = "/api/rainbow/authentication/v1.0"
LOGIN_PATH = f"{AUTH_PREFIX}/login"

routes = web.RouteTableDef()


@routes.get(LOGIN_PATH)
async def login(request: web.Request) -> web.Response:
    authenticator = runtime_of(request).authenticator
    session = authenticator.login(request.headers.get("Authorization"), request.headers.get("x-rainbow-app-auth"))
    return web.json_response(session)


@routes.get(f"{AUTH_PREFIX}/renew")
async def renew(request: web.Request) -> web.Response:
    return web.json_response(runtime_of(request).authenticator.renew(request.headers.get("Authorization")))


@routes.get(f"{AUTH_PREFIX}/logout")
async def logout(request: web.Request) -> web.Response:
    return web.json_response(runtime_of(request).authenticator.logout(request.headers.get("Authorization")))
