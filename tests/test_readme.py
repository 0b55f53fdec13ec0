"""The README's Python example runs as written."""

from __future__ import annotations

import re

from .conftest import ROOT


def test_readme_python_example_runs():
    readme = (ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.+?)```", readme, re.DOTALL)
    assert blocks
    namespace: dict = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)
    data = namespace["data"]
    assert namespace["visit"].start_date.isoformat() == "2023-03-20"
    assert len(namespace["frame"]) == sum(len(e.participants) for e in data.events)
    assert [(e.id, e.start_date.isoformat()) for e, _ in namespace["meetings"]] == [
        ("sanchez-official-visit-china-2023", "2023-03-30"),
        ("xi-sanchez-meeting-2023-03-31", "2023-03-31")]
