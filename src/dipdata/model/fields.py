"""The field types records are built from: ids, references, countries, dates, URLs and
checked text, each a pydantic annotation carrying its JSON Schema."""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any, Optional

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from .vocabulary import (
    DATE_PATTERN,
    ID_PATTERN,
    TEXT_PATTERN,
    URL_PATTERN,
    country_codes,
)


def _check_country(code: str) -> str:
    if code not in country_codes():
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return code


def _parse_date(value: Any) -> Any:
    if isinstance(value, str):
        if not re.fullmatch(DATE_PATTERN, value):
            raise ValueError("a date is written YYYY-MM-DD, with a year in 1900-2099")
        return datetime.date.fromisoformat(value)
    return value


def _unique(items: list) -> list:
    seen = set()
    for item in items:
        key = item if isinstance(item, (str, int)) else repr(item)
        if key in seen:
            raise ValueError(f"{item!r} is listed twice")
        seen.add(key)
    return items


def _text(max_length: int) -> Any:
    """Field constraints of a text of at most ``max_length`` characters (see TEXT_PATTERN)."""
    return Field(min_length=1, max_length=max_length, pattern=TEXT_PATTERN)


# Ids are lowercase ASCII kebab-case, unique across all tables.
Id = Annotated[str, Field(min_length=1, max_length=80, pattern=ID_PATTERN)]


def ref(table: str) -> dict[str, Any]:
    """JSON Schema annotation of a reference field: the table its ids point at ("*": any)."""
    return {"json_schema_extra": {"x-references": table}}
Country = Annotated[
    str,
    AfterValidator(_check_country),
    Field(json_schema_extra=lambda schema: schema.update(enum=list(country_codes()))),
]
# Dates are checked as strings first so that only YYYY-MM-DD is accepted, never a timestamp.
Date = Annotated[
    datetime.date,
    BeforeValidator(_parse_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
Url = Annotated[str, Field(max_length=500, pattern=URL_PATTERN,
                           json_schema_extra={"format": "uri"})]
# Texts, by the most characters they hold (aliases written out, so that type checkers see str).
Name = Annotated[str, _text(200)]
Item = Annotated[str, _text(1000)]
Summary = Annotated[str, _text(2000)]
LongText = Annotated[str, _text(4000)]
Notes = Optional[LongText]
