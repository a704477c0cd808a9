"""The sandbox's in-memory world: records, id generation, and who may see or administer what."""

from __future__ import annotations

import random
from collections.abc import Iterable

from standins.rainbow.clock import SandboxClock
from standins.rainbow.errors import WRONG_COMPANY_FOR_ACTION, SandboxError, forbidden, not_found
from standins.rainbow.models import (
    Company,
    CompanyStatus,
    JoinInvitation,
    LinkInvitation,
    LinkRequest,
    User,
    Visibility,
)

BP_COMPANY_NAME = "Sandbox Reseller (BP)"
DEFAULT_COMPANY_NAME = "Default"
DEFAULT_ACCOUNT_ROLES = ("user", "admin", "bp_admin")


class SandboxState:
    """Holds every record; rule modules (companies, join_invitations, bp_link, users) act on it."""

    def __init__(self, clock: SandboxClock, account_login: str, account_roles: Iterable[str]) -> None:
        self.clock = clock
        self._id_source = random.Random(20240229)
        self.companies: dict[str, Company] = {}
        self.users: dict[str, User] = {}
        self.join_invitations: dict[str, JoinInvitation] = {}
        self.link_invitations: dict[str, LinkInvitation] = {}
        self.link_requests: dict[str, LinkRequest] = {}
        now = clock.now()
        self.default_company = self.add_company(
            Company(self.new_id(), DEFAULT_COMPANY_NAME, None, now, visibility="hotspot", is_default=True)
        )
        self.bp_company = self.add_company(
            Company(self.new_id(), BP_COMPANY_NAME, "FRA", now, is_bp=True, bp_type="DR")
        )
        roles = list(account_roles)
        self.account = self.add_user(
            User(
                id=self.new_id(),
                login_email=account_login,
                display_name="Sandbox Reseller Admin",
                first_name="Sandbox",
                last_name="Reseller Admin",
                company_id=self.bp_company.id,
                creation_date=now,
                roles=roles,
                admin_type=_admin_type(roles),
            )
        )

    def new_id(self) -> str:
        """A 24-hex id like Rainbow's; deterministic per sandbox so runs are reproducible."""
        return f"{self._id_source.getrandbits(96):024x}"

    def add_company(self, company: Company) -> Company:
        self.companies[company.id] = company
        return company

    def add_user(self, user: User) -> User:
        self.users[user.id] = user
        return user

    def company(self, company_id: str) -> Company:
        found = self.companies.get(company_id)
        if found is None:
            raise not_found(f"Company {company_id} not found")
        return found

    def user(self, user_id: str) -> User:
        found = self.users.get(user_id)
        if found is None:
            raise not_found(f"User {user_id} not found")
        return found

    def user_by_email(self, email: str) -> User | None:
        wanted = email.casefold()
        return next((u for u in self.users.values() if u.login_email.casefold() == wanted), None)

    def users_of(self, company_id: str) -> list[User]:
        return [u for u in self.users.values() if u.company_id == company_id]

    def is_customer(self, company: Company) -> bool:
        return company.bp_id == self.bp_company.id

    def administers(self, company: Company) -> bool:
        """The bp_admin's admin scope: its own company and its End Customers (Rainbow admin API 1.82.0)."""
        return company.id == self.bp_company.id or self.is_customer(company)

    def can_see(self, company: Company) -> bool:
        """The enduser scope: public companies, those listing us in visibleBy, ours and our customers."""
        if company.is_default:
            return False
        return (
            company.visibility == Visibility.PUBLIC
            or self.bp_company.id in company.visible_by
            or self.administers(company)
        )

    def administered_company(self, company_id: str, *, hidden_as_missing: bool = False) -> Company:
        """The company named in a URL, refused with 403 when it is outside our admin scope, or 404 where the
        operation documents no 403 (GetCompaniesId: 200/400/401/404/500, admin OpenAPI 1.82.0)."""
        self.require_role("admin")
        company = self.company(company_id)
        if not self.administers(company):
            if hidden_as_missing:
                raise not_found(f"Company {company_id} not found")
            raise forbidden(f"Company {company_id} is not administered by the caller's company")
        return company

    def require_role(self, role: str) -> None:
        if role not in self.account.roles:
            raise forbidden(f"This API requires the '{role}' role")

    def require_bp_company_in_path(self, company_id: str, action: str) -> None:
        """bp-link actions reserved to the BP side name the BP company in the URL, else 400 (admin API 1.82.0)."""
        if company_id != self.bp_company.id:
            raise SandboxError(400, f"{action}: companyId must be the BP company id", WRONG_COMPANY_FOR_ACTION)

    def activate_if_initializing(self, company: Company) -> None:
        if company.status == CompanyStatus.INITIALIZING:
            company.status = CompanyStatus.ACTIVE
            company.status_updated_date = self.clock.now()


def _admin_type(roles: list[str]) -> str | None:
    if "bp_admin" in roles:
        return "bp_admin"
    if "admin" in roles:
        return "company_admin"
    return None
