"""The create-a-customer modal, step by step: details, duplicate check, administrator, result."""

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

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

TITLE = "New customer company"


class DuplicateLike(Protocol):
    """Read-only, so a frozen dataclass fits."""

    @property
    def company_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def status(self) -> str | None: ...
    @property
    def country(self) -> str | None: ...
    @property
    def ours(self) -> bool: ...
    @property
    def reason(self) -> str: ...


def details_view(
    values: Mapping[str, Any],
    country_label: str | None,
    visibilities: Mapping[str, str],
    metadata: dict[str, Any],
) -> dict[str, Any]:
    """Step 1. Re-opened with the same block and action ids, so "Back" keeps what was typed."""
    country = values.get("country")
    visibility_options = [option(name.capitalize(), name, help_) for name, help_ in visibilities.items()]
    visibility: dict[str, Any] = {"type": "radio_buttons", "action_id": Block.VISIBILITY, "options": visibility_options}
    visibility["initial_option"] = next(
        o for o in visibility_options if o["value"] == (values.get("visibility") or "private")
    )
    blocks = [
        text_input(Block.NAME, "Company name", initial=values.get("name"), max_length=100),
        input_block(
            Block.COUNTRY,
            "Country",
            external_select(
                Action.COUNTRY,
                "Type the first letters of the country",
                min_query_length=1,
                initial=option(country_label or country, country) if country else None,
            ),
        ),
        text_input(
            Block.STATE,
            "State or province",
            initial=values.get("state"),
            optional=True,
            placeholder="NY, CA, QC…",
            max_length=3,
            hint="Required for the USA and Canada, left empty elsewhere.",
        ),
        input_block(Block.VISIBILITY, "Visibility in Rainbow", visibility),
        text_input(
            Block.EXTERNAL_REFERENCE,
            "Customer reference",
            initial=values.get("external_reference"),
            optional=True,
            max_length=64,
            hint="Your own id for this customer; searchable later.",
        ),
        text_input(
            Block.EXTERNAL_REFERENCE2,
            "Additional reference",
            initial=values.get("external_reference2"),
            optional=True,
            max_length=64,
        ),
        text_input(
            Block.SUPPORT_EMAIL,
            "Support e-mail",
            initial=values.get("support_email"),
            optional=True,
            email=True,
            hint="Where the customer's users can ask for help.",
        ),
    ]
    return modal(Callback.CREATE_DETAILS, TITLE, blocks, submit="Next", metadata=metadata)


def checking_view(name: str, metadata: dict[str, Any]) -> dict[str, Any]:
    text = f":mag: Checking Rainbow for companies like *{escape(name)}*…"
    return modal(Callback.CREATE_CHECKING, TITLE, [section(text)], metadata=metadata)


def duplicates_view(name: str, matches: Sequence[DuplicateLike], metadata: dict[str, Any]) -> dict[str, Any]:
    """Step 2: possible duplicates, each with its status and country."""
    blocks: list[dict[str, Any]] = [
        section(f":warning: Rainbow already has companies like *{escape(name)}*. Is it one of these?"),
        {"type": "divider"},
    ]
    for match in matches[:12]:
        facts = " · ".join(f for f in (match.status and match.status.capitalize(), match.country, match.reason) if f)
        block = section(f"*{escape(match.name)}*\n{escape(facts)}")
        if not match.ours:
            block["accessory"] = button("Invite this company instead", Action.INVITE_INSTEAD, match.company_id)
        blocks.append(block)
    if len(matches) > 12:
        blocks.append(context(f"…and {len(matches) - 12} more."))
    blocks.append({"type": "divider"})
    blocks.append(
        actions(
            button(f"Create {name}"[:75] if len(name) < 60 else "Create anyway", Action.CREATE_ANYWAY, style="primary"),
            button("Back", Action.BACK_TO_DETAILS),
        )
    )
    return modal(Callback.CREATE_DUPLICATES, TITLE, blocks, metadata=metadata)


def admin_view(
    company_summary: str,
    values: Mapping[str, Any],
    languages: Mapping[str, str],
    metadata: dict[str, Any],
) -> dict[str, Any]:
    """Step 3: who administers the new company."""
    language_options = [option(label, code) for code, label in languages.items()]
    user_initial = None
    if values.get("user_id"):
        user_initial = option(values.get("user_label") or values["user_id"], values["user_id"])
    blocks: list[dict[str, Any]] = [
        section(company_summary),
        text_input(
            Block.ADMIN_EMAIL,
            "Administrator's e-mail",
            initial=values.get("email"),
            optional=True,
            email=True,
            hint="Rainbow e-mails an invitation; they become the company's administrator when they join.",
        ),
        input_block(
            Block.ADMIN_USER,
            "…or an existing Rainbow user without a company",
            external_select(
                Action.ADMIN_USER, "Type the first letters of their name", min_query_length=2, initial=user_initial
            ),
            optional=True,
        ),
        input_block(
            Block.LANG, "Invitation language", static_select(Block.LANG, language_options, values.get("lang") or "en")
        ),
        text_input(
            Block.MESSAGE,
            "Message in the invitation",
            initial=values.get("message"),
            optional=True,
            multiline=True,
            max_length=1000,
        ),
        actions(button("Back", Action.BACK_TO_DETAILS)),
    ]
    return modal(Callback.CREATE_ADMIN, TITLE, blocks, submit="Create company", metadata=metadata)


def progress_view(
    text: str, metadata: dict[str, Any], callback: str = Callback.CREATE_PROGRESS, title: str = TITLE
) -> dict[str, Any]:
    return modal(callback, title, [section(f":hourglass_flowing_sand: {text}")], metadata=metadata)


def problem_view(
    problem: str, metadata: dict[str, Any], *, retry_action: str, back_action: str, title: str = TITLE
) -> dict[str, Any]:
    """Rainbow could not do it: say why, keep everything typed, offer to try again or go back."""
    blocks = [
        section(f":warning: {escape(problem)}"),
        actions(button("Try again", retry_action, style="primary"), button("Back", back_action)),
    ]
    return modal(Callback.CREATE_RESULT, title, blocks, close="Close", metadata=metadata)


def result_view(
    name: str,
    status_label: str,
    invitation_line: str | None,
    problem: str | None,
    where: str,
    association_id: int,
) -> dict[str, Any]:
    """Step 4: what was done, and where progress will be reported."""
    blocks: list[dict[str, Any]] = [
        section(f":white_check_mark: *{escape(name)}* was created in Rainbow. Status: *{status_label}*."),
    ]
    if invitation_line:
        blocks.append(section(f":envelope: {invitation_line}"))
    if problem:
        blocks.append(section(f":warning: {escape(problem)}"))
        blocks.append(
            actions(button("Retry invitation", Action.RETRY_INVITATION, str(association_id), style="primary"))
        )
    blocks.append(context(f"Progress will be posted {where}."))
    return modal(Callback.CREATE_RESULT, TITLE, blocks, close="Done")
