"""What each reference field points at, read from small JSON Schemas written in the test:
plain fields, lists, optional fields (anyOf with null), `$ref`s and fields of listed objects."""

from __future__ import annotations

from dipdata.model.schemas import references, resolve

ID = {"type": "string", "pattern": "^[a-z]+$"}


def test_references_of_every_shape_of_field():
    schema = {
        "properties": {
            "event": {**ID, "x-references": "events"},
            "sources": {"type": "array", "items": ID, "x-references": "sources"},
            "part_of": {"anyOf": [ID, {"type": "null"}], "default": None,
                        "x-references": "events"},
            # the annotation only inside the non-null option, or on the definition referred to
            "outcome": {"anyOf": [{"type": "null"}, {**ID, "x-references": "outcomes"}]},
            "actor": {"$ref": "#/$defs/ActorId"},
            "participants": {"type": "array", "items": {"$ref": "#/$defs/Participant"}},
            "title": {"type": "string"},
            "tags": {"type": "array", "items": ID},
        },
        "$defs": {
            "ActorId": {**ID, "x-references": "actors"},
            "Participant": {"properties": {"actor": {**ID, "x-references": "actors"},
                                           "role": {"type": "string"}}},
        },
    }
    assert references({"t": schema}) == {
        ("t", "event"): "events",
        ("t", "sources[]"): "sources",
        ("t", "part_of"): "events",
        ("t", "outcome"): "outcomes",
        ("t", "actor"): "actors",
        ("t", "participants[].actor"): "actors",
    }


def test_the_fields_own_annotation_wins_over_its_definitions():
    schema = {"properties": {"who": {"$ref": "#/$defs/Id", "x-references": "actors"}},
              "$defs": {"Id": {**ID, "x-references": "*"}}}
    assert references({"u": schema}) == {("u", "who"): "actors"}
    bare = {"properties": {"who": {"$ref": "#/$defs/Id", "x-references": "actors"}},
            "$defs": {"Id": ID}}
    assert references({"u": bare}) == {("u", "who"): "actors"}


def test_a_list_without_items_refers_to_nothing():
    schema = {"properties": {"any": {"type": "array"}, "a": {**ID, "x-references": "x"}}}
    assert references({"t": schema}) == {("t", "a"): "x"}


def test_references_of_several_tables():
    one = {"properties": {"a": {**ID, "x-references": "x"}}}
    two = {"properties": {"b": {"type": "array", "items": ID, "x-references": "*"}}}
    assert references({"one": one, "two": two}) == {("one", "a"): "x", ("two", "b[]"): "*"}
    assert references({"none": {"properties": {}}}) == {}


def test_resolve_follows_a_ref_or_takes_the_one_non_null_option():
    schema = {"$defs": {"Mention": {"type": "object", "title": "M"}}}
    assert resolve({"$ref": "#/$defs/Mention"}, schema) == {"type": "object", "title": "M"}
    optional = {"anyOf": [{"type": "null"}, {"type": "string", "maxLength": 5}],
                "default": None, "title": "T"}
    assert resolve(optional, schema) == {"type": "string", "maxLength": 5, "default": None,
                                         "title": "T"}
    plain = {"type": "integer"}
    assert resolve(plain, schema) is plain
    only_null = {"anyOf": [{"type": "null"}]}
    assert resolve(only_null, schema) is only_null
