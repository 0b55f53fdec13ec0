"""More fast unit tests of the rule code (shape, links, reading), called directly on small
inputs with expected values written by hand; part of the mutation run's fast subset, like
tests/test_units.py, whose helpers they share."""

from __future__ import annotations

import jsonschema_rs

from dipdata import shape

from .test_units import GOOD_SOURCE, _shaped, found, record

# --- shape.py: one message per field, the most telling one --------------------------------


def test_a_pattern_says_more_than_a_length():
    # the validator gives the length first; the formula trigger is the message
    assert _shaped("sources", {**GOOD_SOURCE, "title": "=" + "x" * 200}) == [
        ("formula-trigger", "title", "starts with '=', which a spreadsheet would run as a "
                                     "formula; reword it")]


def test_every_field_gets_its_message():
    # the title's second error (its pattern) is passed over, and the kind still told
    assert _shaped("sources", {**GOOD_SOURCE, "title": "", "kind": "blog"}) == [
        ("empty", "title", "must not be empty"),
        ("unknown-value", "kind", '"blog" is not one of: "review", "readout", "statement", '
                                  '"speech", "report", "reference"')]
    # a missing field and an unknown one are both told, though both are the record's own
    data = {**GOOD_SOURCE, "extra": 1}
    del data["title"]
    assert _shaped("sources", data) == [
        ("missing-field", "title", "required field 'title' is missing"),
        ("unknown-field", "extra", "unknown field 'extra'")]


def shaped_by(schema: dict, data: dict) -> list[tuple[str, str, str]]:
    """The problems check_shape finds in ``data`` against a schema made for the test."""
    made = record("events", data, stem="x")
    shape.check_shape(made, jsonschema_rs.validator_for(schema, validate_formats=True), schema)
    return found(made)


def test_unknown_fields_do_not_end_the_list():
    schema = {"type": "object", "properties": {"items": {"type": "array", "items": {
        "type": "object", "additionalProperties": False, "properties": {"n": {"maxLength": 1}}}}}}
    assert shaped_by(schema, {"items": [{"x": 1}, {"n": "ab"}]}) == [
        ("unknown-field", "items[0].x", "unknown field 'x'"),
        ("too-long", "items[1].n", "is longer than 1 characters")]


#: A nullable field whose other option is a reference, itself holding one.
PLACES = {"type": "object", "properties": {
    "place": {"anyOf": [{"$ref": "#/$defs/Place"}, {"type": "null"}]},
    "home": {"$ref": "#/$defs/Home"},
    "nick": {"anyOf": [{"$ref": "#/$defs/Text", "minLength": 3}, {"type": "null"}]},
    "n": {"type": ["string", "integer"]}},
    "$defs": {"Place": {"type": "object", "properties": {"country": {"$ref": "#/$defs/Country"}}},
              "Home": {"type": "object", "properties": {
                  "country": {"anyOf": [{"$ref": "#/$defs/Country"}, {"type": "null"}]}}},
              "Country": {"type": "string", "enum": ["RU", "CN"]},
              "Text": {"type": "string"}}}
BAD_COUNTRY = "'ru' is not an ISO 3166-1 alpha-2 country code (two upper-case letters, e.g. 'RU')"


def test_a_nullable_field_is_explained_by_its_other_option():
    assert shaped_by(PLACES, {"place": {"country": "ru"}}) == [
        ("bad-country", "place.country", BAD_COUNTRY)]
    assert shaped_by(PLACES, {"place": 5}) == [
        ("wrong-type", "place", "must be an object or null, not an integer")]
    assert shaped_by(PLACES, {"home": {"country": "ru"}}) == [
        ("bad-country", "home.country", BAD_COUNTRY)]
    assert shaped_by(PLACES, {"place": None, "home": {"country": None}}) == []
    assert shaped_by(PLACES, {"n": []}) == [
        ("wrong-type", "n", "must be an integer or a string, not a list")]


def test_an_option_without_an_error_of_its_own_leaves_the_validators_message():
    # the reference's sibling keyword (minLength) fails, the referenced schema does not
    assert shaped_by(PLACES, {"nick": "ab"}) == [
        ("invalid-value", "nick",
         "\"ab\" is not valid under any of the schemas listed in the 'anyOf' keyword")]


def test_the_non_null_option_is_found_through_references_on_the_path():
    class Error:  # as a validator gives it, its schema path leading through a reference
        schema_path = ["properties", "home", "properties", "country", "anyOf"]
        instance = "ru"

    branch = shape._non_null_error(PLACES, Error())
    assert (type(branch.kind).__name__, list(branch.instance_path)) == ("Enum", [])


def test_type_and_enum_messages_of_unusual_errors():
    class NoTypes:
        pass

    class Types:
        types = ["thing"]

    class Error:
        instance = 1

    error = Error()
    error.kind = NoTypes()
    assert shape._type(error, ["a"]) == ("wrong-type", "must be another type, not an integer",
                                         ["a"])
    error.kind, error.instance = Types(), None
    assert shape._type(error, ["a"]) == ("missing-value", "must be thing, not null", ["a"])
    enum_error = next(jsonschema_rs.validator_for({"enum": ["a", 1]}).iter_errors("b"))
    assert shape._enum(enum_error, []) == ("unknown-value", '"b" is not one of: "a", 1', [])
    assert shape._json_type(b"x") == "bytes"
