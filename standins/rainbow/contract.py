"""Rainbow's official OpenAPI files as the contract of every request the sandbox receives and every answer
it sends (files in `standins/rainbow/openapi/`, see its README).

A request is checked for: an operation for that method and path template; its required path, query and
header parameters; each query/header value against its declared type, enum, pattern, format and length;
no query parameter and no body field the operation does not declare; the body against its schema.
An answer is checked for: a status the operation documents; the body (or what is inside `data`) against
the response schema; no field that neither the schema nor the operation's examples carry.

Deviations are recorded, per sandbox and for the whole process, so a test run can fail on any it did not
expect (`unexpected_deviations`).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from jsonschema import Draft4Validator
from multidict import MultiMapping

from standins.rainbow.swagger import SPEC_FILES, definitions, load_spec, python_pattern, to_json_schema

logger = logging.getLogger("standins.rainbow.contract")
_PARAMETER = re.compile(r"\{([^}]+)\}")
_SPLITTERS = {"csv": ",", "ssv": " ", "tsv": "\t", "pipes": "|"}
_ENVELOPE_KEYS = frozenset({"data", "total", "limit", "offset", "status"})
NO_BODY = object()


@dataclass(frozen=True)
class Deviation:
    """One difference from the spec, in the `{param, msg, value}` form of Rainbow's validation errors."""

    direction: str
    method: str
    path: str
    param: str
    msg: str
    value: Any = None
    test: str | None = None
    expected: bool = False

    def detail(self) -> dict[str, Any]:
        return {"param": self.param, "msg": self.msg, "value": self.value}

    def __str__(self) -> str:
        where = f" (in {self.test})" if self.test else ""
        return f"{self.direction} {self.method} {self.path}: {self.param}: {self.msg} [{self.value!r}]{where}"


_RECORDED: list[Deviation] = []
_EXPECTING = [False]


@contextmanager
def deviations_expected(expected: bool = True) -> Iterator[None]:
    """Deviations recorded inside are marked as expected (a test that sends a wrong request on purpose)."""
    before = _EXPECTING[0]
    _EXPECTING[0] = expected
    try:
        yield
    finally:
        _EXPECTING[0] = before


def unexpected_deviations() -> list[Deviation]:
    """Every deviation recorded in this process outside `deviations_expected`."""
    return [deviation for deviation in _RECORDED if not deviation.expected]


@dataclass(frozen=True)
class Operation:
    spec: str
    method: str
    template: str
    operation_id: str
    raw: dict[str, Any]
    regex: re.Pattern[str]
    literal_segments: int

    @property
    def parameters(self) -> list[dict[str, Any]]:
        return list(self.raw.get("parameters", []))


@cache
def operations() -> tuple[Operation, ...]:
    """Every operation of the three specs, read once per process."""
    found = []
    for name in SPEC_FILES:
        for template, methods in load_spec(name)["paths"].items():
            regex = re.compile(
                "^"
                + _PARAMETER.sub(r"(?P<\1>[^/]+)", re.escape(template).replace(r"\{", "{").replace(r"\}", "}"))
                + "$"
            )
            literal = sum(1 for part in template.split("/") if part and not part.startswith("{"))
            for method, raw in methods.items():
                if method.lower() in ("get", "post", "put", "delete", "patch"):
                    found.append(
                        Operation(name, method.upper(), template, raw.get("operationId", ""), raw, regex, literal)
                    )
    return tuple(found)


def find_operation(method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
    """The documented operation for a concrete path; literal segments win (`companies/default`)."""
    matches = [
        (op, match.groupdict())
        for op in operations()
        if op.method == method.upper() and (match := op.regex.match(path)) is not None
    ]
    if not matches:
        return None
    return max(matches, key=lambda pair: pair[0].literal_segments)


_VALIDATORS: dict[tuple[str, int, bool], Draft4Validator] = {}


def _validator(spec: str, schema: dict[str, Any], *, keep_required: bool) -> Draft4Validator:
    """A validator for one schema of the (never modified) spec, built once; a top-level `$ref` is inlined
    so that checking each item of a long list does not resolve it again."""
    key = (spec, id(schema), keep_required)
    if key not in _VALIDATORS:
        converted = definitions(spec, keep_required=keep_required)
        ref = schema.get("$ref")
        name = ref.rsplit("/", 1)[1] if isinstance(ref, str) and ref.startswith("#/definitions/") else None
        body = converted[name] if name in converted else to_json_schema(schema, keep_required=keep_required)
        _VALIDATORS[key] = Draft4Validator(
            {**body, "definitions": converted}, format_checker=Draft4Validator.FORMAT_CHECKER
        )
    return _VALIDATORS[key]


def _scalar_problem(parameter: dict[str, Any], value: str) -> str | None:
    """Why a query/header/path value breaks its declaration, or None."""
    kind = parameter.get("type", "string")
    if kind == "array":
        items = parameter.get("items") or {}
        separator = _SPLITTERS.get(parameter.get("collectionFormat", "csv"))
        parts = value.split(separator) if separator else [value]
        enum = parameter.get("enum") or items.get("enum")
        for part in parts:
            problem = _scalar_problem({**items, **({"enum": enum} if enum else {})}, part)
            if problem:
                return problem
        return None
    if kind == "boolean" and value not in ("true", "false"):
        return "must be true or false"
    if kind in ("number", "integer"):
        try:
            number = float(value) if kind == "number" else int(value)
        except ValueError:
            return f"must be a{'n integer' if kind == 'integer' else ' number'}"
        if "minimum" in parameter and number < parameter["minimum"]:
            return f"must be at least {parameter['minimum']}"
        if "maximum" in parameter and number > parameter["maximum"]:
            return f"must be at most {parameter['maximum']}"
    if "enum" in parameter and value not in [str(item) for item in parameter["enum"]]:
        return f"must be one of {parameter['enum']}"
    if "pattern" in parameter and not re.search(python_pattern(parameter["pattern"]), value):
        return f"must match {parameter['pattern']}"
    if "maxLength" in parameter and len(value) > parameter["maxLength"]:
        return f"must be at most {parameter['maxLength']} characters"
    if "minLength" in parameter and len(value) < parameter["minLength"]:
        return f"must be at least {parameter['minLength']} characters"
    return None


@dataclass
class ContractLog:
    """The deviations one sandbox saw (it refuses every deviating request, as Rainbow's validation does)."""

    deviations: list[Deviation] = field(default_factory=list)

    def record(self, direction: str, method: str, path: str, details: list[dict[str, Any]]) -> list[Deviation]:
        made = [
            Deviation(
                direction,
                method,
                path,
                str(detail["param"]),
                str(detail["msg"]),
                detail.get("value"),
                test=os.environ.get("PYTEST_CURRENT_TEST"),
                expected=_EXPECTING[0],
            )
            for detail in details
        ]
        for deviation in made:
            if not deviation.expected:
                logger.error("Rainbow contract deviation: %s", deviation)
        self.deviations.extend(made)
        _RECORDED.extend(made)
        return made


def check_request(
    method: str, path: str, query: MultiMapping[str], headers: Mapping[str, str], body: Any
) -> tuple[Operation | None, list[dict[str, Any]]]:
    """The operation and the request's deviations from it (`body` is NO_BODY when none was sent)."""
    found = find_operation(method, path)
    if found is None:
        return None, [{"param": "path", "msg": f"no documented operation {method} {path}", "value": path}]
    operation, path_values = found
    problems: list[dict[str, Any]] = []
    lowered = {key.lower(): value for key, value in headers.items()}
    declared_query = set()
    body_parameter = None
    for parameter in operation.parameters:
        where, name = parameter.get("in"), parameter.get("name", "")
        if where == "body":
            body_parameter = parameter
            continue
        if where == "query":
            declared_query.add(name)
            values = query.getall(name, [])
        elif where == "header":
            values = [lowered[name.lower()]] if name.lower() in lowered else []
        elif where == "path":
            values = [path_values[name]] if name in path_values else []
        else:
            continue
        if not values and parameter.get("required") is True:
            problems.append({"param": name, "msg": f"required {where} parameter is missing", "value": None})
        for value in values:
            if (problem := _scalar_problem(parameter, value)) is not None:
                problems.append({"param": name, "msg": problem, "value": value})
    for name in sorted(set(query) - declared_query):
        problems.append({"param": name, "msg": "query parameter not declared by this operation", "value": query[name]})
    problems.extend(_body_problems(operation, body_parameter, body))
    return operation, problems


def _body_problems(operation: Operation, parameter: dict[str, Any] | None, body: Any) -> list[dict[str, Any]]:
    if body is NO_BODY or body == {}:
        if parameter is not None and parameter.get("required") is True and body is NO_BODY:
            return [{"param": "body", "msg": "request body is required", "value": None}]
        return []
    if parameter is None:
        fields = body if isinstance(body, dict) else {"body": body}
        return [
            {"param": key, "msg": "field not declared by this operation", "value": value}
            for key, value in fields.items()
        ]
    schema = parameter.get("schema") or {}
    validator = _validator(operation.spec, schema, keep_required=True)
    problems = [_detail(error) for error in validator.iter_errors(body)]
    declared = _declared_fields(operation.spec, schema)
    if isinstance(body, dict) and declared is not None:
        problems.extend(
            {"param": key, "msg": "field not declared by this operation", "value": value}
            for key, value in body.items()
            if key not in declared
        )
    return problems


def _resolve(spec: str, schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/definitions/"):
        definition: dict[str, Any] = load_spec(spec)["definitions"].get(ref.rsplit("/", 1)[1], {})
        return definition
    return schema


def _declared_fields(spec: str, schema: dict[str, Any]) -> set[str] | None:
    resolved = _resolve(spec, schema)
    properties = resolved.get("properties")
    return set(properties) if isinstance(properties, dict) else None


def _detail(error: Any) -> dict[str, Any]:
    where = ".".join(str(part) for part in error.absolute_path) or "body"
    return {
        "param": where,
        "msg": error.message[:300],
        "value": error.instance if not isinstance(error.instance, dict | list) else None,
    }


def check_response(operation: Operation, status: int, body: Any) -> list[dict[str, Any]]:
    """The answer's deviations from what the operation documents for that status."""
    responses = operation.raw.get("responses", {})
    documented = responses.get(str(status)) or responses.get("default")
    if documented is None:
        return [
            {
                "param": "status",
                "msg": f"status {status} is not documented for {operation.operation_id}",
                "value": status,
            }
        ]
    if status >= 400:
        return _error_body_problems(body)
    schema = documented.get("schema")
    if schema is None:
        return []
    return _success_body_problems(operation, schema, body, list((documented.get("examples") or {}).values()))


def _strip_nulls(value: Any) -> Any:
    """Swagger 2.0 cannot say "nullable": a null is read as an absent optional value."""
    if isinstance(value, dict):
        return {key: _strip_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_strip_nulls(item) for item in value]
    return value


def _success_body_problems(
    operation: Operation, schema: dict[str, Any], body: Any, examples: list[Any]
) -> list[dict[str, Any]]:
    body = _strip_nulls(body)
    problems: list[dict[str, Any]] = []
    if isinstance(body, dict) and "data" in body:
        resolved = _resolve(operation.spec, schema)
        data_schema = (resolved.get("properties") or {}).get("data")
        item_schema = schema
        if isinstance(data_schema, dict):
            item_schema = data_schema.get("items", data_schema) if data_schema.get("type") == "array" else data_schema
        inner = body["data"]
        targets = inner if isinstance(inner, list) else [inner]
        example_items = _example_items(examples)
        problems.extend(
            {"param": key, "msg": "envelope field not in the documented answer", "value": body[key]}
            for key in body
            if key not in _ENVELOPE_KEYS
        )
    else:
        item_schema, targets, example_items = schema, [body], list(examples)
    validator = _validator(operation.spec, item_schema, keep_required=False)
    known = (_declared_fields(operation.spec, item_schema) or set()) | {
        key for item in example_items if isinstance(item, dict) for key in item
    }
    if isinstance(body, dict) and isinstance(body.get("data"), list):
        known |= _single_item_fields(operation.spec, operation.template)
    known |= _format_fields(operation)
    for target in targets:
        problems.extend(
            _detail(error)
            for error in validator.iter_errors(target)
            if not _documented_elsewhere(operation.spec, error)
        )
        if isinstance(target, dict) and known:
            problems.extend(
                {"param": key, "msg": "field neither declared nor in the documented examples", "value": None}
                for key in target
                if key not in known
            )
    return problems


def _format_fields(operation: Operation) -> set[str]:
    """Field names the `format` parameter's description lists (e.g. bp-link `small`: `_id, invitingCompanyId`)."""
    for parameter in operation.parameters:
        if parameter.get("in") == "query" and parameter.get("name") == "format":
            return set(re.findall(r"[_A-Za-z][A-Za-z0-9_]*", parameter.get("description", "")))
    return set()


@cache
def _enum_values(spec: str) -> dict[str, frozenset[str]]:
    """For each property name, every value any definition of the spec lists in its enum."""
    values: dict[str, set[str]] = {}

    def walk(schema: Any) -> None:
        if isinstance(schema, dict):
            for name, sub in (schema.get("properties") or {}).items():
                if isinstance(sub, dict) and isinstance(sub.get("enum"), list):
                    values.setdefault(name, set()).update(map(str, sub["enum"]))
            for value in schema.values():
                walk(value)
        elif isinstance(schema, list):
            for value in schema:
                walk(value)

    walk(load_spec(spec).get("definitions", {}))
    return {name: frozenset(found) for name, found in values.items()}


def _documented_elsewhere(spec: str, error: Any) -> bool:
    """The spec contradicts itself on some enums (PostCompaniesSuccess.state lists only US codes while
    PostCompanies.state accepts Canada's): an answer's value that the spec lists for the same field is kept."""
    if error.validator != "enum" or not error.absolute_path:
        return False
    field_name = str(error.absolute_path[-1])
    return str(error.instance) in _enum_values(spec).get(field_name, frozenset())


@cache
def _single_item_fields(spec: str, template: str) -> frozenset[str]:
    """A list answered in `format=full` carries "all fields" of its items: those the same resource's
    single-item GET (`<list path>/{id}`) declares or shows."""
    fields: set[str] = set()
    for other in operations():
        if other.spec != spec or other.method != "GET":
            continue
        if not re.fullmatch(re.escape(template) + r"/\{[^}/]+\}", other.template):
            continue
        documented = other.raw.get("responses", {}).get("200", {})
        if isinstance(documented.get("schema"), dict):
            fields |= _declared_fields(other.spec, documented["schema"]) or set()
        examples = list((documented.get("examples") or {}).values())
        fields |= {key for item in _example_items(examples) if isinstance(item, dict) for key in item}
    return frozenset(fields)


def _example_items(examples: list[Any]) -> list[Any]:
    items: list[Any] = []
    for example in examples:
        inner = example.get("data") if isinstance(example, dict) else None
        items.extend(inner if isinstance(inner, list) else [inner])
    return items


@cache
def _error_keys() -> frozenset[str]:
    """Every top-level key of every documented error example, across the three specs."""
    keys: set[str] = set()
    for operation in operations():
        for status, documented in operation.raw.get("responses", {}).items():
            if status.isdigit() and int(status) >= 400:
                for example in (documented.get("examples") or {}).values():
                    if isinstance(example, dict):
                        keys.update(example)
    return frozenset(keys)


def _error_body_problems(body: Any) -> list[dict[str, Any]]:
    if not isinstance(body, dict):
        return [{"param": "body", "msg": "an error answer must be a JSON object", "value": None}]
    return [
        {"param": key, "msg": "error field not in any documented error answer", "value": body[key]}
        for key in body
        if key not in _error_keys()
    ]
