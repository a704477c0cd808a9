"""Companies (admin and enduser), countries, and the admin users search."""

from __future__ import annotations

import pycountry
from aiohttp import web

from standins.rainbow import companies, users
from standins.rainbow.responses import data, json_body, listing
from standins.rainbow.runtime import runtime_of
from standins.rainbow.views import ENDUSER_COMPANY_FIELDS, company_row

ADMIN = "/api/rainbow/admin/v1.0"
ENDUSER = "/api/rainbow/enduser/v1.0"

routes = web.RouteTableDef()


@routes.post(f"{ADMIN}/companies")
async def create_company(request: web.Request) -> web.Response:
    state = runtime_of(request).state
    company = companies.create_company(state, await json_body(request))
    return data(company_row(state, company))


@routes.get(f"{ADMIN}/companies")
async def list_admin_companies(request: web.Request) -> web.Response:
    return listing(companies.list_admin_companies(runtime_of(request).state, request.query))


@routes.get(f"{ADMIN}/companies/default")
async def default_company(request: web.Request) -> web.Response:
    state = runtime_of(request).state
    state.require_role("admin")
    return data({"id": state.default_company.id, "name": state.default_company.name})


@routes.get(f"{ADMIN}/companies/{{companyId}}")
async def get_admin_company(request: web.Request) -> web.Response:
    state = runtime_of(request).state
    company = state.administered_company(request.match_info["companyId"], hidden_as_missing=True)
    return data(companies.one_company(state, company, request.query))


@routes.delete(f"{ADMIN}/companies/{{companyId}}")
async def delete_company(request: web.Request) -> web.Response:
    state = runtime_of(request).state
    deleted = companies.delete_company(state, request.match_info["companyId"])
    return data({"id": deleted.id, "name": deleted.name, "status": "deleted"})


@routes.get(f"{ADMIN}/users")
async def search_users(request: web.Request) -> web.Response:
    runtime = runtime_of(request)
    return listing(users.search_users(runtime.state, request.query, runtime.users_search_forbidden))


@routes.get(f"{ENDUSER}/companies")
async def list_visible_companies(request: web.Request) -> web.Response:
    return listing(companies.list_visible_companies(runtime_of(request).state, request.query))


@routes.get(f"{ENDUSER}/companies/{{companyId}}")
async def get_visible_company(request: web.Request) -> web.Response:
    state = runtime_of(request).state
    company = companies.visible_company(state, request.match_info["companyId"])
    return data(companies.one_company(state, company, request.query, ENDUSER_COMPANY_FIELDS))


@routes.get(f"{ENDUSER}/countries")
async def countries(request: web.Request) -> web.Response:
    """Every ISO 3166-1 country, shaped as the getCountries example of the enduser OpenAPI 1.84.0:
    `{"data":[{"isoAlpha3Code":"ABW","fullname":"Aruba"}, ...]}` (no total/limit/offset)."""
    return data(
        [
            {"isoAlpha3Code": country.alpha_3, "fullname": country.name}
            for country in sorted(pycountry.countries, key=lambda c: c.alpha_3)
        ]
    )
