"""Listeners of the invite-an-existing-company modal."""

import asyncio
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from blocks import create_flow, invite_flow
from blocks.association import where_posted
from blocks.forms import metadata, option
from blocks.ids import Action, Callback
from blocks.text import escape
from bot.runtime import Runtime
from bot.services.drafts import LANGUAGES, UNAVAILABLE, LinkChoice
from bot.services.errors import DomainError
from handlers.guard import Role, Rule, guarded
from handlers.screens import Screen, after_ack, marked, show
from handlers.state import selected_text, selected_value, values, view_id
from storage.statuses import FlowKind

PREFILL_SECONDS = 2.5


async def open_invite(
    client: AsyncWebClient, runtime: Runtime, trigger_id: str, user: str, channel: str | None, query: str
) -> None:
    """Open the modal at once; if letters were typed with the command, preselect the single match."""
    meta = {"channel": channel}
    opened = await client.views_open(trigger_id=trigger_id, view=invite_flow.pick_view({}, LANGUAGES, meta))
    view = opened["view"]
    await runtime.flows.start(view["id"], FlowKind.INVITE, user, channel, {"query": query})
    if len(query) < 2:
        return
    try:
        found = await asyncio.wait_for(runtime.linking.candidates(query), PREFILL_SECONDS)
    except (DomainError, TimeoutError):
        return
    known = {c.id: {"id": c.id, "name": c.name, "country": c.country, "status": c.status} for c in found}
    await runtime.flows.remember_candidates(view["id"], known)
    pick: dict[str, Any] = {}
    if len(found) == 1:
        company = known[found[0].id]
        pick["company"] = {**company, "label": f"{company['name']} ({company['country'] or '?'})"}
        hint = None
    elif found:
        hint = f"{len(found)} companies without a reseller start with “{query}”: type to pick one."
    else:
        hint = f"No company without a reseller starts with “{query}”. Check the spelling, or create it instead."
    try:
        await client.views_update(
            view_id=view["id"], hash=view.get("hash"), view=invite_flow.pick_view(pick, LANGUAGES, meta, hint)
        )
    except SlackApiError as error:
        if error.response.get("error") != "hash_conflict":  # the person already changed the form: leave it
            raise


def progress(choice: LinkChoice, meta: dict[str, Any]) -> dict[str, Any]:
    return create_flow.progress_view(
        f"Inviting *{escape(choice.label)}*…", meta, Callback.INVITE_PROGRESS, invite_flow.TITLE
    )


async def send_invitation(client: AsyncWebClient, runtime: Runtime, screen: Screen, meta: dict[str, Any]) -> None:
    """Send the bp-link invitation of a confirmed flow and show the outcome in its modal."""
    flow = await runtime.flows.get(screen.view_id)
    choice = LinkChoice.from_data(flow.data["link"])
    try:
        result = await runtime.linking.submit(screen.view_id)
    except DomainError as problem:
        await show(
            client,
            screen,
            create_flow.problem_view(
                problem.message,
                meta,
                retry_action=Action.RETRY_SUBMIT,
                back_action=Action.BACK_TO_PICK,
                title=invite_flow.TITLE,
            ),
        )
        return
    if result is not None:
        await show(client, screen, invite_flow.result_view(choice.label, where_posted(result.association)))


def register(app: AsyncApp, runtime: Runtime) -> None:
    @app.view(Callback.INVITE_PICK)
    @guarded(runtime, Rule(Role.RESELLER, "invite.pick"))
    async def picked(ack: AsyncAck, view: dict[str, Any]) -> None:
        typed = values(view)
        flow = await runtime.flows.get(view["id"])
        chosen = selected_value(typed.get("company"))
        known = (flow.data.get("candidates") or {}).get(chosen or "") or {}
        company = {"id": chosen, "name": known.get("name") or selected_text(typed.get("company")), **known}
        raw = {
            "company": company if chosen else {},
            "lang": selected_value(typed.get("lang")),
            "message": typed.get("message"),
        }
        parsed = LinkChoice.parse(raw)
        if isinstance(parsed, dict):
            await ack(response_action="errors", errors=parsed)
            return
        meta = metadata(view)
        language = LANGUAGES.get(parsed.lang, parsed.lang)
        await runtime.flows.save(view["id"], "confirm", link=parsed.to_data())  # before the form can be confirmed
        await ack(response_action="update", view=invite_flow.confirm_view(parsed.label, language, parsed.message, meta))

    @app.view(Callback.INVITE_CONFIRM)
    @guarded(runtime, Rule(Role.RESELLER, "invite.submit"))
    async def confirmed(ack: AsyncAck, client: AsyncWebClient, view: dict[str, Any]) -> None:
        meta = metadata(view)
        flow = await runtime.flows.get(view["id"])
        screen = after_ack(view["id"])
        await ack(
            response_action="update", view=marked(screen, progress(LinkChoice.from_data(flow.data["link"]), meta))
        )
        await send_invitation(client, runtime, screen, meta)

    @app.action(Action.BACK_TO_PICK)
    @guarded(runtime, Rule(Role.RESELLER, "invite.back"))
    async def back(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        flow = await runtime.flows.save(view_id(body), "pick")
        link = flow.data.get("link") or {}
        pick = {
            "company": {
                "id": link.get("company_id"),
                "name": link.get("company_name"),
                "label": LinkChoice.from_data(link).label,
            }
            if link.get("company_id")
            else {},
            "lang": link.get("lang"),
            "message": link.get("message"),
        }
        await show(client, Screen(view_id(body)), invite_flow.pick_view(pick, LANGUAGES, metadata(body["view"])))

    @app.options(Action.COMPANY)
    @guarded(runtime)  # not re-authorized, as the other typeaheads (see handlers.create_flow)
    async def companies(ack: AsyncAck, body: dict[str, Any]) -> None:
        try:
            found = await asyncio.wait_for(runtime.linking.candidates(body.get("value") or ""), PREFILL_SECONDS)
        except (DomainError, TimeoutError):
            # A select can only show options: the words go in one that cannot be submitted.
            await ack(options=[option("Rainbow is not answering: try again in a minute", UNAVAILABLE)])
            return
        view = body.get("view") or {}
        if view.get("id") and found:  # stored before they are offered, so a pick can never outrun them
            known = {c.id: {"id": c.id, "name": c.name, "country": c.country, "status": c.status} for c in found}
            await runtime.flows.remember_candidates(view["id"], known)
        await ack(options=[option(f"{c.name} ({c.country or '?'})", c.id) for c in found])
