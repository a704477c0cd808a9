"""RainbowClient: the async Rainbow REST client of the reseller bot.

Usage::

    async with RainbowClient(base_url, login, password, app_id, app_secret) as client:
        me = await client.login()
        company = await client.create_company("Acme", "FRA")
"""

from __future__ import annotations

from bot.rainbow.bp_link import BpLinkApi
from bot.rainbow.join_invitations import JoinInvitationsApi
from bot.rainbow.users import UsersApi


class RainbowClient(UsersApi, JoinInvitationsApi, BpLinkApi):
    """Every Rainbow operation the bot needs, over one aiohttp session.

    Calls log in lazily, renew the token around half-life, retry idempotent requests on
    transient failures (never POST) and raise `bot.rainbow.errors.RainbowError` subclasses.
    """
