"""Request bodies shaped exactly like Slack's, as pure data (the sender encodes and signs them)."""

from __future__ import annotations

import copy
import secrets
from typing import Any

from standins.slack.workspace import Workspace

Payload = dict[str, Any]
VERIFICATION_TOKEN = "fake-verification-token"


def slack_escape(text: str) -> str:
    """Slack sends typed text with its control characters as entities (a command's `text`, for one)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class PayloadFactory:
    """Builds command forms, interactivity payloads and events for one workspace."""

    def __init__(self, workspace: Workspace, verification_token: str = VERIFICATION_TOKEN) -> None:
        self.workspace = workspace
        self.verification_token = verification_token

    def _user(self, user_id: str) -> dict[str, Any]:
        profile = self.workspace.user(user_id)
        name = profile.name if profile else user_id.lower()
        return {"id": user_id, "username": name, "name": name, "team_id": self.workspace.team_id}

    def _envelope(self, kind: str, user_id: str) -> Payload:
        """The fields every interactivity payload starts with."""
        return {
            "type": kind,
            "user": self._user(user_id),
            "api_app_id": self.workspace.app_id,
            "token": self.verification_token,
            "team": {"id": self.workspace.team_id, "domain": self.workspace.team_domain},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def channel_name(self, channel_id: str) -> str:
        channel = self.workspace.channel(channel_id)
        if channel is not None:
            return channel.name
        return "directmessage" if channel_id.startswith("D") else channel_id

    def command(
        self, user_id: str, channel_id: str, command: str, text: str, response_url: str, trigger_id: str
    ) -> dict[str, str]:
        """The form fields of a slash command invocation; `text` arrives escaped, as from Slack."""
        profile = self.workspace.user(user_id)
        return {
            "token": self.verification_token,
            "team_id": self.workspace.team_id,
            "team_domain": self.workspace.team_domain,
            "channel_id": channel_id,
            "channel_name": self.channel_name(channel_id),
            "user_id": user_id,
            "user_name": profile.name if profile else user_id.lower(),
            "command": command,
            "text": slack_escape(text),
            "api_app_id": self.workspace.app_id,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }

    def message_action(
        self,
        user_id: str,
        channel_id: str,
        message: Payload | None,
        message_ts: str,
        is_ephemeral: bool,
        action: Payload,
        state_values: dict[str, Any],
        response_url: str,
        trigger_id: str,
    ) -> Payload:
        """block_actions from a message (ephemeral ones carry no `message`)."""
        payload = self._envelope("block_actions", user_id)
        payload.update(
            {
                "container": {
                    "type": "message",
                    "message_ts": message_ts,
                    "channel_id": channel_id,
                    "is_ephemeral": is_ephemeral,
                },
                "trigger_id": trigger_id,
                "channel": {"id": channel_id, "name": self.channel_name(channel_id)},
                "state": {"values": state_values},
                "response_url": response_url,
                "actions": [action],
            }
        )
        if message is not None:
            payload["message"] = message
        return payload

    def view_action(self, user_id: str, view: Payload, action: Payload, trigger_id: str) -> Payload:
        """block_actions from a modal or the App Home: no response_url, the whole view with its state."""
        payload = self._envelope("block_actions", user_id)
        payload.update(
            {
                "container": {"type": "view", "view_id": view["id"]},
                "trigger_id": trigger_id,
                "view": copy.deepcopy(view),
                "actions": [action],
            }
        )
        return payload

    def view_submission(self, user_id: str, view: Payload, trigger_id: str) -> Payload:
        payload = self._envelope("view_submission", user_id)
        payload.update({"trigger_id": trigger_id, "view": copy.deepcopy(view), "response_urls": []})
        return payload

    def view_closed(self, user_id: str, view: Payload, is_cleared: bool) -> Payload:
        payload = self._envelope("view_closed", user_id)
        payload.update({"view": copy.deepcopy(view), "is_cleared": is_cleared})
        return payload

    def block_suggestion(self, user_id: str, view: Payload, block_id: str, action_id: str, query: str) -> Payload:
        """An external_select asking the options load URL for options matching what the user typed."""
        payload = self._envelope("block_suggestion", user_id)
        payload.update(
            {
                "container": {"type": "view", "view_id": view["id"]},
                "action_id": action_id,
                "block_id": block_id,
                "value": query,
                "view": copy.deepcopy(view),
            }
        )
        return payload

    def event(self, event: Payload, event_time: int) -> Payload:
        """An Events API `event_callback` envelope."""
        return {
            "token": self.verification_token,
            "team_id": self.workspace.team_id,
            "api_app_id": self.workspace.app_id,
            "event": event,
            "type": "event_callback",
            "event_id": "Ev" + secrets.token_hex(5).upper(),
            "event_time": event_time,
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.workspace.team_id,
                    "user_id": self.workspace.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": "4-" + secrets.token_urlsafe(16),
        }
