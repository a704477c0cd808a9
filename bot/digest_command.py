"""`reseller-bot digest [--post]`: today's digest in the terminal, or posted now."""

from datetime import timedelta

import aiohttp
from slack_sdk.errors import SlackApiError

from bot.app import slack_client
from bot.config import Settings
from bot.fakeslack.render import render_blocks
from bot.notifier import Notifier
from bot.services.digest import Digest
from storage.engine import make_engine, make_session_factory
from storage.schema import ensure_schema


async def run_digest(settings: Settings, post: bool) -> int:
    engine = make_engine(settings.database_url)
    try:
        await ensure_schema(engine)
        async with aiohttp.ClientSession() as session:
            client = slack_client(settings, session)
            notifier = Notifier(client)
            digest = Digest(
                make_session_factory(engine),
                notifier,
                channel=settings.digest_channel_id,
                zone=settings.zone,
                at=settings.digest_time,
                stale_after=timedelta(days=settings.stale_invitation_days),
                rainbow_problem=lambda: None,
            )
            if post:
                try:
                    refs = await digest.post()
                except SlackApiError as error:
                    print(f"Slack refused the digest: {error.response.get('error')}")
                    return 1
                print(f"Posted {len(refs)} message(s) to {settings.digest_channel_id}.")
                return 0
            for text, blocks in notifier.digest_messages(await digest.collect()):
                print(render_blocks(blocks) or text)
                print()
    finally:
        await engine.dispose()
    return 0
