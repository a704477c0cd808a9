"""Small Block Kit element builders shared by the modals."""

import json
from typing import Any

from blocks.text import mrkdwn, plain

TITLE_MAX = 24


def option(text: str, value: str, description: str | None = None) -> dict[str, Any]:
    built: dict[str, Any] = {"text": plain(text, 75), "value": value[:150]}
    if description:
        built["description"] = plain(description, 75)
    return built


def modal(
    callback_id: str,
    title: str,
    blocks: list[dict[str, Any]],
    *,
    submit: str | None = None,
    close: str = "Cancel",
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, TITLE_MAX),
        "close": plain(close, TITLE_MAX),
        "blocks": blocks,
        "private_metadata": json.dumps(metadata or {}, separators=(",", ":"))[:3000],
    }
    if submit:
        view["submit"] = plain(submit, TITLE_MAX)
    return view


def text_input(
    block_id: str,
    label: str,
    *,
    initial: str | None = None,
    placeholder: str | None = None,
    optional: bool = False,
    multiline: bool = False,
    max_length: int | None = None,
    hint: str | None = None,
    email: bool = False,
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "email_text_input" if email else "plain_text_input", "action_id": block_id}
    if initial:
        element["initial_value"] = initial
    if placeholder:
        element["placeholder"] = plain(placeholder, 150)
    if multiline:
        element["multiline"] = True
    if max_length:
        element["max_length"] = max_length
    return input_block(block_id, label, element, optional=optional, hint=hint)


def input_block(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool = False, hint: str | None = None
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def static_select(
    action_id: str, options: list[dict[str, Any]], initial: str | None = None, placeholder: str = "Choose"
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": action_id,
        "options": options[:100],
        "placeholder": plain(placeholder, 150),
    }
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen is not None:
        element["initial_option"] = chosen
    return element


def external_select(
    action_id: str, placeholder: str, *, min_query_length: int, initial: dict[str, Any] | None = None
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "external_select",
        "action_id": action_id,
        "placeholder": plain(placeholder, 150),
        "min_query_length": min_query_length,
    }
    if initial:
        element["initial_option"] = initial
    return element


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": mrkdwn(text)}


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [mrkdwn(text)]}


def button(
    text: str, action_id: str, value: str = "", *, style: str | None = None, confirm: dict[str, Any] | None = None
) -> dict[str, Any]:
    built: dict[str, Any] = {"type": "button", "text": plain(text, 75), "action_id": action_id}
    if value:
        built["value"] = value[:2000]
    if style:
        built["style"] = style
    if confirm:
        built["confirm"] = confirm
    return built


def actions(*elements: dict[str, Any], block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "actions", "elements": list(elements)[:25]}
    if block_id:
        block["block_id"] = block_id
    return block


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    """The private_metadata a view was opened with."""
    try:
        loaded = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return {}
    return loaded if isinstance(loaded, dict) else {}
