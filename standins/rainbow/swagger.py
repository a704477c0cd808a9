"""Rainbow's Swagger 2.0 files as JSON Schema (draft 4) that `jsonschema` can check.

Swagger 2.0 schemas are draft-4 JSON Schema with quirks, handled here once:
- `x-...` vendor keys are dropped;
- patterns are written as JavaScript literals (`/^...$/`, maybe with flags): the slashes are removed,
  an `i` flag becomes `(?i)`;
- an `enum` beside `type: array` lists the allowed *items* (e.g. `PostCompanies.visibleBy`-style lists),
  so it is moved into `items`;
- `required: true` on a property (not the draft-4 list form) is dropped;
- response definitions describe the object *inside* the `data` envelope and list as `required` fields
  that no `format` other than `full` carries, so answers are checked without `required` (see
  `docs/rainbow-wire-decisions.md`, "How the contract is checked").
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

SPEC_DIR = Path(__file__).parent / "openapi"
SPEC_FILES = ("admin.swagger.json", "enduser.swagger.json", "authentication.swagger.json")
_JS_REGEX = re.compile(r"^/(?P<body>.*)/(?P<flags>[a-z]*)$", re.DOTALL)
_SCHEMA_MAPS = ("properties", "definitions", "patternProperties")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_SCHEMA_SINGLE = ("items", "additionalProperties", "not")


@cache
def load_spec(name: str) -> dict[str, Any]:
    """One spec file, parsed once per process."""
    spec: dict[str, Any] = json.loads((SPEC_DIR / name).read_text(encoding="utf-8"))
    return spec


def python_pattern(pattern: str) -> str:
    """`/^a+$/i` -> `(?i)^a+$`; a pattern without slashes is kept."""
    literal = _JS_REGEX.match(pattern)
    if literal is None:
        return pattern
    flags = "(?i)" if "i" in literal["flags"] else ""
    return flags + literal["body"]


def to_json_schema(schema: Any, *, keep_required: bool = True) -> Any:
    """A draft-4 schema from a Swagger 2.0 one (recursively, only through schema keywords)."""
    if not isinstance(schema, dict):
        return schema
    converted: dict[str, Any] = {}
    for key, value in schema.items():
        if key.startswith("x-") or key in ("example", "discriminator", "readOnly", "xml", "externalDocs"):
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            converted[key] = {name: to_json_schema(sub, keep_required=keep_required) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            converted[key] = [to_json_schema(sub, keep_required=keep_required) for sub in value]
        elif key in _SCHEMA_SINGLE and isinstance(value, dict):
            converted[key] = to_json_schema(value, keep_required=keep_required)
        elif key == "pattern" and isinstance(value, str):
            converted[key] = python_pattern(value)
        elif key == "required":
            if isinstance(value, list) and keep_required:
                converted[key] = value
        elif key == "type" and value == "file":
            continue
        else:
            converted[key] = value
    if converted.get("type") == "array" and "enum" in converted:
        items = dict(converted.get("items") or {})
        items["enum"] = converted.pop("enum")
        converted["items"] = items
    return converted


@cache
def definitions(name: str, *, keep_required: bool) -> dict[str, Any]:
    """Every definition of one spec, converted (referenced as `#/definitions/...`)."""
    raw = load_spec(name).get("definitions", {})
    return {key: to_json_schema(value, keep_required=keep_required) for key, value in raw.items()}
