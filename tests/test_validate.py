"""`dipdata validate`: planted faults get one precise line, exit 1, and nothing is written."""

from __future__ import annotations

import functools
import gc
import importlib
import json
import subprocess
import sys

import pytest

from dipdata.base import parallel
from dipdata.check.lock import read_lock
from dipdata.base.problems import line_column

from .conftest import RECORDS, run, tree_digest, write_record

PLANTED = "records/events/planted-event.json"


def good_event() -> dict:
    return {
        "id": "planted-event",
        "kind": "meeting",
        "title": "A planted meeting",
        "start_date": "2023-05-18",
        "end_date": "2023-05-18",
        "date_precision": "day",
        "city": "Beijing",
        "country": "CN",
        "venue": None,
        "mode": "in-person",
        "part_of": "china-central-asia-summit-2023",
        "section": "opening",
        "summary": "A record planted by the tests.",
        "plover_event": "CONSULT",
        "plover_mode": "visit",
        "participants": [{"actor": "xi-jinping", "role": "host",
                          "capacity": "President of the People's Republic of China"}],
        "sources": ["womenofchina-2022-12-31-xi-new-year-gathering"],
    }


def where(text: str, needle: str) -> str:
    """line:column (1-based) of the first occurrence of needle."""
    line, column = line_column(text, text.index(needle))
    return f"{line}:{column}"


def test_repository_is_valid(capsys):
    code, out, err = run(capsys, "validate")
    assert (code, err) == (0, "")
    assert out.startswith("valid: ") and out.count("\n") == 1


def test_a_good_new_record_is_valid(repo, capsys):
    write_record(repo, "events", good_event())
    code, out, _ = run(capsys, "--root", str(repo), "validate", PLANTED)
    assert (code, out) == (0, f"valid: {RECORDS + 1} records, no problems\n")


CASES = {
    "bad-date": ({"start_date": "2023-02-30"}, '"start_date"',
                 "bad-date: planted-event start_date: '2023-02-30' is not a real calendar date"),
    "dangling-reference": ({"part_of": "no-such-event"}, '"part_of"',
                           "dangling-reference: planted-event part_of: 'no-such-event' is not "
                           "a record in the events table"),
    "unknown-field": ({"venu": "Great Hall"}, '"venu"',
                      "unknown-field: planted-event venu: unknown field 'venu'"),
    "bad-country": ({"country": "cn"}, '"country"',
                    "bad-country: planted-event country: 'cn' is not an ISO 3166-1 alpha-2 "
                    "country code (two upper-case letters, e.g. 'RU')"),
    "dangling-actor": ({"participants": [{"actor": "nobody", "role": "host"}]}, '"actor"',
                       "dangling-reference: planted-event participants[0].actor: 'nobody' is "
                       "not a record in the actors table"),
    "end-before-start": ({"end_date": "2023-04-30"}, '"end_date"',
                         "end-before-start: planted-event end_date: end_date 2023-04-30 is "
                         "before start_date 2023-05-18"),
    "null-title": ({"title": None}, '"title"',
                      "missing-value: planted-event title: must be a string, not null"),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("scope", ["file", "all"])
def test_planted_fault_gets_one_precise_line(repo, capsys, case, scope):
    change, needle, expected = CASES[case]
    path = write_record(repo, "events", {**good_event(), **change})
    text = path.read_text("utf-8")
    before = tree_digest(repo)
    args = ["validate", PLANTED] if scope == "file" else ["validate"]
    code, out, err = run(capsys, "--root", str(repo), *args)
    assert code == 1
    assert out == f"{PLANTED}:{where(text, needle)}: {expected}\n"
    assert "Traceback" not in err
    assert tree_digest(repo) == before


def test_duplicate_key_is_reported_at_the_second_key(repo, capsys):
    text = json.dumps(good_event(), indent=2)
    text = text.replace('"title": "A planted meeting",',
                        '"title": "A planted meeting",\n  "title": "Another title",')
    (repo / PLANTED).write_text(text, "utf-8")
    code, out, _ = run(capsys, "--root", str(repo), "validate", PLANTED)
    second = text.index('"title"', text.index('"title"') + 1)
    line = text.count("\n", 0, second) + 1
    assert code == 1
    assert out == (f"{PLANTED}:{line}:3: duplicate-key: planted-event title: key 'title' "
                   "appears more than once; JSON readers would silently keep only one\n")


def test_all_problems_are_reported_sorted(repo, capsys):
    write_record(repo, "events", {**good_event(), "country": "cn", "venu": 1,
                                  "part_of": "nowhere"})
    code, out, _ = run(capsys, "--root", str(repo), "validate", PLANTED)
    lines = out.splitlines()
    assert code == 1
    assert [line.split(": ")[1] for line in lines] == ["bad-country", "unknown-field"]
    assert lines == sorted(lines, key=lambda line: [int(p) if p.isdigit() else p
                                                    for p in line.split(":")[:3]])


def test_checking_makes_no_reference_cycles(repo):
    """The garbage collector is paused while records are checked: that is safe only while
    checking them, and every problem found, leaves nothing that only it could free."""
    write_record(repo, "events", {**good_event(), "country": "cn", "venu": 1})
    write_record(repo, "events", {**good_event(), "id": "dangling", "part_of": "nowhere"})
    (repo / "records/events/broken.json").write_bytes(b'{"id": "broken", \xff')
    (repo / "records/events/twice.json").write_text('{"id": "twice", "id": "twice"}', "utf-8")
    (repo / "records/events/notes.txt").write_text("not a record", "utf-8")
    checking = importlib.import_module("dipdata.check.validate")
    checking.check_records(repo)  # once first: modules imported on the way make cycles
    gc.collect()
    gc.disable()
    try:
        report = checking.check_records(repo).report
        assert {problem.code for problem in report.problems} >= {
            "bad-country", "unknown-field", "dangling-reference", "not-utf8", "duplicate-key",
            "unexpected-file"}
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_json_and_github_formats(repo, capsys):
    write_record(repo, "events", {**good_event(), "country": "cn"})
    code, out, _ = run(capsys, "--root", str(repo), "validate", "--format", "json", PLANTED)
    report = json.loads(out)
    assert code == 1 and report["valid"] is False
    assert [(p["code"], p["record"], p["field"]) for p in report["problems"]] == [
        ("bad-country", "planted-event", "country")]
    code, out, _ = run(capsys, "--root", str(repo), "validate", "--format", "github", PLANTED)
    assert (code, out) == (1, f"::error file={PLANTED},line=9,col=3,title=bad-country::"
                              "bad-country: planted-event country: 'cn' is not an ISO 3166-1 "
                              "alpha-2 country code (two upper-case letters, e.g. 'RU')\n")


def test_usage_errors_exit_2(repo, capsys):
    code, _, err = run(capsys, "--root", str(repo), "validate", "--format", "xml")
    assert code == 2
    assert err.splitlines()[-1] == ("dipdata validate: error: argument --format: invalid choice: "
                                    "'xml' (choose from 'text', 'json', 'github')")
    (repo / "nowhere").mkdir()
    code, _, err = run(capsys, "--root", str(repo / "nowhere"), "validate")
    assert (code, err) == (2, f"dipdata: error: {repo / 'nowhere'} has no records/ folder: it "
                              "is not a dipdata repository\n")


def test_no_traceback_from_the_command_line(repo):
    (repo / PLANTED).write_bytes(b'{"id": "planted-event", "title": [1, 2,,]}')
    result = subprocess.run([sys.executable, "-m", "dipdata", "--root", str(repo), "validate"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout == (f"{PLANTED}:1:40: invalid-json: planted-event: "
                             "unexpected character, expected a JSON value\n")



@pytest.fixture
def workers(monkeypatch):
    """Validation spread over forked workers even for the small repository, in runs of 97
    files, so that every run boundary and merge is crossed; counts the workers started."""
    validating = importlib.import_module("dipdata.check.validate")  # (the package exports a function)

    if not parallel.can_fork():
        pytest.skip("forked workers are used on Linux only")
    started = []

    class Counted(parallel._Child):
        def __init__(self, work):
            started.append(work)
            super().__init__(work)

    monkeypatch.setattr(validating, "PARALLEL_FROM", 1)
    monkeypatch.setattr(validating, "CHUNK", 97)
    monkeypatch.setattr(parallel, "_Child", Counted)
    return started


def test_workers_make_the_committed_package(repo, capsys, workers):
    """The package, pictures and README made by workers are the ones made in one process."""
    code, out, err = run(capsys, "--root", str(repo), "validate", "--full")
    assert (code, out, err) == (0, f"valid: {RECORDS} records, no problems\n", "")
    runs = -(-800 // 97)  # 9 runs of files
    spread = [work for work in workers if isinstance(work, functools.partial)]
    assert len(spread) == min(parallel.cores(), runs) > 1


def test_workers_read_the_inputs_the_build_lock_records(repo, workers):
    lock = read_lock(repo)
    checking = importlib.import_module("dipdata.check.validate")
    assert lock is not None and checking.check_records(repo).inputs == lock.inputs
    assert any(isinstance(work, functools.partial) for work in workers)


def test_workers_report_what_one_process_reports(repo, capsys, workers):
    path = write_record(repo, "events", {**good_event(), "part_of": "no-such-event",
                                         "country": "cn"})
    text = path.read_text("utf-8")
    country, part_of = where(text, '"country"'), where(text, '"part_of"')
    code, out, _ = run(capsys, "--root", str(repo), "validate")
    assert code == 1
    assert out == (
        f"{PLANTED}:{country}: bad-country: planted-event country: 'cn' is "
        "not an ISO 3166-1 alpha-2 country code (two upper-case letters, e.g. 'RU')\n")
    path.write_text(text.replace('"country": "cn"', '"country": "CN"'), "utf-8")
    code, out, _ = run(capsys, "--root", str(repo), "validate")
    assert code == 1
    assert out == (f"{PLANTED}:{part_of}: dangling-reference: planted-event "
                   "part_of: 'no-such-event' is not a record in the events table\n")
