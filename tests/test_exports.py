"""The release's SQLite database and Parquet tables: complete, keyed, typed, deterministic."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from dipdata.base.paths import PACKAGE_DIR

from .conftest import ROOT

PACKAGE = ROOT / PACKAGE_DIR
pytest.importorskip("sqlite_utils")


def _csv(table: str) -> list[dict[str, str]]:
    with open(PACKAGE / "data" / f"{table}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _csv_rows(table: str) -> int:
    with open(PACKAGE / "data" / f"{table}.csv", encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    from dipdata.publish.exports import write_sqlite

    return write_sqlite(PACKAGE, tmp_path_factory.mktemp("sqlite") / "dipdata.sqlite")


def test_every_table_is_there_with_the_csv_row_count(database):
    descriptor = json.loads((PACKAGE / "datapackage.json").read_text("utf-8"))
    tables = [r["name"] for r in descriptor["resources"] if r.get("type") == "table"]
    with sqlite3.connect(database) as db:
        for table in tables:
            assert db.execute(f'select count(*) from "{table}"').fetchone()[0] == \
                _csv_rows(table), table
        assert db.execute("select count(*) from events").fetchone()[0] == _csv_rows("events")


def test_foreign_keys_are_declared_and_hold(database):
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        keys = {(row[2], row[3], row[4]) for row in db.execute(
            "select * from pragma_foreign_key_list('events')")}
        assert ("events", "part_of", "id") in keys and ("records", "id", "id") in keys
        keys = {(row[2], row[3]) for row in db.execute(
            "select * from pragma_foreign_key_list('mentions')")}
        assert ("sentences", "sentence") in keys
        primary = [row[1] for row in db.execute("PRAGMA table_info(participants)") if row[5]]
        assert primary == ["event", "actor", "role"]  # no key field may be null (v2)


def test_a_join_answers(database):
    with sqlite3.connect(database) as db:
        events = {row[0] for row in db.execute(
            "select e.id from participants p join actors a on a.id = p.actor "
            "join events e on e.id = p.event where a.name = 'Vladimir Putin'")}
        assert {"xi-state-visit-russia-2023", "xi-putin-talks-2023-03-21"} <= events
        row = db.execute("select start_date, end_date, city, country from events "
                         "where id = 'xi-state-visit-russia-2023'").fetchone()
        assert row == ("2023-03-20", "2023-03-22", "Moscow", "RU")


def test_full_text_search_finds_sentences_and_records(database):
    with sqlite3.connect(database) as db:
        sentences = [row[0] for row in db.execute(
            "select number from sentences where rowid in "
            "(select rowid from sentences_fts where sentences_fts match 'Johannesburg')")]
        assert sentences == [14]
        events = {row[0] for row in db.execute(
            "select id from events where rowid in "
            "(select rowid from events_fts where events_fts match 'Putin')")}
        assert "xi-state-visit-russia-2023" in events
        outcomes = [row[0] for row in db.execute(
            "select id from outcomes where rowid in "
            "(select rowid from outcomes_fts where outcomes_fts match 'eight')")]
        assert outcomes == ["brf-2023-eight-major-steps"]


def test_the_database_is_deterministic(database, tmp_path):
    from dipdata.publish.exports import write_sqlite

    again = write_sqlite(PACKAGE, tmp_path / "again.sqlite")
    assert hashlib.sha256(again.read_bytes()).digest() == \
        hashlib.sha256(database.read_bytes()).digest()


def test_datasette_metadata_describes_every_table():
    from dipdata.publish.exports import datasette_metadata

    metadata = datasette_metadata(PACKAGE, "dipdata-1.0.0")
    assert metadata["license"] == "CC-BY-4.0"
    assert metadata["source_url"].startswith("https://www.fmprc.gov.cn/")
    tables = metadata["databases"]["dipdata-1.0.0"]["tables"]
    assert tables["events"]["columns"]["start_date"].startswith("First day")
    assert len(tables) == 23


@pytest.fixture(scope="module")
def parquet(tmp_path_factory) -> Path:
    pytest.importorskip("pyarrow")
    from dipdata.publish.exports import parquet_files

    folder = tmp_path_factory.mktemp("parquet")
    for name, data in parquet_files(PACKAGE).items():
        (folder / name).write_bytes(data)
    return folder


def test_duckdb_reads_dates_as_date(parquet):
    duckdb = pytest.importorskip("duckdb")
    connection = duckdb.connect()
    row = connection.execute(f"select typeof(start_date), start_date, typeof(number) from "
                     f"read_parquet('{parquet / 'events.parquet'}') e, "
                     f"read_parquet('{parquet / 'sentences.parquet'}') s "
                     "where e.id = 'xi-state-visit-russia-2023' and s.number = 1").fetchall()[0]
    assert row == ("DATE", datetime.date(2023, 3, 20), "BIGINT")
    count = connection.execute(
        f"select count(*) from read_parquet('{parquet / 'events.parquet'}')").fetchall()
    assert count == [(_csv_rows("events"),)]


def test_polars_reads_the_types(parquet):
    polars = pytest.importorskip("polars")
    frame = polars.read_parquet(parquet / "aggregates.parquet")
    assert frame.schema["exhaustive"] == polars.Boolean
    assert polars.read_parquet(parquet / "mentions.parquet").schema["start_offset"] == \
        polars.Int64
    assert len(list(parquet.glob("*.parquet"))) == 23


def test_parquet_is_deterministic(parquet):
    from dipdata.publish.exports import parquet_files

    assert {n: (parquet / n).read_bytes() for n in parquet_files(PACKAGE)} == \
        parquet_files(PACKAGE)


def test_release_bundles_are_reproducible(tmp_path):
    pytest.importorskip("pyarrow")
    from dipdata.publish.bundles import extra_artifacts

    def zipped(files: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            for name in sorted(files):
                zf.writestr(zipfile.ZipInfo(name, (2023, 12, 29, 0, 0, 0)), files[name])
        return buffer.getvalue()

    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir(), second.mkdir()
    made = extra_artifacts(ROOT, first, "9.9.9", zipped)
    extra_artifacts(ROOT, second, "9.9.9", zipped)
    assert sorted(p.name for p in made) == [
        "dipdata-9.9.9-parquet.zip", "dipdata-9.9.9-site.zip", "dipdata-9.9.9-sqlite.zip"]
    for path in made:
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name
    names = zipfile.ZipFile(first / "dipdata-9.9.9-site.zip").namelist()
    assert names == ["dipdata-9.9.9-site/explorer.css", "dipdata-9.9.9-site/explorer.js",
                     "dipdata-9.9.9-site/index.html"]
    assert "dipdata-9.9.9-parquet/events.parquet" in \
        zipfile.ZipFile(first / "dipdata-9.9.9-parquet.zip").namelist()


def test_full_text_search_finds_chinese_words(database):
    """Chinese has no spaces between words: the trigram index finds a name inside a title."""
    with sqlite3.connect(database) as db:
        found = db.execute("select id from events_fts join events on events.rowid = "
                           "events_fts.rowid where events_fts match ? order by id",
                           ('"普京举行会谈"',)).fetchall()
        named = db.execute("select id from actors where rowid in (select rowid from "
                           "actors_fts where actors_fts match ?)", ('"马克龙"',)).fetchall()
    assert ("xi-putin-talks-2023-03-21",) in found
    assert named == [("emmanuel-macron",)]


def test_the_meetings_table_names_counterparts_countries_and_regions():
    """Hand-read rows: the June call with Ramaphosa (South Africa, Africa), the trilateral
    meeting of 6 April (two counterparts, one without a country), and no Chinese counterpart."""
    rows = {(r["event"], r["counterpart"]): r for r in _csv("meetings")}
    call = rows[("xi-ramaphosa-call-2023-06-09", "cyril-ramaphosa")]
    assert (call["date"], call["kind"], call["mode"], call["country"], call["region"],
            call["city"], call["venue_country"]) == (
        "2023-06-09", "call", "phone", "ZA", "Africa", "", "")
    trilateral = [k[1] for k in rows if k[0] == "china-france-eu-trilateral-meeting-2023-04-06"]
    assert trilateral == ["emmanuel-macron", "ursula-von-der-leyen"]
    assert rows[("china-france-eu-trilateral-meeting-2023-04-06",
                 "ursula-von-der-leyen")]["region"] == ""
    assert not any(r["counterpart"] in ("xi-jinping", "peng-liyuan") for r in rows.values())
    assert len({r["event"] for r in rows.values()}) == 112
    sideline = rows[("xi-kakar-meeting-2023-10-19", "anwaar-ul-haq-kakar")]
    assert sideline["occasion"] == "third-belt-and-road-forum-2023"
    countries = {r["code"]: r for r in _csv("countries")}
    assert (countries["KH"]["name_zh"], countries["KH"]["region"],
            countries["KH"]["sub_region"]) == ("柬埔寨", "Asia", "South-eastern Asia")
    assert {r["country"] for r in rows.values() if r["country"]} <= set(countries)


def test_the_shipped_regions_are_the_un_data():
    """src/dipdata/data/regions.csv is generated from hdx-python-country; it must not drift."""
    pytest.importorskip("hdx.location.country")
    from dipdata.model.regions import FILE, regions_csv

    assert (ROOT / "src" / "dipdata" / "data" / FILE).read_text("utf-8") == regions_csv()
