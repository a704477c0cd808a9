"""Company rules: the bp_admin's create, the admin and enduser lists with their filters, delete."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from standins.rainbow import query
from standins.rainbow.errors import COMPANY_HAS_USERS, conflict, forbidden, not_found
from standins.rainbow.models import Company, CompanyStatus, Visibility
from standins.rainbow.state import SandboxState
from standins.rainbow.validation import NAME_MAX_LENGTH, BodyChecker, json_object
from standins.rainbow.views import COMPANY_FIELDS, ENDUSER_COMPANY_FIELDS, company_row, projector

COMPANY_STATUSES = [s.value for s in CompanyStatus]
VISIBILITIES = [v.value for v in Visibility]


def create_company(state: SandboxState, body: Any) -> Company:
    """POST /admin/v1.0/companies by a bp_admin: bpId is ours and status starts "initializing" whatever
    the body says; a duplicate name is accepted (decisions §6)."""
    state.require_role("bp_admin")
    checker = BodyChecker(json_object(body))
    name = checker.text("name", required=True, max_length=NAME_MAX_LENGTH)
    country, subdivision = checker.country_and_state()
    company = Company(
        id="",
        name=(name or "").strip(),
        country=country,
        state=subdivision,
        creation_date=state.clock.now(),
        status=CompanyStatus.INITIALIZING,
        visibility=checker.visibility(),
        bp_id=state.bp_company.id,
        external_reference=checker.text("externalReference"),
        external_reference2=checker.text("externalReference2"),
        support_email=checker.email("supportEmail"),
        admin_email=checker.email("adminEmail"),
        street=checker.text("street"),
        city=checker.text("city"),
        postal_code=checker.text("postalCode"),
        website=checker.text("website"),
    )
    checker.raise_if_invalid()
    company.id = state.new_id()
    company.status_updated_date = company.creation_date
    return state.add_company(company)


def list_admin_companies(state: SandboxState, params: query.Query) -> dict[str, Any]:
    """GET /admin/v1.0/companies: only our own company and our End Customers."""
    state.require_role("admin")
    bp_id = query.single(params, "bpId")
    if bp_id is not None and bp_id != state.bp_company.id:
        raise forbidden("A bp_admin can only use the bpId filter on its own company")
    ref_prefix = query.single(params, "externalReference")
    ref2_prefix = query.single(params, "externalReference2")
    companies = [
        c
        for c in _filtered(params, (c for c in state.companies.values() if state.administers(c)))
        if (bp_id is None or c.bp_id == bp_id)
        and (ref_prefix is None or (c.external_reference or "").startswith(ref_prefix))
        and (ref2_prefix is None or (c.external_reference2 or "").startswith(ref2_prefix))
    ]
    return _company_page(state, params, companies)


def list_visible_companies(state: SandboxState, params: query.Query) -> dict[str, Any]:
    """GET /enduser/v1.0/companies: every company the caller can see (public, visibleBy, ours)."""
    visible = (c for c in state.companies.values() if state.can_see(c))
    return _company_page(state, params, list(_filtered(params, visible)), ENDUSER_COMPANY_FIELDS)


def _filtered(params: query.Query, companies: Iterable[Company]) -> list[Company]:
    name = query.single(params, "name")
    statuses = query.choices(params, "status", COMPANY_STATUSES)
    visibilities = query.choices(params, "visibility", VISIBILITIES)
    is_bp = query.boolean(params, "isBP")
    without_bp = query.no_bp_only(params)
    needle = name.casefold() if name is not None else None
    return [
        c
        for c in companies
        if (needle is None or needle in c.name.casefold())
        and (not statuses or c.status.value in statuses)
        and (not visibilities or c.visibility in visibilities)
        and (is_bp is None or c.is_bp == is_bp)
        and (not without_bp or c.bp_id is None)
    ]


def _company_page(
    state: SandboxState,
    params: query.Query,
    companies: list[Company],
    fields: dict[str, tuple[str, ...] | None] = COMPANY_FIELDS,
) -> dict[str, Any]:
    chosen_format = query.response_format(params)
    chosen_page = query.page(params)
    rows = query.sorted_rows((company_row(state, c) for c in companies), params, "name", 1)
    return query.list_envelope(rows, chosen_page, projector(fields, chosen_format))


def one_company(
    state: SandboxState,
    company: Company,
    params: query.Query,
    fields: dict[str, tuple[str, ...] | None] = COMPANY_FIELDS,
) -> dict[str, Any]:
    """A single company; without `format` the full object is returned (our choice, see the README)."""
    chosen_format = query.response_format(params, default="full")
    return projector(fields, chosen_format)(company_row(state, company))


def visible_company(state: SandboxState, company_id: str) -> Company:
    company = state.company(company_id)
    if not state.can_see(company):
        raise not_found(f"Company {company_id} not found")  # getCompanyById documents no 403
    return company


def delete_company(state: SandboxState, company_id: str) -> Company:
    """A bp_admin deletes one of its End Customers, only while it has no users (else 409); the
    company's join invitations and bp-link invitations/requests go with it."""
    state.require_role("bp_admin")
    company = state.company(company_id)
    if not state.is_customer(company):
        raise forbidden("A bp_admin can only delete the companies of its End Customers")
    if state.users_of(company.id):
        raise conflict(f"Company {company_id} still has users and cannot be deleted", COMPANY_HAS_USERS)
    del state.companies[company.id]
    state.join_invitations = {key: inv for key, inv in state.join_invitations.items() if inv.company_id != company.id}
    state.link_invitations = {
        key: inv
        for key, inv in state.link_invitations.items()
        if company.id not in (inv.invited_company_id, inv.inviting_company_id)
    }
    state.link_requests = {
        key: req
        for key, req in state.link_requests.items()
        if company.id not in (req.requesting_company_id, req.requested_company_id)
    }
    return company
