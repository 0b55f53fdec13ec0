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
    faults = [line for line in text.splitlines() if "planted faults" in line]
    assert len(faults) == 2 and all(line.endswith("| met |") for line in faults), faults
