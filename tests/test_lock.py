"""The build lock: `dipdata validate` trusts it only when the inputs, the code and every
generated file on disk are what it records; anything else makes every file to compare."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from dipdata.make import package as packaging
from dipdata.check.lock import read_lock
from dipdata.make.package import build, check

from .conftest import RECORDS, ROOT, read_record, run, write_record

STALE = "{}: stale-file: differs from what the records produce; run `dipdata build`"
GENERATED = ("schema", "datapackage", "pictures")
VALID = f"valid: {RECORDS} records, no problems\n"


@pytest.fixture
def makes(monkeypatch) -> list[bool]:
    """Counts the times every generated file is made (to compare, or to write)."""
    calls: list[bool] = []
    real = packaging._make

    def counted(*args, **kwargs):
        calls.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(packaging, "_make", counted)
    return calls


def generated_files(root: Path) -> dict[str, tuple[int, str]]:
    """Size and sha256 of every generated file on disk, found by walking the folders."""
    paths = [p for name in GENERATED for p in (root / name).rglob("*") if p.is_file()]
    paths += [root / name for name in ("README.md", "CITATION.cff", "CITATION.bib", ".zenodo.json")]
    return {p.relative_to(root).as_posix(): (p.stat().st_size,
                                              hashlib.sha256(p.read_bytes()).hexdigest())
            for p in paths}


def inputs_digest(root: Path) -> str:
    """The documented digest of the inputs: the sha256 of a SHA256SUMS-style listing of the
    record files in id order (then table), then pyproject.toml, CHANGELOG.md, the English
    review, and the other texts of the review by name."""
    records = sorted((p.stem, p.parent.name, p) for p in (root / "records").glob("*/*.json"))
    review = root / "source" / "mfa-2023-12-29-mao-ning-cnr.txt"
    others = sorted(p for p in (root / "source").glob("*.txt") if p != review)
    paths = [p for _, _, p in records] + [root / "pyproject.toml", root / "CHANGELOG.md", review,
                                          *others]
    listing = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  "
                      f"{p.relative_to(root).as_posix()}\n" for p in paths)
    return "sha256:" + hashlib.sha256(listing.encode()).hexdigest()


def test_the_committed_lock_records_the_inputs_and_every_generated_file():
    lock = read_lock(ROOT)
    assert lock is not None
    assert lock.inputs == inputs_digest(ROOT)
    assert lock.files == generated_files(ROOT)


def test_a_build_writes_the_lock_and_then_nothing(repo, capsys):
    (repo / "build.lock").unlink()
    assert run(capsys, "--root", str(repo), "build") == (0, VALID + "wrote build.lock\n",
                                                         "")
    lock = json.loads((repo / "build.lock").read_text("utf-8"))
    assert lock["inputs"] == inputs_digest(repo)
    assert lock["files"] == {path: {"bytes": size, "hash": f"sha256:{digest}"}
                             for path, (size, digest) in sorted(generated_files(repo).items())}
    assert build(repo).changed == []


def test_validate_trusts_a_matching_lock_and_full_does_not(repo, capsys, makes):
    assert run(capsys, "--root", str(repo), "validate") == (0, VALID, "")
    assert makes == []
    assert run(capsys, "--root", str(repo), "validate", "--full")[0] == 0
    assert run(capsys, "--root", str(repo), "build", "--check")[0] == 0
    assert len(makes) == 2


@pytest.mark.parametrize("change, expected", [
    (lambda repo: (repo / "datapackage/data/events.csv").open("a").write("x\n"),
     [STALE.format("datapackage/data/events.csv")]),
    (lambda repo: (repo / "pictures/timeline.svg").unlink(),
     ["pictures/timeline.svg: stale-file: is missing; run `dipdata build`"]),
    (lambda repo: (repo / "datapackage/notes.txt").write_text("mine"),
     ["datapackage/notes.txt: stale-file: is not produced by the records; run `dipdata build`"]),
    (lambda repo: (repo / "schema/events.schema.json").write_text("{}"),
     [STALE.format("schema/events.schema.json")]),
])
def test_a_hand_edit_of_a_generated_file_is_found_through_the_lock(repo, capsys, change,
                                                                    expected):
    change(repo)
    code, out, _ = run(capsys, "--root", str(repo), "validate")
    assert (code, out.splitlines()) == (1, expected)


def test_a_record_changed_without_a_build_is_found_through_the_lock(repo, capsys):
    event = read_record(repo, "events", "xi-state-visit-russia-2023")
    write_record(repo, "events", {**event, "venue": "The Kremlin, Moscow"})
    code, out, _ = run(capsys, "--root", str(repo), "validate")
    assert (code, out.splitlines()) == (1, [STALE.format(path) for path in (
        "datapackage/data/events.csv", "datapackage/data/events.json",
        "datapackage/datapackage.json", "datapackage/dataset.jsonld")])


def test_a_change_to_no_generated_file_needs_only_a_new_lock(repo, capsys, makes):
    path = repo / "records/events/xi-state-visit-russia-2023.json"
    path.write_text(json.dumps(json.loads(path.read_text("utf-8")), indent=4,
                               ensure_ascii=False) + "\n", "utf-8")
    assert run(capsys, "--root", str(repo), "validate") == (0, VALID, "")
    assert len(makes) == 1  # the lock no longer matches: every file was made to compare
    assert build(repo).changed == ["build.lock"]
    makes.clear()
    assert check(repo).valid and makes == []


@pytest.mark.parametrize("lock", [
    b"not JSON", b"{}", b"[]", b'{"code": 1, "inputs": 2, "files": []}',
    b'{"code": "x", "inputs": "y", "files": {"README.md": {"bytes": 1, "hash": "md5:00"}}}',
])
def test_an_unusable_lock_is_ignored_and_rewritten(repo, capsys, makes, lock):
    (repo / "build.lock").write_bytes(lock)
    assert run(capsys, "--root", str(repo), "validate") == (0, VALID, "")
    assert len(makes) == 1
    assert build(repo).changed == ["build.lock"]
    assert read_lock(repo) == read_lock(ROOT)


def test_a_lock_with_a_digest_of_another_kind_is_not_trusted(repo, makes):
    lock = json.loads((repo / "build.lock").read_text("utf-8"))
    entry = lock["files"]["README.md"]
    entry["hash"] = entry["hash"].replace("sha256:", "md5:")
    (repo / "build.lock").write_text(json.dumps(lock))
    assert check(repo).valid
    assert len(makes) == 1


def test_a_lock_made_by_other_code_is_not_trusted(repo, makes):
    lock = json.loads((repo / "build.lock").read_text("utf-8"))
    (repo / "build.lock").write_text(json.dumps({**lock, "code": "sha256:" + "0" * 64}))
    assert check(repo).valid
    assert len(makes) == 1


def test_invalid_records_get_the_same_report_through_the_lock(repo, capsys):
    event = read_record(repo, "events", "xi-putin-talks-2023-03-21")
    write_record(repo, "events", {**event, "end_date": "2023-03-20"})
    expected = [("records/events/xi-putin-talks-2023-03-21.json:6:3: end-before-start: "
                 "xi-putin-talks-2023-03-21 end_date: end_date 2023-03-20 is before "
                 "start_date 2023-03-21")]
    for args in (["validate"], ["validate", "--full"]):
        code, out, _ = run(capsys, "--root", str(repo), *args)
        assert (code, out.splitlines()) == (1, expected)


def test_a_forged_lock_deceives_validate_but_not_a_full_check(repo, capsys):
    """The lock is trusted, not proven: CI and releases make every file (`build --check`)."""
    csv = repo / "datapackage/data/events.csv"
    csv.write_bytes(csv.read_bytes() + b"x\n")
    lock = json.loads((repo / "build.lock").read_text("utf-8"))
    size, digest = generated_files(repo)["datapackage/data/events.csv"]
    lock["files"]["datapackage/data/events.csv"] = {"bytes": size, "hash": f"sha256:{digest}"}
    (repo / "build.lock").write_text(json.dumps(lock))
    assert run(capsys, "--root", str(repo), "validate")[0] == 0
    code, out, _ = run(capsys, "--root", str(repo), "build", "--check")
    assert (code, out.splitlines()) == (1, [STALE.format("datapackage/data/events.csv")])


@pytest.fixture
def package_copy(tmp_path, monkeypatch) -> Path:
    """A copy of dipdata's own files, which the code digest is then made of."""
    from dipdata.check import lock

    copy = tmp_path / "dipdata"
    shutil.copytree(Path(lock.__file__).parent.parent, copy,
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(lock.resources, "files", lambda name: copy)
    return copy


def test_the_code_digest_covers_the_package_files_and_nothing_else(package_copy):
    from dipdata.check.lock import code_digest

    first = code_digest.__wrapped__()
    assert first == code_digest()  # the files of the installed package, copied as they are
    (package_copy / "__pycache__").mkdir()
    (package_copy / "__pycache__" / "writer.cpython-311.pyc").write_bytes(b"compiled")
    (package_copy / "datapackage").mkdir()  # the data package a wheel carries
    (package_copy / "datapackage" / "datapackage.json").write_text("{}")
    assert code_digest.__wrapped__() == first
    writer = package_copy / "make" / "writer.py"
    writer.write_bytes(writer.read_bytes() + b"\n")
    changed = code_digest.__wrapped__()
    assert changed != first
    (package_copy / "data" / "explorer.css").write_text("body {}")
    assert code_digest.__wrapped__() not in (first, changed)


@pytest.mark.parametrize("library", ["orjson", "pycountry", "pydantic", "pydantic-core"])
def test_the_code_digest_covers_the_libraries_that_shape_the_files(monkeypatch, library):
    from dipdata.check import lock

    first = lock.code_digest.__wrapped__()
    real = lock.metadata.version
    monkeypatch.setattr(lock.metadata, "version",
                        lambda name: "0.0.1" if name == library else real(name))
    assert lock.code_digest.__wrapped__() != first


def test_the_code_digest_covers_the_python_version(monkeypatch):
    from dipdata.check import lock

    first = lock.code_digest.__wrapped__()
    monkeypatch.setattr(lock.sys, "version_info", (3, 99, 0))
    assert lock.code_digest.__wrapped__() != first
