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


def test_readme_queries_answer_their_questions(tmp_path):
    """The README's SQL, run on the SQLite database made from the package; the expected rows
    below were read by hand from the records and their readouts."""
    import sqlite3

    import pytest

    pytest.importorskip("sqlite_utils")
    from dipdata.publish.exports import write_sqlite

    readme = (ROOT / "README.md").read_text("utf-8")
    [block] = re.findall(r"<!-- queries: checked by tests/test_readme.py -->\n```sql\n(.+?)```",
                         readme, re.DOTALL)
    queries = [q.strip() for q in re.split(r";\s*\n", block) if q.strip()]
    assert len(queries) == 3
    database = write_sqlite(ROOT / "datapackage", tmp_path / "dipdata.sqlite")
    with sqlite3.connect(database) as db:
        upgrades, ukraine, joint = (db.execute(q).fetchall() for q in queries)
    assert ("VE", "all-weather strategic partnership", "upgraded", "2023-09-13") in \
        [row[:4] for row in upgrades]
    assert ("PS", "strategic partnership", "established", "2023-06-14") in \
        [row[:4] for row in upgrades]
    assert all(row[2] in ("established", "upgraded") for row in upgrades)
    zelenskyy = [row for row in ukraine if row[0] == "2023-04-26"]
    assert [(row[2], row[3]) for row in zelenskyy] == [("Volodymyr Zelenskyy", "stated")]
    assert "Promote peace talks" in zelenskyy[0][5]
    assert [row[0] for row in ukraine] == sorted(row[0] for row in ukraine)
    assert ("2023-04-07", "joint-statement") in [row[:2] for row in joint]  # France
    assert all(row[1] != "relationship-announcement" for row in joint)


def test_readme_meetings_queries(tmp_path):
    """The README's queries on the meetings table; expected rows read by hand from the
    records (the June call with Ramaphosa, the Hichilema talks in September)."""
    import sqlite3

    import pytest

    pytest.importorskip("sqlite_utils")
    from dipdata.publish.exports import write_sqlite

    readme = (ROOT / "README.md").read_text("utf-8")
    [block] = re.findall(r"<!-- meetings queries: checked by tests/test_readme.py -->\n"
                         r"```sql\n(.+?)```", readme, re.DOTALL)
    africa_query, monthly_query = [q.strip() for q in re.split(r";\s*\n", block) if q.strip()]
    database = write_sqlite(ROOT / "datapackage", tmp_path / "dipdata.sqlite")
    with sqlite3.connect(database) as db:
        africa = db.execute(africa_query).fetchall()
        monthly = db.execute(monthly_query).fetchall()
    assert ("2023-06-09", "Matamela Cyril Ramaphosa", "President of South Africa", "ZA",
            "call") in africa
    assert ("2023-09-15", "Hakainde Hichilema", "President of the Republic of Zambia", "ZM",
            "talks") in africa
    assert all(row[3] not in ("FR", "CN", None) for row in africa)
    assert ("2023-10", "Africa") in [row[:2] for row in monthly]
    # each event counted once per region: the months add up to the 112 events, plus the
    # events whose counterparts come from two regions
    assert sum(row[2] for row in monthly) >= 112
