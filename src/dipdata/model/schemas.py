"""Reading the records' JSON Schemas: what each reference field points at."""

from __future__ import annotations

from typing import Any


def references(schemas: dict[str, dict[str, Any]]) -> dict[tuple[str, str], str]:
    """What each reference field points at, from the schemas' `x-references` annotations:
    (table, field path) -> target table ("*" is any table; "[]" marks each item of a list)."""
    found: dict[tuple[str, str], str] = {}
    for table, schema in schemas.items():
        for name, spec in schema["properties"].items():
            plain = resolve(spec, schema)
            if "x-references" in spec or "x-references" in plain:
                target = spec.get("x-references") or plain["x-references"]
                found[(table, f"{name}[]" if plain.get("type") == "array" else name)] = target
            elif plain.get("type") == "array" and "$ref" in plain.get("items", {}):
                items = resolve(plain["items"], schema)
                for inner, inner_spec in items["properties"].items():
                    if "x-references" in inner_spec:
                        found[(table, f"{name}[].{inner}")] = inner_spec["x-references"]
    return found


def resolve(spec: dict[str, Any], json_schema: dict[str, Any]) -> dict[str, Any]:
    """A property's own schema: its `$ref` followed, or its one non-null `anyOf` option."""
    if "$ref" in spec:
        return json_schema["$defs"][spec["$ref"].rsplit("/", 1)[1]]
    options = [s for s in spec.get("anyOf", []) if s.get("type") != "null"]
    return {**options[0], **{k: v for k, v in spec.items() if k != "anyOf"}} if options else spec
