"""Users: the customer-side people the sandbox creates, and the admin users search (decisions §7)."""

from __future__ import annotations

from typing import Any

from standins.rainbow import query
from standins.rainbow.errors import USERS_SEARCH_FORBIDDEN, bad_request, conflict, forbidden
from standins.rainbow.models import Company, User
from standins.rainbow.state import SandboxState
from standins.rainbow.validation import email_is_valid
from standins.rainbow.views import USER_FIELDS, projector, user_row


def add_user(
    state: SandboxState,
    company: Company,
    login_email: str,
    display_name: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    company_admin: bool = False,
) -> User:
    """Create a person; login e-mails are unique (case-insensitive) as in Rainbow."""
    if not email_is_valid(login_email):
        raise bad_request(f"'{login_email}' is not a valid e-mail address")
    if state.user_by_email(login_email) is not None:
        raise conflict(f"A user with login e-mail {login_email} already exists")
    local_part = login_email.split("@", 1)[0]
    return state.add_user(
        User(
            id=state.new_id(),
            login_email=login_email,
            display_name=display_name or " ".join(p for p in (first_name, last_name) if p) or local_part,
            first_name=first_name,
            last_name=last_name,
            company_id=company.id,
            creation_date=state.clock.now(),
            roles=["user", "admin"] if company_admin else ["user"],
            admin_type="company_admin" if company_admin else None,
        )
    )


def make_company_admin(user: User) -> None:
    if "admin" not in user.roles:
        user.roles.append("admin")
    user.admin_type = user.admin_type or "company_admin"


def search_users(state: SandboxState, params: query.Query, forbidden_by_switch: bool) -> dict[str, Any]:
    """GET /admin/v1.0/users as a bp_admin: "Users with bp_admin or bp_finance role retrieve only users from
    company being End Customers of their BP company", and users of a `companyId` that is not visible "will
    not be returned" (admin OpenAPI 1.82.0, GetUsers): so the Default company's users never appear.
    displayName matches "contains", case-insensitive (not documented)."""
    if forbidden_by_switch:
        raise forbidden("Listing users is not allowed for this account", USERS_SEARCH_FORBIDDEN)
    state.require_role("admin")
    company_id = query.single(params, "companyId")
    name = query.single(params, "displayName")
    needle = name.casefold() if name is not None else None
    chosen_format = query.response_format(params)
    chosen_page = query.page(params)
    matches = [
        user
        for user in state.users.values()
        if _in_search_scope(state, user)
        and (company_id is None or user.company_id == company_id)
        and (needle is None or needle in user.display_name.casefold())
    ]
    rows = query.sorted_rows((user_row(state, u) for u in matches), params, "displayName", 1)
    return query.list_envelope(rows, chosen_page, projector(USER_FIELDS, chosen_format))


def _in_search_scope(state: SandboxState, user: User) -> bool:
    company = state.companies.get(user.company_id)
    return company is not None and state.is_customer(company)
