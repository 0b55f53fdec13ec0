"""The package type-checks: mypy with the pydantic plugin and disallow_untyped_defs, as
configured in pyproject.toml ([tool.mypy])."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

from .conftest import ROOT


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None and not os.environ.get("CI"),
                    reason="mypy is not installed (pip install -e '.[test]')")
def test_mypy_finds_no_error():
    result = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert (result.returncode, result.stdout.splitlines()[-1:]) == (
        0, [f"Success: no issues found in {len(list((ROOT / 'src' / 'dipdata').rglob('*.py')))} "
            "source files"]), result.stdout
