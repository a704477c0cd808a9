"""What a person can do with blocks: find a field or button, and turn what they typed into `state.values`.

Slack shapes each element's value differently (`value`, `selected_option`, `selected_user`…); this is
the one place that knows how, so the sender's payloads match what Slack would send for each element.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from standins.slack.workspace import Workspace

Element = dict[str, Any]
Option = dict[str, Any]
StateValues = dict[str, dict[str, dict[str, Any]]]

VALUE_KEYS = {
    "plain_text_input": "value",
    "email_text_input": "value",
    "url_text_input": "value",
    "number_input": "value",
    "static_select": "selected_option",
    "external_select": "selected_option",
    "radio_buttons": "selected_option",
    "multi_static_select": "selected_options",
    "multi_external_select": "selected_options",
    "checkboxes": "selected_options",
    "users_select": "selected_user",
    "multi_users_select": "selected_users",
    "conversations_select": "selected_conversation",
    "multi_conversations_select": "selected_conversations",
    "channels_select": "selected_channel",
    "multi_channels_select": "selected_channels",
    "datepicker": "selected_date",
    "timepicker": "selected_time",
    "datetimepicker": "selected_date_time",
}
INITIAL_KEYS = {
    "value": "initial_value",
    "selected_option": "initial_option",
    "selected_options": "initial_options",
    "selected_user": "initial_user",
    "selected_users": "initial_users",
    "selected_conversation": "initial_conversation",
    "selected_conversations": "initial_conversations",
    "selected_channel": "initial_channel",
    "selected_channels": "initial_channels",
    "selected_date": "initial_date",
    "selected_time": "initial_time",
    "selected_date_time": "initial_date_time",
}
EXTERNAL_SELECTS = frozenset({"external_select", "multi_external_select"})


class InteractionError(Exception):
    """The simulated person cannot do that: no such field or button, or a required field left empty."""


@dataclass(frozen=True)
class Field:
    """An element that holds a value (text input, select, picker…), with where it sits."""

    block_id: str
    action_id: str
    element: Element
    label: str | None = None
    optional: bool = True

    @property
    def key(self) -> str:
        return f"{self.block_id}/{self.action_id}"

    @property
    def kind(self) -> str:
        return str(self.element.get("type"))

    @property
    def value_key(self) -> str:
        return VALUE_KEYS.get(self.kind, "value")


def _block_elements(block: dict[str, Any]) -> Iterator[Element]:
    for key in ("element", "accessory"):
        if isinstance(block.get(key), dict):
            yield block[key]
    if block.get("type") == "actions":
        yield from block.get("elements", [])


def fields_of(blocks: list[dict[str, Any]]) -> list[Field]:
    """Every value-holding element, in display order; only input blocks can be required."""
    found = []
    for block in blocks:
        for element in _block_elements(block):
            if element.get("type") in VALUE_KEYS:
                is_input = block.get("type") == "input"
                label = block["label"]["text"] if is_input else None
                optional = not is_input or bool(block.get("optional", False))
                found.append(Field(block["block_id"], element["action_id"], element, label, optional))
    return found


def find_field(fields: list[Field], key: str) -> Field:
    """By `block_id/action_id`, action_id, block_id or input label, in that order; never ambiguous."""
    for matches in (
        [f for f in fields if f.key == key],
        [f for f in fields if f.action_id == key],
        [f for f in fields if f.block_id == key],
        [f for f in fields if f.label is not None and f.label.casefold() == key.casefold()],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise InteractionError(f"{key!r} is ambiguous: {[f.key for f in matches]}; use block_id/action_id")
    known = [f"{f.key} ({f.label})" if f.label else f.key for f in fields]
    raise InteractionError(f"no field {key!r}; the fields are {known}")


@dataclass(frozen=True)
class Button:
    block_id: str
    element: Element

    @property
    def text(self) -> str:
        return str(self.element.get("text", {}).get("text", ""))

    def action(self, action_ts: str) -> dict[str, Any]:
        """The `actions[0]` of the block_actions payload a click on this button sends."""
        action = {
            "action_id": self.element["action_id"],
            "block_id": self.block_id,
            "text": copy.deepcopy(self.element.get("text")),
            "type": "button",
            "action_ts": action_ts,
        }
        for optional in ("value", "style", "url"):
            if optional in self.element:
                action[optional] = self.element[optional]
        return action


def find_button(blocks: list[dict[str, Any]], key: str, value: str | None = None) -> Button:
    """A button by action_id or by its visible text (case-insensitive), optionally with this `value`."""
    buttons = [
        Button(block["block_id"], element)
        for block in blocks
        for element in _block_elements(block)
        if element.get("type") == "button" and (value is None or element.get("value") == value)
    ]
    for matches in (
        [b for b in buttons if b.element.get("action_id") == key],
        [b for b in buttons if b.text.casefold() == key.casefold()],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise InteractionError(f"several buttons match {key!r}; pass value= to pick one")
    raise InteractionError(f"no button {key!r}; the buttons are {[b.text for b in buttons]}")


def options_of(element: Element) -> list[Option]:
    """The options an element shows, option groups flattened."""
    if "option_groups" in element:
        return [option for group in element["option_groups"] for option in group.get("options", [])]
    return list(element.get("options", []))


def match_option(options: list[Option], wanted: Any) -> Option | None:
    """An option given as the option itself, its value, or its visible text."""
    if isinstance(wanted, dict):
        return next((o for o in options if o.get("value") == wanted.get("value")), None)
    for option in options:
        if option.get("value") == wanted:
            return option
    text = str(wanted).casefold()
    return next((o for o in options if str(o.get("text", {}).get("text", "")).casefold() == text), None)


def empty_entry(field: Field) -> dict[str, Any]:
    """The state entry before the person touched the element: its initial value, or nothing."""
    value_key = field.value_key
    empty: Any = [] if value_key.endswith("s") else None
    return {"type": field.kind, value_key: copy.deepcopy(field.element.get(INITIAL_KEYS[value_key], empty))}


class ValueResolver:
    """Turns what a test says a person chose ("Acme", "@alice", "#general") into Slack's state values."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def entry(self, field: Field, chosen: Any, offered: list[Option] | None = None) -> dict[str, Any]:
        value_key = field.value_key
        many = value_key.endswith("s")
        wanted = list(chosen) if many and isinstance(chosen, list | tuple) else chosen
        if value_key in ("selected_option", "selected_options"):
            options = offered if field.kind in EXTERNAL_SELECTS else options_of(field.element)
            resolved: Any = (
                [self._option(field, options or [], w) for w in wanted]
                if many
                else self._option(field, options or [], wanted)
            )
        elif value_key in ("selected_user", "selected_users"):
            resolved = [self._user(w) for w in wanted] if many else self._user(wanted)
        elif value_key.startswith(("selected_conversation", "selected_channel")):
            resolved = [self._channel(w) for w in wanted] if many else self._channel(wanted)
        elif value_key == "selected_date_time":
            resolved = int(chosen)
        else:
            resolved = None if chosen is None else str(chosen)
        return {"type": field.kind, value_key: resolved}

    def _option(self, field: Field, options: list[Option], wanted: Any) -> Option:
        option = match_option(options, wanted)
        if option is None:
            shown = [o.get("text", {}).get("text") for o in options]
            raise InteractionError(f"{field.key} offers no option {wanted!r}; it offers {shown}")
        return copy.deepcopy(option)

    def _user(self, wanted: Any) -> str:
        name = str(wanted).removeprefix("@")
        if self.workspace.user(name) is not None:
            return name
        for user in self.workspace.users:
            if name in (user.name, user.real_name, user.email):
                return user.id
        raise InteractionError(f"no workspace member {wanted!r}")

    def _channel(self, wanted: Any) -> str:
        channel = self.workspace.channel(str(wanted))
        if channel is None:
            raise InteractionError(f"no channel {wanted!r}")
        return channel.id


def has_value(entry: dict[str, Any]) -> bool:
    return any(value not in (None, "", []) for key, value in entry.items() if key != "type")


def action_for(field: Field, entry: dict[str, Any], action_ts: str) -> dict[str, Any]:
    """The `actions[0]` a select or dispatching input sends when the person changes it."""
    action = {"type": field.kind, "action_id": field.action_id, "block_id": field.block_id, "action_ts": action_ts}
    action.update({key: value for key, value in entry.items() if key != "type"})
    if "placeholder" in field.element:
        action["placeholder"] = copy.deepcopy(field.element["placeholder"])
    return action
