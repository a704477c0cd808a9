"""`reseller-bot digest [--post [--force]]`: today's digest in the terminal, or posted now.

Printing reads only the local store (DATABASE_URL and the digest settings); posting also needs
the bot token and claims today's digest as the scheduler does, so a day gets one digest.
"""

import os
from datetime import timedelta

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient

from blocks.digest import digest_messages
from blocks.render import render_blocks
from bot.config import DigestPostSettings, DigestSettings
from bot.notifier import Notifier
from bot.services.digest import Digest, Posting
from storage.engine import SessionFactory, make_engine, make_session_factory
from storage.schema import ensure_schema

EXIT_NOT_POSTED = 1


def _digest(settings: DigestSettings, sessions: SessionFactory, notifier: Notifier) -> Digest:
    return Digest(
        sessions,
        notifier,
        channel=settings.digest_channel_id or "",
        zone=settings.zone,
        at=settings.digest_time,
        stale_after=timedelta(days=settings.stale_invitation_days),
        rainbow_problem=lambda: None,
    )


async def print_digest(settings: DigestSettings) -> int:
    engine = make_engine(settings.database_url)
    try:
        await ensure_schema(engine)
        # printing never calls Slack: a client without a token is never used
        digest = _digest(settings, make_session_factory(engine), Notifier(AsyncWebClient()))
        for text, blocks in digest_messages(await digest.collect(), None):
            print(render_blocks(blocks) or text)
            print()
    finally:
        await engine.dispose()
    return 0


async def post_digest(settings: DigestPostSettings, *, force: bool) -> int:
    """Exit 0 only when it was posted now; a day already posted (or possibly posted) is not an error
    to hide: it says so and exits 1, and ``force`` posts anyway."""
    from bot.app import slack_client

    engine = make_engine(settings.database_url)
    try:
        await ensure_schema(engine)
        async with aiohttp.ClientSession() as session:
            digest = _digest(settings, make_session_factory(engine), Notifier(slack_client(settings, session)))
            attempt = await digest.post_now(f"cli:{os.getpid()}", force=force)
    finally:
        await engine.dispose()
    print(attempt)
    return 0 if attempt.state in (Posting.POSTED, Posting.POSTED_AGAIN) else EXIT_NOT_POSTED
