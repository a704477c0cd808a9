"""A local stand-in for Slack: a fake Web API with Socket Mode (`FakeSlack`), people playing Slack
towards the bot (`SlackUser`) over signed HTTP requests (`SlackSender`) or the bot's websocket
(`SocketSender`), and a text renderer for what people would see.

It listens on 127.0.0.1 only and never talks to the Internet; the end-to-end tests and the offline
demo (`reseller-bot demo`) use it. It is at least as strict as Slack: what it accepts and refuses
comes from Slack's reference for each method (`api_ref/`, see `reference.py`); a response_url takes
five uses within 30 minutes; a trigger_id one use within 3 s; views.update honours `hash`; and the
ack of a view submission can be made to land after a views.update (`state.views.ack_lands_last`).
"""

from blocks.render import Names, mrkdwn_to_plain, render_blocks
from standins.slack.answers import BotAnswer
from standins.slack.conversations import StoredEphemeral, StoredMessage
from standins.slack.errors import SlackError
from standins.slack.forms import InteractionError
from standins.slack.recording import Call
from standins.slack.render import render_message, render_view
from standins.slack.response_urls import ResponsePost
from standins.slack.sender import SlackSender
from standins.slack.server import FakeSlack
from standins.slack.socket_sender import SocketSender
from standins.slack.user import SlackUser
from standins.slack.views import StoredView
from standins.slack.workspace import SlackChannel, SlackUserGroup, SlackUserProfile, Workspace, example_workspace

__all__ = [
    "BotAnswer",
    "Call",
    "FakeSlack",
    "InteractionError",
    "Names",
    "ResponsePost",
    "SlackChannel",
    "SlackError",
    "SlackSender",
    "SlackUser",
    "SlackUserGroup",
    "SlackUserProfile",
    "SocketSender",
    "StoredEphemeral",
    "StoredMessage",
    "StoredView",
    "Workspace",
    "example_workspace",
    "mrkdwn_to_plain",
    "render_blocks",
    "render_message",
    "render_view",
]
