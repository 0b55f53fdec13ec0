"""One truth in every format: the tables of a release read back from the SQLite database
and the Parquet files, typed, and compared cell by cell with the CSV tables typed by their
Table Schemas. A release whose formats disagree is never called valid.
"""

from __future__ import annotations

import datetime
import io
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from ..base.archives import extract_safely
from .exports import TableData, read_tables

#: How many differing cells one table reports before it stops.
SHOWN = 5


def sqlite_tables(path: Path, tables: list[TableData]) -> dict[str, list[dict[str, Any]]]:
    """Each table's rows in the SQLite database, typed by the table's Table Schema
    (SQLite keeps booleans as 0 and 1 and dates as ISO text)."""
    found = {}
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        for table in tables:
            fields = table.schema["fields"]
            names = ", ".join(f'"{f["name"]}"' for f in fields)
            rows = db.execute(f'select {names} from "{table.name}"').fetchall()
            found[table.name] = [{f["name"]: _typed(f["type"], value)
                                  for f, value in zip(fields, row, strict=True)} for row in rows]
    return found


def _typed(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "boolean":
        return {0: False, 1: True}.get(value, value)  # anything else stays, to differ
    if kind == "date" and isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def parquet_tables(files: dict[str, bytes]) -> dict[str, list[dict[str, Any]]]:
    """Each table's rows in the Parquet files (by file name `<table>.parquet`)."""
    import pyarrow.parquet as pq

    return {name.rsplit("/", 1)[-1].removesuffix(".parquet"):
            pq.read_table(io.BytesIO(data)).to_pylist()
            for name, data in files.items() if name.endswith(".parquet")}


def zipped_files(path: Path) -> dict[str, bytes]:
    """The files of a release's zip, by name, extracted safely (no escape, no zip bomb)."""
    with tempfile.TemporaryDirectory(prefix="dipdata-verify-") as scratch:
        extract_safely(path, Path(scratch))
        return {p.relative_to(scratch).as_posix(): p.read_bytes()
                for p in sorted(Path(scratch).rglob("*")) if p.is_file()}


def differences(expected: list[TableData], found: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Where ``found`` differs from the CSV tables: missing or extra tables, row counts, and
    the first cells that differ (rows matched by primary key), as plain sentences."""
    problems = []
    for table in expected:
        rows = found.get(table.name)
        if rows is None:
            problems.append(f"table {table.name} is missing")
            continue
        key = table.schema["primaryKey"]
        mine = {tuple(row[k] for k in key): row for row in table.rows}
        theirs = {tuple(row.get(k) for k in key): row for row in rows}
        if len(rows) != len(table.rows):
            problems.append(f"{table.name} has {len(rows)} rows, the CSV {len(table.rows)}")
        shown = 0
        for ident in sorted(mine.keys() | theirs.keys(), key=repr):
            if shown == SHOWN:
                break
            a, b = mine.get(ident), theirs.get(ident)
            if a is None or b is None:
                problems.append(f"{table.name} row {_key(ident)} is only in "
                                f"{'this format' if a is None else 'the CSV'}")
                shown += 1
                continue
            for name in a:
                if name not in b or not _same(a[name], b[name]):
                    problems.append(f"{table.name} row {_key(ident)} {name}: "
                                    f"{b.get(name)!r} where the CSV has {a[name]!r}")
                    shown += 1
                    break
    extra = sorted(found.keys() - {t.name for t in expected})
    problems += [f"table {name} is not in the data package" for name in extra]
    return problems


def _same(a: Any, b: Any) -> bool:
    """Equal and of the same type (True is not 1, a date is not its text)."""
    return a == b and type(a) is type(b)


def _key(ident: tuple) -> str:
    return "/".join(str(part) for part in ident)


def check_release_formats(package: Path, folder: Path) -> list[tuple[str, str]]:
    """(artifact name, difference) for the SQLite database and the Parquet files beside the
    data package in a release folder (each zipped)."""
    tables = read_tables(package)
    found: list[tuple[str, str]] = []
    for path in sorted(folder.glob("dipdata-*-sqlite.zip")):
        databases = {n: d for n, d in zipped_files(path).items() if n.endswith(".sqlite")}
        if not databases:
            found.append((path.name, "holds no .sqlite database"))
        for data in databases.values():
            with tempfile.TemporaryDirectory(prefix="dipdata-verify-") as scratch:
                database = Path(scratch) / "x.sqlite"
                database.write_bytes(data)
                found += [(path.name, d) for d in
                          differences(tables, sqlite_tables(database, tables))]
    for path in sorted(folder.glob("dipdata-*-parquet.zip")):
        found += [(path.name, d) for d in differences(tables, parquet_tables(zipped_files(path)))]
    return found
