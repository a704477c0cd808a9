"""The Web API methods the bot uses, each a function of the shared state and the decoded arguments."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable
from typing import Any

from standins.slack.errors import SlackError
from standins.slack.state import SlackState
from standins.slack.views import StoredView

Params = dict[str, Any]
Answer = dict[str, Any]
Method = Callable[[SlackState, Params], Awaitable[Answer]]
JSON_ARGUMENTS = ("blocks", "attachments", "view", "metadata")


def decode_arguments(params: Params) -> Params:
    """Arguments sent form-encoded carry JSON as strings (`blocks=[...]`); give every caller objects."""
    decoded = dict(params)
    for key in JSON_ARGUMENTS:
        value = decoded.get(key)
        if isinstance(value, str) and value:
            try:
                decoded[key] = json.loads(value)
            except json.JSONDecodeError as error:
                raise SlackError("invalid_json", [f"[ERROR] {key} is not valid JSON: {error}"]) from error
    return decoded


def _required(params: Params, key: str, error: str = "invalid_arguments") -> str:
    value = params.get(key)
    if value in (None, ""):
        raise SlackError(error, [f"[ERROR] missing required field: {key}"])
    return str(value)


def _optional(params: Params, key: str) -> str | None:
    value = params.get(key)
    return None if value in (None, "") else str(value)


async def auth_test(state: SlackState, params: Params) -> Answer:
    workspace = state.workspace
    return {
        "url": workspace.url,
        "team": workspace.team_name,
        "user": workspace.bot_name,
        "team_id": workspace.team_id,
        "user_id": workspace.bot_user_id,
        "bot_id": workspace.bot_id,
        "is_enterprise_install": False,
    }


async def apps_connections_open(state: SlackState, params: Params) -> Answer:
    """Called with the app-level token (the API checks it): a websocket URL for one Socket Mode connection."""
    return {"url": state.sockets.open_url()}


async def chat_post_message(state: SlackState, params: Params) -> Answer:
    conversations = state.conversations
    channel = conversations.channel_for_posting(_required(params, "channel", "channel_not_found"))
    state.pace.admit(channel)
    message = conversations.post(
        channel,
        method="chat.postMessage",
        text=_optional(params, "text"),
        blocks=params.get("blocks"),
        thread_ts=_optional(params, "thread_ts"),
        metadata=params.get("metadata"),
    )
    return {
        "channel": message.channel,
        "ts": message.ts,
        "message": message.as_slack(state.workspace.team_id, state.workspace.app_id),
    }


async def chat_update(state: SlackState, params: Params) -> Answer:
    channel = _required(params, "channel", "channel_not_found")
    ts = _required(params, "ts", "message_not_found")
    message = state.conversations.update(channel, ts, text=_optional(params, "text"), blocks=params.get("blocks"))
    return {
        "channel": channel,
        "ts": ts,
        "text": message.text,
        "message": message.as_slack(state.workspace.team_id, state.workspace.app_id),
    }


async def chat_post_ephemeral(state: SlackState, params: Params) -> Answer:
    channel = _required(params, "channel", "channel_not_found")
    ephemeral = state.conversations.post_ephemeral(
        channel,
        _required(params, "user", "user_not_found"),
        text=_optional(params, "text"),
        blocks=params.get("blocks"),
        source="chat.postEphemeral",
        thread_ts=_optional(params, "thread_ts"),
    )
    return {"message_ts": ephemeral.ts}


async def chat_get_permalink(state: SlackState, params: Params) -> Answer:
    channel = _required(params, "channel", "channel_not_found")
    message = state.conversations.find(channel, _required(params, "message_ts", "message_not_found"))
    link = f"{state.workspace.url}archives/{channel}/p{message.ts.replace('.', '')}"
    if message.thread_ts and message.thread_ts != message.ts:
        link += f"?thread_ts={message.thread_ts}&cid={channel}"
    return {"channel": channel, "permalink": link}


async def conversations_open(state: SlackState, params: Params) -> Answer:
    users = params.get("users") or ""
    user_ids = users if isinstance(users, list) else [u for u in str(users).split(",") if u]
    if not user_ids:
        raise SlackError("users_list_not_supplied")
    if len(user_ids) != 1:
        raise NotImplementedError("the stand-in opens DMs with exactly one user")
    already_open = state.conversations.dm_user("D" + user_ids[0][1:]) is not None
    channel_id = state.conversations.open_dm(user_ids[0])
    answer: Answer = {"channel": {"id": channel_id}}
    if already_open:
        answer.update({"no_op": True, "already_open": True})
    return answer


async def conversations_members(state: SlackState, params: Params) -> Answer:
    members = state.conversations.members(_required(params, "channel", "channel_not_found"))
    limit = min(int(params.get("limit") or 100), 1000)
    start = _cursor_position(_optional(params, "cursor"), members)
    page = members[start : start + limit]
    rest = members[start + limit :]
    next_cursor = base64.b64encode(f"user:{rest[0]}".encode()).decode() if rest else ""
    return {"members": page, "response_metadata": {"next_cursor": next_cursor}}


def _cursor_position(cursor: str | None, members: list[str]) -> int:
    """Slack's cursors are opaque base64 (`user:U…`); decode ours back to a position in the list."""
    if cursor is None:
        return 0
    try:
        kind, _, member = base64.b64decode(cursor.encode(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError) as error:
        raise SlackError("invalid_cursor") from error
    if kind != "user" or member not in members:
        raise SlackError("invalid_cursor")
    return members.index(member)


async def conversations_info(state: SlackState, params: Params) -> Answer:
    channel = _required(params, "channel", "channel_not_found")
    dm_user = state.conversations.dm_user(channel)
    if dm_user is not None:
        return {"channel": {"id": channel, "is_im": True, "user": dm_user, "is_open": True}}
    return {"channel": state.conversations.visible_channel(channel).as_slack()}


async def usergroups_users_list(state: SlackState, params: Params) -> Answer:
    group = state.workspace.usergroup(_required(params, "usergroup", "no_such_subteam"))
    if group is None:
        raise SlackError("no_such_subteam")
    return {"users": list(group.members)}


async def users_info(state: SlackState, params: Params) -> Answer:
    user = state.workspace.user(_required(params, "user", "user_not_found"))
    if user is None:
        raise SlackError("user_not_found")
    return {"user": user.as_slack(state.workspace.team_id)}


def _trigger(params: Params) -> str | None:
    return _optional(params, "trigger_id") or _optional(params, "interactivity_pointer")


async def views_open(state: SlackState, params: Params) -> Answer:
    return {"view": state.views.open(_trigger(params), params.get("view")).view}


async def views_push(state: SlackState, params: Params) -> Answer:
    return {"view": state.views.push(_trigger(params), params.get("view")).view}


async def views_update(state: SlackState, params: Params) -> Answer:
    view_id, external_id = _optional(params, "view_id"), _optional(params, "external_id")
    stored: StoredView
    state.views.update_tried()
    if view_id:
        await state.views.settled(view_id)
        stored = state.views.get(view_id)
    elif external_id:
        await state.views.all_settled()  # an ack being applied may be what sets this external_id
        stored = state.views.by_external_id(external_id)
    else:
        raise SlackError("invalid_arguments", ["[ERROR] view_id or external_id is required"])
    return {"view": state.views.update(stored, params.get("view"), _optional(params, "hash")).view}


async def views_publish(state: SlackState, params: Params) -> Answer:
    user_id = _required(params, "user_id", "user_not_found")
    stored = state.views.publish(user_id, params.get("view"), _optional(params, "hash"))
    return {"view": stored.view}


METHODS: dict[str, Method] = {
    "apps.connections.open": apps_connections_open,
    "auth.test": auth_test,
    "chat.postMessage": chat_post_message,
    "chat.update": chat_update,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.getPermalink": chat_get_permalink,
    "conversations.open": conversations_open,
    "conversations.members": conversations_members,
    "conversations.info": conversations_info,
    "usergroups.users.list": usergroups_users_list,
    "users.info": users_info,
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
    "views.publish": views_publish,
}
