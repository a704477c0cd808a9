"""Nothing outside the contract: every request the client can make is a row of the call table in
docs/rainbow-wire-decisions.md, and every row is a documented operation."""

import inspect
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot.rainbow import RainbowClient
from standins.rainbow import Sandbox, contract
from tests.contract.support import ClientFactory, Controls

DECISIONS = Path(__file__).parents[2] / "docs" / "rainbow-wire-decisions.md"
_ROW = re.compile(r"^\|\s*\d+\s*\|\s*(GET|POST|PUT|DELETE)\s*\|\s*`([^`]+)`\s*\|")
_PLACEHOLDER = re.compile(r"\{[^}]+\}")
NOT_A_CALL = {"close"}


def _shape(path: str) -> str:
    return _PLACEHOLDER.sub("{}", path)


def call_table() -> set[str]:
    rows = (_ROW.match(line) for line in DECISIONS.read_text(encoding="utf-8").splitlines())
    return {f"{row[1]} {_shape('/api/rainbow' + row[2])}" for row in rows if row}


def public_calls() -> set[str]:
    return {
        name
        for name, member in inspect.getmembers(RainbowClient)
        if not name.startswith("_") and inspect.iscoroutinefunction(member) and name not in NOT_A_CALL
    }


def test_every_row_of_the_table_is_a_documented_operation() -> None:
    documented = {f"{op.method} {_shape(op.template)}" for op in contract.operations()}

    assert len(call_table()) == 23
    assert call_table() - documented == set()


async def test_the_client_makes_no_call_outside_the_table(
    make_client: ClientFactory, controls: Controls, sandbox: Sandbox
) -> None:
    client = make_client()
    target = sandbox.create_customer_company("Prospect SA")
    filed = sandbox.file_link_request(company_name="Asking SARL", admin_email="boss@asking.fr")
    declined = sandbox.file_link_request(company_name="Other SARL", admin_email="boss@other.fr")
    state: dict[str, Any] = {}

    async def create() -> None:
        state["company"] = await client.create_company("Acme", "FRA")

    async def invite_admin() -> None:
        state["join"] = await client.invite_company_admin(state["company"].id, email="boss@acme.com")

    async def link() -> None:
        state["link"] = await client.invite_company_to_link(target["id"])

    async def resend_link() -> None:
        sandbox.advance_clock(3601)  # one invitation per company per hour
        await client.resend_link_invitation(state["link"].id)

    calls: dict[str, Callable[[], Awaitable[Any]]] = {
        "login": client.login,
        "countries": client.countries,
        "create_company": create,
        "get_company": lambda: client.get_company(state["company"].id),
        "list_customers": lambda: client.list_customers(name="Ac", statuses=["initializing"]),
        "search_companies_without_reseller": lambda: client.search_companies_without_reseller("Pros"),
        "search_visible_companies": lambda: client.search_visible_companies("Acme"),
        "default_company_id": client.default_company_id,
        "search_users_without_company": lambda: client.search_users_without_company("Ada"),
        "invite_company_admin": invite_admin,
        "get_join_invitation": lambda: client.get_join_invitation(state["company"].id, state["join"].id),
        "list_join_invitations": lambda: client.list_join_invitations(state["company"].id, ["pending"]),
        "resend_join_invitation": lambda: client.resend_join_invitation(state["company"].id, state["join"].id),
        "cancel_join_invitation": lambda: client.cancel_join_invitation(state["company"].id, state["join"].id),
        "invite_company_to_link": link,
        "get_link_invitation": lambda: client.get_link_invitation(state["link"].id),
        "list_link_invitations": lambda: client.list_link_invitations(["pending"]),
        "cancel_link_invitation": lambda: client.cancel_link_invitation(state["link"].id),
        "resend_link_invitation": resend_link,
        "list_link_requests": client.list_link_requests,
        "get_link_request": lambda: client.get_link_request(filed["id"]),
        "accept_link_request": lambda: client.accept_link_request(filed["id"]),
        "decline_link_request": lambda: client.decline_link_request(declined["id"]),
    }
    assert set(calls) == public_calls(), "drive every public call of RainbowClient here"

    for call in calls.values():
        await call()
    client._auth._renew_at = 0.0  # the token reached its renewal time: the renew call is made too
    await client.countries()

    made = {f"{key.split(' ', 1)[0]} {_shape(key.split(' ', 1)[1])}" for key in sandbox.stats()["counts"]}
    assert "GET /api/rainbow/authentication/v1.0/renew" in made
    assert made - call_table() == set()
    assert sandbox.contract.deviations == []
