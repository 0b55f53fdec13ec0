"""Defects a new user hit (issue 11), each reproduced exactly: folders that are not packages,
interrupted builds, ids taken in another table, one bad field causing false errors, paths and
the working folder, sentence numbers, incomplete packages; and the rough edges."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

import dipdata
from dipdata.make import package as packaging
from dipdata.use.loader import PackageError

from .conftest import RECORDS, ROOT, run, tree_digest



# --- 1. verify and diff take a folder only when it is a package -----------------------------

def test_verify_refuses_a_folder_that_only_holds_a_package_deeper(tmp_path, capsys):
    shutil.copytree(ROOT / "datapackage", tmp_path / "someone" / "else" / "datapackage")
    code, out, err = run(capsys, "verify", str(tmp_path))
    assert (code, out, err) == (1, f"{tmp_path}: not-a-package: not a data package folder (no "
                                   "datapackage.json) nor a folder of release artifacts (no "
                                   f"SHA256SUMS)\n", f"{tmp_path}: invalid: 1 problem in 0 "
                                                     "records\n")


def test_verify_names_what_it_verified_and_counts_records(capsys):
    code, out, err = run(capsys, "verify", str(ROOT / "datapackage"))
    assert (code, out, err) == (0, f"{ROOT / 'datapackage'}: valid: {RECORDS} records, "
                                   "no problems\n", "")
    code, out, _ = run(capsys, "verify", "--format", "json", str(ROOT / "datapackage"))
    assert json.loads(out) == {"subject": str(ROOT / "datapackage"), "valid": True,
                               "records": RECORDS, "problems": []}


def test_diff_refuses_a_folder_that_is_not_a_package(tmp_path, capsys):
    shutil.copytree(ROOT / "datapackage", tmp_path / "inner" / "datapackage")
    code, out, err = run(capsys, "diff", str(tmp_path), str(ROOT / "datapackage"))
    assert (code, out, err) == (1, "", f"dipdata: diff refused: {tmp_path} is not a data "
                                       "package folder: it has no datapackage.json\n")


# --- 2. builds: all generated files or none; validate sees every stale one -------------------

def test_an_interrupted_swap_puts_every_old_file_back(repo, monkeypatch):
    (repo / "records/events/xi-state-visit-russia-2023.json").write_text(
        (repo / "records/events/xi-state-visit-russia-2023.json").read_text("utf-8")
        .replace("Moscow", "Moskva"), "utf-8")
    before = tree_digest(repo)
    real_rename, calls = os.rename, []

    def failing_rename(source, target):
        calls.append(target)
        if len(calls) == 4:  # after schema/ was swapped, while datapackage/ is on its way
            raise OSError(28, "No space left on device")
        real_rename(source, target)

    monkeypatch.setattr(packaging.os, "rename", failing_rename)
    with pytest.raises(packaging.BuildError) as failed:
        packaging.build(repo)
    assert str(failed.value) == (f"cannot write the generated files in {repo}: "
                                 "No space left on device")
    assert tree_digest(repo) == before
    assert sorted(p.name for p in repo.iterdir() if p.name.startswith(".") and p.name != ".zenodo.json") == []


def test_an_interrupted_swap_removes_a_file_that_was_not_there_before(repo, monkeypatch):
    (repo / "CITATION.cff").unlink()
    before = tree_digest(repo)
    real_rename, failed = os.rename, []

    def failing_rename(source, target):
        if Path(target) == repo / "build.lock" and not failed:  # the last file swapped in
            failed.append(target)
            raise OSError(28, "No space left on device")
        real_rename(source, target)

    monkeypatch.setattr(packaging.os, "rename", failing_rename)
    with pytest.raises(packaging.BuildError):
        packaging.build(repo)
    assert tree_digest(repo) == before
    assert not (repo / "CITATION.cff").exists()


def test_a_stale_readme_section_is_found_by_validate(repo, capsys):
    readme = repo / "README.md"
    readme.write_text(readme.read_text("utf-8").replace("| `events` |", "| `events`  |"),
                      "utf-8")
    expected = "README.md: stale-file: differs from what the records produce; run `dipdata build`\n"
    assert run(capsys, "--root", str(repo), "validate")[:2] == (1, expected)
    assert run(capsys, "--root", str(repo), "build", "--check")[:2] == (1, expected)


def test_build_after_a_killed_build_removes_its_staging_folder(repo, capsys):
    (repo / ".dipdata-build" / "new" / "datapackage").mkdir(parents=True)
    assert run(capsys, "--root", str(repo), "validate")[0] == 0
    (repo / "records/events/xi-state-visit-russia-2023.json").write_text(
        (repo / "records/events/xi-state-visit-russia-2023.json").read_text("utf-8")
        .replace("Moscow", "Moskva"), "utf-8")
    code, out, _ = run(capsys, "--root", str(repo), "build")
    assert code == 0 and not (repo / ".dipdata-build").exists()
    # "Moskva" is as long as "Moscow": sizes, and so the README and JSON-LD, stay the same
    assert out.splitlines() == [f"valid: {RECORDS} records, no problems",
                                "wrote build.lock", "wrote datapackage/data/events.csv",
                                "wrote datapackage/data/events.json",
                                "wrote datapackage/datapackage.json"]


def test_build_says_when_nothing_changed_and_needs_no_write_access(repo, capsys):
    for path in [repo, *repo.rglob("*")]:
        if path.is_dir():
            path.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        code, out, err = run(capsys, "--root", str(repo), "build")
    finally:
        for path in [repo, *repo.rglob("*")]:
            if path.is_dir():
                path.chmod(stat.S_IRWXU)
    assert (code, err) == (0, "")  # success is said on stdout, so `> file` keeps it
    assert out == (f"valid: {RECORDS} records, no problems\n"
                   "nothing changed: every generated file is current\n")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_tree_gives_a_plain_message(repo, capsys):  # pragma: no cover - root here
    (repo / "records/events/xi-state-visit-russia-2023.json").write_text(
        (repo / "records/events/xi-state-visit-russia-2023.json").read_text("utf-8")
        .replace("Moscow", "Moskva"), "utf-8")
    repo.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        code, _, err = run(capsys, "--root", str(repo), "build")
    finally:
        repo.chmod(stat.S_IRWXU)
    assert code == 1 and err.endswith(f"cannot write the generated files in {repo}: "
                                      "Permission denied\n")


# --- 4. one bad field causes no false errors elsewhere ---------------------------------------

def test_a_bad_field_does_not_uncover_its_sentence(repo, capsys):
    path = repo / "records/events/xi-state-visit-russia-2023.json"
    record = json.loads(path.read_text("utf-8"))
    record["venue"] = "=HYPERLINK(1)"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", "utf-8")
    code, out, _ = run(capsys, "--root", str(repo), "validate")
    assert (code, out) == (1, "records/events/xi-state-visit-russia-2023.json:10:3: "
                              "formula-trigger: xi-state-visit-russia-2023 venue: starts with "
                              "'=', which a spreadsheet would run as a formula; reword it\n")


# --- 5. the repository is found from a subfolder; paths are read from where the user is -----

def test_commands_work_from_a_subfolder(repo, capsys):
    code, out, err = run(capsys, "validate", cwd=repo / "records" / "events")
    assert (code, out, err) == (0, f"valid: {RECORDS} records, no problems\n", "")
    code, out, _ = run(capsys, "validate", "xi-state-visit-russia-2023.json",
                       cwd=repo / "records" / "events")
    assert (code, out) == (0, f"valid: {RECORDS} records, no problems\n")


def test_record_paths_are_relative_to_the_current_folder(repo, tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    relative = os.path.relpath(repo / "records/events/xi-state-visit-russia-2023.json",
                               elsewhere)
    code, out, _ = run(capsys, "--root", str(repo), "validate", relative, cwd=elsewhere)
    assert (code, out) == (0, f"valid: {RECORDS} records, no problems\n")


def test_outside_a_repository_the_message_says_so(tmp_path, capsys):
    code, _, err = run(capsys, "validate", cwd=tmp_path)
    assert (code, err) == (2, f"dipdata: error: {tmp_path} is not inside a dipdata repository "
                              "(no records/ folder here or above); run dipdata in the "
                              "repository, or give --root\n")


# --- 6. sentence numbers ---------------------------------------------------------------------

@pytest.mark.parametrize("number,error,message", [
    (0, ValueError, "the review's sentences are numbered from 1 to 33; there is no sentence 0"),
    (-1, ValueError, "the review's sentences are numbered from 1 to 33; there is no sentence -1"),
    (99, ValueError, "the review's sentences are numbered from 1 to 33; there is no sentence 99"),
    ("2", TypeError, "a sentence is given by its number, an integer from 1 to 33, not '2'"),
    (True, TypeError, "a sentence is given by its number, an integer from 1 to 33, not True"),
])
def test_records_in_refuses_numbers_outside_the_review(number, error, message):
    with pytest.raises(error) as raised:
        dipdata.load().records_in(number)
    assert str(raised.value) == message


def test_records_in_counts_from_one():
    data = dipdata.load()
    # sentence 33 sums up the year; the first sentence is the heading
    assert [r.id for r in data.records_in(33)] == ["meetings-and-calls-2023", "closing-quotation"]
    assert [r.id for r in data.records_in(data.sentences[32])] == [
        "meetings-and-calls-2023", "closing-quotation"]
    assert [r.id for r in data.records_in(1)] == ["heading"]


# --- 7. incomplete packages and paths that are not packages ----------------------------------

@pytest.mark.parametrize("missing,resource", [("participants.csv", "participants"),
                                               ("events.json", "events-json")])
def test_load_names_a_missing_resource(tmp_path, missing, resource):
    package = tmp_path / "datapackage"
    shutil.copytree(ROOT / "datapackage", package)
    (package / "data" / missing).unlink()
    with pytest.raises(PackageError) as raised:
        dipdata.load(package)
    assert str(raised.value) == (f"the data package lacks the resource '{resource}': "
                                 f"data/{missing} is missing")


def test_to_pandas_names_a_missing_table(tmp_path):
    package = tmp_path / "datapackage"
    shutil.copytree(ROOT / "datapackage", package)
    (package / "data" / "participants.csv").unlink()
    with pytest.raises(PackageError) as raised:
        dipdata.to_pandas("participants", package)
    assert str(raised.value) == ("the data package lacks data/participants.csv, which its "
                                 "descriptor lists")


def test_load_takes_a_descriptor_for_its_package_and_explains_other_files():
    assert len(dipdata.load(ROOT / "datapackage" / "datapackage.json").events) == \
        sum(1 for _ in (ROOT / "records" / "events").glob("*.json"))
    with pytest.raises(PackageError) as raised:
        dipdata.load(ROOT / "README.md")
    assert str(raised.value) == (f"{ROOT / 'README.md'} is neither a release zip nor a data "
                                 "package folder; load() takes a release zip, a data package "
                                 "folder, or nothing (the package shipped with dipdata)")


# --- rough edges -----------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["validate", "build", "release", "verify", "diff", "new",
                                     "site"])
def test_help_explains_exit_codes_and_gives_examples(command, capsys):
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert "exit codes:\n  0  success" in out
    assert out.count(f"\n  dipdata {command}") == 2, out


def test_messages_carry_no_filler(repo, capsys):
    (repo / "records" / "stray.txt").write_text("x", "utf-8")
    code, out, _ = run(capsys, "--root", str(repo), "validate")
    assert (code, out) == (1, "records/stray.txt: unexpected-file: not a table folder; "
                              "records/ holds only: sources, texts, actors, events, outcomes, "
                              "positions, aggregates, commentary\n")


def test_site_of_a_repository_without_a_package_says_so(tmp_path, capsys):
    (tmp_path / "records").mkdir()
    (tmp_path / "datapackage").mkdir()
    code, out, err = run(capsys, "site", "--out", str(tmp_path / "site"), cwd=tmp_path)
    assert (code, out, err) == (1, "", f"dipdata: error: {tmp_path / 'datapackage'} is not a "
                                       "data package folder (it has no datapackage.json); "
                                       "load() takes a release zip, a data package folder, "
                                       "or nothing\n")


def test_site_into_a_file_says_so_plainly(repo, tmp_path, capsys):
    target = tmp_path / "a-file"
    target.write_text("x", "utf-8")
    code, out, err = run(capsys, "--root", str(repo), "site", "--out", str(target))
    assert (code, out, err) == (2, "", f"dipdata: error: {target}: it exists and is not a "
                                       "folder\n")


def test_each_command_lists_only_the_exit_codes_that_apply(capsys):
    import pytest as _pytest

    from dipdata.cli import main

    helps = {}
    for command in ("validate", "release", "new", "diff"):
        with _pytest.raises(SystemExit):
            main([command, "--help"])
        helps[command] = capsys.readouterr().out
    assert "1  problems were found; they are listed" in helps["validate"]
    assert "1  the release was refused; the reason and the next step are said" in \
        helps["release"]
    assert "release was refused" not in helps["new"] and "\n  1  " not in helps["new"]
    assert "one line per change" in helps["diff"] and "one line per problem" not in helps["diff"]


def test_a_successful_report_goes_to_standard_output(capsys):
    code, out, err = run(capsys, "--root", str(ROOT), "validate")
    assert (code, out, err) == (0, f"valid: {RECORDS} records, no problems\n", "")
