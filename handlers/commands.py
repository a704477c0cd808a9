"""`/rainbow <sub-command>`: route, acknowledge at once, then open a modal or answer privately."""

import re
from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from blocks.digest import request_link
from blocks.ids import Action
from blocks.listings import customers_message, help_message, requests_message
from blocks.text import truncate, unescape
from bot.runtime import Runtime
from handlers.create_flow import open_create
from handlers.guard import Role, Rule, guarded
from handlers.invite_flow import open_invite
from storage.models import IncomingRequest

COMMAND = "/rainbow"
TEXT_MAX = 200
SUBCOMMANDS = ("create", "invite", "customers", "requests", "help")


def parse(text: str | None) -> tuple[str, str]:
    """(sub-command, rest): Slack's encoding undone, whitespace collapsed, length bounded."""
    cleaned = re.sub(r"\s+", " ", unescape(text or "")).strip()
    head, _, rest = cleaned.partition(" ")
    return head.lower(), truncate(rest.strip(), TEXT_MAX).strip()


def command_rule(body: dict[str, Any]) -> Rule | None:
    """Help is for everyone; requests for approvers and resellers; the rest for resellers."""
    sub, _ = parse(body.get("text"))
    if sub not in SUBCOMMANDS or sub == "help":
        return None
    return Rule(Role.RESELLER_OR_APPROVER if sub == "requests" else Role.RESELLER, f"command.{sub}")


def register(app: AsyncApp, runtime: Runtime) -> None:
    @app.command(COMMAND)
    @guarded(runtime, command_rule)
    async def rainbow(ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond) -> None:
        sub, rest = parse(command.get("text"))
        if sub not in SUBCOMMANDS or sub == "help":
            text, blocks = help_message(None if sub in ("", "help") else sub)
            await ack(text=text, blocks=blocks)
            return
        await ack()
        user = command["user_id"]
        if sub == "create":
            await open_create(client, runtime, command["trigger_id"], user, command.get("channel_id"), rest)
        elif sub == "invite":
            await open_invite(client, runtime, command["trigger_id"], user, command.get("channel_id"), rest)
        elif sub == "customers":
            await show_customers(respond, runtime, rest, 0)
        else:
            await show_requests(respond, runtime)

    @app.action(Action.CUSTOMERS_MORE)
    @guarded(runtime, Rule(Role.RESELLER, "command.customers"))
    async def more_customers(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        offset, _, query = (body["actions"][0].get("value") or "0|").partition("|")
        await show_customers(respond, runtime, query, int(offset) if offset.isdigit() else 0, replace=True)

    @app.action(Action.OPEN_CREATE)
    @guarded(runtime, Rule(Role.RESELLER, "command.create"))
    async def open_create_from_home(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await open_create(client, runtime, body["trigger_id"], body["user"]["id"], None, "")

    @app.action(Action.OPEN_INVITE)
    @guarded(runtime, Rule(Role.RESELLER, "command.invite"))
    async def open_invite_from_home(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await open_invite(client, runtime, body["trigger_id"], body["user"]["id"], None, "")


async def show_customers(
    respond: AsyncRespond, runtime: Runtime, query: str, offset: int, replace: bool = False
) -> None:
    page = await runtime.directory.customers(query, offset)
    text, blocks = customers_message(
        [(row.association, row.link_status) for row in page.rows],
        page.total,
        page.offset,
        page.query,
        page.next_offset,
        datetime.now(UTC),
    )
    await respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=replace)


async def show_requests(respond: AsyncRespond, runtime: Runtime) -> None:
    pending = await runtime.directory.pending_requests()

    def link(request: IncomingRequest) -> str | None:
        return request_link(runtime.team_url, request)

    text, blocks = requests_message(pending, link, datetime.now(UTC))
    await respond(text=text, blocks=blocks, response_type="ephemeral")
