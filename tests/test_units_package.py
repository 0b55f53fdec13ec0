"""Checking and building the generated files of a tiny repository made in the test: which
files are stale and why, what a build writes and reports as changed, when it writes nothing,
when the build lock spares making the files, which JSON Schemas make them, and that a failed
swap puts every old file back. The records' own checks are stood in for by a stub that
passes a few records to the writer (the real checks need the whole review covered); the
writer, the lock, the hashing and the swap are the real ones. Expected values by hand."""

from __future__ import annotations

import errno
import hashlib
import json
import os
from pathlib import Path

import pytest

from dipdata.base.paths import TABLES
from dipdata.base.problems import Problem, Report
from dipdata.make import package as packaging
from dipdata.make import writer as writing
from dipdata.make.package import Built, BuildError, Made, build, check, stale_files
from dipdata.check.validate import Checked, load_schemas
from dipdata.model.source import REVIEW_ID

from .conftest import ROOT, tree_digest


def schema(table: str) -> dict:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://example.org/{table}", "type": "object", "required": ["id"],
            "properties": {"id": {"type": "string"},
                           "notes": {"anyOf": [{"type": "string"}, {"type": "null"}],
                                     "default": None}}}


SCHEMAS = {table: schema(table) for table in TABLES}
PICTURES = ("counterparts", "map", "meetings-by-month", "timeline")
TABLE_NAMES = ("countries", "meetings", "records", "sentences", *TABLES)
GENERATED = sorted(
    [f"schema/{t}.schema.json" for t in TABLES]
    + [f"datapackage/schema/{t}.schema.json" for t in TABLES]
    + [f"datapackage/data/{t}.csv" for t in TABLE_NAMES]
    + [f"datapackage/data/{t}.json" for t in TABLES]
    + ["datapackage/datapackage.json", "datapackage/dataset.jsonld",
       f"datapackage/source/{REVIEW_ID}.txt", ".zenodo.json", "CITATION.bib", "CITATION.cff"]
    + [f"pictures/{name}.svg" for name in PICTURES])


class Checks:
    """Stands in for `check_records`: a valid report (unless ``problems``), the records
    passed to a writer, the inputs' digest; each call noted (whether with a writer)."""

    def __init__(self) -> None:
        self.records = [("positions", {"id": "b", "notes": "x"}), ("sources", {"id": "a"})]
        self.problems: list[Problem] = []
        self.inputs: str | None = "sha256:inputs"
        self.calls: list[tuple[dict, bool]] = []

    def __call__(self, root, schemas=None, only=(), writer=None):
        assert (root / "pyproject.toml").is_file()  # the repository's records are checked
        self.calls.append((schemas, writer is not None))
        if writer is not None:
            for table, record in sorted(self.records, key=lambda item: item[1]["id"]):
                writer.add(table, record, {})
        return Checked(Report(list(self.problems)), schemas, [], {}, self.inputs)


@pytest.fixture
def checks(monkeypatch) -> Checks:
    stub = Checks()
    monkeypatch.setattr(packaging, "check_records", stub)
    monkeypatch.setattr(packaging, "generated_schemas", lambda: SCHEMAS)
    monkeypatch.setattr(writing, "pictures", lambda *args: {  # (drawn in their own tests)
        f"pictures/{name}.svg": b"<svg/>" for name in PICTURES})
    return stub


@pytest.fixture
def root(tmp_path) -> Path:
    folder = tmp_path / "repo"
    (folder / "source").mkdir(parents=True)
    (folder / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[project.urls]\nHomepage = "https://example.org/"\n'
        'Repository = "https://example.org/repo"\n', "utf-8")
    (folder / "source" / f"{REVIEW_ID}.txt").write_bytes(b"Hello.\n")
    return folder


def on_disk(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_generated_schemas_are_the_committed_ones():
    generated = packaging.generated_schemas()
    assert list(generated) == list(TABLES) and generated == load_schemas(ROOT)


def test_the_schemas_generated_in_the_background_come_back_as_json(monkeypatch):
    monkeypatch.setattr(packaging, "generated_schemas", lambda: {"events": {"type": "object"}})
    assert packaging._generated_json() == b'{"events":{"type":"object"}}'


def stats(data: bytes) -> tuple[int, str]:
    return len(data), hashlib.sha256(data).hexdigest()


def test_stale_files_says_what_is_missing_extra_or_different(tmp_path):
    for path, data in [("schema/a.json", b"A"), ("schema/extra.json", b""),
                       ("datapackage/data/x.csv", b"changed"), ("datapackage/data/y.csv", b"y"),
                       ("CITATION.cff", b"cff"), ("CITATION.bib", b"old"),
                       ("other.txt", b"not generated")]:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    expected = {"schema/a.json": stats(b"A"), "schema/b.json": stats(b"B"),
                "datapackage/data/x.csv": stats(b"x"), "datapackage/data/y.csv": stats(b"y"),
                "pictures/map.svg": stats(b"<svg/>"),
                "CITATION.cff": stats(b"CFF"),  # the same size, other bytes
                "CITATION.bib": stats(b"new!"), "README.md": stats(b"# Hi")}
    assert stale_files(tmp_path, expected) == [
        ("schema/b.json", "is missing"),
        ("schema/extra.json", "is not produced by the records"),
        ("datapackage/data/x.csv", "differs from what the records produce"),
        ("pictures/map.svg", "is missing"),  # (no such folder at all)
        ("README.md", "is missing"),
        ("CITATION.cff", "differs from what the records produce"),
        ("CITATION.bib", "differs from what the records produce")]
    assert stale_files(tmp_path, {"schema/a.json": stats(b"A"), "schema/extra.json": stats(b""),
                                  "datapackage/data/y.csv": stats(b"y"),
                                  "CITATION.cff": stats(b"cff")}) == [
        ("datapackage/data/x.csv", "is not produced by the records")]


def test_made_expects_the_streamed_files_and_the_small_ones():
    class Writer:
        def generated(self):
            return {"datapackage/data/a.csv": (3, "hash")}

    made = Made(Checked(Report()), Writer(), {"CITATION.cff": b"abc"})
    assert made.expected == {"datapackage/data/a.csv": (3, "hash"),
                             "CITATION.cff": stats(b"abc")}
    assert Made(Checked(Report()), Writer()).expected == {
        "datapackage/data/a.csv": (3, "hash")}


def test_a_build_writes_every_generated_file_and_the_lock(root, checks):
    assert build(root) == Built(Report(), sorted([*GENERATED, "build.lock"]))
    assert on_disk(root) == sorted([*GENERATED, "build.lock", "pyproject.toml",
                                    f"source/{REVIEW_ID}.txt"])
    assert (root / "datapackage/data/positions.csv").read_bytes() == b"id,notes\nb,x\n"
    assert (root / "datapackage/data/sources.csv").read_bytes() == b"id,notes\na,\n"
    assert json.loads((root / "schema/positions.schema.json").read_bytes()) == \
        SCHEMAS["positions"]
    lock = json.loads((root / "build.lock").read_bytes())
    assert lock["inputs"] == "sha256:inputs" and sorted(lock["files"]) == GENERATED
    size, digest = stats(b"id,notes\nb,x\n")
    assert lock["files"]["datapackage/data/positions.csv"] == {"bytes": size,
                                                               "hash": f"sha256:{digest}"}
    size, digest = stats((root / "CITATION.cff").read_bytes())
    assert lock["files"]["CITATION.cff"] == {"bytes": size, "hash": f"sha256:{digest}"}
    # no committed schemas: the generated ones check (and make) the package, twice: once
    # hashed, to compare, then written
    assert checks.calls == [(SCHEMAS, True), (SCHEMAS, True)]
    assert not (root / ".dipdata-build").exists()


def test_a_second_build_writes_nothing(root, checks, monkeypatch):
    build(root)
    before, inode = tree_digest(root), (root / "datapackage").stat().st_ino
    monkeypatch.chdir(root)
    assert build() == Built(Report(), [])  # (the working folder by default)
    assert (tree_digest(root), (root / "datapackage").stat().st_ino) == (before, inode)
    # the committed schemas are the generated ones: they check the records, once
    assert checks.calls[2:] == [(SCHEMAS, True)]


def test_a_build_rewrites_a_stale_lock_alone(root, checks):
    build(root)
    lock, inode = (root / "build.lock").read_bytes(), (root / "datapackage").stat().st_ino
    (root / "build.lock").write_text("{}", "utf-8")
    assert build(root) == Built(Report(), ["build.lock"])
    assert (root / "build.lock").read_bytes() == lock
    assert (root / "datapackage").stat().st_ino == inode  # not written again
    checks.inputs = None  # (the inputs could not all be read)
    assert build(root) == Built(Report(), ["build.lock"])
    assert json.loads((root / "build.lock").read_bytes())["inputs"] == ""


def test_a_build_replaces_stale_files_and_removes_strays(root, checks):
    build(root)
    lock = (root / "build.lock").read_bytes()
    (root / ".dipdata-build/new/schema").mkdir(parents=True)  # left by a killed build
    (root / "datapackage/data/positions.csv").write_bytes(b"edited")
    (root / "pictures/stray.svg").write_bytes(b"<svg/>")
    (root / "CITATION.bib").unlink()
    assert build(root) == Built(Report(), ["CITATION.bib", "datapackage/data/positions.csv",
                                           "pictures/stray.svg"])
    assert (root / "datapackage/data/positions.csv").read_bytes() == b"id,notes\nb,x\n"
    assert not (root / "pictures/stray.svg").exists() and (root / "CITATION.bib").is_file()
    assert (root / "build.lock").read_bytes() == lock and not (root / ".dipdata-build").exists()
    assert on_disk(root) == sorted([*GENERATED, "build.lock", "pyproject.toml",
                                    f"source/{REVIEW_ID}.txt"])


def test_invalid_records_build_nothing_and_check_reports_only_them(root, checks):
    checks.problems = [Problem("records/events/x.json", code="bad", message="wrong")]
    before = tree_digest(root)
    assert build(root) == Built(Report(checks.problems), [])
    assert tree_digest(root) == before and on_disk(root) == ["pyproject.toml",
                                                             f"source/{REVIEW_ID}.txt"]
    assert check(root).problems == checks.problems  # (no file is reported stale)


def test_check_reports_stale_files(root, checks):
    build(root)
    (root / "datapackage/data/positions.csv").write_bytes(b"edited")
    (root / "pictures/map.svg").unlink()
    report = check(root)
    assert [str(problem) for problem in report.sorted()] == [
        "datapackage/data/positions.csv: stale-file: differs from what the records produce; "
        "run `dipdata build`",
        "pictures/map.svg: stale-file: is missing; run `dipdata build`"]


def test_check_trusts_a_lock_that_matches_everything(root, checks, monkeypatch):
    build(root)
    del checks.calls[:]
    monkeypatch.chdir(root)
    assert check() == Report()  # (the working folder by default)
    assert checks.calls == [(SCHEMAS, False)]  # the records checked, no file made
    assert check(root, full=True) == Report()
    assert checks.calls[1:] == [(SCHEMAS, True)]  # made to compare


@pytest.mark.parametrize("change", ["inputs", "file", "schema", "lock code", "no lock"])
def test_check_makes_the_files_when_the_lock_does_not_match(root, checks, change):
    build(root)
    del checks.calls[:]
    if change == "inputs":
        checks.inputs = "sha256:other"
    elif change == "file":
        (root / "pictures/map.svg").write_bytes(b"<svg>")
    elif change == "schema":
        (root / "schema/texts.schema.json").write_bytes(b"{}")
    elif change == "lock code":
        lock = json.loads((root / "build.lock").read_bytes())
        (root / "build.lock").write_text(json.dumps({**lock, "code": "sha256:0"}), "utf-8")
    else:
        (root / "build.lock").unlink()
    report = check(root)
    made = [(SCHEMAS, True)]
    if change in ("inputs", "file"):  # the lock's own files agree: the records checked first
        made.insert(0, (SCHEMAS, False))
    assert checks.calls == made
    assert [problem.path for problem in report.problems] == {
        "file": ["pictures/map.svg"], "schema": ["schema/texts.schema.json"]}.get(change, [])


def test_committed_schemas_unlike_the_generated_ones_are_remade(root, checks):
    build(root)
    edited = {**SCHEMAS["events"], "title": "Edited"}
    (root / "schema/events.schema.json").write_text(json.dumps(edited), "utf-8")
    del checks.calls[:]
    report = check(root, full=True)
    assert checks.calls == [({**SCHEMAS, "events": edited}, True), (SCHEMAS, True)]
    assert [str(problem) for problem in report.problems] == [
        "schema/events.schema.json: stale-file: differs from what the records produce; run "
        "`dipdata build`"]


def test_committed_schemas_that_cannot_make_the_package_are_set_aside(root, checks):
    build(root)
    (root / "schema/events.schema.json").write_text('{"type": "object"}', "utf-8")
    del checks.calls[:]
    assert [p.path for p in check(root, full=True).problems] == ["schema/events.schema.json"]
    assert checks.calls == [(SCHEMAS, True)]  # the committed ones made no writer
    (root / "schema/events.schema.json").write_text("{not json", "utf-8")
    del checks.calls[:]
    assert [p.path for p in check(root, full=True).problems] == ["schema/events.schema.json"]
    assert checks.calls == [(SCHEMAS, True)]


def test_a_failed_swap_puts_every_old_file_back(root, checks, monkeypatch):
    build(root)
    (root / "datapackage/data/positions.csv").write_bytes(b"edited")
    (root / "build.lock").unlink()
    before = tree_digest(root)
    rename = os.rename

    def failing(source, target):
        if Path(source).parent.name == "new" and Path(target).name == "CITATION.bib":
            raise OSError(errno.ENOSPC, "No space left on device")  # (after the folders)
        rename(source, target)

    monkeypatch.setattr(packaging.os, "rename", failing)
    with pytest.raises(BuildError) as raised:
        build(root)
    assert str(raised.value) == (f"cannot write the generated files in {root}: "
                                 "No space left on device")
    assert tree_digest(root) == before and not (root / "build.lock").exists()
    assert not (root / ".dipdata-build").exists()


def test_a_failed_first_build_leaves_no_new_file(root, checks, monkeypatch):
    rename = os.rename

    def failing(source, target):
        if Path(source).parent.name == "new" and Path(target).name == "build.lock":
            raise OSError("no")  # (the last move in: the generated folders and files are in)
        rename(source, target)

    monkeypatch.setattr(packaging.os, "rename", failing)
    with pytest.raises(BuildError, match=r": no$"):
        build(root)
    assert on_disk(root) == ["pyproject.toml", f"source/{REVIEW_ID}.txt"]
    assert sorted(p.name for p in root.iterdir()) == ["pyproject.toml", "source"]


def test_a_build_with_edited_committed_schemas_makes_the_package_with_the_generated_ones(
        root, checks):
    build(root)
    edited = {**SCHEMAS["events"], "title": "Edited"}
    (root / "schema/events.schema.json").write_text(json.dumps(edited), "utf-8")
    del checks.calls[:]
    assert build(root) == Built(Report(), ["schema/events.schema.json"])
    assert json.loads((root / "schema/events.schema.json").read_bytes()) == SCHEMAS["events"]
    # checked with both, then written with the generated ones only
    assert checks.calls == [({**SCHEMAS, "events": edited}, True), (SCHEMAS, True),
                            (SCHEMAS, True)]


@pytest.mark.parametrize("committed", [True, False])
def test_make_writes_into_the_folder_given(root, checks, tmp_path, committed):
    if committed:
        build(root)
    made = packaging._make(root, tmp_path / "out")
    assert (tmp_path / "out/data/positions.csv").read_bytes() == b"id,notes\nb,x\n"
    assert made.small["CITATION.cff"].startswith(b"# Written by `dipdata build`")


def test_make_of_invalid_records_makes_no_small_files(root, checks, tmp_path):
    checks.problems = [Problem("records/events/x.json", code="bad", message="wrong")]
    made = packaging._make(root, tmp_path / "out", SCHEMAS)
    assert made.small == {} and made.checked.report.problems == checks.problems


def test_a_build_that_cannot_make_its_staging_folder_says_so(root, checks):
    (root / ".dipdata-build").write_bytes(b"a file in the way")
    before = tree_digest(root)
    with pytest.raises(BuildError) as raised:
        build(root)
    assert str(raised.value) == f"cannot write the generated files in {root}: Not a directory"
    assert tree_digest(root) == before
