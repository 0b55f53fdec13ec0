"""Every problem code that `dipdata validate` or `dipdata verify` can report has a fixture
with its exact expected output, written by hand; a code without one fails this module.

The codes are found by scanning the source (the codes passed to ``record.problem(...)`` and
``Problem(...)``, and the codes shape.py returns), so a new rule cannot land untested.

Fixtures:

- ``tests/fixtures/bad/<table>.<case>.json`` with ``expected.json``: one hostile record file
  each (run by test_hardening.py);
- ``tests/fixtures/rules/<name>.json``: a change to a copy of the repository and the exact
  output of ``dipdata validate`` (run here);
- ``tests/fixtures/verify/<name>.json``: a change to a copy of the data package (or an
  archive built from members) and the exact output of ``dipdata verify`` (run here).

A rules or verify fixture is an object with ``about`` (what it shows), the changes (applied
in this order: ``remove`` paths, ``files`` written as JSON when an object and verbatim when
a string, ``set`` values at JSON pointers of existing JSON files, ``replace`` text in a
file, ``symlink`` links), ``args`` (default ``["validate"]``), ``exit`` (default 1) and
``expected``, the output lines (``{root}`` stands for the repository's absolute path,
``{target}`` for the path verified).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, run, tree_digest

SOURCE = ROOT / "src" / "dipdata"
FIXTURES = ROOT / "tests" / "fixtures"
RULES = sorted(path.stem for path in (FIXTURES / "rules").glob("*.json"))
VERIFY = sorted(path.stem for path in (FIXTURES / "verify").glob("*.json"))

#: Codes no fixture can reach, by construction; each has a test of its own below.
#: - unchecked: the safety net for a gap in the checks (an exception inside a rule); no
#:   record reaches it unless a rule is broken, so the test breaks one.
#: - missing-records: a folder with no records/ in it; the command refuses such a folder
#:   as a usage error before validating, so its test calls the library.
#: - unreadable: a record file that the process may not read; as root every file is
#:   readable, so its test is skipped there.
DOCUMENTED_EXCEPTIONS = {"unchecked", "missing-records", "unreadable"}

_CODE = r'"([a-z][a-z0-9]*(?:-[a-z0-9]+)*)"'
_PATTERNS = [
    re.compile(r"\.problem\(\s*" + _CODE),                       # record.problem("code", ...)
    re.compile(r"\bcode=" + _CODE),                               # Problem(..., code="code")
    re.compile(r"\bcode=\"[^\"]+\"\s+if\b[^\n]*\n?[^\n]*?\belse\s+" + _CODE),  # ... else "code"
    re.compile(r"\bProblem\([^,()]+,\s*\w+,\s*\w+,\s*" + _CODE),  # Problem(path, l, c, "code")
    re.compile(r"\breturn\s+" + _CODE + r"\s*,"),                 # shape: return "code", message
    re.compile(r'"[A-Za-z]+":\s*\(\s*' + _CODE + r"\s*,"),          # shape: "Kind": ("code", ...)
    re.compile(r"\.get\(kind,\s*\(\s*" + _CODE + r"\s*,"),        # shape: .get(kind, ("code", ...))
    re.compile(r"\bcode\s*=\s*" + _CODE + r"\s+if\b"),             # shape: code = "a" if ...
    re.compile(r"\bcode\s*=\s*\"[^\"]+\"\s+if\b[^\n]*\belse\s+" + _CODE),  # ... else "b"
]
VERIFY_MODULES = {"archives.py", "verify.py"}


def _codes(names: set[str] | None = None, skip: set[str] = frozenset()) -> set[str]:
    found: set[str] = set()
    for path in sorted(SOURCE.rglob("*.py")):
        if (names is not None and path.name not in names) or path.name in skip:
            continue
        text = path.read_text("utf-8")
        for pattern in _PATTERNS:
            found.update(pattern.findall(text))
    return found


def _fixture(kind: str, name: str) -> dict:
    return json.loads((FIXTURES / kind / f"{name}.json").read_text("utf-8"))


def _reported(lines: list[str]) -> set[str]:
    """The codes of output lines `path[:line:col]: code: ...`."""
    return {re.match(r"[^ ]+?(?::\d+:\d+)?: ([a-z0-9-]+): ", line).group(1) for line in lines}


def test_the_scan_finds_codes_of_every_form():
    # A guard on the scanner itself: one code of each form it must recognise.
    assert {"duplicate-id", "missing-schema", "bad-archive", "symlink", "bad-id",
            "missing-value", "wrong-type", "uncovered-sentence", "too-few"} <= _codes()


def test_every_validate_code_has_a_fixture():
    bad = json.loads((FIXTURES / "bad" / "expected.json").read_text("utf-8"))
    covered = set().union(*(_reported(lines) for lines in bad.values()),
                          *(_reported(_fixture("rules", name)["expected"]) for name in RULES))
    assert sorted(_codes(skip=VERIFY_MODULES) - covered - DOCUMENTED_EXCEPTIONS) == []
    assert sorted(DOCUMENTED_EXCEPTIONS - _codes()) == []


def test_every_verify_code_has_a_fixture():
    covered = set().union(*(_reported(_fixture("verify", name)["expected"])
                            for name in VERIFY))
    # frictionless reports its own error types (code=error.type): one fixture shows one.
    # The formats' comparison needs a whole release folder: tests/test_formats.py has both.
    assert sorted(_codes(VERIFY_MODULES) - covered - {"formats-differ", "cannot-compare"}) == []
    assert "foreign-key" in covered


def _apply(root: Path, case: dict) -> None:
    for relative in case.get("remove", []):
        target = root / relative
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
    for relative, content in case.get("files", {}).items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            target.write_bytes(content.encode("utf-8"))
        else:
            target.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", "utf-8")
    for relative, changes in case.get("set", {}).items():
        target = root / relative
        data = json.loads(target.read_text("utf-8"))
        for pointer, value in changes.items():
            *steps, last = [int(s) if s.isdigit() else s for s in pointer.split("/")[1:]]
            node = data
            for step in steps:
                node = node[step]
            node[last] = value
        target.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
    for relative, (old, new) in case.get("replace", {}).items():
        target = root / relative
        text = target.read_text("utf-8")
        assert old in text, f"{relative} holds no {old!r}"
        target.write_text(text.replace(old, new), "utf-8")
    for relative, pointing_to in case.get("symlink", {}).items():
        os.symlink(pointing_to, root / relative)


@pytest.mark.parametrize("name", RULES)
def test_validate_fixture(repo, capsys, name):
    case = _fixture("rules", name)
    _apply(repo, case)
    before = tree_digest(repo)
    code, out, err = run(capsys, "--root", str(repo), *case.get("args", ["validate"]))
    expected = [line.replace("{root}", str(repo)) for line in case["expected"]]
    assert (code, out.splitlines()) == (case.get("exit", 1), expected)
    assert "Traceback" not in err
    assert tree_digest(repo) == before


@pytest.fixture(scope="module")
def zipped(tmp_path_factory) -> Path:
    """The committed data package as a release zip, built once."""
    path = tmp_path_factory.mktemp("release") / "dipdata-1.0.0-datapackage.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted((ROOT / "datapackage").rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(ROOT / "datapackage").as_posix())
    return path


def _rehash(package: Path) -> None:
    """Make datapackage.json state every resource's true size and sha256."""
    descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
    for resource in descriptor["resources"]:
        data = (package / resource["path"]).read_bytes()
        resource["bytes"] = len(data)
        resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
    (package / "datapackage.json").write_text(json.dumps(descriptor, indent=2), "utf-8")


def _build_target(tmp_path: Path, case: dict, zipped: Path) -> Path:
    kind = case.get("target", "folder")
    if kind == "folder":  # a copy of the committed package folder, changed
        target = tmp_path / "package"
        shutil.copytree(ROOT / "datapackage", target)
        _apply(target, case)
        if case.get("rehash"):
            _rehash(target)
        return target
    if kind == "artifacts":  # a folder with the release zip and SHA256SUMS, changed
        target = tmp_path / "artifacts"
        target.mkdir()
        shutil.copy2(zipped, target / zipped.name)
        _apply(target, case)
        return target
    if kind == "zip":  # an archive of the given members, as a hostile one would be
        target = tmp_path / "dipdata-1.0.0-datapackage.zip"
        with zipfile.ZipFile(target, "w") as archive:
            for member in case["members"]:
                info = zipfile.ZipInfo(member["name"])
                if member.get("symlink"):
                    info.external_attr = (stat.S_IFLNK | 0o777) << 16
                archive.writestr(info, member.get("text", ""))
        return target
    if kind == "bytes":  # a file with the given content
        target = tmp_path / "dipdata-1.0.0-datapackage.zip"
        target.write_bytes(case["content"].encode("utf-8"))
        return target
    assert kind == "missing", kind
    return tmp_path / "nowhere"


@pytest.mark.parametrize("name", VERIFY)
def test_verify_fixture(tmp_path, capsys, zipped, name):
    case = _fixture("verify", name)
    target = _build_target(tmp_path, case, zipped)
    code, out, err = run(capsys, "verify", str(target), cwd=tmp_path)
    expected = [line.replace("{target}", str(target)) for line in case["expected"]]
    assert (code, out.splitlines()) == (case.get("exit", 1), expected)
    assert "Traceback" not in err


# --- The documented exceptions ------------------------------------------------------------

def test_unchecked_a_broken_rule_gives_one_clear_line(repo, capsys, monkeypatch):
    from dipdata.check import validate

    def broken(*args, **kwargs):
        raise KeyError("surprise")

    monkeypatch.setattr(validate, "check_record", broken)
    code, out, _ = run(capsys, "--root", str(repo), "validate",
                       "records/actors/xi-jinping.json")
    assert (code, out) == (1, "records/actors/xi-jinping.json: unchecked: xi-jinping: could "
                              "not be checked (KeyError: 'surprise'); please report this\n")


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True,
                    reason="every file is readable as root")
def test_unreadable_record(repo, capsys):
    path = repo / "records/actors/xi-jinping.json"
    path.chmod(0)
    try:
        code, out, _ = run(capsys, "--root", str(repo), "validate",
                           "records/actors/xi-jinping.json")
    finally:
        path.chmod(0o644)
    assert (code, out) == (1, "records/actors/xi-jinping.json: unreadable: xi-jinping: cannot "
                              "read the file: Permission denied\n")


def test_missing_records_folder(tmp_path, capsys):
    from dipdata.check.validate import check_records

    code, _, err = run(capsys, "--root", str(tmp_path), "validate")
    assert (code, err) == (2, f"dipdata: error: {tmp_path} has no records/ folder: it is not "
                              "a dipdata repository\n")
    report = check_records(tmp_path, schemas={"events": {}}).report
    assert [str(problem) for problem in report.sorted()] == [
        "records: missing-records: there is no records/ folder here",
        "source/mfa-2023-12-29-mao-ning-cnr.txt: missing-source: cannot read the review's "
        f"text: [Errno 2] No such file or directory: '{tmp_path}/source/"
        "mfa-2023-12-29-mao-ning-cnr.txt'"]


# --- load(): every error it raises, with its exact message ---------------------------------

def _package(tmp_path: Path) -> Path:
    target = tmp_path / "package"
    shutil.copytree(ROOT / "datapackage", target)
    return target


def _descriptor(package: Path, change) -> Path:
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text("utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor), "utf-8")
    return package


def _without(name: str):
    return lambda d: d.update(resources=[r for r in d["resources"] if r["name"] != name])


def _events_json_elsewhere(package: Path) -> Path:
    (package / "data" / "events.json").rename(package / "data" / "events-moved.json")
    return _descriptor(package, lambda d: [r.update(path="data/events-moved.json")
                                           for r in d["resources"] if r["name"] == "events-json"])


def _escaping_zip(tmp_path: Path) -> Path:
    path = tmp_path / "escape.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../datapackage.json", "{}")
    return path


#: name -> (make the path to load from tmp_path, the exception, its exact message)
LOAD_ERRORS = {
    "missing-path": (lambda tmp: tmp / "nowhere", FileNotFoundError, "{tmp}/nowhere does not exist"),
    "not-a-package": (lambda tmp: tmp, "PackageError",
                      "{tmp} is not a data package folder (it has no datapackage.json); load() "
                      "takes a release zip, a data package folder, or nothing"),
    "unsafe-zip": (_escaping_zip, "PackageError",
                   "refused: member '../datapackage.json' climbs out of the archive with '..'; "
                   "load() takes a release zip, a data package folder, or nothing (the package "
                   "shipped with dipdata)"),
    "bad-descriptor": (lambda tmp: (_package(tmp) / "datapackage.json").write_text("{") and
                       tmp / "package", "PackageError",
                       "datapackage.json is not a readable descriptor: Expecting property name "
                       "enclosed in double quotes: line 1 column 2 (char 1)"),
    "table-resource-missing": (lambda tmp: _descriptor(_package(tmp), _without("events-json")),
                               "PackageError", "the data package lacks the resource "
                               "'events-json' (data/events.json)"),
    "resource-file-missing": (lambda tmp: (_package(tmp) / "data" / "events.csv").unlink() or
                              tmp / "package", "PackageError",
                              "the data package lacks the resource 'events': data/events.csv is "
                              "missing"),
    "table-file-missing": (lambda tmp: _events_json_elsewhere(_package(tmp)), "PackageError",
                           "the data package lacks data/events.json, which its descriptor lists"),
}


def test_every_error_load_raises_has_a_case():
    raised = set(re.findall(r"\braise (\w+)\(", (SOURCE / "use" / "loader.py").read_text("utf-8")))
    covered = {kind if isinstance(kind, str) else kind.__name__
               for _, kind, _ in LOAD_ERRORS.values()}
    # KeyError (an unknown id), TypeError and ValueError (records_in) come from navigation,
    # FileNotFoundError also from a broken install: each has a test of its own below.
    assert sorted(raised - covered - {"KeyError", "TypeError", "ValueError"}) == []


@pytest.mark.parametrize("name", sorted(LOAD_ERRORS))
def test_load_error(tmp_path, name):
    from dipdata.use import loader

    make, kind, message = LOAD_ERRORS[name]
    kind = getattr(loader, kind) if isinstance(kind, str) else kind
    path = make(tmp_path)
    with pytest.raises(kind) as raised:
        loader.load(path)
    assert str(raised.value) == message.replace("{tmp}", str(tmp_path))


def test_load_without_installed_data(tmp_path, monkeypatch):
    from dipdata.use import loader

    monkeypatch.setattr(loader.resources, "files", lambda name: tmp_path / "site" / name)
    with pytest.raises(FileNotFoundError) as raised:
        loader.package_root()
    assert str(raised.value) == "the dipdata package data is not installed"


@pytest.mark.parametrize(("number", "kind", "message"), [
    ("3", TypeError, "a sentence is given by its number, an integer from 1 to 33, not '3'"),
    (True, TypeError, "a sentence is given by its number, an integer from 1 to 33, not True"),
    (0, ValueError, "the review's sentences are numbered from 1 to 33; there is no sentence 0"),
    (34, ValueError, "the review's sentences are numbered from 1 to 33; there is no sentence 34"),
])
def test_records_in_refuses_what_is_not_a_sentence(number, kind, message):
    import dipdata

    with pytest.raises(kind) as raised:
        dipdata.load().records_in(number)
    assert str(raised.value) == message


def test_record_lookup_of_an_unknown_id():
    import dipdata

    with pytest.raises(KeyError) as raised:
        dipdata.load().record("no-such-record")
    assert raised.value.args == ("no-such-record",)
