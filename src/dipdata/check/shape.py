"""JSON Schema errors in plain words: one stable code and one message per field."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

import jsonschema_rs

from . import records as reading
from ..model import vocabulary
from .records import RecordFile

_TYPE_NAMES = {"string": "a string", "integer": "an integer", "array": "a list",
               "object": "an object", "null": "null", "number": "a number", "boolean": "true/false"}


def check_shape(record: RecordFile, validator: Any, schema: dict[str, Any]) -> None:
    if validator.is_valid(record.data):
        return
    described: set[tuple] = set()
    # One message per field: the most telling error first (a pattern says more than a format).
    errors = sorted(validator.iter_errors(record.data),
                    key=lambda e: _PRIORITY.get(type(e.kind).__name__, 9))
    for error in errors:
        where = tuple(error.instance_path)
        if where in described and type(error.kind).__name__ not in ("AdditionalProperties",
                                                                     "Required"):
            continue
        described.add(where)
        path = list(error.instance_path)
        if type(error.kind).__name__ == "AdditionalProperties":
            for name in sorted(error.kind.unexpected):
                record.problem("unknown-field", f"unknown field {name!r}",
                               field=reading.field_path(path + [name]),
                               pointer=reading.pointer(path + [name]))
            continue
        nullable = False
        if type(error.kind).__name__ == "AnyOf":
            # A nullable field holding a wrong value: explain it against the non-null option.
            branch = _non_null_error(schema, error)
            if branch is not None:
                nullable = not branch.instance_path
                error, path = branch, path + list(branch.instance_path)
        code, message, path = _describe(type(error.kind).__name__, error, path)
        if nullable and code == "wrong-type":
            message = message.replace(", not ", " or null, not ", 1)
        record.problem(code, message, field=reading.field_path(path),
                       pointer=reading.pointer(path))


_PRIORITY = {"MinLength": 0, "Pattern": 1, "Enum": 2, "Type": 3, "Format": 4}


def _non_null_error(schema: dict[str, Any], error: Any) -> Any:
    node: Any = schema
    for step in error.schema_path:
        node = _follow(schema, node)[step]
    options = [option for option in node if option.get("type") != "null"]
    if len(options) != 1:
        return None
    branch = {**_follow(schema, options[0]), "$defs": schema.get("$defs", {})}
    validator = jsonschema_rs.validator_for(branch, validate_formats=True)
    return next(iter(validator.iter_errors(error.instance)), None)


def _follow(schema: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


Described = tuple[str, str, list]


def _describe(kind: str, error: Any, path: list) -> Described:
    """A stable code and a plain message for a JSON Schema error."""
    describe = _DESCRIBERS.get(kind)
    if describe is not None:
        return describe(error, path)
    code, template = _PLAIN.get(kind, ("schema", "{message}"))
    limit = getattr(error.kind, "limit", None)
    return code, template.format(limit=limit, message=error.message), path


def _required(error: Any, path: list) -> Described:
    prop = error.kind.property
    return "missing-field", f"required field {prop!r} is missing", path + [prop]


def _type(error: Any, path: list) -> Described:
    expected = json.loads(json.dumps(error.kind.types)) if hasattr(error.kind, "types") else []
    wanted = " or ".join(_TYPE_NAMES.get(t, t) for t in expected) or "another type"
    got = _json_type(error.instance)
    code = "missing-value" if got == "null" else "wrong-type"
    return code, f"must be {wanted}, not {got}", path


def _enum(error: Any, path: list) -> Described:
    name = str(path[-1]) if path else ""
    if name == "country" or (len(path) >= 2 and path[-2] == "countries"):
        return "bad-country", (f"{error.instance!r} is not an ISO 3166-1 alpha-2 country code "
                               "(two upper-case letters, e.g. 'RU')"), path
    options = ", ".join(json.dumps(o) for o in error.kind.options)
    return "unknown-value", f"{json.dumps(error.instance)} is not one of: {options}", path


def _format(error: Any, path: list) -> Described:
    if error.kind.format == "date":
        return "bad-date", f"{error.instance!r} is not a real calendar date", path
    return "bad-format", f"{error.instance!r} is not a valid {error.kind.format}", path


_DESCRIBERS: dict[str, Any] = {
    "Required": _required,
    "Type": _type,
    "Enum": _enum,
    "Format": _format,
    "Pattern": lambda error, path: _describe_pattern(error.kind.pattern, error.instance, path),
}
#: The other keywords: (code, message), the message naming the keyword's {limit} or giving
#: the validator's own {message}.
_PLAIN = {
    "MinLength": ("empty", "must not be empty"),
    "MaxLength": ("too-long", "is longer than {limit} characters"),
    "MinItems": ("too-few", "must list at least {limit} item(s)"),
    "UniqueItems": ("duplicate-item", "lists the same item more than once"),
    "Minimum": ("out-of-range", "{message}"),
    "Maximum": ("out-of-range", "{message}"),
    # a nullable field whose value is neither null nor valid
    "AnyOf": ("invalid-value", "{message}"),
    "OneOf": ("invalid-value", "{message}"),
}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return {str: "a string", int: "an integer", float: "a number", list: "a list",
            dict: "an object"}.get(type(value), type(value).__name__)


def _describe_pattern(pattern: str, value: str, path: list) -> tuple[str, str, list]:
    if pattern == vocabulary.ID_PATTERN:
        return "bad-id", (f"{value!r} is not an id: use lowercase ASCII letters, digits and "
                          "single hyphens (kebab-case)"), path
    if pattern == vocabulary.DATE_PATTERN:
        return "bad-date", (f"{value!r} is not a date written YYYY-MM-DD with a year in "
                            "1900-2099"), path
    if pattern == vocabulary.URL_PATTERN:
        return "bad-url", (f"{value!r} is not allowed: source URLs are http or https, with "
                           "no user name or password"), path
    if pattern == vocabulary.TEXT_PATTERN:
        if value and value[0] in "=+-@":
            return "formula-trigger", (f"starts with {value[0]!r}, which a spreadsheet would "
                                       "run as a formula; reword it"), path
        if value.startswith(" "):
            return "leading-space", "starts with a space", path
        found = re.search(f"[{vocabulary.FORBIDDEN_CHARACTERS}]", value)
        if found:
            char, offset = found.group(), found.start()
            name = unicodedata.name(char, "control character")
            return "invisible-character", (f"holds U+{ord(char):04X} {name} at character "
                                           f"{offset + 1}; remove it"), path
    if pattern == vocabulary.QID_PATTERN:
        return "bad-qid", f"{value!r} is not a Wikidata QID (Q followed by digits)", path
    if pattern == vocabulary.LANGUAGE_PATTERN:
        return "bad-language", f"{value!r} is not a BCP 47 language tag such as 'en'", path
    return "pattern", f"{value!r} does not match {pattern}", path

