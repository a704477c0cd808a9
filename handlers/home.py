"""App Home: re-rendered from the store each time someone opens it."""

from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from blocks.home import home_view
from bot.runtime import Runtime
from handlers.guard import guarded


def register(app: AsyncApp, runtime: Runtime) -> None:
    @app.event("app_home_opened")
    @guarded(runtime)
    async def home_opened(event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        user = event["user"]
        now = datetime.now(UTC)
        summary = await runtime.directory.home(user)
        waiting = await runtime.directory.pending_requests() if await runtime.authz.is_approver(user) else []
        stale = await runtime.digest.stale(now) if await runtime.authz.is_reseller(user) else []
        view = home_view(
            summary.counts,
            summary.mine,
            summary.pending_requests,
            now,
            waiting=waiting,
            stale=stale,
            team_url=runtime.team_url,
        )
        await client.views_publish(user_id=event["user"], view=view)
