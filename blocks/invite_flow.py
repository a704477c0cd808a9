"""The invite-an-existing-company modal: pick, confirm, result."""

from collections.abc import Mapping
from typing import Any

from blocks.forms import (
    actions,
    button,
    context,
    external_select,
    input_block,
    modal,
    option,
    section,
    static_select,
    text_input,
)
from blocks.ids import Action, Block, Callback
from blocks.text import escape

TITLE = "Invite a company"


def pick_view(
    values: Mapping[str, Any], languages: Mapping[str, str], metadata: dict[str, Any], hint: str | None = None
) -> dict[str, Any]:
    """Step 1: find the company by the first letters of its name."""
    company = values.get("company") or {}
    initial = option(company.get("label") or company["name"], company["id"]) if company.get("id") else None
    language_options = [option(label, code) for code, label in languages.items()]
    blocks: list[dict[str, Any]] = [
        section("Invite an existing Rainbow company to make us its reseller. Its administrators decide."),
        input_block(
            Block.COMPANY,
            "Company",
            external_select(
                Action.COMPANY, "Type at least two letters of its name", min_query_length=2, initial=initial
            ),
            hint=hint or "Only companies that have no reseller yet are listed.",
        ),
        input_block(
            Block.LANG, "Invitation language", static_select(Block.LANG, language_options, values.get("lang") or "en")
        ),
        text_input(
            Block.MESSAGE,
            "Message to its administrators",
            initial=values.get("message"),
            optional=True,
            multiline=True,
            max_length=1000,
        ),
    ]
    return modal(Callback.INVITE_PICK, TITLE, blocks, submit="Next", metadata=metadata)


def confirm_view(label: str, language: str, message: str | None, metadata: dict[str, Any]) -> dict[str, Any]:
    """Step 2: say exactly what will happen before it happens."""
    blocks: list[dict[str, Any]] = [
        section(
            f"Invite *{escape(label)}* to make us its reseller?\n"
            f"Rainbow e-mails every administrator of the company, in {escape(language)}."
        )
    ]
    if message:
        blocks.append(context(f"Your message: “{escape(message)}”"))
    blocks.append(actions(button("Back", Action.BACK_TO_PICK)))
    return modal(Callback.INVITE_CONFIRM, TITLE, blocks, submit="Send invitation", metadata=metadata)


def result_view(label: str, where: str) -> dict[str, Any]:
    blocks = [
        section(f":white_check_mark: Invitation sent to *{escape(label)}*. Its administrators can now accept it."),
        context(f"Their answer will be posted {where}."),
    ]
    return modal(Callback.INVITE_RESULT, TITLE, blocks, close="Done")
