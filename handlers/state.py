"""Reading what a person typed in a modal (``view.state.values``) without caring about element types."""

from typing import Any


def _value(element: dict[str, Any]) -> Any:
    if "selected_option" in element:
        selected = element["selected_option"]
        return selected and {"value": selected.get("value"), "text": (selected.get("text") or {}).get("text")}
    for key in ("value", "selected_user", "selected_date", "selected_channel", "selected_conversation"):
        if key in element:
            return element[key]
    return None


def values(view: dict[str, Any]) -> dict[str, Any]:
    """``{block_id: value}``; a select gives ``{"value", "text"}`` or None."""
    state = (view.get("state") or {}).get("values") or {}
    return {block_id: _value(next(iter(elements.values()), {})) for block_id, elements in state.items() if elements}


def selected_value(found: Any) -> str | None:
    return found.get("value") if isinstance(found, dict) else None


def selected_text(found: Any) -> str | None:
    return found.get("text") if isinstance(found, dict) else None


def user_id(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id") or body.get("user_id") or "")


def view_id(body: dict[str, Any]) -> str:
    return str((body.get("view") or {}).get("id") or "")
