"""Block Kit validation the way Slack answers it: a list of `[ERROR] … [json-pointer:/…]` problems.

The explicit checks cover what slack_sdk's models let through (unknown types, mrkdwn where Slack
demands plain_text, empty texts, option values over 150, duplicate ids, ≤50 blocks per message,
`submit` on modals with inputs); slack_sdk's own `.to_dict()` validation then runs on each block and
view for the remaining limits.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_ID_LENGTH = 255
MAX_PRIVATE_METADATA = 3000
MAX_VIEW_BUTTON_TEXT = 24

TEXT_INPUT_ELEMENTS = frozenset(
    {"plain_text_input", "email_text_input", "url_text_input", "number_input", "rich_text_input"}
)
PLAIN_OPTION_ELEMENTS = frozenset({"static_select", "multi_static_select", "overflow"})
CHOICE_ELEMENTS = frozenset({"radio_buttons", "checkboxes"})
EXTERNAL_ELEMENTS = frozenset({"external_select", "multi_external_select"})
PICKER_ELEMENTS = frozenset(
    {
        "users_select",
        "multi_users_select",
        "conversations_select",
        "multi_conversations_select",
        "channels_select",
        "multi_channels_select",
        "datepicker",
        "timepicker",
        "datetimepicker",
    }
)
INPUT_ELEMENTS = (
    TEXT_INPUT_ELEMENTS
    | CHOICE_ELEMENTS
    | EXTERNAL_ELEMENTS
    | PICKER_ELEMENTS
    | {"static_select", "multi_static_select", "file_input"}
)
INTERACTIVE_ELEMENTS = INPUT_ELEMENTS | {"button", "overflow", "workflow_button"}
ELEMENT_TYPES = INTERACTIVE_ELEMENTS | {"image"}
OPTION_LIMITS = {"overflow": 5}


PARSE_ERRORS = (SlackObjectFormationError, TypeError, KeyError, AttributeError, ValueError)


def _is_known_block(block: dict[str, Any]) -> bool:
    """slack_sdk knows the type (a known type with missing fields raises; `sdk_block` reports that)."""
    try:
        return Block.parse(block) is not None
    except PARSE_ERRORS:
        return True


class _Checker:
    """Walks one message's or view's blocks and collects Slack-style problems."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self._block_ids: set[str] = set()

    def fail(self, message: str, pointer: str) -> None:
        self.problems.append(f"[ERROR] {message} [json-pointer:{pointer}]")

    def text(self, obj: Any, pointer: str, *, plain_only: bool = False, max_length: int | None = None) -> None:
        if not isinstance(obj, dict):
            self.fail("must be a text object", pointer)
            return
        kind = obj.get("type")
        if kind not in ("plain_text", "mrkdwn"):
            self.fail(f"unknown text type {kind!r}", f"{pointer}/type")
        elif plain_only and kind != "plain_text":
            self.fail("must be a plain_text object, not mrkdwn", f"{pointer}/type")
        text = obj.get("text")
        if not isinstance(text, str) or not text:
            self.fail("must be more than 0 characters", f"{pointer}/text")
        elif max_length is not None and len(text) > max_length:
            self.fail(f"must be less than {max_length + 1} characters", f"{pointer}/text")

    def identifier(self, value: Any, pointer: str) -> None:
        if not isinstance(value, str) or not value:
            self.fail("must be a non-empty string", pointer)
        elif len(value) > MAX_ID_LENGTH:
            self.fail(f"must be less than {MAX_ID_LENGTH + 1} characters", pointer)

    def blocks(self, blocks: Any, pointer: str, max_blocks: int) -> None:
        if not isinstance(blocks, list):
            self.fail("must be an array", pointer)
            return
        if len(blocks) > max_blocks:
            self.fail(f"no more than {max_blocks} items allowed", pointer)
        for index, block in enumerate(blocks):
            before = len(self.problems)
            self.block(block, f"{pointer}/{index}")
            if len(self.problems) == before:
                self.sdk_block(block, f"{pointer}/{index}")

    def block(self, block: Any, pointer: str) -> None:
        if not isinstance(block, dict) or not _is_known_block(block):
            kind = block.get("type") if isinstance(block, dict) else None
            self.fail(f"unknown block type {kind!r}", pointer)
            return
        if "block_id" in block:
            self.identifier(block["block_id"], f"{pointer}/block_id")
            if block["block_id"] in self._block_ids:
                self.fail(f"duplicate block_id {block['block_id']!r}", f"{pointer}/block_id")
            self._block_ids.add(block["block_id"])
        kind = block["type"]
        if kind == "header":
            self.text(block.get("text"), f"{pointer}/text", plain_only=True, max_length=150)
        elif kind == "section":
            self.section(block, pointer)
        elif kind == "actions":
            self.elements(block.get("elements"), f"{pointer}/elements", max_items=25)
        elif kind == "context":
            self.context(block.get("elements"), f"{pointer}/elements")
        elif kind == "input":
            self.input(block, pointer)

    def section(self, block: dict[str, Any], pointer: str) -> None:
        if "text" not in block and "fields" not in block:
            self.fail("must provide either text or fields", pointer)
        if "text" in block:
            self.text(block["text"], f"{pointer}/text", max_length=3000)
        fields = block.get("fields", [])
        if not isinstance(fields, list) or len(fields) > 10:
            self.fail("no more than 10 items allowed", f"{pointer}/fields")
        else:
            for index, field_text in enumerate(fields):
                self.text(field_text, f"{pointer}/fields/{index}", max_length=2000)
        if "accessory" in block:
            self.elements([block["accessory"]], f"{pointer}/accessory", max_items=1, single=True)

    def context(self, elements: Any, pointer: str) -> None:
        if not isinstance(elements, list) or not 1 <= len(elements) <= 10:
            self.fail("must hold 1 to 10 elements", pointer)
            return
        for index, element in enumerate(elements):
            kind = element.get("type") if isinstance(element, dict) else None
            if kind in ("plain_text", "mrkdwn"):
                self.text(element, f"{pointer}/{index}")
            elif kind != "image":
                self.fail(f"context elements are text or image, not {kind!r}", f"{pointer}/{index}")

    def input(self, block: dict[str, Any], pointer: str) -> None:
        self.text(block.get("label"), f"{pointer}/label", plain_only=True, max_length=2000)
        if "hint" in block:
            self.text(block["hint"], f"{pointer}/hint", plain_only=True, max_length=2000)
        element = block.get("element")
        kind = element.get("type") if isinstance(element, dict) else None
        if kind not in INPUT_ELEMENTS:
            self.fail(f"{kind!r} cannot be used in an input block", f"{pointer}/element")
            return
        self.elements([element], f"{pointer}/element", max_items=1, single=True)

    def elements(self, elements: Any, pointer: str, *, max_items: int, single: bool = False) -> None:
        if not isinstance(elements, list) or not 1 <= len(elements) <= max_items:
            self.fail(f"must hold 1 to {max_items} elements", pointer)
            return
        action_ids: set[str] = set()
        for index, element in enumerate(elements):
            where = pointer if single else f"{pointer}/{index}"
            self.element(element, where)
            action_id = element.get("action_id") if isinstance(element, dict) else None
            if action_id is not None and action_id in action_ids:
                self.fail(f"duplicate action_id {action_id!r} in the block", f"{where}/action_id")
            if isinstance(action_id, str):
                action_ids.add(action_id)

    def element(self, element: Any, pointer: str) -> None:
        kind = element.get("type") if isinstance(element, dict) else None
        if kind not in ELEMENT_TYPES:
            self.fail(f"unknown element type {kind!r}", pointer)
            return
        if "action_id" in element:
            self.identifier(element["action_id"], f"{pointer}/action_id")
        if "placeholder" in element:
            self.text(element["placeholder"], f"{pointer}/placeholder", plain_only=True, max_length=150)
        if kind == "button":
            self.text(element.get("text"), f"{pointer}/text", plain_only=True, max_length=75)
            if element.get("style") not in (None, "primary", "danger"):
                self.fail("style must be primary or danger", f"{pointer}/style")
        if "confirm" in element:
            self.confirm(element["confirm"], f"{pointer}/confirm")
        if kind in PLAIN_OPTION_ELEMENTS | CHOICE_ELEMENTS:
            self.options_of(element, pointer, plain_only=kind in PLAIN_OPTION_ELEMENTS)

    def confirm(self, confirm: Any, pointer: str) -> None:
        if not isinstance(confirm, dict):
            self.fail("must be a confirmation dialog object", pointer)
            return
        self.text(confirm.get("title"), f"{pointer}/title", plain_only=True, max_length=100)
        self.text(confirm.get("text"), f"{pointer}/text", max_length=300)
        self.text(confirm.get("confirm"), f"{pointer}/confirm", plain_only=True, max_length=30)
        self.text(confirm.get("deny"), f"{pointer}/deny", plain_only=True, max_length=30)

    def options_of(self, element: dict[str, Any], pointer: str, *, plain_only: bool) -> None:
        limit = OPTION_LIMITS.get(element["type"], 100)
        values: list[str] = []
        if "option_groups" in element:
            groups = element["option_groups"]
            if not isinstance(groups, list) or not 1 <= len(groups) <= 100:
                self.fail("must hold 1 to 100 option groups", f"{pointer}/option_groups")
                return
            for index, group in enumerate(groups):
                where = f"{pointer}/option_groups/{index}"
                self.text(group.get("label"), f"{where}/label", plain_only=True, max_length=75)
                values += self.options(group.get("options"), f"{where}/options", limit, plain_only)
        else:
            values = self.options(element.get("options"), f"{pointer}/options", limit, plain_only)
        initial = [element["initial_option"]] if "initial_option" in element else []
        initial += element.get("initial_options", [])
        for option in initial:
            if not isinstance(option, dict) or option.get("value") not in values:
                self.fail("initial option must be one of the options", f"{pointer}/initial_option")

    def options(self, options: Any, pointer: str, limit: int, plain_only: bool) -> list[str]:
        if not isinstance(options, list) or not 1 <= len(options) <= limit:
            self.fail(f"must hold 1 to {limit} options", pointer)
            return []
        values = []
        for index, option in enumerate(options):
            where = f"{pointer}/{index}"
            if not isinstance(option, dict):
                self.fail("must be an option object", where)
                continue
            self.text(option.get("text"), f"{where}/text", plain_only=plain_only, max_length=75)
            value = option.get("value")
            if not isinstance(value, str) or not value:
                self.fail("must be more than 0 characters", f"{where}/value")
            elif len(value) > 150:
                self.fail("must be less than 151 characters", f"{where}/value")
            else:
                values.append(value)
            if "description" in option:
                self.text(option["description"], f"{where}/description", plain_only=True, max_length=75)
        return values

    def sdk_block(self, block: dict[str, Any], pointer: str) -> None:
        """slack_sdk's recursive `.to_dict()` validation, for limits the walk above does not cover."""
        try:
            parsed = Block.parse(block)
            if parsed is not None:
                parsed.to_dict()
        except PARSE_ERRORS as error:
            self.fail(str(error), pointer)


def message_problems(blocks: Any) -> list[str]:
    """Why Slack would refuse these message blocks with `invalid_blocks` (empty list: accepted)."""
    checker = _Checker()
    checker.blocks(blocks, "/blocks", MAX_MESSAGE_BLOCKS)
    return checker.problems


def view_problems(view: Any, allowed_types: Iterable[str]) -> list[str]:
    """Why Slack would refuse this view object (empty list: accepted)."""
    checker = _Checker()
    if not isinstance(view, dict):
        checker.fail("must be a view object", "/view")
        return checker.problems
    kinds = tuple(allowed_types)
    if view.get("type") not in kinds:
        checker.fail(f"view type must be one of {', '.join(kinds)}", "/view/type")
        return checker.problems
    if view["type"] == "modal":
        checker.text(view.get("title"), "/view/title", plain_only=True, max_length=MAX_VIEW_BUTTON_TEXT)
        for key in ("submit", "close"):
            if key in view:
                checker.text(view[key], f"/view/{key}", plain_only=True, max_length=MAX_VIEW_BUTTON_TEXT)
        blocks = view.get("blocks")
        has_inputs = isinstance(blocks, list) and any(
            isinstance(block, dict) and block.get("type") == "input" for block in blocks
        )
        if has_inputs and "submit" not in view:
            checker.fail("a modal with input blocks needs a submit button", "/view/submit")
    for key, limit in (("private_metadata", MAX_PRIVATE_METADATA), ("callback_id", MAX_ID_LENGTH)):
        value = view.get(key, "")
        if not isinstance(value, str) or len(value) > limit:
            checker.fail(f"must be a string of at most {limit} characters", f"/view/{key}")
    external_id = view.get("external_id")
    if external_id is not None:
        checker.identifier(external_id, "/view/external_id")
    checker.blocks(view.get("blocks"), "/view/blocks", MAX_VIEW_BLOCKS)
    if not checker.problems:
        try:
            View(**view).to_dict()
        except PARSE_ERRORS as error:
            checker.fail(str(error), "/view")
    return checker.problems
