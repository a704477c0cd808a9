"""The anchor: a bare Bolt AsyncApp on aiohttp, the framework's floor for our ack figures.

The same slack_bolt, slack_sdk and aiohttp as the bot (this repository's virtualenv). Every slash
command and every button click is acknowledged, then answered with `views.open` and one fixed
modal, which is the least a real Slack app does after its ack. It serves `/healthz` like the bot.

    .venv/bin/python bench/bare_bolt.py --port 3100 --slack-api http://127.0.0.1:PORT/api/ \
        --token xoxb-... --signing-secret ...
"""

import argparse
import re

from aiohttp import web
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

MODAL = {
    "type": "modal",
    "callback_id": "anchor",
    "title": {"type": "plain_text", "text": "Anchor"},
    "close": {"type": "plain_text", "text": "Close"},
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "A fixed modal."}}],
}


def build(token: str, signing_secret: str, slack_api: str) -> web.Application:
    bolt = AsyncApp(client=AsyncWebClient(token=token, base_url=slack_api), signing_secret=signing_secret)

    @bolt.command(re.compile(".*"))
    async def command(ack: AsyncAck, body: dict, client: AsyncWebClient) -> None:
        await ack()
        await client.views_open(trigger_id=body["trigger_id"], view=MODAL)

    @bolt.action(re.compile(".*"))
    async def click(ack: AsyncAck, body: dict, client: AsyncWebClient) -> None:
        await ack()
        await client.views_open(trigger_id=body["trigger_id"], view=MODAL)

    app = bolt.web_app(path="/slack/events")

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app.router.add_get("/healthz", healthz)
    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--slack-api", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--signing-secret", required=True)
    arguments = parser.parse_args()
    web.run_app(
        build(arguments.token, arguments.signing_secret, arguments.slack_api),
        host="127.0.0.1",
        port=arguments.port,
        access_log=None,
        print=None,
    )
