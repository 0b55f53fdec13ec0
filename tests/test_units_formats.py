"""The comparison of a release's SQLite database and Parquet files with its CSV tables, on
tiny databases, Parquet files and zips made in the test: how values are typed back, how
differences are said, and which files of a release folder are read."""

from __future__ import annotations

import datetime
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from dipdata.publish import formats
from dipdata.publish.exports import TableData
from dipdata.publish.formats import (
    check_release_formats,
    differences,
    parquet_tables,
    sqlite_tables,
    zipped_files,
)

D = datetime.date


def table(name: str, fields: dict[str, str], rows: list[dict], key: list[str] | None = None
          ) -> TableData:
    schema = {"fields": [{"name": n, "type": t} for n, t in fields.items()],
              "primaryKey": key or [next(iter(fields))]}
    return TableData(name, "", schema, rows)


def database(path: Path, script: str) -> Path:
    with sqlite3.connect(path) as db:
        db.executescript(script)
    db.close()
    return path


# --- values read back from SQLite ------------------------------------------------------------

@pytest.mark.parametrize(("kind", "stored", "typed"), [
    ("boolean", 0, False), ("boolean", 1, True), ("boolean", None, None),
    # anything else stays as it is, so that it differs from the CSV's boolean
    ("boolean", 2, 2), ("boolean", "true", "true"), ("boolean", -1, -1),
    ("date", "2023-03-20", D(2023, 3, 20)), ("date", None, None),
    ("date", "2023-02-30", "2023-02-30"), ("date", "20 March", "20 March"),
    ("date", 20230320, 20230320),
    ("integer", 0, 0), ("integer", 1, 1), ("string", "0", "0"), ("string", "2023-03-20",
                                                                 "2023-03-20"),
    ("number", 1.5, 1.5), ("integer", None, None),
])
def test_values_are_typed_by_the_table_schema(kind, stored, typed):
    found = formats._typed(kind, stored)
    assert (found, type(found)) == (typed, type(typed))


def test_sqlite_rows_in_schema_order_typed(tmp_path):
    path = database(tmp_path / "x.sqlite", """
        create table "my-things" ("order" integer, "id" text, "flag" integer, "day" text,
                                  "extra" text);
        insert into "my-things" values (2, 'b', 0, '2023-03-20', 'not in the schema');
        insert into "my-things" values (1, 'a', 1, null, null);
        create table other (id text);
        insert into other values ('z');
    """)
    things = table("my-things", {"id": "string", "flag": "boolean", "day": "date",
                                 "order": "integer"}, [])
    assert sqlite_tables(path, [things]) == {"my-things": [
        {"id": "b", "flag": False, "day": D(2023, 3, 20), "order": 2},
        {"id": "a", "flag": True, "day": None, "order": 1}]}
    other = table("other", {"id": "string"}, [])
    assert sqlite_tables(path, [other, things])["other"] == [{"id": "z"}]
    assert sqlite_tables(path, []) == {}


def test_sqlite_is_only_read(tmp_path):
    """The database is opened read-only: a missing one is an error, never made empty."""
    missing = tmp_path / "missing.sqlite"
    with pytest.raises(sqlite3.OperationalError):
        sqlite_tables(missing, [table("t", {"id": "string"}, [])])
    assert list(tmp_path.iterdir()) == []


def test_a_table_missing_from_sqlite_is_an_error(tmp_path):
    path = database(tmp_path / "x.sqlite", "create table other (id text);")
    with pytest.raises(sqlite3.OperationalError, match="no such table: things"):
        sqlite_tables(path, [table("things", {"id": "string"}, [])])


# --- Parquet and zips ----------------------------------------------------------------------

def parquet(rows: list[dict], types: dict) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    arrow = pa.Table.from_pylist(rows, schema=pa.schema(list(types.items())))
    pq.write_table(arrow, buffer)
    return buffer.getvalue()


def test_parquet_tables_are_named_by_their_files():
    pa = pytest.importorskip("pyarrow")
    rows = [{"id": "a", "flag": True, "day": D(2023, 3, 20), "n": 7},
            {"id": "b", "flag": None, "day": None, "n": None}]
    data = parquet(rows, {"id": pa.string(), "flag": pa.bool_(), "day": pa.date32(),
                          "n": pa.int64()})
    found = parquet_tables({"dipdata-1.0.0/things.parquet": data, "top.parquet": data,
                            "a/b/deep.parquet": data,
                            "dipdata-1.0.0/README.md": b"# not a table",
                            "dipdata-1.0.0/parquet.txt": b"nor this"})
    assert found == {"things": rows, "top": rows, "deep": rows}
    assert [type(v) for v in found["things"][0].values()] == [str, bool, D, int]


def zipped(path: Path, files: dict[str, bytes], folders: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for folder in folders:
            zf.writestr(folder, b"")
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def test_zipped_files_by_their_path_inside_the_zip(tmp_path):
    path = zipped(tmp_path / "x.zip", {"b/one.txt": b"1", "a.txt": b"", "b/c/two.bin": b"\0"},
                  folders=("b/", "b/c/", "empty/"))
    found = zipped_files(path)
    assert found == {"a.txt": b"", "b/c/two.bin": b"\0", "b/one.txt": b"1"}
    assert list(found) == ["a.txt", "b/c/two.bin", "b/one.txt"]


def test_zipped_files_are_extracted_safely(tmp_path):
    from dipdata.base.archives import ReleaseError

    path = zipped(tmp_path / "x.zip", {"../escape.txt": b"x"})
    with pytest.raises(ReleaseError, match="climbs out"):
        zipped_files(path)


# --- differences, said plainly -------------------------------------------------------------

THINGS = table("things", {"id": "string", "flag": "boolean", "day": "date", "n": "integer"}, [
    {"id": "a", "flag": True, "day": D(2023, 1, 1), "n": 1},
    {"id": "b", "flag": False, "day": None, "n": 2},
    {"id": "c", "flag": None, "day": D(2023, 1, 3), "n": None},
])


def copy(rows: list[dict]) -> list[dict]:
    return [dict(row) for row in rows]


def test_the_same_rows_in_any_order_have_no_difference():
    assert differences([THINGS], {"things": copy(THINGS.rows)[::-1]}) == []
    assert differences([], {}) == []


def test_values_of_another_type_differ():
    for value in (1, "True", 1.0):
        rows = copy(THINGS.rows)
        rows[0]["flag"] = value
        assert differences([THINGS], {"things": rows}) == [
            f"things row a flag: {value!r} where the CSV has True"]
    rows = copy(THINGS.rows)
    rows[0]["day"] = "2023-01-01"
    assert differences([THINGS], {"things": rows}) == [
        "things row a day: '2023-01-01' where the CSV has datetime.date(2023, 1, 1)"]
    rows = copy(THINGS.rows)
    rows[1]["n"] = 2.0
    assert differences([THINGS], {"things": rows}) == [
        "things row b n: 2.0 where the CSV has 2"]


def test_a_null_differs_from_a_value_and_a_missing_column_is_null():
    rows = copy(THINGS.rows)
    rows[2]["flag"] = False
    del rows[0]["n"]
    assert differences([THINGS], {"things": rows}) == [
        "things row a n: None where the CSV has 1",
        "things row c flag: False where the CSV has None"]


def test_only_the_first_differing_cell_of_a_row_is_said():
    rows = copy(THINGS.rows)
    rows[0].update(flag=False, n=5)
    rows[1].update(n=3)
    assert differences([THINGS], {"things": rows}) == [
        "things row a flag: False where the CSV has True",
        "things row b n: 3 where the CSV has 2"]


def test_rows_in_one_format_only_and_the_counts():
    rows = copy(THINGS.rows)[1:] + [{"id": "d", "flag": True, "day": None, "n": 4},
                                    {"id": "e", "flag": True, "day": None, "n": 5}]
    assert differences([THINGS], {"things": rows}) == [
        "things has 4 rows, the CSV 3",
        "things row a is only in the CSV",
        "things row d is only in this format",
        "things row e is only in this format"]
    # a key found twice: the count differs though every key is found
    rows = copy(THINGS.rows) + copy(THINGS.rows[:1])
    assert differences([THINGS], {"things": rows}) == ["things has 4 rows, the CSV 3"]


def test_a_row_without_its_key_is_only_in_this_format():
    rows = copy(THINGS.rows) + [{"flag": True}]
    assert differences([THINGS], {"things": rows}) == [
        "things has 4 rows, the CSV 3", "things row None is only in this format"]


def test_at_most_five_differences_per_table():
    many = table("many", {"id": "string", "v": "integer"},
                 [{"id": f"r{i}", "v": i} for i in range(7)])
    found = {"many": [{"id": f"r{i}", "v": i + 1} for i in range(7)],
             "things": [{"id": "x"}]}
    assert differences([many, THINGS], found) == [
        "many row r0 v: 1 where the CSV has 0",
        "many row r1 v: 2 where the CSV has 1",
        "many row r2 v: 3 where the CSV has 2",
        "many row r3 v: 4 where the CSV has 3",
        "many row r4 v: 5 where the CSV has 4",
        "things has 1 rows, the CSV 3",
        "things row a is only in the CSV",
        "things row b is only in the CSV",
        "things row c is only in the CSV",
        "things row x is only in this format"]
    # rows found in one format only count towards the five too
    found = {"many": [{"id": f"s{i}", "v": i} for i in range(3)] + found["many"][:4]}
    assert differences([many], found) == [
        "many row r0 v: 1 where the CSV has 0",
        "many row r1 v: 2 where the CSV has 1",
        "many row r2 v: 3 where the CSV has 2",
        "many row r3 v: 4 where the CSV has 3",
        "many row r4 is only in the CSV"]
    # five in all: exactly five are said
    found = {"many": [{"id": f"r{i}", "v": i + (i < 5)} for i in range(7)]}
    assert len(differences([many], found)) == 5


def test_rows_are_said_in_the_order_of_their_keys_written_out():
    numbered = table("numbered", {"number": "integer", "part": "string", "v": "integer"}, [
        {"number": 9, "part": "b", "v": 0}, {"number": 10, "part": "a", "v": 0}],
        key=["number", "part"])
    found = {"numbered": [{"number": 9, "part": "b", "v": 1}, {"number": 10, "part": "a",
                                                               "v": 1}]}
    assert differences([numbered], found) == [
        "numbered row 10/a v: 1 where the CSV has 0",
        "numbered row 9/b v: 1 where the CSV has 0"]


def test_missing_and_extra_tables():
    empty = table("empty", {"id": "string"}, [])
    assert differences([THINGS, empty], {"zz": [], "empty": [], "aa": [{"id": "x"}]}) == [
        "table things is missing",
        "table aa is not in the data package",
        "table zz is not in the data package"]
    # a missing table does not stop the comparison of the next ones
    assert differences([THINGS, table("other", {"id": "string"}, [{"id": "x"}])],
                       {"other": []}) == [
        "table things is missing", "other has 0 rows, the CSV 1", "other row x is only in the CSV"]


# --- a release folder --------------------------------------------------------------------------

def package(folder: Path) -> Path:
    """A one-table package: things(id, flag, day), two rows."""
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "things.csv").write_text("id,flag,day\na,true,2023-01-01\nb,false,\n")
    (folder / "datapackage.json").write_text(json.dumps({"resources": [{
        "name": "things", "path": "data/things.csv", "type": "table", "format": "csv",
        "schema": {"fields": [{"name": "id", "type": "string"},
                              {"name": "flag", "type": "boolean"},
                              {"name": "day", "type": "date"}], "primaryKey": ["id"]}}]}))
    return folder


def sqlite_bytes(tmp_path: Path, flag_of_b: int) -> bytes:
    path = database(tmp_path / f"made-{flag_of_b}.sqlite", f"""
        create table things (id text primary key, flag integer, day text);
        insert into things values ('a', 1, '2023-01-01');
        insert into things values ('b', {flag_of_b}, null);
    """)
    data = path.read_bytes()
    path.unlink()
    return data


def parquet_bytes(flag_of_b: bool) -> bytes:
    pa = pytest.importorskip("pyarrow")
    return parquet([{"id": "a", "flag": True, "day": D(2023, 1, 1)},
                    {"id": "b", "flag": flag_of_b, "day": None}],
                   {"id": pa.string(), "flag": pa.bool_(), "day": pa.date32()})


def test_a_release_whose_formats_agree(tmp_path):
    folder = tmp_path / "release"
    folder.mkdir()
    zipped(folder / "dipdata-1.0.0-sqlite.zip",
           {"dipdata-1.0.0/dipdata.sqlite": sqlite_bytes(tmp_path, 0),
            "dipdata-1.0.0/metadata.json": b"{}"})
    zipped(folder / "dipdata-1.0.0-parquet.zip",
           {"dipdata-1.0.0/things.parquet": parquet_bytes(False)})
    assert check_release_formats(package(tmp_path / "package"), folder) == []
    assert list(tmp_path.glob("*.sqlite")) == []


def test_a_release_whose_formats_differ_names_each_zip(tmp_path):
    folder = tmp_path / "release"
    folder.mkdir()
    zipped(folder / "dipdata-1.0.0-sqlite.zip",
           {"dipdata-1.0.0/dipdata.sqlite": sqlite_bytes(tmp_path, 1),
            "dipdata-1.0.0/second.sqlite": sqlite_bytes(tmp_path, 2)})
    zipped(folder / "dipdata-0.9.0-sqlite.zip", {"README.md": b"no database"})
    zipped(folder / "dipdata-1.0.0-parquet.zip",
           {"dipdata-1.0.0/things.parquet": parquet_bytes(True),
            "dipdata-1.0.0/stray.parquet": parquet_bytes(False)})
    # not artifacts of these kinds: never read
    zipped(folder / "dipdata-1.0.0-datapackage.zip", {"x.sqlite": b"not a database"})
    zipped(folder / "other-sqlite.zip", {"x.sqlite": b"not a database"})
    (folder / "dipdata-1.0.0-sqlite.tar").write_bytes(b"not a zip")
    assert check_release_formats(package(tmp_path / "package"), folder) == [
        ("dipdata-0.9.0-sqlite.zip", "holds no .sqlite database"),
        ("dipdata-1.0.0-sqlite.zip", "things row b flag: True where the CSV has False"),
        ("dipdata-1.0.0-sqlite.zip", "things row b flag: 2 where the CSV has False"),
        ("dipdata-1.0.0-parquet.zip", "things row b flag: True where the CSV has False"),
        ("dipdata-1.0.0-parquet.zip", "table stray is not in the data package"),
    ]


def test_a_folder_without_sqlite_or_parquet_zips_has_nothing_to_compare(tmp_path):
    folder = tmp_path / "release"
    folder.mkdir()
    assert check_release_formats(package(tmp_path / "package"), folder) == []
