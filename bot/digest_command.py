"""`reseller-bot digest [--post]`: today's digest in the terminal, or posted now."""

import os
from datetime import timedelta

import aiohttp

from bot.app import slack_client
from bot.config import Settings
from bot.fakeslack.render import render_blocks
from bot.notifier import Notifier, NotifierError
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
                # claims today's digest like the scheduled one, so the day still gets exactly one
                try:
                    outcome = await digest.post_now(f"cli:{os.getpid()}")
                except NotifierError as error:
                    print(f"Slack refused the digest ({error.code}); nothing was posted.")
                    return 1
                print(outcome)
                return 0
            for text, blocks in notifier.digest_messages(await digest.collect()):
                print(render_blocks(blocks) or text)
                print()
    finally:
        await engine.dispose()
    return 0
