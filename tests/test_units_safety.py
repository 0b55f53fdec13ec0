"""More fast unit tests of the safety code (archives, packages, verify, load) on small
packages made in the test, with expected values written by hand; part of the mutation run's
fast subset, like tests/test_units.py."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from types import SimpleNamespace as Obj

import pytest

from dipdata.base import archives as archive
from dipdata.publish import verify as verifying
from dipdata.use import loader
from dipdata.model.source import REVIEW_TEXT
from dipdata.base.archives import ReleaseError
from dipdata.base.paths import TABLES
from dipdata.base.problems import Problem, Report
from dipdata.model.source import Sentence

from .test_units import GOOD_SOURCE, _info, _zip

THINGS_SCHEMA = {"type": "array", "items": {"type": "object", "properties": {
    "id": {"type": "string"}, "date": {"type": "string", "format": "date"},
    "tags": {"type": "array", "items": {"type": "string"}}}}}


def package(folder: Path, files: dict[str, object], resources: list[dict]) -> Path:
    """A data package of the given files (JSON unless bytes); each resource's size and hash
    are filled in from its file where the resource does not give them."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content if isinstance(content, bytes)
                                    else json.dumps(content).encode())
    for resource in resources:
        path = folder / str(resource.get("path"))
        if path.is_file():
            data = path.read_bytes()
            resource.setdefault("bytes", len(data))
            resource.setdefault("hash", "sha256:" + hashlib.sha256(data).hexdigest())
    (folder / "datapackage.json").write_text(json.dumps({"name": "tiny",
                                                        "resources": resources}))
    return folder


def things(name: str, path: str, **more) -> dict:
    return {"name": name, "path": path, "format": "json", **more}


# --- check_package and _check_resource ----------------------------------------------------

def test_records_are_counted_and_schema_errors_located(tmp_path):
    folder = package(tmp_path, {
        "schema/things.schema.json": THINGS_SCHEMA, "schema/list.schema.json": {"type": "array"},
        "data/things.json": [{"id": "a", "date": "2023-02-30"}, {"tags": ["x", 5]}, 5],
        "data/ok.json": [{"id": "b"}], "data/notes.csv": b"id\nx\n",
        "data/single.json": {"id": "x"}}, [
        things("things", "data/things.json", jsonSchema="schema/things.schema.json"),
        things("ok", "data/ok.json", jsonSchema="schema/things.schema.json"),
        {"name": "notes", "path": "data/notes.csv"},
        things("single", "data/single.json", jsonSchema="schema/list.schema.json")])
    report = Report()
    assert verifying.check_package(folder, report) == 4
    assert [str(p) for p in report.problems] == [
        'data/things.json: schema: a date: "2023-02-30" is not a "date"',
        'data/things.json: schema: 1 tags/1: 5 is not of type "string"',
        'data/things.json: schema: 2: 5 is not of type "object"',
        'data/single.json: schema: {"id":"x"} is not of type "array"']


def test_resource_paths_stay_inside_the_package(tmp_path):
    (tmp_path / "outside.json").write_text("[]")
    (tmp_path / "outside.schema.json").write_text("{}")
    outside = str(tmp_path / "outside.json")
    folder = package(tmp_path / "pkg", {"data/ok.json": []}, [
        things("up", "../outside.json"), things("absolute", outside),
        things("gone", "data/gone.json"),
        things("schema", "data/ok.json", jsonSchema=str(tmp_path / "outside.schema.json"))])
    report = Report()
    assert verifying.check_package(folder, report, "x.zip!") == 0
    assert report.problems == [
        Problem("x.zip!../outside.json", code="missing-file",
                message="the resource's file is missing"),
        Problem(f"x.zip!{outside}", code="missing-file", message="the resource's file is missing"),
        Problem("x.zip!data/gone.json", code="missing-file",
                message="the resource's file is missing"),
        Problem("x.zip!data/ok.json", code="bad-resource", message=(
            f"cannot be checked: jsonSchema '{tmp_path / 'outside.schema.json'}' points outside "
            "the package"))]


@pytest.mark.parametrize("resources", [[5], [{"name": "x"}], [{"path": 5}], "data/x.csv"])
def test_resources_that_are_not_objects_with_a_path(tmp_path, resources):
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": resources}))
    report = Report()
    assert verifying.check_package(tmp_path, report, "x.zip!") == 0
    assert report.problems == [Problem(
        "x.zip!datapackage.json", code="bad-descriptor", message="not a readable data package "
        "descriptor: 'resources' must be a list of objects with a 'path'")]


# --- verify ---------------------------------------------------------------------------------

def tiny(folder: Path) -> Path:
    """A valid package of two records."""
    return package(folder, {"schema/things.schema.json": THINGS_SCHEMA,
                            "data/things.json": [{"id": "a"}, {"id": "b"}]},
                   [things("things", "data/things.json", jsonSchema="schema/things.schema.json")])


def zipped(folder: Path, target: Path) -> Path:
    return _zip(target, [(p.relative_to(folder).as_posix(), p.read_bytes())
                         for p in sorted(folder.rglob("*")) if p.is_file()])


def test_verify_counts_the_records_of_every_package(tmp_path):
    folder = tiny(tmp_path / "pkg")
    report = verifying.verify(folder)
    assert (report.subject, report.records_checked, report.problems) == (str(folder), 2, [])
    artifacts = tmp_path / "dist"
    artifacts.mkdir()
    for name in ("a-datapackage.zip", "b-datapackage.zip"):
        zipped(folder, artifacts / name)
    (artifacts / "SHA256SUMS").write_text("".join(
        f"{archive.sha256(artifacts / name)}  {name}\n"
        for name in ("a-datapackage.zip", "b-datapackage.zip")))
    report = verifying.verify(str(artifacts))
    assert (report.subject, report.records_checked, report.problems) == (str(artifacts), 4, [])


def test_verify_names_the_zip_of_a_problem(tmp_path):
    folder = tiny(tmp_path / "pkg")
    descriptor = json.loads((folder / "datapackage.json").read_text())
    descriptor["resources"][0]["hash"] = "sha256:" + "0" * 64
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    report = verifying.verify(zipped(folder, tmp_path / "x-datapackage.zip"))
    assert ([str(p) for p in report.problems], report.records_checked) == ([
        "x-datapackage.zip!data/things.json: hash-mismatch: its sha256 differs from "
        "datapackage.json: the file was changed"], 2)


def test_frictionless_errors_name_their_row_and_field(tmp_path):
    fields = [{"name": "id", "type": "string"}, {"name": "n", "type": "integer"}]
    folder = package(tmp_path, {"a.csv": b"id,n\nx,1\ny,zz\n", "b.csv": b"id,n\nx,1\n"}, [
        {"name": "a", "path": "a.csv", "schema": {"fields": fields}},
        {"name": "b", "path": "b.csv", "schema": {"fields": fields, "foreignKeys": [
            {"fields": "id", "reference": {"resource": "zz", "fields": "id"}}]}}])
    report = Report()
    verifying._frictionless(folder, report, "x.zip!")
    assert report.problems == [
        Problem("x.zip!a.csv", 3, 0, "type-error", "-", "n", 'Type error in the cell "zz" in '
                'row "3" and field "n" at position "2": type is "integer/default"'),
        Problem("x.zip!b.csv", 0, 0, "resource-error", "-", "-", 'The data resource has an '
                'error: failed to handle a foreign key for resource "b" as resource "zz" does '
                'not exist')]


def test_frictionless_errors_without_a_place_and_of_the_package_itself(tmp_path, monkeypatch):
    import frictionless

    class Issue:
        type, message = "package-error", "the package is wrong"

    class Unnamed:  # an issue of a resource that names no row nor field
        type, message, row_number, field_name = "scheme-error", "cannot be read", None, None

    class Result:
        tasks = [Obj(place="data/a.csv", errors=[Unnamed()])]
        errors = [Issue()]

    opened: list[str] = []

    class Package:
        def __init__(self, path: str):
            opened.append(path)

        def validate(self) -> Result:
            return Result()

    monkeypatch.setattr(frictionless, "Package", Package)
    report = Report()
    verifying._frictionless(tmp_path, report, "x.zip!")
    assert (opened, report.problems) == ([str(tmp_path / "datapackage.json")], [
        Problem("x.zip!data/a.csv", 0, 0, "scheme-error", "-", "-", "cannot be read"),
        Problem("x.zip!datapackage.json", code="package-error",
                message="the package is wrong")])


# --- checksums, archives ------------------------------------------------------------------

def test_checksum_problems_in_full(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_bytes(b"a")
    (tmp_path / "a.txt").write_bytes(b"b")
    good = archive.sha256(tmp_path / "sub" / "a.txt")
    (tmp_path / "SHA256SUMS").write_text(f"{good}  sub/a.txt\n{good}  a.txt\n", "utf-8")
    report = Report()
    verifying.check_checksums(tmp_path, report)
    assert report.problems == [
        Problem("SHA256SUMS", 1, 1, "missing-file", "-", "-",
                "sub/a.txt is listed but not present"),
        Problem("a.txt", 0, 0, "checksum-mismatch", "-", "-",
                "its sha256 differs from SHA256SUMS: the file was changed")]


def test_a_lowercase_drive_letter_is_an_absolute_path():
    with pytest.raises(ReleaseError) as raised:
        archive._check_member(_info("c:/x"), set())
    assert str(raised.value) == "refused: member 'c:/x' has an absolute path"


def test_folders_listed_before_their_files(tmp_path):
    target = tmp_path / "out"
    archive.extract_safely(_zip(tmp_path / "dirs.zip", [("pkg/data/", b""), ("pkg/a.csv", b"x"),
                                                        ("pkg/data/b.csv", b"y")]), target)
    assert [p.relative_to(target).as_posix() for p in sorted(target.rglob("*"))] == [
        "pkg", "pkg/a.csv", "pkg/data", "pkg/data/b.csv"]


def test_a_member_larger_than_its_header_says(tmp_path, monkeypatch):
    # zipfile itself stops at the header's size; the guard holds should a reader not
    size = 70_000
    made = _zip(tmp_path / "a.zip", [("a", b"x" * size)])
    monkeypatch.setattr(zipfile.ZipFile, "open",
                        lambda self, info, *args, **kwargs: io.BytesIO(b"x" * (size + 1)))
    with pytest.raises(ReleaseError) as raised:
        archive.extract_safely(made, tmp_path / "out")
    assert str(raised.value) == "refused: member 'a' is larger than its header says"


def test_opened_refuses_what_is_not_a_package(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("not a zip")
    cases = {tmp_path / "empty": f"{tmp_path / 'empty'} is not a data package folder: it has "
                                 "no datapackage.json",
             tmp_path / "gone": f"{tmp_path / 'gone'} does not exist",
             tmp_path / "notes.txt": f"{tmp_path / 'notes.txt'} is neither a release zip nor a "
                                     "data package folder",
             _zip(tmp_path / "x.zip", [("a", b""), ("b", b"")]):
                 "x.zip holds no datapackage.json at its root"}
    for path, message in cases.items():
        with pytest.raises(ReleaseError) as raised:
            with archive.opened(path):
                pass
        assert str(raised.value) == message


def test_opened_extracts_a_zip_to_a_temporary_folder(tmp_path):
    made = zipped(tiny(tmp_path / "pkg"), tmp_path / "x.zip")
    with archive.opened(made) as folder:
        assert (folder.name.startswith("dipdata-"), (folder / "data/things.json").is_file()) \
            == (True, True)
    assert not folder.exists()


# --- loader.py ------------------------------------------------------------------------------

def test_a_collection_makes_each_record_once_on_first_access():
    made: list[str] = []

    def make(data: dict) -> tuple[str, str]:
        made.append(data["id"])
        return ("made", data["id"])

    collection = loader.Collection([{"id": "a"}, {"id": "b"}], make)
    assert (collection["a"], collection["a"], collection.get("b"), collection.get("z"), made) \
        == (("made", "a"), ("made", "a"), ("made", "b"), None, ["a", "b"])
    assert (len(collection), list(collection), made) == (
        2, [("made", "a"), ("made", "b")], ["a", "b"])


def test_navigation_by_id_and_at_the_edges_of_sentences():
    # records as plain objects: a source has neither sources nor mentions
    sentences = [Sentence(1, "heading", 0, 8, "One two."),
                 Sentence(2, "question", 8, 20, " Three four.")]
    source = Obj(id="s")
    talks = Obj(id="t", sources=["s"], mentions=[Obj(start=9, end=14, in_text=REVIEW_TEXT)])
    edge = Obj(id="e", mentions=[Obj(start=8, end=14, in_text=REVIEW_TEXT)])
    tables: dict[str, list] = {table: [] for table in TABLES}
    tables.update(sources=[source], events=[talks, edge])
    data = loader.Dataset(tables, sentences, "One two. Three four.", "2.5.0")
    assert (data.version, data.sources_of("t"), data.sources_of("s"), data.mentions_of("s")) \
        == ("2.5.0", [source], [], [])
    assert data.mentions_of("t") == [(sentences[1], talks.mentions[0])]
    assert [data.sentence_at(offset).number for offset in (0, 7, 8, 19)] == [1, 1, 2, 2]
    assert ([r.id for r in data.records_in(1)], [r.id for r in data.records_in(2)]) == (
        [], ["t", "e"])


def loadable(folder: Path, *extra: dict) -> Path:
    """A package load() reads: every table's JSON resource (one source record) and the
    review's text, in eight paragraphs, at a path with a space in it."""
    files: dict[str, object] = {f"data/{table}.json": [] for table in TABLES}
    files["data/sources.json"] = [GOOD_SOURCE]
    files["source/the review.txt"] = "\n".join(f"Part {n}." for n in range(1, 9)).encode()
    package(folder, files, [{"name": f"{table}-json", "path": f"data/{table}.json"}
                            for table in TABLES]
            + [{"name": "review-text", "path": "source/the review.txt"}, *extra])
    descriptor = json.loads((folder / "datapackage.json").read_text())
    (folder / "datapackage.json").write_text(json.dumps({**descriptor, "version": "2.5.0"}))
    return folder


def test_load_checks_by_schema_and_makes_records_on_first_access(tmp_path, monkeypatch):
    from dipdata.model import typed

    validated: list[list[str]] = []
    real = typed.validated
    monkeypatch.setattr(typed, "validated",
                        lambda tables: validated.append(list(tables)) or real(tables))
    folder = loadable(tmp_path / "pkg")
    data = loader.load(folder)
    assert (data.version, data.sources["x"].title, len(data.sentences), validated) == (
        "2.5.0", "A report", 8, [])
    # without the check by schema, the models validate every table at once
    assert loader._load(folder).sources["x"].title == "A report"
    assert validated == [list(TABLES)]


def test_load_needs_every_resource_with_a_path(tmp_path):
    with pytest.raises(loader.PackageError) as raised:
        loader._check_resources(tmp_path, {})
    assert str(raised.value) == ("the data package lacks the resource 'sources-json' "
                                 "(data/sources.json)")
    for extra, path in (({"name": "extra"}, "None"), ({"name": "extra", "path": 5}, "5")):
        with pytest.raises(loader.PackageError) as raised:
            loader.load(loadable(tmp_path / path, extra))
        assert str(raised.value) == f"the data package lacks the resource 'extra': {path} is " \
                                    "missing"
