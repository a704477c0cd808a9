"""Modals, their stacks, App Home tabs and trigger_ids: what views.* read and change."""

from __future__ import annotations

import asyncio
import contextlib
import copy
from dataclasses import dataclass, field
from typing import Any

from standins.slack.clock import FakeClock
from standins.slack.conversations import with_generated_ids
from standins.slack.errors import SlackError
from standins.slack.ids import random_id, trigger_id, view_hash
from standins.slack.validation import view_problems
from standins.slack.workspace import Workspace

TRIGGER_LIFETIME_SECONDS = 3.0
MAX_STACK_DEPTH = 3
SUBMISSION_SETTLE_TIMEOUT = 5.0
View = dict[str, Any]


@dataclass
class Trigger:
    """A trigger_id handed out with an interaction: one use, within three seconds."""

    id: str
    user_id: str
    issued_at: float
    used: bool = False


@dataclass
class StoredView:
    """A view as Slack holds it: `view` is the object views.* answer with; `history` its earlier versions."""

    view: View
    user_id: str
    is_open: bool = True
    errors: dict[str, str] = field(default_factory=dict)
    history: list[View] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.view["id"])

    @property
    def hash(self) -> str:
        return str(self.view["hash"])

    @property
    def values(self) -> dict[str, dict[str, Any]]:
        """`state.values`, as the user has filled them so far."""
        values: dict[str, dict[str, Any]] = self.view["state"]["values"]
        return values


def state_keys(blocks: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """(block_id, action_id) of every element that carries a value in `state.values`."""
    keys = set()
    for block in blocks:
        elements = [block.get("element"), block.get("accessory"), *block.get("elements", [])]
        for element in elements:
            if isinstance(element, dict) and "action_id" in element and element.get("type") != "button":
                keys.add((block["block_id"], element["action_id"]))
    return keys


class ViewStore:
    """Every view ever opened, each user's modal stack and home tab, and the triggers that open them."""

    def __init__(self, workspace: Workspace, clock: FakeClock) -> None:
        self.workspace = workspace
        self._clock = clock
        self.views: dict[str, StoredView] = {}
        self.stacks: dict[str, list[str]] = {}
        self.homes: dict[str, str] = {}
        self.triggers: dict[str, Trigger] = {}
        self._pending_submissions: dict[str, asyncio.Event] = {}
        # Slack documents no order between a view_submission ack's `response_action: update` and a
        # views.update the app sends right after it. False: the ack lands first (views.update waits for it).
        # True: the ack lands last (it is held until the app has tried a views.update, then applied).
        self.ack_lands_last = False
        self._update_tried = asyncio.Event()

    # triggers

    def issue_trigger(self, user_id: str) -> str:
        trigger = Trigger(trigger_id(self._clock), user_id, self._clock.now())
        self.triggers[trigger.id] = trigger
        return trigger.id

    def _exchange(self, trigger_value: str | None) -> Trigger:
        trigger = self.triggers.get(trigger_value or "")
        if trigger is None:
            raise SlackError("invalid_trigger_id")
        if trigger.used:
            raise SlackError("exchanged_trigger_id")
        if self._clock.now() - trigger.issued_at > TRIGGER_LIFETIME_SECONDS:
            raise SlackError("expired_trigger_id")
        trigger.used = True
        return trigger

    # lookups

    def get(self, view_id: str) -> StoredView:
        stored = self.views.get(view_id)
        if stored is None:
            raise SlackError("not_found")
        return stored

    def by_external_id(self, external_id: str) -> StoredView:
        for stored in self.views.values():
            if stored.view.get("external_id") == external_id and stored.is_open:
                return stored
        raise SlackError("not_found")

    def stack(self, user_id: str) -> list[StoredView]:
        """The user's open modals, root first."""
        return [self.views[view_id] for view_id in self.stacks.get(user_id, [])]

    # views.open / push / update / publish

    def open(self, trigger_value: str | None, view: Any) -> StoredView:
        self._check(view, ("modal",))
        trigger = self._exchange(trigger_value)
        for stale in self.stack(trigger.user_id):
            stale.is_open = False
        stored = self._create(view, trigger.user_id, previous=None)
        self.stacks[trigger.user_id] = [stored.id]
        return stored

    def push(self, trigger_value: str | None, view: Any) -> StoredView:
        self._check(view, ("modal",))
        trigger = self._exchange(trigger_value)
        stack = self.stacks.setdefault(trigger.user_id, [])
        if len(stack) >= MAX_STACK_DEPTH:
            raise SlackError("push_limit_reached")
        stored = self._create(view, trigger.user_id, previous=self.views[stack[-1]] if stack else None)
        stack.append(stored.id)
        return stored

    def update(self, stored: StoredView, view: Any, expected_hash: str | None) -> StoredView:
        """Replace the content, keep id and stack position; values of surviving inputs are kept."""
        if not stored.is_open:
            raise SlackError("not_found")
        if expected_hash and expected_hash != stored.hash:
            raise SlackError("hash_conflict")
        self._check(view, (stored.view["type"],), exclude=stored.id)
        self._replace(stored, view)
        return stored

    def publish(self, user_id: str, view: Any, expected_hash: str | None) -> StoredView:
        if self.workspace.user(user_id) is None:  # views.publish documents no error for an unknown user
            raise SlackError("invalid_arguments", [f"[ERROR] unknown user_id {user_id}"])
        self._check(view, ("home",))
        home_id = self.homes.get(user_id)
        if home_id is None:
            stored = self._create(view, user_id, previous=None)
            self.homes[user_id] = stored.id
            return stored
        stored = self.views[home_id]
        if expected_hash and expected_hash != stored.hash:
            raise SlackError("hash_conflict")
        self._replace(stored, view)
        return stored

    def home(self, user_id: str) -> StoredView | None:
        home_id = self.homes.get(user_id)
        return self.views[home_id] if home_id else None

    # closing

    def close(self, stored: StoredView) -> None:
        """The user pressed Cancel or the app acked a submission: this view leaves the stack."""
        stored.is_open = False
        stack = self.stacks.get(stored.user_id, [])
        if stored.id in stack:
            stack.remove(stored.id)

    def clear(self, user_id: str) -> None:
        for stored in self.stack(user_id):
            stored.is_open = False
        self.stacks[user_id] = []

    # view_submission answers

    def begin_submission(self, view_id: str) -> None:
        """Hold views.update on this view until the submission's ack is applied (or, with ``ack_lands_last``,
        hold the ack until a views.update was tried)."""
        self._pending_submissions[view_id] = asyncio.Event()
        self._update_tried.clear()

    def update_tried(self) -> None:
        self._update_tried.set()

    async def hold_ack(self) -> None:
        """With ``ack_lands_last``: wait (bounded) until the app tried a views.update, so the ack lands after it."""
        if self.ack_lands_last:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(SUBMISSION_SETTLE_TIMEOUT):
                    await self._update_tried.wait()

    def end_submission(self, view_id: str) -> None:
        event = self._pending_submissions.pop(view_id, None)
        if event is not None:
            event.set()

    async def settled(self, view_id: str) -> None:
        """Wait (bounded) for a pending submission's ack; a bot that never acks must not hang the fake."""
        event = self._pending_submissions.get(view_id)
        if event is not None and not self.ack_lands_last:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(SUBMISSION_SETTLE_TIMEOUT):
                    await event.wait()

    async def all_settled(self) -> None:
        """Wait (bounded) for every pending submission's ack, unless acks land last."""
        for view_id in list(self._pending_submissions):
            await self.settled(view_id)

    def apply_submission_ack(self, stored: StoredView, answer: dict[str, Any] | None) -> StoredView | None:
        """What Slack does with a view_submission ack body; returns the view now on top, if any."""
        answer = answer or {}
        action = answer.get("response_action")
        if action == "errors":
            stored.errors = dict(answer.get("errors") or {})
            return stored
        if action == "update":
            self._check(answer.get("view"), ("modal",), exclude=stored.id)
            self._replace(stored, answer["view"])
            return stored
        if action == "push":
            self._check(answer.get("view"), ("modal",))
            stack = self.stacks.setdefault(stored.user_id, [])
            if len(stack) >= MAX_STACK_DEPTH:
                raise SlackError("push_limit_reached")
            pushed = self._create(answer["view"], stored.user_id, previous=stored)
            stack.append(pushed.id)
            return pushed
        if action == "clear":
            self.clear(stored.user_id)
            return None
        self.close(stored)
        remaining = self.stack(stored.user_id)
        return remaining[-1] if remaining else None

    # internals

    def _check(self, view: Any, allowed_types: tuple[str, ...], exclude: str | None = None) -> None:
        problems = view_problems(view, allowed_types)
        if problems:
            raise SlackError("invalid_arguments", problems)
        external_id = view.get("external_id")
        if external_id and any(
            s.view.get("external_id") == external_id and s.id != exclude for s in self.views.values()
        ):
            raise SlackError("duplicate_external_id")

    def _create(self, view: View, user_id: str, previous: StoredView | None) -> StoredView:
        view_id = random_id("V")
        blocks = with_generated_ids(view.get("blocks", []))
        stored_view: View = {
            "id": view_id,
            "team_id": self.workspace.team_id,
            "type": view["type"],
            "blocks": blocks,
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": view_hash(self._clock),
            "title": copy.deepcopy(view.get("title")),
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "close": copy.deepcopy(view.get("close")),
            "submit": copy.deepcopy(view.get("submit")),
            "previous_view_id": previous.id if previous else None,
            "root_view_id": previous.view["root_view_id"] if previous else view_id,
            "app_id": self.workspace.app_id,
            "external_id": view.get("external_id", ""),
            "app_installed_team_id": self.workspace.team_id,
            "bot_id": self.workspace.bot_id,
        }
        stored = StoredView(stored_view, user_id)
        self.views[view_id] = stored
        return stored

    def _replace(self, stored: StoredView, view: View) -> None:
        stored.history.append(copy.deepcopy(stored.view))
        blocks = with_generated_ids(view.get("blocks", []))
        surviving = state_keys(blocks)
        values = {
            block_id: {a: v for a, v in actions.items() if (block_id, a) in surviving}
            for block_id, actions in stored.values.items()
        }
        stored.view.update(
            {
                "blocks": blocks,
                "private_metadata": view.get("private_metadata", ""),
                "callback_id": view.get("callback_id", ""),
                "state": {"values": {b: a for b, a in values.items() if a}},
                "hash": view_hash(self._clock),
                "title": copy.deepcopy(view.get("title")),
                "close": copy.deepcopy(view.get("close")),
                "submit": copy.deepcopy(view.get("submit")),
                "clear_on_close": bool(view.get("clear_on_close", False)),
                "notify_on_close": bool(view.get("notify_on_close", False)),
                "external_id": view.get("external_id", stored.view.get("external_id", "")),
            }
        )
        stored.errors = {}
