"""`dipdata new`: a record skeleton with a `$schema` reference, for editors to complete."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .models import RECORD_MODELS
from ..base.paths import RECORDS_DIR
from .vocabulary import ID_PATTERN

ALIASES = {"event": "events", "actor": "actors", "outcome": "outcomes", "position": "positions",
           "aggregate": "aggregates", "source": "sources", "text": "texts",
           "commentaries": "commentary"}


class SkeletonError(Exception):
    """The skeleton cannot be written; the message says why."""


def skeleton(table: str, record_id: str) -> dict[str, Any]:
    """Every field of the table's model: required ones as placeholders to replace."""
    schema = RECORD_MODELS[table].model_json_schema(by_alias=True)
    record: dict[str, Any] = {"$schema": f"../../schema/{table}.schema.json", "id": record_id}
    for name, spec in schema["properties"].items():
        if name in record:
            continue
        if "default" in spec:
            record[name] = spec["default"]
        elif spec.get("type") == "array":
            record[name] = []
        else:
            record[name] = None  # required: validation names every one still empty
    return record


def write_skeleton(root: Path, table: str, record_id: str) -> Path:
    table = ALIASES.get(table, table)
    if table not in RECORD_MODELS:
        raise SkeletonError(f"unknown table {table!r}; use one of: {', '.join(RECORD_MODELS)}")
    if not re.fullmatch(ID_PATTERN, record_id):
        raise SkeletonError(f"{record_id!r} is not an id: use lowercase ASCII kebab-case")
    for other in RECORD_MODELS:  # ids are unique across all tables
        taken = root / RECORDS_DIR / other / f"{record_id}.json"
        if taken.exists():
            raise SkeletonError(f"the id {record_id!r} is taken: "
                                f"{taken.relative_to(root).as_posix()} exists")
    path = root / RECORDS_DIR / table / f"{record_id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(skeleton(table, record_id), indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, "utf-8")
    return path.relative_to(root)
