"""Listeners of the create-a-customer modal. Each acks first; the services do the work."""

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from blocks import create_flow, invite_flow
from blocks.association import company_status, where_posted
from blocks.forms import metadata, option
from blocks.ids import Action, Callback
from blocks.text import escape
from bot.runtime import Runtime
from bot.services.drafts import LANGUAGES, UNAVAILABLE, VISIBILITIES, AdminChoice, CompanyDraft, LinkChoice
from bot.services.errors import DomainError, RainbowProblem
from handlers.guard import Role, Rule, guarded
from handlers.invite_flow import progress as invite_progress
from handlers.invite_flow import send_invitation
from handlers.screens import Screen, after_ack, marked, show
from handlers.state import selected_text, selected_value, user_id, values, view_id
from handlers.tell import say
from storage.models import Flow
from storage.statuses import FlowKind


async def open_create(
    client: AsyncWebClient, runtime: Runtime, trigger_id: str, user: str, channel: str | None, name: str
) -> None:
    meta = {"channel": channel}
    view = create_flow.details_view({"name": name}, None, VISIBILITIES, meta)
    opened = await client.views_open(trigger_id=trigger_id, view=view)
    await runtime.flows.start(opened["view"]["id"], FlowKind.CREATE, user, channel, {"company": {"name": name}})


def company_summary(draft: CompanyDraft, country_label: str) -> str:
    reference = f" · ref {escape(draft.external_reference)}" if draft.external_reference else ""
    return f"*{escape(draft.name)}* · {escape(country_label)}{reference}\nWho will administer it?"


def register(app: AsyncApp, runtime: Runtime) -> None:
    reseller = guarded(runtime, Rule(Role.RESELLER, "create.flow"))

    def details(flow: Flow, meta: dict[str, Any]) -> dict[str, Any]:
        company = flow.data.get("company") or {}
        label = runtime.countries.label(company["country"]) if company.get("country") else None
        return create_flow.details_view(company, label, VISIBILITIES, meta)

    def admin_step(flow: Flow, meta: dict[str, Any]) -> dict[str, Any]:
        draft = CompanyDraft.from_data(flow.data["company"])
        summary = company_summary(draft, runtime.countries.label(draft.country))
        return create_flow.admin_view(summary, flow.data.get("admin") or {}, LANGUAGES, meta)

    async def check_duplicates(client: AsyncWebClient, screen: Screen, meta: dict[str, Any]) -> None:
        view = screen.view_id
        flow = await runtime.flows.get(view)
        draft = CompanyDraft.from_data(flow.data["company"])
        try:
            matches = await runtime.onboarding.find_duplicates(draft)
        except RainbowProblem as problem:
            await show(
                client,
                screen,
                create_flow.problem_view(
                    problem.message, meta, retry_action=Action.RETRY_CHECK, back_action=Action.BACK_TO_DETAILS
                ),
            )
            return
        if not matches:
            flow = await runtime.flows.save(view, "admin")
            await show(client, screen, admin_step(flow, meta))
            return
        known = {
            m.company_id: {"id": m.company_id, "name": m.name, "country": m.country, "status": m.status}
            for m in matches
        }
        await runtime.flows.save(view, "duplicates", candidates=known)
        await show(client, screen, create_flow.duplicates_view(draft.name, matches, meta))

    async def submit(client: AsyncWebClient, screen: Screen, meta: dict[str, Any]) -> None:
        view = screen.view_id
        try:
            result = await runtime.onboarding.submit(view)
        except DomainError as problem:
            await show(
                client,
                screen,
                create_flow.problem_view(
                    problem.message, meta, retry_action=Action.RETRY_SUBMIT, back_action=Action.BACK_TO_DETAILS
                ),
            )
            return
        if result is None:  # another delivery or click held the submit: show its outcome, or that it runs
            result = await runtime.onboarding.stored_outcome(view)
            if result is None:
                running = create_flow.progress_view("This is already being done; its result will show here.", meta)
                await show(client, screen, running)
                return
        association, invitation = result.association, result.admin_invitation
        line = None
        if invitation is not None:
            flow = await runtime.flows.get(view)
            admin = AdminChoice.from_data(flow.data["admin"])
            line = f"Invitation sent to *{escape(admin.who)}* ({LANGUAGES.get(admin.lang, admin.lang)})."
        assert association.id is not None
        await show(
            client,
            screen,
            create_flow.result_view(
                association.name,
                company_status(association),
                line,
                result.problem,
                where_posted(association),
                association.id,
            ),
        )

    @app.view(Callback.CREATE_DETAILS)
    @guarded(runtime, Rule(Role.RESELLER, "create.details"))
    async def details_submitted(ack: AsyncAck, client: AsyncWebClient, view: dict[str, Any]) -> None:
        typed = values(view)
        raw = {key: value for key, value in typed.items() if not isinstance(value, dict)}
        raw["country"] = selected_value(typed.get("country"))
        raw["visibility"] = selected_value(typed.get("visibility"))
        parsed = CompanyDraft.parse(raw, runtime.countries.known())
        if isinstance(parsed, dict):
            await ack(response_action="errors", errors=parsed)
            return
        meta = metadata(view)
        screen = after_ack(view["id"])
        await ack(response_action="update", view=marked(screen, create_flow.checking_view(parsed.name, meta)))
        await runtime.flows.save(view["id"], "checking", company=parsed.to_data())
        await check_duplicates(client, screen, meta)

    @app.view(Callback.CREATE_ADMIN)
    @guarded(runtime, Rule(Role.RESELLER, "create.submit"))
    async def admin_submitted(ack: AsyncAck, client: AsyncWebClient, view: dict[str, Any]) -> None:
        typed = values(view)
        raw = {
            "email": typed.get("admin_email"),
            "user_id": selected_value(typed.get("admin_user")),
            "user_label": selected_text(typed.get("admin_user")),
            "lang": selected_value(typed.get("lang")),
            "message": typed.get("message"),
        }
        parsed = AdminChoice.parse(raw)
        if isinstance(parsed, dict):
            await ack(response_action="errors", errors=parsed)
            return
        meta = metadata(view)
        flow = await runtime.flows.save(view["id"], "submitting", admin=parsed.to_data())
        name = flow.data["company"]["name"]
        progress = f"Creating *{escape(name)}* in Rainbow and inviting {escape(parsed.who)}…"
        screen = after_ack(view["id"])
        await ack(response_action="update", view=marked(screen, create_flow.progress_view(progress, meta)))
        await submit(client, screen, meta)

    @app.action(Action.BACK_TO_DETAILS)
    @reseller
    async def back(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        flow = await runtime.flows.save(view_id(body), "details", kind=FlowKind.CREATE)
        await show(client, Screen(view_id(body)), details(flow, metadata(body["view"])))

    @app.action(Action.RETRY_CHECK)
    @reseller
    async def retry_check(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        meta = metadata(body["view"])
        screen = Screen(view_id(body))
        flow = await runtime.flows.get(screen.view_id)
        await show(client, screen, create_flow.checking_view(flow.data["company"]["name"], meta))
        await check_duplicates(client, screen, meta)

    @app.action(Action.CREATE_ANYWAY)
    @reseller
    async def create_anyway(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        flow = await runtime.flows.save(view_id(body), "admin")
        await show(client, Screen(view_id(body)), admin_step(flow, metadata(body["view"])))

    @app.action(Action.INVITE_INSTEAD)
    @reseller
    async def invite_instead(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        chosen = body["actions"][0]["value"]
        flow = await runtime.flows.get(view_id(body))
        company = (flow.data.get("candidates") or {}).get(chosen) or {"id": chosen, "name": chosen}
        label = f"{company['name']} ({company['country']})" if company.get("country") else company["name"]
        await runtime.flows.save(
            view_id(body), "pick", kind=FlowKind.INVITE, pick={"company": {**company, "label": label}}
        )
        pick = invite_flow.pick_view({"company": {**company, "label": label}}, LANGUAGES, metadata(body["view"]))
        await show(client, Screen(view_id(body)), pick)

    @app.action(Action.RETRY_SUBMIT)
    @guarded(runtime, Rule(Role.RESELLER, "flow.retry"))
    async def retry_submit(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        screen = Screen(view_id(body))
        flow = await runtime.flows.get(screen.view_id)
        meta = metadata(body["view"])
        if flow.kind == FlowKind.INVITE:
            choice = LinkChoice.from_data(flow.data["link"])
            await show(client, screen, invite_progress(choice, meta))
            await send_invitation(client, runtime, screen, meta)
            return
        await show(client, screen, create_flow.progress_view("Trying again…", meta))
        await submit(client, screen, meta)

    @app.action(Action.RETRY_INVITATION)
    @guarded(runtime, Rule(Role.RESELLER, "admin_invitation.retry"))
    async def retry_invitation(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        result = await runtime.onboarding.retry_invitation(int(body["actions"][0]["value"]), user_id(body))
        if result.already_running:
            text = f"Someone is already retrying the invitation for *{escape(result.association.name)}*."
        elif result.problem:
            text = f":warning: {escape(result.problem)}"
        else:
            text = f"Invitation for *{escape(result.association.name)}* sent."
        if body.get("view"):
            association = result.association
            assert association.id is not None
            await show(
                client,
                Screen(view_id(body)),
                create_flow.result_view(
                    association.name,
                    company_status(association),
                    None if result.problem else text,
                    result.problem,
                    where_posted(association),
                    association.id,
                ),
            )
        else:
            await say(runtime, respond, body, text)

    # Typeaheads are not re-authorized: only a reseller could open the form (checked at open and at every
    # submit), and a membership lookup would eat into the 3 s an options answer has.
    @app.options(Action.COUNTRY)
    @guarded(runtime)
    async def countries(ack: AsyncAck, body: dict[str, Any]) -> None:
        found = await runtime.countries.search(body.get("value") or "")
        await ack(options=[option(label, code) for code, label in found])

    @app.options(Action.ADMIN_USER)
    @guarded(runtime)
    async def users(ack: AsyncAck, body: dict[str, Any]) -> None:
        found, problem = await runtime.onboarding.find_users(body.get("value") or "")
        if problem:
            await ack(options=[option(problem, UNAVAILABLE)])
            return
        await ack(options=[option(label, user) for user, label in found])
