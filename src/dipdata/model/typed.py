"""Typed records from their JSON objects: validated by the models, or made without
validating them again (for records known to be valid), with the models imported only then."""

from __future__ import annotations

import datetime
import functools
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Strict


def validated(tables: dict[str, list[dict[str, Any]]]) -> dict[str, list[Any]]:
    """Every record made and validated by its model, which raises on the first fault."""
    from .models import RECORD_MODELS

    return {table: [RECORD_MODELS[table].model_validate(record) for record in records]
            for table, records in tables.items()}


def valid_by_schema(tables: dict[str, list[Any]], schemas: dict[str, Any] | None) -> bool:
    """Whether every table is valid against the JSON Schema of its JSON resource (generated
    from the models, which accept and reject the same records: a test proves it); False
    without schemas."""
    if schemas is None:
        return False
    import jsonschema_rs

    return all(jsonschema_rs.validator_for(schemas[table], validate_formats=True)
               .is_valid(records) for table, records in tables.items())


@functools.cache
def _plan(model: type[Strict]) -> dict[str, tuple[str, Any]]:
    """How to build each field from JSON: (json key, "date" | a nested model | None)."""
    from pydantic import BaseModel

    plan = {}
    for name, info in model.model_fields.items():
        if info.exclude:
            continue
        kind: Any = None
        annotation = info.annotation
        args = [_bare(a) for a in typing.get_args(annotation)]
        if _bare(annotation) is datetime.date or datetime.date in args:
            kind = "date"
        elif typing.get_origin(annotation) is list and args and isinstance(args[0], type) \
                and issubclass(args[0], BaseModel):
            kind = args[0]
        plan[name] = (info.alias or name, kind)
    return plan


def _bare(annotation: Any) -> Any:
    """The type inside ``Annotated[...]``."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _construct(model: type[Strict], data: dict[str, Any]) -> Any:
    values = {}
    for name, (key, kind) in _plan(model).items():
        if key not in data:
            continue
        value = data[key]
        if kind == "date" and value is not None:
            value = datetime.date.fromisoformat(value)
        elif kind is not None and kind != "date":
            value = [_construct(kind, item) for item in value]
        values[name] = value
    return model.model_construct(**values)


def maker(table: str) -> Callable[[dict[str, Any]], Any]:
    """What makes a typed record of ``table`` from its JSON object, without validating it."""
    def make(data: dict[str, Any]) -> Any:
        from .models import RECORD_MODELS

        return _construct(RECORD_MODELS[table], data)

    return make


