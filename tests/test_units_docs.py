"""The README's generated section (`build/docs`): the rows by table and kind and the data
dictionary, from two tiny tables, and how it replaces the section between its markers.
Expected Markdown written by hand."""

from __future__ import annotations

import collections

from dipdata.make.docs import BEGIN, END, dataset_section, replace_section
from dipdata.make.tables import Table

EVENTS = Table("events", "Things that happened.", {
    "fields": [
        {"name": "id", "type": "string", "description": "The id.",
         "constraints": {"required": True}},
        {"name": "kind", "type": "string", "description": "What kind.",
         "constraints": {"required": True, "enum": ["talks", "call"]}},
        {"name": "country", "type": "string", "description": "Where.",
         "constraints": {"enum": ["KZ", "CN"]}},
        {"name": "part_of", "type": "string", "description": "Of which\nvisit | summit. "},
        {"name": "size", "type": "integer", "constraints": {"required": False}},
        {"name": "owner", "type": "string", "description": "Whose.",
         "constraints": {"enum": []}},
    ],
    "primaryKey": ["id"],
    "foreignKeys": [{"fields": ["part_of"], "reference": {"fields": ["id"]}},
                    {"fields": ["country"], "reference": {"resource": "countries",
                                                           "fields": ["code"]}},
                    {"fields": ["id", "kind"], "reference": {"resource": "pairs",
                                                              "fields": ["a", "b"]}},
                    {"fields": ["owner"], "reference": {"resource": "actors",
                                                         "fields": ["id"]}}]})
RECORDS = Table("records", "Every id.", {"fields": [
    {"name": "id", "type": "string", "description": "An id.", "constraints": {"required": True}}]})


def test_rows_by_table_and_kind_then_the_data_dictionary():
    kinds = {"events": collections.Counter({"talks": 2, "call": 5}),
             "records": collections.Counter()}
    assert dataset_section({"events": EVENTS, "records": RECORDS}, {"events": 7, "records": 7},
                           kinds) == "\n".join([
        "### What is in the dataset",
        "",
        "| table | rows | by kind |",
        "| --- | ---: | --- |",
        "| `events` | 7 | call 5, talks 2 |",
        "| `records` | 7 |  |",
        "",
        "### Data dictionary",
        "",
        "Every table is `datapackage/data/<table>.csv`; the curated tables are also "
        "`datapackage/data/<table>.json`, described by `schema/<table>.schema.json`.",
        "",
        "#### `events`",
        "",
        "Things that happened.",
        "",
        "| field | type | required | description |",
        "| --- | --- | --- | --- |",
        "| `id` | string | yes | The id. |",
        "| `kind` | string | yes | What kind. One of: `talks`, `call`. |",
        "| `country` | string |  | Where. (ISO 3166-1 alpha-2) References `countries.code`. |",
        "| `part_of` | string |  | Of which visit \\| summit.  References `events.id`. |",
        "| `size` | integer |  |  |",
        "| `owner` | string |  | Whose. References `actors.id`. |",
        "",
        "#### `records`",
        "",
        "Every id.",
        "",
        "| field | type | required | description |",
        "| --- | --- | --- | --- |",
        "| `id` | string | yes | An id. |",
        "",
    ])


def test_a_table_without_kinds_has_an_empty_cell():
    section = dataset_section({"records": RECORDS}, {"records": 0}, {})
    assert section.splitlines()[4] == "| `records` | 0 |  |"


def test_the_section_replaces_what_is_between_the_markers():
    readme = f"# Title\n\n{BEGIN}\nold\nlines\n{END}\n\nAfter.\n"
    assert replace_section(readme, "new") == f"# Title\n\n{BEGIN}\nnew\n{END}\n\nAfter.\n"
    assert replace_section(f"{BEGIN}{END}", "x") == f"{BEGIN}\nx\n{END}"
    assert BEGIN == "<!-- BEGIN GENERATED: dataset (dipdata build writes this; do not edit) -->"
    assert END == "<!-- END GENERATED: dataset -->"


def test_from_the_first_begin_marker_to_the_first_end_marker():
    assert replace_section(f"{BEGIN} a {BEGIN} b {END}", "new") == f"{BEGIN}\nnew\n{END}"
    assert replace_section(f"{BEGIN} a {END} b {END}", "new") == f"{BEGIN}\nnew\n{END} b {END}"


def test_without_both_markers_in_order_the_readme_is_unchanged():
    for readme in ("# Title\n", f"a {BEGIN} b", f"a {END} b", f"a {END} b {BEGIN} c"):
        assert replace_section(readme, "new") == readme
