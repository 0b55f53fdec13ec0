"""Records -> tables (`build/tables`): the Table Schemas made from tiny JSON Schemas written
here, the rows a record gives, and, for the real schemas, the tables of the committed
package (its reviewed descriptor). Expected values written by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dipdata.make.tables import layout, record_fields, sentence_rows, table_field, table_pattern
from dipdata.check.validate import load_schemas
from dipdata.model.schemas import references
from dipdata.model.source import SECTIONS, Sentence

ROOT = Path(__file__).resolve().parents[1]
NULL = {"type": "null"}

EVENTS = {
    "description": "Things that happened.",
    "$defs": {
        "Kind": {"type": "string", "enum": ["talks", "call"], "x-labels": {"talks": "Talks"},
                 "description": "What kind."},
        "Mention": {"type": "object", "required": ["quote", "start", "end"], "properties": {
            "quote": {"type": "string", "description": "Words."},
            "start": {"type": "integer", "minimum": 0, "description": "First."},
            "end": {"type": "integer", "minimum": 1, "description": "Past the last."},
            "in_text": {"type": "string", "default": "en", "x-references": "texts"}}},
        "Role": {"type": "string", "enum": ["host", "guest"]},
        "Participant": {"type": "object", "properties": {
            "actor": {"type": "string", "description": "Who.", "x-references": "actors"},
            "role": {"$ref": "#/$defs/Role"},
            "capacity": {"anyOf": [{"type": "string"}, NULL], "default": None}}},
    },
    "properties": {
        "$schema": {"anyOf": [{"type": "string"}, NULL], "default": None},
        "id": {"type": "string", "description": "The id.", "minLength": 1,
               "pattern": "^[a-z]+\\u00e9?$"},
        "notes": {"anyOf": [{"type": "string", "maxLength": 9}, NULL], "default": None,
                  "description": "Notes."},
        "part_of": {"anyOf": [{"type": "string"}, NULL], "default": None,
                    "x-references": "events"},
        "size": {"type": "integer", "minimum": 1, "maximum": 9, "default": 1},
        "held": {"anyOf": [{"type": "boolean"}, NULL]},
        "day": {"anyOf": [{"type": "string", "format": "date", "pattern": "^[0-9-]+$"}, NULL],
                "default": None, "description": "The day."},
        "kind": {"$ref": "#/$defs/Kind"},
        "sources": {"type": "array", "description": "Its sources.", "x-references": "sources",
                    "items": {"type": "string", "pattern": "^[a-z-]+$"}},
        "mentions": {"type": "array", "default": [], "items": {"$ref": "#/$defs/Mention"}},
        "participants": {"type": "array", "description": "Who took part.", "default": [],
                         "items": {"$ref": "#/$defs/Participant"}},
    },
    "required": ["id", "size", "held", "kind", "sources"],
}
OUTCOMES = {
    "$defs": {"Points": {"type": "array", "description": "Its points.", "default": [],
                         "items": {"$ref": "#/$defs/Point"}},
              "Point": {"type": "string", "maxLength": 50}},
    "properties": {
        "id": {"type": "string"},
        "event": {"type": "string", "x-references": "events"},
        "sources": {"type": "array", "description": "Not read: citations are made once.",
                    "items": {"type": "string"}, "x-references": "sources"},
        "items": {"$ref": "#/$defs/Points"},
        "countries": {"type": "array", "default": [],
                      "items": {"type": "string", "pattern": "^[A-Z]{2}$"}},
    },
    "required": ["id", "event", "sources"],
}
SCHEMAS = {"events": EVENTS, "outcomes": OUTCOMES}
#: What their reference fields point at, as `model.schemas.references` reads them.
REFERENCES = {("events", "part_of"): "events", ("events", "sources[]"): "sources",
              ("events", "mentions[].in_text"): "texts",
              ("events", "participants[].actor"): "actors",
              ("outcomes", "event"): "events", ("outcomes", "sources[]"): "sources",
              ("outcomes", "countries[]"): "countries"}


def required(name: str, kind: str = "string", description: str | None = None,
             **constraints) -> dict:
    """A field descriptor with a required constraint."""
    field = {"name": name, "type": kind}
    if description is not None:
        field["description"] = description
    return {**field, "constraints": {"required": True, **constraints}}


def fk(field: str, resource: str | None, target: str = "id") -> dict:
    reference = {"fields": [target]} if resource is None else {"resource": resource,
                                                                "fields": [target]}
    return {"fields": [field], "reference": reference}


@pytest.fixture
def tables():
    """The layout of the tiny schemas (made for each test: mutmut runs only the tests that
    reach a function, and a shared layout is made in the first test alone)."""
    return layout(SCHEMAS, REFERENCES)


# --- fields and patterns -------------------------------------------------------------------

def test_a_pattern_loses_its_anchors_and_its_escapes():
    assert table_pattern("^[a-z]+(-[a-z]+)*$") == "[a-z]+(-[a-z]+)*"
    assert table_pattern("^[^\\u0000-\\u001F\\u00e9]$") == "[^\x00-\x1f\u00e9]"
    assert table_pattern("a^b$c") == "a^b$c"
    assert table_pattern("^^a$$") == "^a$"
    assert table_pattern("\\\\d\\u4e2d") == "\\\\d中"


def test_record_fields_are_sorted_with_their_defaults_without_schema_hint():
    assert record_fields(EVENTS) == [
        ("day", None), ("held", None), ("id", None), ("kind", None), ("mentions", []),
        ("notes", None), ("part_of", None), ("participants", []), ("size", 1), ("sources", None)]


def test_a_field_is_required_only_when_required_and_not_nullable():
    schema = {"properties": {}}
    text = {"type": "string", "description": "T.", "maxLength": 5, "minimum": 2}
    assert table_field("a", text, schema, True) == required("a", "string", "T.", maxLength=5,
                                                             minimum=2)
    assert table_field("a", text, schema, False) == {
        "name": "a", "type": "string", "description": "T.",
        "constraints": {"maxLength": 5, "minimum": 2}}
    nullable = {"anyOf": [{"type": "integer", "maximum": 3}, NULL]}
    assert table_field("n", nullable, schema, True) == {
        "name": "n", "type": "integer", "constraints": {"maximum": 3}}
    assert table_field("b", {"type": "boolean"}, schema, False) == {"name": "b",
                                                                     "type": "boolean"}
    assert table_field("x", {"type": "number"}, schema, False) == {"name": "x",
                                                                    "type": "string"}
    union = {"anyOf": [{"type": "string"}, {"type": "integer"}]}  # the first option, never null
    assert table_field("u", union, schema, True) == required("u")
    assert table_field("x", {}, schema, False) == {"name": "x", "type": "string"}
    assert table_field("x", {"type": "string", "description": ""}, schema, False) == {
        "name": "x", "type": "string"}


def test_an_array_or_a_date_takes_no_string_constraints():
    schema = {"properties": {}}
    assert table_field("l", {"type": "array", "maxLength": 3, "enum": ["a"], "pattern": "^a$",
                             "minLength": 1, "minimum": 1, "maximum": 2}, schema, False) == {
        "name": "l", "type": "array"}
    assert table_field("d", {"type": "string", "format": "date", "pattern": "^a$",
                             "minLength": 10}, schema, True) == required("d", "date",
                                                                         minLength=10)
    assert table_field("i", {"type": "integer", "pattern": "^1$"}, schema, False) == {
        "name": "i", "type": "integer"}


def test_an_enum_is_categorical_with_the_labels_it_has():
    spec = {"type": "string", "enum": ["b", "a", "c"], "x-labels": {"a": "Ay", "c": "Cee"}}
    assert table_field("k", spec, {"properties": {}}, False) == {
        "name": "k", "type": "string", "constraints": {"enum": ["b", "a", "c"]},
        "categories": ["b", {"value": "a", "label": "Ay"}, {"value": "c", "label": "Cee"}]}
    assert table_field("k", {"type": "string", "enum": ["x"]}, {"properties": {}}, False)[
        "categories"] == ["x"]


# --- the tables of two tiny schemas --------------------------------------------------------

def test_the_tables_are_sorted_by_name_with_the_index_sentences_and_derived_ones(tables):
    assert list(tables.tables) == [
        "citations", "countries", "events", "meetings", "mentions", "outcome_countries",
        "outcome_items", "outcomes", "participants", "records", "sentences"]
    assert {name: table.name for name, table in tables.tables.items()} == {
        name: name for name in tables.tables}


def test_a_record_table_has_its_scalar_fields_id_first_and_notes_last(tables):
    events = tables.tables["events"]
    assert events.description == "Things that happened."
    assert events.columns == ["id", "part_of", "size", "held", "day", "kind", "notes"]
    assert events.schema == {
        "fields": [
            required("id", "string", "The id.", minLength=1, pattern="[a-z]+é?"),
            {"name": "part_of", "type": "string"},
            required("size", "integer", minimum=1, maximum=9),
            {"name": "held", "type": "boolean"},
            {"name": "day", "type": "date", "description": "The day."},
            {**required("kind", "string", "What kind.", enum=["talks", "call"]),
             "categories": [{"value": "talks", "label": "Talks"}, "call"]},
            {"name": "notes", "type": "string", "description": "Notes.",
             "constraints": {"maxLength": 9}},
        ],
        "primaryKey": ["id"],
        "foreignKeys": [fk("part_of", None), fk("id", "records")],  # a self-reference: no resource
    }
    outcomes = tables.tables["outcomes"]
    assert outcomes.description == ""
    assert outcomes.schema == {"fields": [required("id"), required("event")],
                               "primaryKey": ["id"],
                               "foreignKeys": [fk("event", "events"), fk("id", "records")]}


def test_the_index_and_the_sentences(tables):
    index = tables.tables["records"]
    assert index.description == "Every record id and the table that holds it."
    assert index.schema == {"fields": [
        required("id", "string", "A record id, unique across all tables."),
        required("table_name", "string", "The table holding it.", enum=["events", "outcomes"])],
        "primaryKey": ["id"]}
    sentences = tables.tables["sentences"]
    assert sentences.description == ("The sentences of each text of the review, numbered "
                                     "within their text.")
    assert sentences.schema == {"fields": [
        required("number", "integer", "Sentence number, from 1.", minimum=1),
        {**required("section", "string", "The part of the review.", enum=list(SECTIONS)),
         "categories": list(SECTIONS)},
        required("start_offset", "integer", "Offset of its first character.", minimum=0),
        required("end_offset", "integer", "Offset just past its end.", minimum=1),
        required("text", "string", "The sentence."),
        required("in_text", "string", "Id of the text of the review it is a sentence of (a "
                 "record in `texts`)."),
    ], "primaryKey": ["in_text", "number"],
        "foreignKeys": [{"fields": ["in_text"], "reference": {"resource": "texts",
                                                               "fields": ["id"]}}]}
    assert sentence_rows([Sentence(3, "question", 10, 20, "Why?"),
                          Sentence(1, "answer", 0, 4, "Yes.", "zh")]) == [
        (3, "question", 10, 20, "Why?", "review-2023-en"), (1, "answer", 0, 4, "Yes.", "zh")]


def test_a_list_of_ids_is_a_table_of_record_and_id(tables):
    citations = tables.tables["citations"]
    assert citations.description == "Which record cites which source."
    assert citations.schema == {
        "fields": [required("record", "string", "Id of the record."),
                   required("source", "string", "Its sources.", pattern="[a-z-]+")],
        "primaryKey": ["record", "source"],
        "foreignKeys": [fk("record", "records"), fk("source", "sources")]}


def test_a_list_of_values_is_numbered(tables):
    items = tables.tables["outcome_items"]
    assert items.description == "Its points."
    assert items.schema == {
        "fields": [required("outcome", "string", "Id of the outcome."),
                   required("number", "integer", "Position in the list, from 1.", minimum=1),
                   required("text", "string", "Its points.", maxLength=50)],
        "primaryKey": ["outcome", "number"],
        "foreignKeys": [fk("outcome", "outcomes")]}


def test_a_list_without_a_description_gives_its_table_and_column_none(tables):
    countries = tables.tables["outcome_countries"]
    assert countries.description == ""
    assert countries.schema == {
        "fields": [required("outcome", "string", "Id of the outcome."),
                   required("country", "string", "", pattern="[A-Z]{2}")],
        "primaryKey": ["outcome", "country"],
        "foreignKeys": [fk("outcome", "outcomes"), fk("country", "countries")]}


def test_a_list_of_objects_has_a_column_per_property_and_its_required_ones_as_key(tables):
    participants = tables.tables["participants"]
    assert participants.description == "Who took part."
    assert participants.schema == {
        "fields": [required("event", "string", "Id of the event."),
                   required("actor", "string", "Who."),
                   {**required("role", enum=["host", "guest"]), "categories": ["host", "guest"]},
                   {"name": "capacity", "type": "string"}],
        "primaryKey": ["event", "actor", "role"],
        "foreignKeys": [fk("event", "events"), fk("actor", "actors")]}


def test_mentions_have_a_sentence_and_offsets_renamed(tables):
    mentions = tables.tables["mentions"]
    assert mentions.description == ("Each span of a text of the review and the record it "
                                     "speaks of.")
    renamed = " (`{}` in the record files; `start` and `end` are SQL keywords, so the tables " \
              "say `start_offset` and `end_offset`.)"
    assert mentions.schema == {
        "fields": [required("record", "string", "Id of the record."),
                   required("sentence", "integer", "Number of the sentence holding the quote, "
                            "in its text (`in_text`).", minimum=1),
                   required("quote", "string", "Words."),
                   required("start_offset", "integer", "First." + renamed.format("start"),
                            minimum=0),
                   required("end_offset", "integer", "Past the last." + renamed.format("end"),
                            minimum=1),
                   required("in_text")],
        "primaryKey": ["record", "sentence", "start_offset", "end_offset", "in_text"],
        "foreignKeys": [fk("record", "records"),
                        {"fields": ["in_text", "sentence"], "reference": {
                            "resource": "sentences", "fields": ["in_text", "number"]}},
                        fk("in_text", "texts")]}


def test_a_list_field_without_a_table_is_refused():
    schemas = {"events": {"properties": {"id": {"type": "string"},
                                         "tags": {"type": "array", "items": {"type": "string"}}}}}
    with pytest.raises(KeyError, match="no table is defined for the list field events.tags"):
        layout(schemas, references(schemas))


# --- rows ----------------------------------------------------------------------------------

def test_a_record_gives_its_index_row_its_row_and_its_lists_rows_sorted_by_key(tables):
    event = {"id": "talk", "notes": "N.", "part_of": None, "size": 2, "held": True,
             "day": "2023-05-18", "kind": "talks", "sources": ["s-b", "s-a"],
             "mentions": [{"quote": "Q2", "start": 10, "end": 12, "in_text": "en"},
                          {"quote": "Q1", "start": 0, "end": 2, "in_text": "en"},
                          {"quote": "Q0", "start": 0, "end": 2, "in_text": "zh"}],
             "participants": [{"actor": "xi", "role": "host"},
                              {"actor": "kz", "role": "guest", "capacity": "President"}]}
    sentence_of = {("en", 10, 12): 2, ("en", 0, 2): 1, ("zh", 0, 2): 1}
    assert tables.rows("events", event, sentence_of) == [
        ("records", [("talk", "events")]),
        ("events", [("talk", None, 2, "true", "2023-05-18", "talks", "N.")]),
        ("citations", [("talk", "s-a"), ("talk", "s-b")]),
        ("mentions", [("talk", 1, "Q1", 0, 2, "en"), ("talk", 1, "Q0", 0, 2, "zh"),
                      ("talk", 2, "Q2", 10, 12, "en")]),
        ("participants", [("talk", "kz", "guest", "President"), ("talk", "xi", "host", None)]),
    ]


def test_empty_lists_give_no_rows_and_booleans_are_written_as_json_writes_them(tables):
    event = {"id": "call", "notes": None, "part_of": "talk", "size": 1, "held": False,
             "day": None, "kind": "call", "sources": ["s"], "mentions": [], "participants": []}
    assert tables.rows("events", event, {}) == [
        ("records", [("call", "events")]),
        ("events", [("call", "talk", 1, "false", None, "call", None)]),
        ("citations", [("call", "s")])]
    unknown = {**event, "held": None, "sources": []}
    assert tables.rows("events", unknown, {})[1:] == [
        ("events", [("call", "talk", 1, None, None, "call", None)])]


def test_a_list_of_values_keeps_its_order_in_its_numbers(tables):
    outcome = {"id": "deal", "event": "talk", "sources": ["s"],
               "items": ["Trade.", "Aid.", "Trade."], "countries": ["KZ", "CN"]}
    assert tables.rows("outcomes", outcome, {}) == [
        ("records", [("deal", "outcomes")]),
        ("outcomes", [("deal", "talk")]),
        ("citations", [("deal", "s")]),
        ("outcome_items", [("deal", 1, "Trade."), ("deal", 2, "Aid."), ("deal", 3, "Trade.")]),
        ("outcome_countries", [("deal", "CN"), ("deal", "KZ")]),
    ]


def test_an_object_property_named_number_is_a_column_like_any_other():
    """Only a list of values is numbered by the table; an object's own `number` is read."""
    texts = {"properties": {
        "id": {"type": "string"}, "lang": {"type": "string"},
        "alignment": {"type": "array", "description": "Pairs.", "items": {
            "type": "object", "required": ["number", "original"],
            "properties": {"number": {"type": "integer"}, "original": {"type": "integer"}}}}}}
    made = layout({"texts": texts}, {})
    assert made.tables["alignments"].columns == ["text", "number", "original"]
    assert made.rows("texts", {"id": "t", "lang": "en", "alignment": [
        {"number": 2, "original": 1}, {"number": 1, "original": 3}]}, {}) == [
        ("records", [("t", "texts")]), ("texts", [("t", "en")]),
        ("alignments", [("t", 1, 3), ("t", 2, 1)])]


# --- the real schemas ----------------------------------------------------------------------

def test_the_tables_of_the_schemas_are_those_of_the_committed_package():
    """Every table's description and Table Schema as the reviewed descriptor has them."""
    schemas = load_schemas(ROOT)
    made = layout(schemas, references(schemas)).tables
    descriptor = json.loads((ROOT / "datapackage" / "datapackage.json").read_text("utf-8"))
    committed = {r["name"]: r for r in descriptor["resources"] if r.get("type") == "table"}
    assert list(made) == list(committed)
    for name, table in made.items():
        assert (table.description, table.schema) == (committed[name]["description"],
                                                      committed[name]["schema"]), name


def test_a_table_of_ids_alone_gives_rows_of_one_cell():
    made = layout({"tags": {"properties": {"id": {"type": "string"}}}}, {})
    assert made.tables["tags"].columns == ["id"]
    assert made.rows("tags", {"id": "peace"}, {}) == [("records", [("peace", "tags")]),
                                                     ("tags", [("peace",)])]
