"""The release's other forms of the tables, on a tiny package made in the test: cells typed by
their Table Schema (booleans, integers, dates, nulls), tables in the order of their
references, and what the SQLite database and the Parquet files hold when read back."""

from __future__ import annotations

import datetime
import io
import json
import sqlite3
from pathlib import Path

import pytest

from dipdata.publish import exports
from dipdata.publish.exports import (
    TableData,
    datasette_metadata,
    parquet_files,
    read_tables,
    write_sqlite,
)

D = datetime.date


@pytest.mark.parametrize("cell", ["true", "True", "TRUE", "1"])
def test_true_cells(cell):
    assert exports._boolean(cell) is True


@pytest.mark.parametrize("cell", ["false", "False", "FALSE", "0"])
def test_false_cells(cell):
    assert exports._boolean(cell) is False


@pytest.mark.parametrize("cell", ["tRuE", "yes", "t", "2", "", " true", "XXtrueXX", "XXfalseXX"])
def test_other_cells_are_not_booleans(cell):
    with pytest.raises(ValueError, match=f"^{cell!r} is not a boolean$"):
        exports._boolean(cell)


def field(name: str, kind: str = "string", required: bool = False, **more) -> dict:
    return {"name": name, "type": kind, **({"constraints": {"required": True}} if required
                                           else {}), **more}


def package(folder: Path, tables: dict[str, tuple[list[dict], str]], **schema_more) -> Path:
    """A package of CSV tables: name -> (fields, CSV text); the first field is the key unless
    ``schema_more`` gives a table's primaryKey or foreignKeys."""
    (folder / "data").mkdir(parents=True)
    resources = []
    for name, (fields, text) in tables.items():
        (folder / "data" / f"{name}.csv").write_text(text, "utf-8")
        schema = {"fields": fields, "primaryKey": [fields[0]["name"]],
                  **schema_more.get(name, {})}
        resources.append({"name": name, "path": f"data/{name}.csv", "type": "table",
                          "format": "csv", "description": f"The {name}.", "schema": schema})
    (folder / "datapackage.json").write_text(json.dumps({
        "title": "Tiny", "description": "A tiny package.", "homepage": "https://example.org/",
        "licenses": [{"name": "CC0-1.0", "path": "https://example.org/cc0"}],
        "sources": [{"title": "A test", "path": "https://example.org/test"}],
        "resources": resources}), "utf-8")
    return folder


EVENT_FIELDS = [field("id", required=True, description="Its id."),
                field("title", description="Its title."),
                field("done", "boolean", required=True), field("day", "date"),
                field("count", "integer"), field("title_zh"), field("summary")]
EVENTS = ("id,title,done,day,count,title_zh,summary\n"
          "e1,Talks,true,2023-03-20,007,国事访问,Held.\n"
          "e2,,0,,,,\n"
          "e3,\"Comma, and \"\"quote\"\"\",FALSE,2024-02-29,-1,,\n")
TYPED_EVENTS = [
    {"id": "e1", "title": "Talks", "done": True, "day": D(2023, 3, 20), "count": 7,
     "title_zh": "国事访问", "summary": "Held."},
    {"id": "e2", "title": None, "done": False, "day": None, "count": None, "title_zh": None,
     "summary": None},
    {"id": "e3", "title": 'Comma, and "quote"', "done": False, "day": D(2024, 2, 29),
     "count": -1, "title_zh": None, "summary": None},
]


def typed(rows: list[dict]) -> list[dict]:
    return [{k: (v, type(v)) for k, v in row.items()} for row in rows]


def test_cells_are_typed_by_their_table_schema_and_empty_cells_are_null(tmp_path):
    [events] = read_tables(package(tmp_path / "p", {"events": (EVENT_FIELDS, EVENTS)}))
    assert (events.name, events.description) == ("events", "The events.")
    assert typed(events.rows) == typed(TYPED_EVENTS)
    assert events.schema["primaryKey"] == ["id"]


def test_a_cell_that_is_not_its_type_is_an_error(tmp_path):
    for kind, cell in (("boolean", "yes"), ("integer", "1.5"), ("date", "2023-02-30")):
        folder = package(tmp_path / kind, {"t": ([field("id"), field("v", kind)],
                                                 f"id,v\na,{cell}\n")})
        with pytest.raises(ValueError):
            read_tables(folder)


def test_only_table_resources_are_read(tmp_path):
    folder = package(tmp_path / "p", {"events": (EVENT_FIELDS, EVENTS)})
    descriptor = json.loads((folder / "datapackage.json").read_text())
    descriptor["resources"].append({"name": "review", "path": "review.txt", "format": "txt"})
    descriptor["resources"].append({"name": "records", "path": "r.json", "type": "json"})
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    assert [t.name for t in read_tables(folder)] == ["events"]


def test_tables_after_other_resources_are_read_too(tmp_path):
    folder = package(tmp_path / "p", {"events": (EVENT_FIELDS, EVENTS)})
    descriptor = json.loads((folder / "datapackage.json").read_text())
    descriptor["resources"].insert(0, {"name": "review", "path": "review.txt", "format": "txt"})
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    assert [t.name for t in read_tables(folder)] == ["events"]


def test_a_quoted_cell_keeps_its_line_breaks_as_written(tmp_path):
    folder = package(tmp_path / "p", {"t": ([field("id"), field("text")],
                                            'id,text\r\na,"one\r\ntwo"\r\nb,"x\ny"\r\n')})
    assert read_tables(folder)[0].rows == [{"id": "a", "text": "one\r\ntwo"},
                                           {"id": "b", "text": "x\ny"}]


def test_a_table_without_a_description_has_an_empty_one(tmp_path):
    folder = package(tmp_path / "p", {"t": ([field("id")], "id\na\n")})
    descriptor = json.loads((folder / "datapackage.json").read_text())
    del descriptor["resources"][0]["description"]
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    assert read_tables(folder)[0].description == ""


def reference(column: str, resource: str | None, other: str = "id") -> dict:
    return {"fields": [column], "reference": {"fields": [other],
                                              **({"resource": resource} if resource else {})}}


def test_each_table_comes_after_those_it_refers_to(tmp_path):
    tables = {name: ([field("id"), field("ref")], "id,ref\n")
              for name in ("parts", "events", "actors", "zones")}
    folder = package(tmp_path / "p", tables,
                     parts={"foreignKeys": [reference("ref", "events")]},
                     events={"foreignKeys": [reference("ref", "zones"),
                                             reference("ref", None),  # the table itself
                                             reference("ref", "elsewhere")]})
    order = [t.name for t in read_tables(folder)]
    assert sorted(order) == ["actors", "events", "parts", "zones"]
    assert order.index("zones") < order.index("events") < order.index("parts")


def test_tables_that_refer_to_each_other_cannot_be_ordered(tmp_path):
    tables = {name: ([field("id"), field("ref")], "id,ref\n") for name in ("a", "b")}
    folder = package(tmp_path / "p", tables, a={"foreignKeys": [reference("ref", "b")]},
                     b={"foreignKeys": [reference("ref", "a")]})
    with pytest.raises(ValueError, match="cycle"):
        read_tables(folder)


def test_foreign_keys_name_the_table_itself_when_no_resource_is_given():
    schema = {"fields": [], "foreignKeys": [reference("part_of", None),
                                            reference("event", "events", "key")]}
    assert TableData("events", "", schema, []).foreign_keys == [
        ("part_of", "events", "id"), ("event", "events", "key")]
    assert TableData("t", "", {"fields": []}, []).foreign_keys == []


# --- SQLite ------------------------------------------------------------------------------------

PARTS = ([field("event", required=True), field("number", "integer", required=True),
          field("note"), field("title"), field("summary")],
         "event,number,note,title,summary\ne1,1,first,,\ne1,2,,,\n")


def tiny(tmp_path: Path) -> Path:
    return package(tmp_path / "p", {"events": (EVENT_FIELDS, EVENTS), "outcomes": PARTS},
                   outcomes={"primaryKey": ["event", "number"],
                             "foreignKeys": [reference("event", "events")]})


def test_sqlite_holds_the_typed_rows_booleans_as_integers_dates_as_text(tmp_path):
    path = write_sqlite(tiny(tmp_path), tmp_path / "x.sqlite")
    assert path == tmp_path / "x.sqlite"
    with sqlite3.connect(path) as db:
        rows = db.execute("select id, title, done, day, count, title_zh, summary from events "
                          "order by id").fetchall()
        kinds = db.execute("select typeof(done), typeof(day), typeof(count) from events "
                           "where id = 'e1'").fetchone()
        parts = db.execute("select * from outcomes order by number").fetchall()
    db.close()
    assert rows == [("e1", "Talks", 1, "2023-03-20", 7, "国事访问", "Held."),
                    ("e2", None, 0, None, None, None, None),
                    ("e3", 'Comma, and "quote"', 0, "2024-02-29", -1, None, None)]
    assert kinds == ("integer", "text", "integer")
    assert parts == [("e1", 1, "first", None, None), ("e1", 2, None, None, None)]


def test_sqlite_keys_and_required_columns(tmp_path):
    path = write_sqlite(tiny(tmp_path), tmp_path / "x.sqlite")
    with sqlite3.connect(path) as db:
        columns = {table: [(name, kind, notnull, pk) for _, name, kind, notnull, _, pk in
                           db.execute(f"pragma table_info({table})")]
                   for table in ("events", "outcomes")}
        keys = [row[2:5] for row in db.execute("pragma foreign_key_list(outcomes)")]
    db.close()
    assert columns["events"] == [
        ("id", "TEXT", 0, 1), ("title", "TEXT", 0, 0), ("done", "INTEGER", 1, 0),
        ("day", "TEXT", 0, 0), ("count", "INTEGER", 0, 0), ("title_zh", "TEXT", 0, 0),
        ("summary", "TEXT", 0, 0)]
    assert columns["outcomes"] == [
        ("event", "TEXT", 0, 1), ("number", "INTEGER", 0, 2), ("note", "TEXT", 0, 0),
        ("title", "TEXT", 0, 0), ("summary", "TEXT", 0, 0)]
    assert keys == [("events", "event", "id")]


def test_sqlite_full_text_search_finds_chinese_by_trigrams(tmp_path):
    path = write_sqlite(tiny(tmp_path), tmp_path / "x.sqlite")
    with sqlite3.connect(path) as db:
        sql = dict(db.execute("select name, sql from sqlite_master where name like '%_fts'"))
        found = db.execute("select rowid from events_fts where events_fts match 'alk'"
                           ).fetchall()
        chinese = db.execute("select rowid from events_fts where events_fts match '事访问'"
                             ).fetchall()
        outcomes = db.execute("select count(*) from outcomes_fts where outcomes_fts "
                              "match 'first'").fetchone()
        triggers = db.execute("select name from sqlite_master where type = 'trigger'"
                              ).fetchall()
    db.close()
    assert sorted(sql) == ["events_fts", "outcomes_fts"]
    assert "USING FTS5" in sql["events_fts"] and "tokenize='trigram'" in sql["events_fts"]
    assert '"title", "title_zh", "summary"' in sql["events_fts"]
    assert "tokenize" not in sql["outcomes_fts"] and '"title", "summary"' in sql["outcomes_fts"]
    # any three characters are found, inside a word too (Chinese has no spaces)
    assert found == [(1,)] and chinese == [(1,)]
    assert outcomes == (0,)  # only titles and summaries are searched
    assert triggers == []  # the database is made once; no triggers keep the index in step


def test_sqlite_is_written_anew(tmp_path):
    path = tmp_path / "x.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("create table stale (x)")
    db.close()
    write_sqlite(tiny(tmp_path), path)
    with sqlite3.connect(path) as db:
        names = [r[0] for r in db.execute("select name from sqlite_master where type='table' "
                                          "and name not like '%fts%'")]
    db.close()
    assert names == ["events", "outcomes"]
    assert write_sqlite(tiny(tmp_path / "again"), str(tmp_path / "y.sqlite")) == \
        tmp_path / "y.sqlite"


def test_datasette_metadata_describes_every_table_and_column(tmp_path):
    assert datasette_metadata(tiny(tmp_path), "dipdata") == {
        "title": "Tiny", "description": "A tiny package.",
        "license": "CC0-1.0", "license_url": "https://example.org/cc0",
        "source": "A test", "source_url": "https://example.org/test",
        "about": "dipdata", "about_url": "https://example.org/",
        "databases": {"dipdata": {"tables": {
            "events": {"description": "The events.", "columns": {
                "id": "Its id.", "title": "Its title.", "done": "", "day": "", "count": "",
                "title_zh": "", "summary": ""}},
            "outcomes": {"description": "The outcomes.", "columns": {
                "event": "", "number": "", "note": "", "title": "", "summary": ""}},
        }}},
    }


def test_datasette_metadata_without_a_homepage_or_descriptions(tmp_path):
    folder = tiny(tmp_path)
    descriptor = json.loads((folder / "datapackage.json").read_text())
    del descriptor["homepage"], descriptor["resources"][0]["description"]
    descriptor["resources"].append({"name": "review", "path": "review.txt"})
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    metadata = datasette_metadata(folder, "db")
    assert metadata["about_url"] == ""
    assert list(metadata["databases"]["db"]["tables"]) == ["events", "outcomes"]
    assert metadata["databases"]["db"]["tables"]["events"]["description"] == ""


# --- Parquet -----------------------------------------------------------------------------------

def test_parquet_files_hold_typed_values_with_nullability_and_descriptions(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    files = parquet_files(tiny(tmp_path))
    assert list(files) == ["events.parquet", "outcomes.parquet"]
    events = pq.read_table(io.BytesIO(files["events.parquet"]))
    assert [(f.name, f.type, f.nullable) for f in events.schema] == [
        ("id", pa.string(), False), ("title", pa.string(), True), ("done", pa.bool_(), False),
        ("day", pa.date32(), True), ("count", pa.int64(), True),
        ("title_zh", pa.string(), True), ("summary", pa.string(), True)]
    assert events.schema.field("id").metadata == {b"description": b"Its id."}
    assert events.schema.field("done").metadata == {b"description": b""}
    assert events.schema.metadata[b"description"] == b"The events."
    assert typed(events.to_pylist()) == typed(TYPED_EVENTS)
    outcomes = pq.read_table(io.BytesIO(files["outcomes.parquet"]))
    assert [(f.name, f.nullable) for f in outcomes.schema][:2] == [
        ("event", False), ("number", False)]
    assert outcomes.to_pylist() == [
        {"event": "e1", "number": 1, "note": "first", "title": None, "summary": None},
        {"event": "e1", "number": 2, "note": None, "title": None, "summary": None}]
    metadata = pq.ParquetFile(io.BytesIO(files["events.parquet"])).metadata
    assert {metadata.row_group(0).column(i).compression for i in range(7)} == {"ZSTD"}


def test_parquet_files_come_in_name_order(tmp_path):
    pytest.importorskip("pyarrow")
    folder = package(tmp_path / "p", {"zeta": ([field("id")], "id\na\n"),
                                      "alpha": ([field("id"), field("z")], "id,z\nb,x\n")},
                     alpha={"foreignKeys": [reference("z", "zeta")]})
    assert [t.name for t in read_tables(folder)] == ["zeta", "alpha"]
    assert list(parquet_files(folder)) == ["alpha.parquet", "zeta.parquet"]


def test_parquet_needs_pyarrow(tmp_path, monkeypatch):
    import builtins

    real = builtins.__import__

    def without_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_pyarrow)
    with pytest.raises(ImportError, match=r'^Parquet needs pyarrow: pip install '
                                          r'"dipdata\[parquet\]"$'):
        parquet_files(tiny(tmp_path))


def test_number_fields_are_floats_in_every_format(tmp_path):
    """A Table Schema `number` is a float read from the CSV, in SQLite, Parquet, pandas and
    polars (no table has one yet: this keeps a new one from being read as text)."""
    from dipdata.publish.formats import differences, parquet_tables, sqlite_tables
    from dipdata.use.frames import to_pandas, to_polars

    fields = [field("id", required=True), field("score", "number")]
    root = package(tmp_path / "p", {"scores": (fields, "id,score\na,1.5\nb,\nc,-2\n")})
    [scores] = read_tables(root)
    assert typed(scores.rows) == typed([{"id": "a", "score": 1.5}, {"id": "b", "score": None},
                                        {"id": "c", "score": -2.0}])
    database = exports.write_sqlite(root, tmp_path / "n.sqlite")
    assert differences([scores], sqlite_tables(database, [scores])) == []
    assert differences([scores], parquet_tables(exports.parquet_files(root))) == []
    frame = to_pandas("scores", root)
    assert str(frame["score"].dtype) == "Float64" and frame["score"].tolist()[0] == 1.5
    assert str(to_polars("scores", root)["score"].dtype) == "Float64"
