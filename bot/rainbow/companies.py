"""Company calls: create, read, list our customers, search companies outside the BP (admin 1.82.0, enduser 1.84.0)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.rainbow.core import ADMIN, ENDUSER, MAX_PAGES, PAGE_SIZE, RainbowCore, segment
from bot.rainbow.errors import RainbowUnexpectedResponse
from bot.rainbow.models import Company, Country
from bot.rainbow.text import starts_with

_PREFIX_SEARCH_PAGES = 3


class CompaniesApi(RainbowCore):
    async def countries(self, timeout_seconds: float | None = None) -> list[Country]:
        """The country list Rainbow accepts (SPEC-enduser 1.84.0 getCountries; Rainbow-Node-SDK
        RESTService.ts getListOfCountries). An empty or unreadable list is an error, never an answer."""
        items, _ = await self._get_list("countries", f"{ENDUSER}/countries", timeout_seconds=timeout_seconds)
        countries = [country for country in map(Country.from_api, items) if len(country.alpha3) == 3]
        if not countries:
            raise RainbowUnexpectedResponse(
                f"Rainbow's country list had no readable country ({len(items)} items).", operation="countries"
            )
        return countries

    async def create_company(
        self,
        name: str,
        country: str,
        state: str | None = None,
        visibility: str | None = None,
        external_reference: str | None = None,
        external_reference2: str | None = None,
        support_email: str | None = None,
    ) -> Company:
        """Create a customer company; Rainbow sets its bpId to us and its status to initializing.

        Never retried: if Rainbow cannot be reached the company may or may not exist.
        """
        fields = {
            "name": name,
            "country": country,
            "state": state,
            "visibility": visibility,
            "externalReference": external_reference,
            "externalReference2": external_reference2,
            "supportEmail": support_email,
        }
        body = {key: value for key, value in fields.items() if value is not None}
        data = await self._get_object("create_company", "POST", f"{ADMIN}/companies", json_body=body)
        return Company.from_api(data)

    async def get_company(self, company_id: str) -> Company:
        """One company we administrate (ours or a customer's), with its status and BP fields."""
        data = await self._get_object(
            "get_company", "GET", f"{ADMIN}/companies/{segment(company_id)}", params={"format": "full"}
        )
        return Company.from_api(data)

    async def list_customers(
        self,
        name: str | None = None,
        external_reference: str | None = None,
        statuses: Iterable[str] | None = None,
    ) -> list[Company]:
        """Every company whose reseller is us (all pages); `name` is Rainbow's "contains" match."""
        bp_id = await self._bp_company_id()
        params = {
            "format": "full",
            "bpId": bp_id,
            "name": name,
            "externalReference": external_reference,
            "status": list(statuses) if statuses is not None else None,
        }
        items = await self._paginate("list_customers", f"{ADMIN}/companies", params)
        return [company for company in map(Company.from_api, items) if company.id != bp_id]

    async def search_companies_without_reseller(self, prefix: str, limit: int = 25) -> list[Company]:
        """Companies visible to us with no BP whose name starts with `prefix` (flow 2 typeahead).

        Rainbow's `name` filter is "contains", so the prefix is enforced here, ignoring case and
        accents ("eto" finds "Étoile Télécom"). Our own company is left out.
        """
        typed = prefix.strip()
        if not typed:
            return []
        bp_id = await self._bp_company_id()
        found: dict[str, Company] = {}
        for term in _server_terms(typed):
            for company in await self._companies_without_bp(term):
                if company.id != bp_id and starts_with(company.name, typed):
                    found.setdefault(company.id, company)
            if len(found) >= limit:
                break
        return list(found.values())[:limit]

    async def _companies_without_bp(self, name: str) -> list[Company]:
        """Up to a few pages of the enduser search `name=<name>&hasBP=false`, sorted by name."""
        companies: list[Company] = []
        for _ in range(_PREFIX_SEARCH_PAGES):
            page, total = await self._get_list(
                "search_companies_without_reseller",
                f"{ENDUSER}/companies",
                params={
                    "name": name,
                    "hasBP": False,
                    "format": "medium",
                    "sortField": "name",
                    "limit": PAGE_SIZE,
                    "offset": len(companies),
                },
            )
            companies.extend(map(Company.from_api, page))
            if not page or (isinstance(total, int) and len(companies) >= total):
                break
        return companies

    async def search_visible_companies(self, name: str, max_pages: int = MAX_PAGES) -> list[Company]:
        """Companies visible to us whose name contains `name` (the duplicate check), up to `max_pages` pages."""
        items = await self._paginate(
            "search_visible_companies", f"{ENDUSER}/companies", {"name": name, "format": "medium"}, max_pages=max_pages
        )
        return [Company.from_api(item) for item in items]

    async def default_company_id(self) -> str:
        """Id of Rainbow's Default company, home of users who belong to no company (cached).

        It serves the user typeahead, so it gets the short search timeout and a single attempt.
        """
        if self._default_company_id is None:
            data = await self._get_object(
                "default_company_id",
                "GET",
                f"{ADMIN}/companies/default",
                timeout_seconds=self._search_timeout_seconds,
                retry=self._search_retry,
            )
            company_id = Company.from_api(data).id
            if not company_id:
                raise RainbowUnexpectedResponse(operation="default_company_id")
            self._default_company_id = company_id
        return self._default_company_id


def _server_terms(typed: str) -> list[str]:
    """What to send as `name`: the typed text, then, when it is plain ASCII, the same without its
    first letter. Whether Rainbow's "contains" ignores accents is undocumented; if it does not,
    "eto" never reaches "Étoile", while "to" does and the prefix filter keeps only the right ones.
    """
    terms = [typed]
    if typed.isascii() and len(typed) >= 3:
        terms.append(typed[1:])
    return terms
