"""Hostile and malformed records, as a contributor would drop them into records/: each is a
fixture in tests/fixtures/bad/ (named <table>.<case>.json) with its expected output in
expected.json. Each gets exit 1, its exact message(s), no traceback, and nothing written."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import ROOT, run, tree_digest

FIXTURES = ROOT / "tests" / "fixtures" / "bad"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text("utf-8"))
CASES = sorted(path.name[: -len(".json")] for path in FIXTURES.glob("*.*.json"))
PLANTED = {"events": "planted-event", "sources": "planted-source", "actors": "planted-actor"}


def place(repo, case: str) -> str:
    table = case.split(".")[0]
    relative = f"records/{table}/{PLANTED[table]}.json"
    (repo / relative).write_bytes((FIXTURES / f"{case}.json").read_bytes())
    return relative


def test_every_fixture_has_its_expected_output():
    assert sorted(EXPECTED) == CASES


@pytest.mark.parametrize("case", CASES)
def test_bad_record_is_rejected_precisely(repo, capsys, monkeypatch, case):
    relative = place(repo, case)
    before = tree_digest(repo)
    monkeypatch.chdir(repo)
    code, out, err = run(capsys, "validate", relative)
    assert code == 1
    assert out.splitlines() == EXPECTED[case]
    assert all(line.startswith(f"{relative}:") for line in out.splitlines())
    assert "Traceback" not in err
    assert tree_digest(repo) == before
    code, out, _ = run(capsys, "--root", str(repo), "build")
    assert code == 1 and tree_digest(repo) == before


@pytest.mark.parametrize("case", ["events.utf-16", "events.deeply-nested", "events.nan",
                                  "events.oversized-file"])
def test_no_traceback_from_the_command(repo, case):
    place(repo, case)
    result = subprocess.run([sys.executable, "-m", "dipdata", "--root", str(repo), "validate"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.splitlines()[: len(EXPECTED[case])] == EXPECTED[case]
