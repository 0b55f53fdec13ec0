"""What a record file may hold beyond JSON's grammar: how deeply it nests, and numbers that
can be read exactly."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

#: The deepest nesting a record may have. Records nest a few levels; the JSON tools used on
#: them stop at 255 (orjson writing) and 1024 (orjson reading), so the limit sits below both.
MAX_DEPTH = 64
LONG_NUMBER = re.compile(rb"[0-9]{16,}")


def deeper_than(raw: bytes, limit: int) -> int | None:
    """The offset of the first bracket nested deeper than ``limit``, outside strings."""
    depth, in_string, escaped = 0, False, False
    for offset, byte in enumerate(raw):
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return offset
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return None


def inexact_number(raw: bytes, data: Any) -> int | None:
    """The offset of a number orjson could not read exactly (it reads integers beyond 64 bits
    as floats), found by reading the text again with Python's exact integers."""
    exact = json.loads(raw)
    if exact == data and same_types(exact, data):
        return None
    match = LONG_NUMBER.search(raw)
    return match.start() if match else 0


def same_types(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return all(same_types(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return all(same_types(x, y) for x, y in zip(a, b))
    return True


def repeated_keys(text: str, data: Any) -> list[tuple[str, str | None]]:
    """(key, JSON pointer of where it is kept) of each key written twice in one object,
    found by Python's json with a hook that sees every pair."""
    found: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict:
        seen: set[str] = set()
        for key, _ in items:
            if key in seen:
                found.append(key)
            seen.add(key)
        return dict(items)

    json.loads(text, object_pairs_hook=pairs)
    return [(key, _find_key(data, key)) for key in found]


def _find_key(value: Any, key: str, pointer: str = "") -> str | None:
    if isinstance(value, dict):
        if key in value:
            return f"{pointer}/{escape_key(key)}"
        items: Iterable[tuple[Any, Any]] = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for name, item in items:
        found = _find_key(item, key, f"{pointer}/{escape_key(str(name))}")
        if found:
            return found
    return None


def escape_key(key: str) -> str:
    """A key as a JSON pointer writes it (RFC 6901: ~ as ~0, / as ~1)."""
    return key.replace("~", "~0").replace("/", "~1")
