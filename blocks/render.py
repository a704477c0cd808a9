"""Block Kit as terminal text: what a person would read (`reseller-bot digest`, the offline demo, test messages)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

RULE = "─" * 48
EMOJI = {
    "white_check_mark": "✅",
    "heavy_check_mark": "✔",
    "x": "❌",
    "warning": "⚠️",
    "hourglass": "⏳",
    "hourglass_flowing_sand": "⏳",
    "rainbow": "🌈",
    "bell": "🔔",
    "memo": "📝",
    "email": "📧",
    "no_entry": "⛔",
    "arrows_counterclockwise": "🔄",
    "tada": "🎉",
    "envelope": "✉️",
    "incoming_envelope": "📨",
    "handshake": "🤝",
    "no_entry_sign": "🚫",
    "mag": "🔍",
    "sunny": "☀️",
    "leftwards_arrow_with_hook": "↩️",
    "double_vertical_bar": "⏸️",
}
_REFERENCE = re.compile(r"<([^<>]+)>")
# A marker followed by a zero-width space is literal text (how the bot escapes markers in user text).
_EMPHASIS = re.compile(r"(?<![\w*_~])([*_~])(?=[^\s\u200b])(.+?)(?<=\S)\1(?![\w*_~\u200b])")
_EMOJI_CODE = re.compile(r":([a-z0-9_+\-]+):")


@dataclass(frozen=True)
class Names:
    """Display names for the ids mrkdwn refers to: users, channels, user groups."""

    users: Mapping[str, str] = field(default_factory=dict)
    channels: Mapping[str, str] = field(default_factory=dict)
    groups: Mapping[str, str] = field(default_factory=dict)


def _reference(inner: str, names: Names) -> str:
    """One `<…>` reference: a mention, a channel, a special mention, a date or a link."""
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return "@" + names.users.get(target[1:], label or target[1:])
    if target.startswith("#"):
        return "#" + names.channels.get(target[1:], label or target[1:])
    if target.startswith("!subteam^"):
        group_id = target.removeprefix("!subteam^")
        return label or "@" + names.groups.get(group_id, group_id)
    if target.startswith("!date^"):
        return label or target
    if target.startswith("!"):
        return "@" + target[1:]
    return label or target


def mrkdwn_to_plain(text: str, names: Names | None = None) -> str:
    """`*Acme* created by <@U1> <!date^…|today>` → `Acme created by @alice today`."""
    known = names or Names()
    plain = _REFERENCE.sub(lambda match: _reference(match.group(1), known), text)
    plain = _EMPHASIS.sub(lambda match: match.group(2), plain)
    plain = _EMOJI_CODE.sub(lambda match: EMOJI.get(match.group(1), match.group(0)), plain)
    plain = plain.replace("\u200b", "")
    return plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


class BlockRenderer:
    """Renders blocks line by line; `values` and `errors` show what was typed and refused in a modal."""

    def __init__(
        self,
        names: Names,
        values: Mapping[str, Mapping[str, Any]] | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> None:
        self.names = names
        self.values = values or {}
        self.errors = errors or {}
        self._renderers: dict[str, Callable[[dict[str, Any]], list[str]]] = {
            "header": lambda b: [self.text(b["text"]).upper(), ""],
            "section": self.section,
            "divider": lambda b: [RULE],
            "context": lambda b: ["  " + " · ".join(self.context_element(e) for e in b["elements"])],
            "actions": lambda b: ["  ".join(self.element(e) for e in b["elements"])],
            "input": self.input,
            "image": lambda b: [f"[image: {b.get('alt_text', '')}]"],
            "markdown": lambda b: [mrkdwn_to_plain(b.get("text", ""), self.names)],
            "rich_text": lambda b: [self.rich_text(b)],
        }

    def text(self, obj: Any) -> str:
        if not isinstance(obj, dict):
            return ""
        raw = str(obj.get("text", ""))
        return mrkdwn_to_plain(raw, self.names) if obj.get("type") == "mrkdwn" else raw

    def blocks(self, blocks: list[dict[str, Any]]) -> list[str]:
        lines: list[str] = []
        for block in blocks:
            render = self._renderers.get(block.get("type", ""), _unknown_block)
            lines += render(block)
            if block.get("block_id") in self.errors:
                lines.append(f"  ⚠ {self.errors[block['block_id']]}")
        return lines

    def section(self, block: dict[str, Any]) -> list[str]:
        lines = self.text(block["text"]).splitlines() if "text" in block else []
        lines += [": ".join(self.text(f).splitlines()) for f in block.get("fields", [])]
        if "accessory" in block:
            accessory = self.element(block["accessory"])
            if lines:
                lines[0] = f"{lines[0]}    {accessory}"
            else:
                lines = [accessory]
        return lines

    def context_element(self, element: dict[str, Any]) -> str:
        if element.get("type") == "image":
            return f"[{element.get('alt_text', 'image')}]"
        return self.text(element)

    def element(self, element: dict[str, Any], current: Mapping[str, Any] | None = None) -> str:
        kind = element.get("type", "")
        if kind == "button":
            return f"[ {self.text(element.get('text'))} ]"
        if kind == "overflow":
            return "[ … ]"
        if kind == "image":
            return f"[image: {element.get('alt_text', '')}]"
        chosen = self.chosen(element, current or {})
        placeholder = self.text(element.get("placeholder")) or "Select…"
        if kind.endswith(("_select", "picker")):
            return f"[ {chosen or placeholder} ▾ ]"
        return chosen or "____"

    def chosen(self, element: dict[str, Any], current: Mapping[str, Any]) -> str:
        """What the element currently shows: the entered value, else its initial value."""
        for key, value in current.items():
            if key != "type" and value not in (None, "", []):
                return self.describe(value)
        for key in ("initial_value", "initial_option", "initial_options", "initial_user", "initial_date"):
            if element.get(key):
                return self.describe(element[key])
        return ""

    def describe(self, value: Any) -> str:
        if isinstance(value, list):
            return ", ".join(self.describe(item) for item in value)
        if isinstance(value, dict):
            return self.text(value.get("text"))
        if isinstance(value, str) and value in self.names.users:
            return "@" + self.names.users[value]
        return str(value)

    def input(self, block: dict[str, Any]) -> list[str]:
        element = block["element"]
        current = self.values.get(block.get("block_id", ""), {}).get(element.get("action_id", ""), {})
        label = self.text(block.get("label")) + ("" if not block.get("optional") else " (optional)")
        if element.get("type") in ("radio_buttons", "checkboxes"):
            mark = ("(•)", "( )") if element["type"] == "radio_buttons" else ("[x]", "[ ]")
            chosen = self.chosen(element, current)
            options = [
                f"  {mark[0] if self.text(o.get('text')) in chosen.split(', ') else mark[1]} {self.text(o.get('text'))}"
                for o in element.get("options", [])
            ]
            return [f"{label}:", *options]
        lines = [f"{label}: {self.element(element, current)}"]
        if "hint" in block:
            lines.append(f"  ({self.text(block['hint'])})")
        return lines

    def rich_text(self, block: dict[str, Any]) -> str:
        """Rich text flattened to its words; formatting is dropped."""
        pieces: list[str] = []

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if node.get("type") == "text":
                    pieces.append(str(node.get("text", "")))
                elif node.get("type") == "user":
                    pieces.append("@" + self.names.users.get(node.get("user_id", ""), "someone"))
                elif node.get("type") == "link":
                    pieces.append(str(node.get("text") or node.get("url", "")))
                for child in node.get("elements", []):
                    walk(child)

        walk(block)
        return "".join(pieces)


def render_blocks(blocks: list[dict[str, Any]], names: Names | None = None) -> str:
    return "\n".join(BlockRenderer(names or Names()).blocks(blocks))


def _unknown_block(block: dict[str, Any]) -> list[str]:
    return [f"[{block.get('type')} block]"]
