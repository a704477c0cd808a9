"""A tiny real Bolt app served over aiohttp on 127.0.0.1, so the sender is proven against Bolt itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from standins.slack import FakeSlack

SIGNING_SECRET = "test-signing-secret"
COMPANIES = ["Acme Corp", "Acme Labs", "Globex"]


def plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text), "value": value}


def create_modal(name: str, channel: str) -> dict[str, Any]:
    """Every element type the sender must fill, as the bot's real create flow will use them."""

    def field(block_id: str, label: str, element: dict[str, Any], optional: bool = False) -> dict[str, Any]:
        element = {"action_id": block_id, **element}
        return {"type": "input", "block_id": block_id, "label": plain(label), "element": element, "optional": optional}

    return {
        "type": "modal",
        "callback_id": "create",
        "private_metadata": channel,
        "notify_on_close": True,
        "title": plain("Create customer"),
        "submit": plain("Next"),
        "close": plain("Cancel"),
        "blocks": [
            field("name", "Company name", {"type": "plain_text_input", "initial_value": name}),
            field("email", "Administrator e-mail", {"type": "email_text_input"}),
            field(
                "country",
                "Country",
                {"type": "static_select", "options": [option("France", "FRA"), option("Italy", "ITA")]},
            ),
            field("company", "Existing company", {"type": "external_select", "min_query_length": 1}, optional=True),
            field("owner", "Owner", {"type": "users_select"}, optional=True),
            field(
                "visibility",
                "Visibility",
                {"type": "radio_buttons", "options": [option("Public", "public"), option("Private", "private")]},
            ),
            field(
                "notify",
                "Notify",
                {"type": "checkboxes", "options": [option("Requester", "req"), option("Channel", "chan")]},
                optional=True,
            ),
            {
                "type": "actions",
                "block_id": "nav",
                "elements": [{"type": "button", "action_id": "back", "text": plain("Back")}],
            },
        ],
    }


@dataclass
class Seen:
    """What the listeners received, so tests can assert on what actually reached Bolt."""

    commands: list[dict[str, Any]] = field(default_factory=list)
    submissions: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    option_queries: list[str] = field(default_factory=list)
    closed: list[dict[str, Any]] = field(default_factory=list)
    home_opened: list[dict[str, Any]] = field(default_factory=list)


def build_bolt_app(fake: FakeSlack, seen: Seen) -> AsyncApp:
    app = AsyncApp(client=AsyncWebClient(token=fake.token, base_url=fake.api_url), signing_secret=SIGNING_SECRET)

    @app.command("/rainbow")
    async def rainbow(ack: Any, command: dict[str, Any], client: AsyncWebClient, respond: Any) -> None:
        seen.commands.append(command)
        if command["text"] == "help":
            await ack("Try `/rainbow create <name>`")
            return
        await ack()
        await client.views_open(
            trigger_id=command["trigger_id"], view=create_modal(command["text"], command["channel_id"])
        )

    @app.view("create")
    async def create(ack: Any, view: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
        seen.submissions.append(body)
        values = view["state"]["values"]
        name = values["name"]["name"]["value"]
        if name == "wizard":
            step = {"type": "modal", "title": plain("Step 2"), "blocks": [{"type": "divider"}]}
            await ack(response_action="push", view=step)
            return
        if name == "abandon":
            await ack(response_action="clear")
            return
        if not values["email"]["email"]["value"].endswith(".example"):
            await ack(response_action="errors", errors={"email": "Use the customer's own domain"})
            return
        await ack(
            response_action="update",
            view={
                "type": "modal",
                "title": plain("Checking"),
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Checking Rainbow…"}}],
            },
        )
        await client.views_update(
            view_id=view["id"],
            view={
                "type": "modal",
                "title": plain("Done"),
                "blocks": [
                    {
                        "type": "section",
                        "text": {"type": "mrkdwn", "text": f"*{values['name']['name']['value']}* created"},
                    }
                ],
            },
        )
        await client.chat_postMessage(channel=view["private_metadata"], text="Customer created")

    @app.view_closed("create")
    async def closed(ack: Any, body: dict[str, Any]) -> None:
        seen.closed.append(body)
        await ack()

    @app.options("company")
    async def companies(ack: Any, payload: dict[str, Any]) -> None:
        seen.option_queries.append(payload["value"])
        query = payload["value"].casefold()
        await ack(options=[option(c, c.lower().replace(" ", "-")) for c in COMPANIES if c.casefold().startswith(query)])

    @app.action("accept")
    async def accept(ack: Any, body: dict[str, Any], respond: Any) -> None:
        seen.actions.append(body)
        await ack()
        await respond(replace_original=True, text=f"Accepted by <@{body['user']['id']}>")

    @app.action("country")
    async def country(ack: Any, body: dict[str, Any]) -> None:
        seen.actions.append(body)
        await ack()

    @app.action("back")
    async def back(ack: Any, body: dict[str, Any]) -> None:
        seen.actions.append(body)
        await ack()

    @app.event("app_home_opened")
    async def home(event: dict[str, Any], client: AsyncWebClient) -> None:
        seen.home_opened.append(event)
        await client.views_publish(
            user_id=event["user"],
            view={
                "type": "home",
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "No pending requests"}}],
            },
        )

    return app


async def serve(app: AsyncApp) -> tuple[web.AppRunner, str]:
    """Serve the Bolt app the way the bot will: our own aiohttp application, one /slack/events route."""

    async def slack_events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    application = web.Application()
    application.router.add_post("/slack/events", slack_events)
    runner = web.AppRunner(application, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}/slack/events"
