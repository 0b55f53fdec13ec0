"""Records -> tables: the relational form of the data, and each table's Frictionless schema.

Everything here is derived from the records' JSON Schemas (themselves generated from the
models), so a field added to a model reaches the tables without a second list to keep.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from typing import Any

from ..model.schemas import references, resolve as _resolve
from .meetings import table_schemas
from ..model.source import SECTIONS, Sentence

#: Lists inside records that become tables of their own:
#: (record table, list field) -> (table, parent column, item columns; None = a plain value).
CHILD_TABLES: dict[tuple[str, str], tuple[str, str, tuple[str, ...] | None]] = {
    ("*", "sources"): ("citations", "record", ("source",)),
    ("*", "mentions"): ("mentions", "record", None),
    ("events", "participants"): ("participants", "event", None),
    ("outcomes", "items"): ("outcome_items", "outcome", ("number", "text")),
    ("outcomes", "countries"): ("outcome_countries", "outcome", ("country",)),
    ("outcomes", "organisations"): ("outcome_organisations", "outcome", ("organisation",)),
    ("actors", "name_zh_variants"): ("actor_name_variants", "actor", None),
    ("texts", "alignment"): ("alignments", "text", None),
    ("texts", "compared_with"): ("text_comparisons", "text", ("source",)),
    ("positions", "demands"): ("position_demands", "position", ("number", "text")),
    ("aggregates", "examples"): ("aggregate_examples", "aggregate", ("record",)),
}
INDEX_TABLE = "records"
SENTENCE_TABLE = "sentences"
#: Record fields whose column takes another name, so that no column is an SQL keyword
#: (`end` and `table` are reserved in PostgreSQL, DuckDB and SQLite).
COLUMN_NAMES = {"start": "start_offset", "end": "end_offset"}
_FIELD_NAMES = {column: name for name, column in COLUMN_NAMES.items()}
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def table_pattern(pattern: str) -> str:
    """A JSON Schema pattern as a Table Schema pattern: implicitly anchored (no ^ and $, as
    in XML Schema) and with characters written as themselves, not as \\uXXXX escapes, which
    RE2 and XML Schema regular expressions do not know."""
    pattern = pattern.removeprefix("^").removesuffix("$")
    return _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), pattern)


@dataclass
class Table:
    """A table: its name, description and Frictionless Table Schema."""

    name: str
    description: str
    schema: dict[str, Any]

    @property
    def columns(self) -> list[str]:
        return [f["name"] for f in self.schema["fields"]]


def record_fields(json_schema: dict[str, Any]) -> list[tuple[str, Any]]:
    """A table's record fields in sorted order, with their defaults (no `$schema`)."""
    return sorted((name, spec.get("default")) for name, spec in json_schema["properties"].items()
                  if name != "$schema")


def _is_nullable(spec: dict[str, Any]) -> bool:
    return any(s.get("type") == "null" for s in spec.get("anyOf", []))


def table_field(name: str, spec: dict[str, Any], json_schema: dict[str, Any],
                required: bool) -> dict[str, Any]:
    """A Frictionless field descriptor for a JSON Schema property."""
    nullable = _is_nullable(spec)
    spec = _resolve(spec, json_schema)
    kind = spec.get("type")
    result: dict[str, Any] = {"name": name}
    if spec.get("format") == "date":
        result["type"] = "date"
    elif kind == "array":
        result["type"] = "array"
    else:
        result["type"] = {"integer": "integer", "boolean": "boolean"}.get(str(kind), "string")
    if spec.get("description"):
        result["description"] = spec["description"]
    constraints: dict[str, Any] = {}
    if required and not nullable:
        constraints["required"] = True
    for key in ("enum", "minLength", "maxLength", "minimum", "maximum"):
        if key in spec and result["type"] != "array":
            constraints[key] = spec[key]
    if "pattern" in spec and result["type"] == "string":
        constraints["pattern"] = table_pattern(spec["pattern"])
    if constraints:
        result["constraints"] = constraints
    if "enum" in constraints:  # a closed vocabulary: categorical data (Table Schema v2)
        labels = spec.get("x-labels", {})
        result["categories"] = [{"value": value, "label": labels[value]} if value in labels
                                else value for value in constraints["enum"]]
    return result


def _item_field(name: str, spec: dict[str, Any], json_schema: dict[str, Any],
                description: str) -> dict[str, Any]:
    result = table_field(name, spec, json_schema, required=True)
    result["description"] = description
    return result


def _key(name: str, description: str) -> dict[str, Any]:
    """A required string column holding a record id."""
    return {"name": name, "type": "string", "description": description,
            "constraints": {"required": True}}


@dataclass
class _Child:
    """How one list field of a record becomes rows of a child table."""

    field: str
    table: str
    make: Any  # (record id, items, sentence_of) -> rows
    order: Any  # sorts one record's rows by the table's primary key


@dataclass
class Layout:
    """Every table's schema (sorted by name), and how a record becomes rows."""

    tables: dict[str, Table]
    columns: dict[str, Any]  # record table -> getter of its main row
    children: dict[str, list[_Child]]

    def rows(self, table: str, record: dict[str, Any],
             sentence_of: dict[tuple[str, int, int], int]) -> list[tuple[str, list[tuple]]]:
        """The rows a normalized record contributes: (table, rows sorted by key)."""
        found = [(INDEX_TABLE, [(record["id"], table)]), (table, [self.columns[table](record)])]
        for child in self.children[table]:
            items = record[child.field]
            if items:
                rows = child.make(record["id"], items, sentence_of)
                if len(rows) > 1:
                    rows.sort(key=child.order)
                found.append((child.table, rows))
        return found


def layout(schemas: dict[str, dict[str, Any]],
           references: dict[tuple[str, str], str]) -> Layout:
    """The tables the records make: the curated tables, their lists, the index and sentences."""
    tables: dict[str, Table] = {}
    tables[INDEX_TABLE] = Table(INDEX_TABLE, "Every record id and the table that holds it.", {
        "fields": [_key("id", "A record id, unique across all tables."),
                   {"name": "table_name", "type": "string", "description": "The table holding it.",
                    "constraints": {"required": True, "enum": sorted(schemas)}}],
        "primaryKey": ["id"]})
    tables[SENTENCE_TABLE] = Table(SENTENCE_TABLE, "The sentences of each text of the review, "
                                   "numbered within their text.", {
        "fields": [
            {"name": "number", "type": "integer", "description": "Sentence number, from 1.",
             "constraints": {"required": True, "minimum": 1}},
            {"name": "section", "type": "string", "description": "The part of the review.",
             "constraints": {"required": True, "enum": list(SECTIONS)},
             "categories": list(SECTIONS)},
            {"name": "start_offset", "type": "integer",
             "description": "Offset of its first character.",
             "constraints": {"required": True, "minimum": 0}},
            {"name": "end_offset", "type": "integer", "description": "Offset just past its end.",
             "constraints": {"required": True, "minimum": 1}},
            {"name": "text", "type": "string", "description": "The sentence.",
             "constraints": {"required": True}},
            {"name": "in_text", "type": "string", "description": "Id of the text of the review "
             "it is a sentence of (a record in `texts`).", "constraints": {"required": True}},
        ], "primaryKey": ["in_text", "number"],
        "foreignKeys": [{"fields": ["in_text"], "reference": {"resource": "texts",
                                                               "fields": ["id"]}}]})
    getters: dict[str, Any] = {}
    children: dict[str, list[_Child]] = {}
    for table, json_schema in schemas.items():
        required = set(json_schema.get("required", []))
        properties = {k: v for k, v in json_schema["properties"].items() if k != "$schema"}
        scalar = [k for k, v in properties.items() if _resolve(v, json_schema).get("type") != "array"]
        columns = ["id"] + [k for k in scalar if k not in ("id", "notes")] + \
                  (["notes"] if "notes" in scalar else [])
        foreign = [{"fields": [name], "reference": (  # a self-reference names no resource
                       {"fields": ["id"]} if target == table else
                       {"resource": target, "fields": ["id"]})}
                   for (owner, name), target in references.items()
                   if owner == table and name in scalar]
        tables[table] = Table(table, json_schema.get("description", ""), {
            "fields": [table_field(c, properties[c], json_schema, c in required) for c in columns],
            "primaryKey": ["id"],
            "foreignKeys": foreign + [{"fields": ["id"],
                                       "reference": {"resource": INDEX_TABLE, "fields": ["id"]}}],
        })
        fields = tables[table].schema["fields"]
        getters[table] = _csv_getter(_tuple_getter(columns), [
            index for index, f in enumerate(fields) if f["type"] == "boolean"])
        children[table] = []
        for name in (k for k in properties if k not in scalar):
            spec = CHILD_TABLES.get((table, name)) or CHILD_TABLES.get(("*", name))
            if spec is None:
                raise KeyError(f"no table is defined for the list field {table}.{name}")
            child_name, parent, item_columns = spec
            child = tables.get(child_name)
            if child is None:
                child = tables[child_name] = _child_table(
                    child_name, parent, item_columns, table, name, json_schema, references)
            keys = [_FIELD_NAMES.get(c, c) for c in child.columns[1:]
                    if not (child_name == "mentions" and c == "sentence")]  # made, not read
            order = operator.itemgetter(*[child.columns.index(k)
                                          for k in child.schema["primaryKey"]])
            make = _row_maker(child_name, item_columns, keys)
            children[table].append(_Child(name, child_name, make, order))
    for name, (description, schema) in table_schemas().items():  # made across records
        tables[name] = Table(name, description, schema)
    return Layout(dict(sorted(tables.items())), getters, children)


def _tuple_getter(keys: list[str]) -> Any:
    """The values of ``keys`` as a tuple (``itemgetter`` of one key gives the bare value)."""
    return operator.itemgetter(*keys) if len(keys) > 1 else (lambda item: (item[keys[0]],))


def _csv_getter(getter: Any, booleans: list[int]) -> Any:
    """A record's main row as CSV cells: booleans as `true` and `false`, the lexical form
    of JSON and Table Schema (Python's csv module would write `True` and `False`)."""
    if not booleans:
        return getter

    def cells(record: dict[str, Any]) -> tuple:
        row = list(getter(record))
        for index in booleans:
            if row[index] is not None:
                row[index] = "true" if row[index] else "false"
        return tuple(row)
    return cells


def sentence_rows(sentences: list[Sentence]) -> list[tuple]:
    return [(s.number, s.section, s.start, s.end, s.text, s.in_text) for s in sentences]


def _child_table(name: str, parent: str, item_columns: tuple[str, ...] | None, table: str,
                 list_field: str, json_schema: dict[str, Any],
                 references: dict[tuple[str, str], str]) -> Table:
    spec = _resolve(json_schema["properties"][list_field], json_schema)
    items = _resolve(spec["items"], json_schema)
    owner_target = table if parent != "record" else INDEX_TABLE
    fields = [_key(parent, f"Id of the {parent}.")]
    foreign = [{"fields": [parent], "reference": {"resource": owner_target, "fields": ["id"]}}]
    if item_columns is None:  # a list of objects: one column per property
        if name == "mentions":
            fields.append({"name": "sentence", "type": "integer",
                           "description": "Number of the sentence holding the quote, in its "
                           "text (`in_text`).",
                           "constraints": {"required": True, "minimum": 1}})
            foreign.append({"fields": ["in_text", "sentence"], "reference": {
                "resource": SENTENCE_TABLE, "fields": ["in_text", "number"]}})
        for column, column_spec in items["properties"].items():
            if column in COLUMN_NAMES:  # say so in the data dictionary: one name each place
                column_spec = {**column_spec, "description": column_spec.get("description", "")
                               + f" (`{column}` in the record files; `start` and `end` are SQL"
                               " keywords, so the tables say `start_offset` and `end_offset`.)"}
            fields.append(table_field(COLUMN_NAMES.get(column, column), column_spec, json_schema,
                                      True))
        # Table Schema v2: no key field may be null, so only required columns form the key
        key = [f["name"] for f in fields if f["name"] != "quote"
               and f.get("constraints", {}).get("required")]
    else:
        numbered = "number" in item_columns
        if numbered:
            fields.append({"name": "number", "type": "integer",
                           "description": "Position in the list, from 1.",
                           "constraints": {"required": True, "minimum": 1}})
        fields.append(_item_field(item_columns[-1], items, json_schema,
                                  spec.get("description", "")))
        key = [parent, "number"] if numbered else [parent, item_columns[-1]]
    for (owner, path), target in references.items():
        if owner in (table, "*") and path.startswith(f"{list_field}[]"):
            if "." in path:
                column = path.split(".", 1)[1]
            else:  # a list of ids: its one item column
                assert item_columns is not None
                column = item_columns[-1]
            resource = INDEX_TABLE if target == "*" else target
            foreign.append({"fields": [column], "reference": {"resource": resource,
                                                             "fields": ["id"]}})
    description = {"citations": "Which record cites which source.",
                   "mentions": "Each span of a text of the review and the record it speaks of.",
                   "alignments": "Which sentence of the original each sentence of a "
                   "translation of the review translates."}.get(
        name, spec.get("description", ""))
    return Table(name, description, {"fields": fields, "primaryKey": key, "foreignKeys": foreign})


def _row_maker(name: str, item_columns: tuple[str, ...] | None, keys: list[str]) -> Any:
    """How a list field's items become rows, in the column order `_child_table` gives:
    parent id first, then the item (an object's values in ``keys`` order)."""
    if item_columns is None:
        values = _tuple_getter(keys)
        if name == "mentions":
            return lambda record_id, items, sentence_of: [
                (record_id, sentence_of[(item["in_text"], item["start"], item["end"])],
                 *values(item)) for item in items]
        # An optional field left out of an item is null in its row.
        return lambda record_id, items, sentence_of: [
            (record_id, *map(item.get, keys)) for item in items]
    if "number" in item_columns:
        return lambda record_id, items, sentence_of: [
            (record_id, number, item) for number, item in enumerate(items, start=1)]
    return lambda record_id, items, sentence_of: [(record_id, item) for item in items]
