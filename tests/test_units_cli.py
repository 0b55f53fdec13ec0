"""The `dipdata` command in-process (`cli.main`): each command's help, the arguments it
parses, which library call it makes with them, what it prints where, and the exit code of
each kind of failure. The library is replaced by stand-ins that note their arguments, but
for one run of `validate` on a tiny repository. Expected values written by hand."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from dipdata import __version__, cli
from dipdata.base.archives import ReleaseError
from dipdata.base.problems import Problem, Report
from dipdata.make.package import BuildError
from dipdata.model.skeleton import SkeletonError
from dipdata.use.loader import PackageError

from .conftest import run
from .test_units_validate import tiny  # noqa: F401 - a fixture


def flat(text: str) -> str:
    return " ".join(text.split())


def codes(lines: str, *examples: str) -> str:
    """An epilog: the exit codes' lines (after 0), then the examples."""
    return ("exit codes:\n  0  success\n" + lines + "\n\nexamples:\n"
            + "".join(f"  {example}\n" for example in examples))


USAGE = "  2  usage error: bad arguments, or not run inside a dipdata repository"
FORMATS = ("text (one line per problem, the default), json (a report for programs), or github "
           "(workflow annotations)")
HELP = {
    "validate": (
        "Check records, rules across records, and that every generated file is current.",
        codes("  1  problems were found; they are listed\n" + USAGE, "dipdata validate",
              "dipdata validate records/events/my-new-event.json --format json"),
        ["record files to check in the context of the rest, relative to the current folder "
         "(default: everything)", "make every generated file to compare, even when the build "
         "lock shows that nothing they are made from changed", FORMATS]),
    "build": (
        "Validate the records and write schema/, datapackage/, CITATION.cff and the README's "
        "generated parts.",
        codes("  1  problems were found (nothing was written); they are listed\n" + USAGE,
              "dipdata build", "dipdata build --check"),
        ["write nothing; exit 1 when any generated file is stale (every file is made and "
         "compared, as `dipdata validate --full` does)", FORMATS]),
    "release": (
        "Build the release artifacts from the commit at HEAD.",
        codes("  1  the release was refused; the reason and the next step are said\n" + USAGE,
              "dipdata release", "dipdata release --out /tmp/release"),
        ["where to write them (default: dist/ in the repository)", "the previous release (zip "
         "or folder) to compare with (default: the highest vX.Y.Z git tag)"]),
    "verify": (
        "Verify a release zip, a package folder, or a folder of release artifacts with "
        "SHA256SUMS.",
        codes("  1  the release or package is not valid; the problems are listed\n" + USAGE,
              "dipdata verify dist/", "dipdata verify dipdata-1.0.0-datapackage.zip"),
        ["the zip or folder to verify", FORMATS]),
    "diff": (
        "List what changed between two releases, and the version bump it needs.",
        codes("  1  a release or version could not be read; it says why\n" + USAGE,
              "dipdata diff 0.1.0 HEAD", "dipdata diff old.zip new.zip --format json"),
        ["a release zip, a package folder, or a version (0.1.0) or git revision of this "
         "repository", "the same, for the newer release", "--format {text,json}",
         "text (one line per change, the default), json (a report for programs) exit codes:"]),
    "new": (
        "Write a record skeleton to fill in.",
        codes(USAGE + ";\n     or the table is unknown, the id is not valid or already taken",
              "dipdata new event xi-example-meeting-2023-05-01", "dipdata new actor jane-doe"),
        ["events, actors, outcomes, positions, aggregates, sources, texts or commentary "
         "(singular works too)", "the new record's id (lowercase kebab-case, unused in any "
         "table)"]),
    "site": (
        "Write the offline explorer (a static site).",
        codes(USAGE + ";\n     or the folder cannot be written", "dipdata site --out site",
              "dipdata site --out /tmp/explorer"),
        ["--out OUT the folder to write it to"]),
}


@pytest.mark.parametrize("command", list(HELP))
def test_each_commands_help_says_what_it_does_its_exit_codes_and_examples(command, capsys):
    description, epilog, helps = HELP[command]
    code, out, err = run(capsys, command, "--help")
    assert (code, err) == (0, "")
    assert out.startswith(f"usage: dipdata {command} [-h]")
    assert f"\n\n{description}\n\n" in out
    assert out.endswith(f"\n\n{epilog}")
    for help in helps:  # whole, between spaces or ends of lines
        assert f" {help} " in f" {flat(out)} ", help
    assert ("github" in out) is (command in ("validate", "build", "verify"))


def test_the_help_without_a_command_lists_the_commands(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert out.startswith("usage: dipdata [-h] [--version] [--root ROOT] COMMAND ...\n\n"
                          "Validate, build, release and explore the dipdata data package.\n\n")
    assert out.endswith("\n\n" + codes("  1  a command failed; it says why\n" + USAGE,
                                       "dipdata validate", "dipdata diff 0.1.0 HEAD"))
    for line in ("validate check records, rules across records, and that every generated "
                 "file is current",
                 "build validate the records and write schema/, datapackage/, CITATION.cff "
                 "and the README's generated parts",
                 "release build the release artifacts from the commit at HEAD",
                 "verify verify a release zip, a package folder, or a folder of release "
                 "artifacts with SHA256SUMS",
                 "diff list what changed between two releases, and the version bump it needs",
                 "new write a record skeleton to fill in",
                 "site write the offline explorer (a static site)",
                 "--root ROOT the repository (default: found by walking up from the current "
                 "folder, as git does)"):
        assert f" {line} " in f" {flat(out)} ", line


def test_version(capsys):
    assert run(capsys, "--version") == (0, f"dipdata {__version__}\n", "")


@pytest.fixture
def parsed(monkeypatch):
    """The arguments `main` runs a command with (the command itself does nothing)."""
    seen = []
    monkeypatch.setattr(cli, "_run", lambda args: seen.append(vars(args)) or 0)
    return seen


@pytest.mark.parametrize(("argv", "expected"), [
    (["validate"], {"root": None, "command": "validate", "paths": [], "full": False,
                    "format": "text"}),
    (["--root", "r", "validate", "a.json", "b.json", "--full", "--format", "github"],
     {"root": Path("r"), "command": "validate", "paths": [Path("a.json"), Path("b.json")],
      "full": True, "format": "github"}),
    (["build"], {"root": None, "command": "build", "check": False, "format": "text"}),
    (["build", "--check", "--format", "json"],
     {"root": None, "command": "build", "check": True, "format": "json"}),
    (["release"], {"root": None, "command": "release", "out": None, "previous": None}),
    (["release", "--out", "o", "--previous", "p.zip"],
     {"root": None, "command": "release", "out": Path("o"), "previous": Path("p.zip")}),
    (["verify", "x.zip"], {"root": None, "command": "verify", "path": Path("x.zip"),
                           "format": "text"}),
    (["diff", "0.1.0", "HEAD", "--format", "json"],
     {"root": None, "command": "diff", "old": "0.1.0", "new": "HEAD", "format": "json"}),
    (["new", "event", "an-id"], {"root": None, "command": "new", "table": "event",
                                 "id": "an-id"}),
    (["site", "--out", "s"], {"root": None, "command": "site", "out": Path("s")}),
])
def test_the_arguments_each_command_takes(parsed, capsys, tmp_path, argv, expected):
    assert run(capsys, *argv, cwd=tmp_path) == (0, "", "")
    assert parsed == [expected]


@pytest.mark.parametrize(("argv", "message"), [
    ([], "the following arguments are required: COMMAND"),
    (["site"], "the following arguments are required: --out"),
    (["diff", "a", "b", "--format", "github"],
     "argument --format: invalid choice: 'github' (choose from 'text', 'json')"),
    (["verify"], "the following arguments are required: path"),
    (["frobnicate"], "argument COMMAND: invalid choice: 'frobnicate'"),
])
def test_bad_arguments_are_usage_errors(parsed, capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert (code, out, parsed) == (2, "", [])
    assert message in err and err.startswith("usage: dipdata")


# --- the one error boundary -----------------------------------------------------------------

def failing(monkeypatch, error: BaseException) -> None:
    def fail(args):
        raise error

    monkeypatch.setattr(cli, "_run", fail)


@pytest.mark.parametrize(("error", "code", "message"), [
    (cli.UsageError("not here"), 2, "dipdata: error: not here\n"),
    (PackageError("no package"), 1, "dipdata: error: no package\n"),
    (ReleaseError("tag it first"), 1, "dipdata: verify refused: tag it first\n"),
    (BuildError("stale"), 1, "dipdata: verify refused: stale\n"),
    (SkeletonError("taken"), 2, "dipdata: error: taken\n"),
    (PermissionError(13, "Permission denied", "/x/y"), 2,
     "dipdata: error: /x/y: permission denied\n"),
    (OSError("Disk Full."), 2, "dipdata: error: disk full\n"),
    (OSError("Unsupported on MINIX"), 2, "dipdata: error: unsupported on minix\n"),
    (FileExistsError(17, "File exists", "/x/f"), 2,
     "dipdata: error: /x/f: it exists and is not a folder\n"),
    (KeyboardInterrupt(), 130, ""),
])
def test_expected_failures_are_one_plain_line_and_an_exit_code(monkeypatch, capsys, error,
                                                              code, message):
    failing(monkeypatch, error)
    assert run(capsys, "verify", "x") == (code, "", message)


def test_a_refusal_names_the_command(monkeypatch, capsys):
    failing(monkeypatch, ReleaseError("tag it first"))
    assert run(capsys, "release") == (1, "", "dipdata: release refused: tag it first\n")


def test_other_failures_are_not_hidden(monkeypatch, capsys):
    failing(monkeypatch, ValueError("a bug"))
    with pytest.raises(ValueError, match="a bug"):
        cli.main(["verify", "x"])


# --- the repository -------------------------------------------------------------------------

def test_the_repository_is_the_nearest_folder_upwards_with_records(tmp_path):
    (tmp_path / "records" / "events").mkdir(parents=True)
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert cli.find_root(tmp_path / "records" / "events") == tmp_path
    assert cli.find_root(tmp_path / "a" / "b" / ".." / "b") == tmp_path
    assert cli.find_root(tmp_path) == tmp_path
    (tmp_path / "a" / "records").write_text("not a folder", "utf-8")
    assert cli.find_root(tmp_path / "a") == tmp_path


def test_outside_a_repository_find_root_says_so(tmp_path):
    with pytest.raises(cli.UsageError) as raised:
        cli.find_root(tmp_path / "x" / "..")
    assert str(raised.value) == (f"{tmp_path} is not inside a dipdata repository (no records/ "
                                 "folder here or above); run dipdata in the repository, or "
                                 "give --root")


@pytest.fixture
def calls(monkeypatch):
    """Stand-ins for the library that note each call; each returns what ``calls.result``
    says (a valid report of 3 records by default)."""
    noted = SimpleNamespace(made=[], result=Report(records_checked=3))

    def stand_in(name):
        def call(*args, **kwargs):
            noted.made.append((name, args, kwargs))
            return noted.result
        return call

    for target in ("dipdata.make.package.check", "dipdata.make.package.build",
                   "dipdata.check.validate.check_records", "dipdata.publish.verify.verify",
                   "dipdata.publish.diff.diff", "dipdata.publish.release.release",
                   "dipdata.model.skeleton.write_skeleton", "dipdata.views.site.write_site"):
        monkeypatch.setattr(target, stand_in(target.rsplit(".", 1)[1]))
    return noted


@pytest.fixture
def repo(tmp_path) -> Path:
    (tmp_path / "repo" / "records" / "events").mkdir(parents=True)
    return tmp_path / "repo"


def test_a_given_root_must_hold_records(calls, tmp_path, capsys):
    assert run(capsys, "--root", str(tmp_path), "validate") == (
        2, "", f"dipdata: error: {tmp_path} has no records/ folder: it is not a dipdata "
               "repository\n")
    assert calls.made == []


def test_a_given_root_is_taken_whole_from_anywhere(calls, repo, capsys):
    code, out, _ = run(capsys, "--root", "repo", "validate", cwd=repo.parent)
    assert (code, out) == (0, "valid: 3 records, no problems\n")
    assert calls.made == [("check", (repo,), {"full": False})]
    assert calls.made[0][1][0].is_absolute()


def test_without_root_the_repository_is_found_from_the_current_folder(calls, repo, capsys):
    run(capsys, "build", "--check", cwd=repo / "records" / "events")
    run(capsys, "validate", "--full", cwd=repo / "records")
    assert calls.made == [("check", (repo,), {"full": True}), ("check", (repo,), {"full": True})]


def test_outside_a_repository_a_command_stops(calls, tmp_path, capsys):
    code, out, err = run(capsys, "new", "event", "x", cwd=tmp_path)
    assert (code, out, calls.made) == (2, "", [])
    assert err.startswith(f"dipdata: error: {tmp_path} is not inside a dipdata repository")


# --- each command: the call it makes and what it prints -------------------------------------

def test_validate_named_files_resolves_them_from_the_current_folder(calls, repo, capsys):
    calls.result = SimpleNamespace(report=Report([Problem("p", code="c")], 4))
    assert run(capsys, "validate", "x.json", "../../records/events/y.json",
               cwd=repo / "records" / "events") == (1, "p: c: \n",
                                                    "invalid: 1 problem in 4 records\n")
    assert calls.made[0][0] == "check_records"
    assert calls.made[0][1] == (repo,)
    assert calls.made[0][2] == {"only": [repo / "records/events/x.json",
                                         repo / "records/events/y.json"]}


def test_validate_named_files_of_a_tiny_repository(tiny, capsys):  # noqa: F811
    record = tiny / "records" / "commentary" / "heading.json"
    record.write_text(json.dumps({**json.loads(record.read_text("utf-8")), "reason": 5},
                                 indent=2), "utf-8")
    code, out, err = run(capsys, "validate", "heading.json", cwd=record.parent)
    assert (code, out, err) == (1, "records/commentary/heading.json:3:3: wrong-type: heading "
                                   "reason: must be a string, not an integer\n",
                                "invalid: 1 problem in 8 records\n")
    assert run(capsys, "validate", "answer-opening.json", cwd=record.parent) == (
        0, "valid: 8 records, no problems\n", "")


def test_a_valid_report_is_the_result_on_standard_output(calls, repo, capsys):
    assert run(capsys, "--root", str(repo), "validate") == (
        0, "valid: 3 records, no problems\n", "")


def test_an_invalid_reports_problems_are_on_standard_output_its_summary_beside(calls, repo,
                                                                                capsys):
    calls.result = Report([Problem("b", 2, 3, "c", message="m"), Problem("a", code="d")], 2)
    assert run(capsys, "--root", str(repo), "validate") == (
        1, "a: d: \nb:2:3: c: m\n", "invalid: 2 problems in 2 records\n")


def test_json_and_github_formats_print_only_the_report(calls, repo, capsys):
    calls.result = Report([Problem("a", 1, 2, "d", message="m")], 2, "x")
    code, out, err = run(capsys, "--root", str(repo), "validate", "--format", "json")
    assert (code, err) == (1, "")
    assert json.loads(out) == {"subject": "x", "valid": False, "records": 2, "problems": [
        {"path": "a", "line": 1, "column": 2, "code": "d", "record": "-", "field": "-",
         "message": "m"}]}
    assert run(capsys, "--root", str(repo), "validate", "--format", "github") == (
        1, "::error file=a,line=1,col=2,title=d::d: m\n", "")
    calls.result = Report(records_checked=2)
    assert run(capsys, "--root", str(repo), "validate", "--format", "github") == (0, "", "")


def test_verify_takes_its_path_as_given(calls, tmp_path, capsys):
    calls.result = Report(records_checked=1, subject="dist")
    assert run(capsys, "verify", "dist", cwd=tmp_path) == (
        0, "dist: valid: 1 record, no problems\n", "")
    assert calls.made == [("verify", (Path("dist"),), {})]


def test_build_lists_what_it_wrote_or_that_nothing_changed(calls, repo, capsys):
    calls.result = SimpleNamespace(report=Report(records_checked=3),
                                   changed=["README.md", "datapackage/data/events.csv"])
    assert run(capsys, "--root", str(repo), "build") == (
        0, "valid: 3 records, no problems\nwrote README.md\nwrote datapackage/data/events.csv\n",
        "")
    assert calls.made == [("build", (repo,), {})]
    calls.result.changed = []
    assert run(capsys, "--root", str(repo), "build") == (
        0, "valid: 3 records, no problems\nnothing changed: every generated file is current\n",
        "")
    # in json, only the report
    code, out, err = run(capsys, "--root", str(repo), "build", "--format", "json")
    assert (code, json.loads(out)["valid"], err) == (0, True, "")


def test_a_build_with_problems_says_nothing_of_files(calls, repo, capsys):
    calls.result = SimpleNamespace(report=Report([Problem("a", code="c")], 1), changed=[])
    assert run(capsys, "--root", str(repo), "build") == (
        1, "a: c: \n", "invalid: 1 problem in 1 record\n")


def test_new_and_site_print_what_the_library_says(calls, repo, capsys):
    calls.result = "records/events/an-id.json"
    assert run(capsys, "--root", str(repo), "new", "event", "an-id") == (
        0, "records/events/an-id.json\n", "")
    calls.result = "the explorer is in s/index.html"
    assert run(capsys, "--root", str(repo), "site", "--out", "s") == (
        0, "the explorer is in s/index.html\n", "")
    assert calls.made == [("write_skeleton", (repo, "event", "an-id"), {}),
                          ("write_site", (repo, Path("s")), {})]


def test_release_lists_its_files_and_says_how_to_publish(calls, repo, capsys):
    calls.result = [repo / "dist" / "a.zip", repo / "dist" / "SHA256SUMS"]
    assert run(capsys, "--root", str(repo), "release") == (
        0, f"{repo / 'dist' / 'a.zip'}\n{repo / 'dist' / 'SHA256SUMS'}\n",
        f"to publish it, tag the commit and push the tag: git tag -a v{__version__} -m "
        f"'dipdata {__version__}' && git push origin v{__version__}\n")
    run(capsys, "--root", str(repo), "release", "--out", "o", "--previous", "p.zip")
    assert calls.made == [("release", (repo, repo / "dist", None), {}),
                          ("release", (repo, Path("o"), Path("p.zip")), {})]


def test_diff_prints_text_or_json(calls, repo, capsys):
    calls.result = SimpleNamespace(as_text=lambda: "1 record added",
                                   as_json=lambda: {"bump": "minor", "note": "é"})
    assert run(capsys, "diff", "0.1.0", "HEAD", cwd=repo / "records") == (
        0, "1 record added\n", "")
    assert run(capsys, "--root", "elsewhere", "diff", "a", "b", "--format", "json",
               cwd=repo) == (0, '{\n  "bump": "minor",\n  "note": "é"\n}\n', "")
    assert calls.made == [("diff", ("0.1.0", "HEAD", repo), {}),
                          ("diff", ("a", "b", Path("elsewhere")), {})]


def test_diff_outside_a_repository_runs_from_the_current_folder(calls, tmp_path, capsys):
    calls.result = SimpleNamespace(as_text=lambda: "no change")
    assert run(capsys, "diff", "a.zip", "b.zip", cwd=tmp_path) == (0, "no change\n", "")
    assert calls.made == [("diff", ("a.zip", "b.zip", tmp_path), {})]
