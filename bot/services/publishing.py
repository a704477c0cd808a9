"""Keep a company's status message in Slack in step with the store."""

import logging

from sqlmodel import col, select

from bot.notifier import MessageRef, Notifier, NotifierError
from storage.engine import SessionFactory
from storage.models import AdminInvitation, Association, LinkInvitation

logger = logging.getLogger(__name__)


async def publish(sessions: SessionFactory, notifier: Notifier, association: Association) -> MessageRef | None:
    """Post (first time) or re-render the status message; Slack trouble is logged, never fatal.

    The company and its invitations are already stored, so a message that could not be
    posted loses nothing: `/rainbow customers` still shows it. A first post that failed is
    tried again at the next change; a message deleted in Slack is not re-created.
    """
    async with sessions() as session:
        admin = (
            await session.exec(
                select(AdminInvitation)
                .where(col(AdminInvitation.association_id) == association.id)
                .order_by(col(AdminInvitation.id).desc())
            )
        ).first()
        link = (
            await session.exec(
                select(LinkInvitation)
                .where(col(LinkInvitation.association_id) == association.id)
                .order_by(col(LinkInvitation.id).desc())
            )
        ).first()
    try:
        ref = await notifier.publish_association(association, admin, link)
    except NotifierError as error:
        logger.warning("status message of %s not posted: %s", association.name, error.code)
        return None
    if (ref.channel, ref.ts) != (association.channel_id, association.thread_ts):
        async with sessions() as session, session.begin():
            row = await session.get(Association, association.id)
            if row is not None:
                row.channel_id, row.thread_ts = ref.channel, ref.ts
                session.add(row)
        association.channel_id, association.thread_ts = ref.channel, ref.ts
    return ref
