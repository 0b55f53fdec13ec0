"""One truth in every format: every table reads the same, cell by cell and typed, from the
CSV (typed by its Table Schema), the JSON records, the SQLite database, the Parquet files,
``dipdata.load()``, ``to_pandas`` and ``to_polars``; and ``dipdata verify`` fails a release
whose formats disagree."""

from __future__ import annotations

import datetime
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from .conftest import ROOT

# one worker makes the shared release and runs every test that reads it
pytestmark = pytest.mark.xdist_group("release")

PACKAGE = ROOT / "datapackage"
pytest.importorskip("sqlite_utils")
pytest.importorskip("pyarrow")


def _plain(value, kind):
    """A DataFrame cell as a plain Python value of its Table Schema type (None for null)."""
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if kind == "date":
        return value.date() if hasattr(value, "date") else value
    if kind == "integer":
        return int(value)
    if kind == "boolean":
        return bool(value)
    return str(value)


def _frames(package: Path) -> dict[str, dict[str, list]]:
    """Each table from to_pandas and from to_polars, as lists of plain rows."""
    import dipdata

    found: dict[str, dict[str, list]] = {"pandas": {}, "polars": {}}
    from dipdata.publish.exports import read_tables

    for table in read_tables(package):
        kinds = {f["name"]: f["type"] for f in table.schema["fields"]}
        frame = dipdata.to_pandas(table.name, package)
        found["pandas"][table.name] = [
            {name: _plain(value, kinds[name]) for name, value in row.items()}
            for row in frame.astype(object).to_dict("records")]
        found["polars"][table.name] = dipdata.to_polars(table.name, package).to_dicts()
    return found


def _sqlite_and_parquet(package: Path, tmp: Path) -> dict[str, dict[str, list]]:
    from dipdata.publish.exports import parquet_files, read_tables, write_sqlite
    from dipdata.publish.formats import parquet_tables, sqlite_tables

    tables = read_tables(package)
    database = write_sqlite(package, tmp / "x.sqlite")
    return {"sqlite": sqlite_tables(database, tables),
            "parquet": parquet_tables(parquet_files(package))}


def test_every_table_reads_the_same_in_every_format(tmp_path):
    from dipdata.publish.exports import read_tables
    from dipdata.publish.formats import differences

    tables = read_tables(PACKAGE)
    formats = _sqlite_and_parquet(PACKAGE, tmp_path) | _frames(PACKAGE)
    for name, found in formats.items():
        assert differences(tables, found) == [], name
    # what the comparison relies on, by hand: the aggregates' exhaustive flags
    aggregates = {row["id"]: row["exhaustive"] for row in formats["sqlite"]["aggregates"]}
    assert aggregates["meetings-and-calls-2023"] is True
    assert aggregates["several-other-us-friends-2023"] is False
    assert sum(aggregates.values()) == sum(
        json.loads(p.read_text("utf-8"))["exhaustive"]
        for p in (ROOT / "records" / "aggregates").glob("*.json"))


def test_the_curated_json_and_the_loader_hold_the_csv_values():
    import dipdata
    from dipdata.publish.exports import read_tables

    data = dipdata.load()
    for table in read_tables(PACKAGE):
        records_path = PACKAGE / "data" / f"{table.name}.json"
        if not records_path.is_file():
            continue
        kinds = {f["name"]: f["type"] for f in table.schema["fields"]}
        records = {r["id"]: r for r in json.loads(records_path.read_text("utf-8"))}
        loaded = getattr(data, table.name)
        assert len(records) == len(table.rows) == len(loaded), table.name
        for row in table.rows:
            record, typed = records[row["id"]], loaded[row["id"]]
            for name, value in row.items():
                given = record[name]
                if kinds[name] == "date" and given is not None:
                    given = datetime.date.fromisoformat(given)
                assert (given, type(given)) == (value, type(value)), (table.name, row["id"], name)
                attribute = getattr(typed, name)
                assert (attribute, type(attribute)) == (value, type(value)), (row["id"], name)


def _tiny_package(folder: Path) -> Path:
    """A one-table package with every column type, and a null in every nullable column."""
    fields = [
        {"name": "id", "type": "string", "constraints": {"required": True}},
        {"name": "count", "type": "integer"},
        {"name": "flag", "type": "boolean"},
        {"name": "day", "type": "date"},
        {"name": "words", "type": "string"},
    ]
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "things.csv").write_text(
        "id,count,flag,day,words\n"
        "a,7,true,2023-04-14,\"one, two\"\n"
        "b,,,,\n"
        "c,-2,false,2023-12-31,x\n", "utf-8")
    descriptor = {"name": "tiny", "resources": [{
        "name": "things", "path": "data/things.csv", "type": "table", "format": "csv",
        "schema": {"fields": fields, "primaryKey": ["id"]}}],
        "licenses": [{"name": "CC0-1.0", "path": "https://creativecommons.org/"}],
        "sources": [{"title": "made by a test", "path": "https://example.org/"}],
        "title": "Tiny", "description": "A test package."}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    return folder


EXPECTED = [
    {"id": "a", "count": 7, "flag": True, "day": datetime.date(2023, 4, 14), "words": "one, two"},
    {"id": "b", "count": None, "flag": None, "day": None, "words": None},
    {"id": "c", "count": -2, "flag": False, "day": datetime.date(2023, 12, 31), "words": "x"},
]


def test_a_package_with_every_type_and_nulls_reads_the_same_everywhere(tmp_path):
    from dipdata.publish.exports import read_tables

    package = _tiny_package(tmp_path / "tiny")
    [table] = read_tables(package)
    assert table.rows == EXPECTED
    formats = _sqlite_and_parquet(package, tmp_path) | _frames(package)
    for name, found in formats.items():
        rows = sorted(found["things"], key=lambda row: row["id"])
        assert [{k: (v, type(v)) for k, v in row.items()} for row in rows] == \
            [{k: (v, type(v)) for k, v in row.items()} for row in EXPECTED], name


def test_a_flipped_boolean_or_a_changed_date_is_a_difference(tmp_path):
    from dipdata.publish.exports import read_tables
    from dipdata.publish.formats import differences, sqlite_tables

    package = _tiny_package(tmp_path / "tiny")
    tables = read_tables(package)
    from dipdata.publish.exports import write_sqlite

    database = write_sqlite(package, tmp_path / "x.sqlite")
    with sqlite3.connect(database) as db:
        db.execute("update things set flag = 0 where id = 'a'")
        db.execute("update things set day = '2023-04-15' where id = 'c'")
    assert differences(tables, sqlite_tables(database, tables)) == [
        "things row a flag: False where the CSV has True",
        "things row c day: datetime.date(2023, 4, 15) where the CSV has "
        "datetime.date(2023, 12, 31)"]
    assert differences(tables, {}) == ["table things is missing"]
    assert differences(tables, {"things": EXPECTED[:2], "other": []}) == [
        "things has 2 rows, the CSV 3", "things row c is only in the CSV",
        "table other is not in the data package"]
    # 1 is not True: a value of another type differs
    assert differences(tables, {"things": [{**EXPECTED[0], "flag": 1}, *EXPECTED[1:]]}) == [
        "things row a flag: 1 where the CSV has True"]


def _tampered(release_folder, tmp_path, artifact: str, member: str, change):
    """A copy of the release with one member of one zip changed (and SHA256SUMS made anew,
    as a careless or malicious publisher would): the zip's name and verify's report."""
    import zipfile

    from dipdata.publish.verify import verify

    folder = tmp_path / "release"
    shutil.copytree(release_folder, folder)
    assert verify(folder).valid
    [zipped] = folder.glob(artifact)
    with zipfile.ZipFile(zipped) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    [name] = [n for n in files if n.endswith(member)]
    files[name] = change(files[name], tmp_path)
    with zipfile.ZipFile(zipped, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    _resum(folder)
    return zipped.name, verify(folder)


def test_verify_fails_a_release_whose_sqlite_has_one_flipped_boolean(release_folder, tmp_path):
    def flip(data: bytes, scratch: Path) -> bytes:
        database = scratch / "dipdata.sqlite"
        database.write_bytes(data)
        with sqlite3.connect(database) as db:
            db.execute("update aggregates set exhaustive = 1 - exhaustive "
                       "where id = 'meetings-and-calls-2023'")
        return database.read_bytes()

    name, report = _tampered(release_folder, tmp_path, "dipdata-*-sqlite.zip",
                             "/dipdata.sqlite", flip)
    assert [(p.path, p.code, p.message) for p in report.problems] == [
        (name, "formats-differ",
         "aggregates row meetings-and-calls-2023 exhaustive: False where the CSV has True")]


def test_verify_fails_a_release_whose_parquet_has_one_flipped_boolean(release_folder, tmp_path):
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    def flip(data: bytes, scratch: Path) -> bytes:
        table = pq.read_table(io.BytesIO(data))
        flags = [not flag if ident == "home-ground-events-2023" else flag for ident, flag in
                 zip(table["id"].to_pylist(), table["exhaustive"].to_pylist(), strict=True)]
        table = table.set_column(table.schema.get_field_index("exhaustive"),
                                 table.schema.field("exhaustive"), pa.array(flags, pa.bool_()))
        buffer = io.BytesIO()
        pq.write_table(table, buffer)
        return buffer.getvalue()

    name, report = _tampered(release_folder, tmp_path, "dipdata-*-parquet.zip",
                             "/aggregates.parquet", flip)
    assert [(p.path, p.code, p.message) for p in report.problems] == [
        (name, "formats-differ",
         "aggregates row home-ground-events-2023 exhaustive: False where the CSV has True")]


def test_verify_says_when_it_cannot_read_the_parquet(release_folder, monkeypatch):
    from dipdata.publish import formats
    from dipdata.publish.verify import verify

    def missing(package, folder):
        raise ModuleNotFoundError("No module named 'pyarrow'", name="pyarrow")

    monkeypatch.setattr(formats, "check_release_formats", missing)
    report = verify(release_folder)
    assert [(p.path, p.code, p.message) for p in report.problems] == [
        (release_folder.name, "cannot-compare", "the Parquet files cannot be read without "
         'pyarrow: pip install "dipdata[parquet]"')]


def _resum(folder: Path) -> None:
    """SHA256SUMS made anew, as a careless (or malicious) publisher would."""
    from dipdata.base.archives import CHECKSUMS, sha256

    names = sorted(p.name for p in folder.iterdir() if p.name != CHECKSUMS)
    (folder / CHECKSUMS).write_text("".join(f"{sha256(folder / n)}  {n}\n" for n in names))
