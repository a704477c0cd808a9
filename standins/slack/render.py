"""Stored messages and views of the Slack stand-in as terminal text, through blocks/render.py."""

from __future__ import annotations

from blocks.render import BlockRenderer, Names, mrkdwn_to_plain
from standins.slack.conversations import StoredEphemeral, StoredMessage
from standins.slack.views import StoredView
from standins.slack.workspace import Workspace


def names_of(workspace: Workspace) -> Names:
    """The display names of the stand-in workspace's users, channels and user groups."""
    users = {user.id: user.name for user in workspace.users}
    users[workspace.bot_user_id] = workspace.bot_name
    return Names(
        users=users,
        channels={channel.id: channel.name for channel in workspace.channels},
        groups={group.id: group.handle for group in workspace.usergroups},
    )


def render_message(message: StoredMessage | StoredEphemeral, names: Names | None = None) -> str:
    """Author line, then the blocks (or the text when there are none)."""
    known = names or Names()
    if isinstance(message, StoredEphemeral):
        heading = "(only visible to you)"
    else:
        author = known.users.get(message.user, message.user)
        heading = f"{author}{' (edited)' if message.edited else ''}"
    body = BlockRenderer(known).blocks(message.blocks) if message.blocks else [mrkdwn_to_plain(message.text, known)]
    return "\n".join([heading, *("  " + line if line else "" for line in body)])


def render_view(stored: StoredView, names: Names | None = None) -> str:
    """A modal or Home tab with its title, what has been typed, errors, and its buttons."""
    view = stored.view
    renderer = BlockRenderer(names or Names(), view.get("state", {}).get("values", {}), stored.errors)
    title = renderer.text(view.get("title")) or ("App Home" if view.get("type") == "home" else "")
    lines = [f"╔═ {title} ".ljust(50, "═"), *("║ " + line for line in renderer.blocks(view.get("blocks", [])))]
    buttons = [f"[ {renderer.text(view[key])} ]" for key in ("close", "submit") if view.get(key)]
    lines.append("╚═ " + "  ".join(buttons) if buttons else "╚" + "═" * 49)
    return "\n".join(lines)
