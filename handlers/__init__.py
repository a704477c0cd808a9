"""Bolt listeners: thin glue between Slack payloads and the services."""

from slack_bolt.async_app import AsyncApp

from bot.runtime import Runtime
from handlers import commands, create_flow, errors, home, invite_flow, reminders, requests


def register_all(app: AsyncApp, runtime: Runtime) -> None:
    errors.register(app, runtime)
    commands.register(app, runtime)
    create_flow.register(app, runtime)
    invite_flow.register(app, runtime)
    home.register(app, runtime)
    requests.register(app, runtime)
    reminders.register(app, runtime)
