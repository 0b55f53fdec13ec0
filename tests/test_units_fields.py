"""The field types' rules on small values: text limits, references, countries, dates and
repeated items, with the messages a curator sees. Expected values written by hand."""

from __future__ import annotations

import datetime

import pytest
from pydantic import TypeAdapter, ValidationError

from dipdata.model.fields import (
    Id,
    Name,
    _check_country,
    _parse_date,
    _text,
    _unique,
    ref,
)
from dipdata.model.vocabulary import TEXT_PATTERN


def test_a_text_field_holds_one_to_max_length_characters_of_the_text_pattern():
    field = _text(200)
    constraints = {type(m).__name__: m for m in field.metadata}
    assert constraints["MinLen"].min_length == 1
    assert constraints["MaxLen"].max_length == 200
    assert field.json_schema_extra is None
    pattern = [m.pattern for m in field.metadata if hasattr(m, "pattern")]
    assert pattern == [TEXT_PATTERN]


@pytest.mark.parametrize(("value", "ok"), [
    ("x", True), ("x" * 200, True), ("", False), ("x" * 201, False), (" x", False),
    ("=1+1", False), ("a\u200bb", False),
])
def test_a_name_is_checked_by_length_and_pattern(value, ok):
    adapter = TypeAdapter(Name)
    if ok:
        assert adapter.validate_python(value) == value
    else:
        with pytest.raises(ValidationError):
            adapter.validate_python(value)


@pytest.mark.parametrize(("value", "ok"), [
    ("a", True), ("a-1", True), ("a" * 80, True), ("a" * 81, False), ("", False),
    ("A", False), ("a--b", False),
])
def test_an_id_is_short_lowercase_kebab_case(value, ok):
    adapter = TypeAdapter(Id)
    if ok:
        assert adapter.validate_python(value) == value
    else:
        with pytest.raises(ValidationError):
            adapter.validate_python(value)


def test_a_reference_names_its_table_in_the_json_schema():
    assert ref("events") == {"json_schema_extra": {"x-references": "events"}}
    assert ref("*") == {"json_schema_extra": {"x-references": "*"}}


def test_a_country_is_an_iso_code():
    assert _check_country("RU") == "RU"
    with pytest.raises(ValueError, match=r"^'XX' is not an ISO 3166-1 alpha-2 country code$"):
        _check_country("XX")
    with pytest.raises(ValueError, match="'ru' is not"):
        _check_country("ru")


def test_a_date_is_written_yyyy_mm_dd_in_1900_2099():
    assert _parse_date("2023-03-20") == datetime.date(2023, 3, 20)
    assert _parse_date("1900-01-01") == datetime.date(1900, 1, 1)
    day = datetime.date(2023, 1, 2)
    assert _parse_date(day) is day  # not a string: left to pydantic
    message = r"^a date is written YYYY-MM-DD, with a year in 1900-2099$"
    for bad in ("20230320", "2023-03-20T10:00:00", "1899-12-31", "2100-01-01", "2023-3-20"):
        with pytest.raises(ValueError, match=message):
            _parse_date(bad)


def test_an_item_listed_twice_is_refused_by_name():
    assert _unique(["a", "b"]) == ["a", "b"]
    assert _unique([]) == []
    with pytest.raises(ValueError, match=r"^'a' is listed twice$"):
        _unique(["a", "b", "a"])
    # items that cannot be hashed are compared by their repr
    assert _unique([{"a": 1}, {"a": 2}]) == [{"a": 1}, {"a": 2}]
    with pytest.raises(ValueError, match=r"^\[1\] is listed twice$"):
        _unique([[1], [2], [1]])
