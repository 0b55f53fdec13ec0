"""`dipdata build`: the committed package is what the records produce, valid, deterministic."""

from __future__ import annotations

import csv
import io
import json

import pytest

from dipdata.make.package import PACKAGE_DIR, build

from .conftest import RECORDS, ROOT, run, tree_digest, write_record
from .test_validate import good_event


def test_committed_package_is_current(capsys):
    code, out, _ = run(capsys, "--root", str(ROOT), "build", "--check")
    assert (code, out) == (0, f"valid: {RECORDS} records, no problems\n"), out


def test_two_builds_give_identical_bytes(repo):
    assert build(repo).report.valid
    first = tree_digest(repo / PACKAGE_DIR)
    assert build(repo).report.valid
    assert tree_digest(repo / PACKAGE_DIR) == first
    assert first == tree_digest(ROOT / PACKAGE_DIR)


def test_check_fails_when_the_package_is_stale(repo, capsys):
    write_record(repo, "events", good_event())
    code, out, _ = run(capsys, "--root", str(repo), "build", "--check")
    assert code == 1
    assert "datapackage/data/events.csv: stale-file: differs from what the " \
           "records produce; run `dipdata build`" in out.splitlines()


def test_failed_build_writes_nothing(repo, capsys):
    write_record(repo, "events", {**good_event(), "start_date": "2023-02-30"})
    before = tree_digest(repo)
    code, out, _ = run(capsys, "--root", str(repo), "build")
    assert code == 1 and "bad-date" in out
    assert tree_digest(repo) == before


def test_build_writes_new_records(repo, capsys):
    write_record(repo, "events", good_event())
    code, _, _ = run(capsys, "--root", str(repo), "build")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(
        (repo / "datapackage/data/events.csv").read_text("utf-8"))))
    planted = next(row for row in rows if row["id"] == "planted-event")
    assert planted["start_date"] == "2023-05-18" and planted["country"] == "CN"
    participants = (repo / "datapackage/data/participants.csv").read_text("utf-8")
    assert "planted-event,xi-jinping,host,President of the People's Republic of China\n" \
        in participants
    assert not [p for p in repo.iterdir() if p.name.startswith(".") and p.name != ".zenodo.json"]  # no staging left


def test_frictionless_finds_the_package_valid():
    from frictionless import Package

    report = Package(str(ROOT / PACKAGE_DIR / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type"])


def test_frictionless_catches_a_broken_foreign_key(repo):
    from frictionless import Package

    path = repo / "datapackage/data/participants.csv"
    path.write_text(path.read_text("utf-8").replace(",xi-jinping,", ",nobody,", 1), "utf-8")
    report = Package(str(repo / PACKAGE_DIR / "datapackage.json")).validate()
    assert "foreign-key" in {error.type for task in report.tasks for error in task.errors}


def _descriptor():
    return json.loads((ROOT / PACKAGE_DIR / "datapackage.json").read_text("utf-8"))


def test_descriptor_metadata():
    descriptor = _descriptor()
    for key in ("$schema", "name", "title", "description", "version", "licenses", "sources",
                "contributors", "keywords"):
        assert descriptor[key], key
    import dipdata

    assert descriptor["version"] == dipdata.__version__
    for resource in descriptor["resources"]:
        data = (ROOT / PACKAGE_DIR / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        import hashlib

        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()


REQUIRED_TABLES = ("events", "actors", "participants", "outcomes", "positions", "sources",
                   "mentions", "citations")


def test_every_table_as_csv_and_every_record_table_as_json():
    names = {r["name"] for r in _descriptor()["resources"]}
    for table in REQUIRED_TABLES:
        assert table in names
    for table in ("events", "actors", "outcomes", "positions", "sources", "aggregates",
                  "commentary"):
        assert f"{table}-json" in names


def _csv(name):
    return list(csv.DictReader(io.StringIO(
        (ROOT / PACKAGE_DIR / "data" / f"{name}.csv").read_text("utf-8"))))


def _cell(value):
    """A JSON value as its CSV cell, by hand: null is empty, booleans are `true`/`false`."""
    return {None: "", True: "true", False: "false"}.get(value, value) \
        if value is None or isinstance(value, bool) else str(value)


@pytest.mark.parametrize("table", ["events", "actors", "outcomes", "positions", "sources",
                                   "aggregates", "commentary"])
def test_csv_and_json_hold_the_same_facts(table):
    records = json.loads((ROOT / PACKAGE_DIR / "data" / f"{table}.json").read_text("utf-8"))
    rows = {row["id"]: row for row in _csv(table)}
    assert sorted(rows) == sorted(r["id"] for r in records)
    citations = {(row["record"], row["source"]) for row in _csv("citations")}
    mentions = {(row["record"], int(row["start_offset"]), int(row["end_offset"]), row["quote"])
                for row in _csv("mentions")}
    participants = {(row["event"], row["actor"], row["role"]) for row in _csv("participants")}
    for record in records:
        row = rows[record["id"]]
        for key, value in record.items():
            if isinstance(value, list):
                continue
            assert row[key] == _cell(value), (record["id"], key)
        for source in record.get("sources", []):
            assert (record["id"], source) in citations
        for mention in record.get("mentions", []):
            assert (record["id"], mention["start"], mention["end"], mention["quote"]) in mentions
        for participant in record.get("participants", []):
            assert (record["id"], participant["actor"], participant["role"]) in participants


def test_no_csv_cell_starts_with_a_formula_trigger():
    for path in (ROOT / PACKAGE_DIR / "data").glob("*.csv"):
        for row in csv.reader(io.StringIO(path.read_text("utf-8"))):
            for cell in row:
                assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), (path.name, cell)


def test_files_are_utf8_lf_without_bom():
    for path in (ROOT / PACKAGE_DIR).rglob("*"):
        if path.is_file() and path.suffix in (".csv", ".json"):
            data = path.read_bytes()
            assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data
            data.decode("utf-8")


def test_review_text_is_shipped_unchanged():
    import hashlib

    from dipdata.model.source import REVIEW_ID, REVIEW_SHA256

    data = (ROOT / PACKAGE_DIR / "source" / f"{REVIEW_ID}.txt").read_bytes()
    assert hashlib.sha256(data).hexdigest() == REVIEW_SHA256


def test_validate_catches_an_edited_package_file(repo, capsys):
    path = repo / "datapackage/data/participants.csv"
    path.write_bytes(path.read_bytes().replace(b"xi-jinping", b"xi-jinpin", 1))
    expected = ("datapackage/data/participants.csv: stale-file: differs from what the records "
                "produce; run `dipdata build`\n")
    assert run(capsys, "--root", str(repo), "validate")[:2] == (1, expected)
    assert run(capsys, "--root", str(repo), "build", "--check")[:2] == (1, expected)


def test_validate_catches_records_changed_without_a_build(repo, capsys):
    write_record(repo, "events", good_event())
    stale = ["README.md", "datapackage/data/citations.csv", "datapackage/data/events.csv",
             "datapackage/data/events.json", "datapackage/data/participants.csv",
             "datapackage/data/records.csv", "datapackage/datapackage.json",
             "datapackage/dataset.jsonld", "pictures/map.svg", "pictures/timeline.svg"]
    expected = "".join(f"{path}: stale-file: differs from what the records produce; run "
                       "`dipdata build`\n" for path in stale)
    assert run(capsys, "--root", str(repo), "validate")[:2] == (1, expected)
    assert run(capsys, "--root", str(repo), "build", "--check")[:2] == (1, expected)