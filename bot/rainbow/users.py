"""Finding a user without a company to make them a customer's administrator (see docs/rainbow-wire-decisions.md)."""

from __future__ import annotations

from bot.rainbow.companies import CompaniesApi
from bot.rainbow.core import ADMIN, PAGE_SIZE
from bot.rainbow.errors import RainbowForbidden, RainbowNotFound, RainbowSearchUnavailable
from bot.rainbow.models import RainbowUser
from bot.rainbow.text import starts_with


class UsersApi(CompaniesApi):
    async def search_users_without_company(self, prefix: str, limit: int = 20) -> list[RainbowUser]:
        """Default-company users whose display, first or last name starts with `prefix`.

        Runs inside Slack's 3 s suggestion window: short timeout, no retry. Whether a bp_admin
        may list these users is unconfirmed, so 403/404 raise RainbowSearchUnavailable and the
        UI falls back to inviting by e-mail.
        """
        if not prefix.strip():
            return []
        try:
            default_id = await self.default_company_id()
            page, _ = await self._get_list(
                "search_users_without_company",
                f"{ADMIN}/users",
                params={
                    "displayName": prefix.strip(),
                    "companyId": default_id,
                    "format": "small",
                    "limit": PAGE_SIZE,
                },
                timeout_seconds=self._search_timeout_seconds,
                retry=self._search_retry,
            )
        except (RainbowForbidden, RainbowNotFound) as refused:
            raise RainbowSearchUnavailable(**refused.fields()) from refused
        users = (RainbowUser.from_api(item) for item in page)
        return [user for user in users if _name_starts_with(user, prefix)][:limit]


def _name_starts_with(user: RainbowUser, prefix: str) -> bool:
    names = (user.display_name, user.first_name or "", user.last_name or "")
    return any(starts_with(name, prefix) for name in names)
