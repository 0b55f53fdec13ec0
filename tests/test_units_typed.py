"""Typed records from their JSON objects, validated or not, and the check of whole tables
against JSON Schemas written in the test."""

from __future__ import annotations

import datetime

import pytest
from pydantic import ValidationError

from dipdata.model.typed import maker, valid_by_schema, validated

EVENT = {"id": "e", "sources": ["s"], "kind": "call", "title": "A call",
         "start_date": "2023-03-20", "end_date": "2023-03-20", "date_precision": "day",
         "mode": "phone", "section": "opening", "summary": "They spoke.",
         "plover_event": "CONSULT",
         "participants": [{"actor": "a", "role": "host"}, {"actor": "b", "role": "guest"}]}


def test_a_record_made_without_validation_has_its_fields_typed():
    event = maker("events")(EVENT)
    assert (event.id, event.kind, event.title, event.start_date, event.end_date) == (
        "e", "call", "A call", datetime.date(2023, 3, 20), datetime.date(2023, 3, 20))
    assert [(p.actor, p.role, p.capacity) for p in event.participants] == [
        ("a", "host", None), ("b", "guest", None)]
    assert (event.notes, event.city, event.mentions) == (None, None, [])  # missing: defaults


def test_a_missing_field_leaves_the_next_ones_made():
    actor = maker("actors")({"id": "a", "sources": ["s"], "name": "X", "kind": "person",
                             "country": "RU"})
    assert (actor.id, actor.notes, actor.name, actor.kind, actor.country) == (
        "a", None, "X", "person", "RU")


def test_a_null_date_stays_null():
    outcome = maker("outcomes")({"id": "o", "sources": ["s"], "kind": "plan", "title": "P",
                                 "date": None, "event": "e", "summary": "S."})
    assert outcome.date is None and outcome.event == "e"


def test_validated_records_and_the_first_fault():
    tables = validated({"events": [EVENT], "actors": []})
    assert list(tables) == ["events", "actors"]
    assert tables["events"][0].start_date == datetime.date(2023, 3, 20)
    with pytest.raises(ValidationError):
        validated({"events": [{**EVENT, "kind": "party"}]})


SCHEMA = {"type": "array", "items": {"type": "object", "required": ["id"],
                                     "properties": {"day": {"type": "string",
                                                            "format": "date"}}}}


def test_tables_valid_by_their_schemas():
    schemas = {"a": SCHEMA, "b": {"type": "array", "maxItems": 1}}
    assert valid_by_schema({"a": [{"id": 1, "day": "2023-02-28"}], "b": [1]}, schemas) is True
    assert valid_by_schema({"a": [{"id": 1}], "b": [1, 2]}, schemas) is False
    assert valid_by_schema({"a": [{"day": "2023-02-28"}], "b": []}, schemas) is False
    # formats are checked too: no 30 February
    assert valid_by_schema({"a": [{"id": 1, "day": "2023-02-30"}]}, schemas) is False
    assert valid_by_schema({}, schemas) is True


def test_without_schemas_nothing_is_valid_by_schema():
    assert valid_by_schema({"a": []}, None) is False
