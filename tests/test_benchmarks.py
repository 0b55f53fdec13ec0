"""The benchmark runs end to end on tiny sizes (the numbers themselves are not tested here)."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_benchmark_runs_and_both_validators_find_the_planted_faults(tmp_path):
    out = tmp_path / "results.md"
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks/run.py"), "--sizes", "40,80",
                             "--runs", "1", "--out", str(out)], capture_output=True, text=True,
                            timeout=600)
    assert result.returncode in (0, 1), result.stderr
    text = out.read_text("utf-8")
    assert "| events | records | dipdata validate (s) |" in text
    # where the time goes: by phase of a real run, and by step of checking a record
    phases = text.split("events, as run: wall time by phase")[1].split("###")[0]
    assert "| listing record files |" in phases and "| rules across all records |" in phases
    steps = text.split("### Checking one record, at 80 events")[1].split("###")[0]
    assert "| schema checks |" in steps and "| rules within the record |" in steps
    faults = [line for line in text.splitlines() if "planted faults" in line]
    assert len(faults) == 2 and all(line.endswith("| met |") for line in faults), faults
