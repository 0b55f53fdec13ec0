"""The JSON Schemas: generated from the models, committed, and in agreement with them."""

from __future__ import annotations

import copy
import json

import jsonschema
import jsonschema_rs
import pytest
from pydantic import ValidationError

from dipdata.models import RECORD_MODELS, json_schema
from dipdata.make.package import generated_schemas

from .conftest import ROOT

TABLES = list(RECORD_MODELS)


@pytest.mark.parametrize("table", TABLES)
def test_committed_schema_matches_models(table):
    committed = json.loads((ROOT / "schema" / f"{table}.schema.json").read_text("utf-8"))
    assert committed == json_schema(table), "schema/ is stale: run `dipdata build`"


@pytest.mark.parametrize("table", TABLES)
def test_schema_is_valid_draft_2020_12_with_id(table):
    schema = json_schema(table)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:dipdata:schema:{table}"


def _properties(schema):
    yield from schema["properties"].items()
    for definition in schema.get("$defs", {}).values():
        yield from definition["properties"].items()


@pytest.mark.parametrize("table", TABLES)
def test_every_field_has_a_title_and_description(table):
    for name, spec in _properties(json_schema(table)):
        assert spec.get("title"), f"{table}.{name} has no title"
        assert spec.get("description"), f"{table}.{name} has no description"


# --- Differential test: the models and the JSON Schema accept and reject the same records ---

def _real_records():
    for table in TABLES:
        for path in sorted((ROOT / "records" / table).glob("*.json")):
            yield table, json.loads(path.read_text("utf-8"))


def _set(path, value):
    def mutate(record):
        target = record
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    return mutate


def _drop(name):
    def mutate(record):
        record.pop(name, None)
    return mutate


STRING_VALUES = ["", " padded", "=SUM(A1)", "+1", "-1", "@cmd", "a\u200bb", "a\u202eb",
                 "tab\there", "x\n", "ok", 12, None, ["list"], {"a": 1}, True]
DATE_VALUES = ["2023-03-20", "2023-02-30", "20230320", "2023-W12-1", "2023-03-20T10:00:00",
               "1679270400", 1679270400, "3023-01-01", "1023-01-01", "2023-3-20", "", None]
COUNTRY_VALUES = ["RU", "ru", "XX", "UK", "RUS", "", None, 1]
ID_VALUES = ["ok-id", "Bad_Id", "bad--id", "-bad", "bad-", "ünï", "id\u0430", "", None, 3]


def _mutations(table, record):
    yield "unchanged", lambda r: None
    yield "unknown field", _set(["surprise"], 1)
    yield "id missing", _drop("id")
    for value in ID_VALUES:
        yield f"id={value!r}", _set(["id"], value)
    for field, spec in RECORD_MODELS[table].model_json_schema()["properties"].items():
        if field in ("id", "$schema"):
            continue
        kinds = json.dumps(spec)
        if '"date"' in kinds:
            values = DATE_VALUES
        elif field == "country":
            values = COUNTRY_VALUES
        elif '"array"' in kinds:
            values = [[], None, "text", [1], ["x", "x"]]
        elif '"integer"' in kinds:
            values = [0, -1, "1", None]
        else:
            values = STRING_VALUES
        for value in values:
            yield f"{field}={value!r}", _set([field], value)
        if field in record:
            yield f"{field} missing", _drop(field)
    for nested in ("mentions", "participants"):
        if record.get(nested):
            yield f"{nested}[0] unknown field", _set([nested, 0, "extra"], 1)
            yield f"{nested}[0] duplicated", lambda r, n=nested: r[n].append(dict(r[n][0]))
            first = record[nested][0]
            for key in first:
                yield f"{nested}[0].{key}=None", _set([nested, 0, key], None)
                yield f"{nested}[0].{key}=-5", _set([nested, 0, key], -5)
    if "countries" in RECORD_MODELS[table].model_fields:
        yield "countries lowercase", _set(["countries"], ["ar"])


def _disagreements(table, record, mutations):
    """The mutations of a record that the model and the JSON Schema judge differently."""
    found = []
    for name, mutate in mutations:
        mutated = copy.deepcopy(record)
        mutate(mutated)
        try:
            RECORD_MODELS[table].model_validate(mutated)
            model_accepts = True
        except ValidationError:
            model_accepts = False
        if _VALIDATORS[table].is_valid(mutated) != model_accepts:
            found.append(name)
    return found


_VALIDATORS = {table: jsonschema_rs.validator_for(schema, validate_formats=True)
               for table, schema in generated_schemas().items()}


def test_every_real_record_is_accepted_by_both():
    rejected = [(table, record["id"]) for table, record in _real_records()
                if _disagreements(table, record, [("unchanged", lambda r: None)])
                or not _VALIDATORS[table].is_valid(record)]
    assert rejected == []


@pytest.mark.parametrize("table", TABLES)
def test_models_and_schema_agree(table):
    """A sample: the first record of each table, mutated field by field (a few hundred
    records in all), judged by the model and by the JSON Schema alike."""
    first = next(record for name, record in _real_records() if name == table)
    mutations = list(_mutations(table, first))
    outcomes = set()
    for _, mutate in mutations:
        mutated = copy.deepcopy(first)
        mutate(mutated)
        outcomes.add(_VALIDATORS[table].is_valid(mutated))
    assert outcomes == {True, False}  # the sample holds both good and bad records
    assert _disagreements(table, first, mutations) == []
