"""The data package's tables in other forms, for the release: one SQLite database (made with
sqlite-utils: primary and foreign keys, full-text search, Datasette metadata) and one
Parquet file per table (pyarrow, real types). Both are made from the CSV tables and their
Table Schemas, so they hold exactly what the package holds; the same package gives the
same bytes.

sqlite-utils and pyarrow are optional: pip install "dipdata[sqlite]" or "dipdata[parquet]".
"""

from __future__ import annotations

import csv
import datetime
import graphlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: What the full-text indexes cover: the review's sentences and the records' titles and
#: summaries (and the other words a reader searches: names, issues, stances).
SEARCHED = {
    "sentences": ["text"], "events": ["title", "title_zh", "summary"],
    "outcomes": ["title", "summary"], "aggregates": ["title", "summary"],
    "positions": ["issue", "stance"], "actors": ["name", "name_zh", "name_zh_short", "title"],
    "sources": ["title", "publisher"],
}
#: Tables whose index must find Chinese words: Chinese is written without spaces, so these
#: are indexed by trigrams (any run of three or more characters is found; SQLite 3.34+).
TRIGRAM = {"events", "actors", "sources"}
def _boolean(value: str) -> bool:
    """A boolean cell, by Table Schema v2's default true and false values."""
    if value in ("true", "True", "TRUE", "1"):
        return True
    if value in ("false", "False", "FALSE", "0"):
        return False
    raise ValueError(f"{value!r} is not a boolean")


_PARSE: dict[str, Callable[[str], Any]] = {
    "integer": int,
    "number": float,
    "boolean": _boolean,
    "date": datetime.date.fromisoformat,
}


@dataclass
class TableData:
    """One table of the package: its name, description, Table Schema and typed rows."""

    name: str
    description: str
    schema: dict[str, Any]
    rows: list[dict[str, Any]]

    @property
    def references(self) -> list[tuple[list[str], str, list[str]]]:
        """(columns, other table, other columns) of each foreign key; a reference without a
        resource is to the table itself."""
        return [(fk["fields"], fk["reference"].get("resource") or self.name,
                 fk["reference"]["fields"]) for fk in self.schema.get("foreignKeys", [])]

    @property
    def foreign_keys(self) -> list[tuple[str, str, str]]:
        """The single-column foreign keys, as sqlite-utils (and Datasette) take them."""
        return [(mine[0], other, theirs[0]) for mine, other, theirs in self.references
                if len(mine) == 1]

    @property
    def composite_keys(self) -> str:
        """The foreign keys of several columns as SQL table constraints (sqlite-utils makes
        only single-column ones)."""
        def columns(names: list[str]) -> str:
            return ", ".join(f'"{n}"' for n in names)
        return "".join(f',\n   FOREIGN KEY ({columns(mine)}) REFERENCES "{other}" ({columns(theirs)})'
                       for mine, other, theirs in self.references if len(mine) > 1)


def descriptor(package: Path) -> dict[str, Any]:
    return json.loads((Path(package) / "datapackage.json").read_text("utf-8"))


def read_tables(package: Path | str) -> list[TableData]:
    """Every table resource of the package folder, its cells typed by its Table Schema
    (an empty cell is null), in an order where each table comes after those it refers to."""
    package = Path(package)
    found = {}
    for resource in descriptor(package)["resources"]:
        if resource.get("type") != "table":
            continue
        schema = resource["schema"]
        parsers = {f["name"]: _PARSE.get(f["type"], str) for f in schema["fields"]}
        with open(package / resource["path"], encoding="utf-8", newline="") as handle:
            rows = [{name: parsers[name](value) if value != "" else None
                     for name, value in row.items()} for row in csv.DictReader(handle)]
        found[resource["name"]] = TableData(resource["name"], resource.get("description", ""),
                                            schema, rows)
    # each table after those it refers to (graphlib: a cycle raises CycleError, a ValueError)
    sorter = graphlib.TopologicalSorter({name: {other for _, other, _ in t.references
                                                if other != name and other in found}
                                         for name, t in sorted(found.items())})
    return [found[name] for name in sorter.static_order()]


_SQL_TYPES = {"integer": int, "boolean": int, "number": float}


def write_sqlite(package: Path | str, path: Path | str) -> Path:
    """One SQLite database with every table of the package, its primary and foreign keys,
    and FTS5 indexes (see SEARCHED); written anew at ``path``."""
    import sqlite_utils

    path = Path(path)
    path.unlink(missing_ok=True)
    db = sqlite_utils.Database(path)
    try:
        for table in read_tables(package):
            columns = {f["name"]: _SQL_TYPES.get(f["type"], str)
                       for f in table.schema["fields"]}
            sql = db.create_table_sql(
                table.name, columns, pk=tuple(table.schema["primaryKey"]) if len(
                    table.schema["primaryKey"]) > 1 else table.schema["primaryKey"][0],
                foreign_keys=table.foreign_keys, not_null=[
                    f["name"] for f in table.schema["fields"]
                    if f.get("constraints", {}).get("required")
                    and f["name"] not in table.schema["primaryKey"]])
            end = sql.rindex(")")
            db.execute(sql[:end].rstrip() + table.composite_keys + "\n" + sql[end:])
            created = db.table(table.name)
            rows = [{k: v.isoformat() if isinstance(v, datetime.date) else v
                     for k, v in row.items()} for row in table.rows]
            created.insert_all(rows, batch_size=1000)
            if table.name in SEARCHED:
                created.enable_fts(SEARCHED[table.name], fts_version="FTS5",
                                   create_triggers=False,
                                   tokenize="trigram" if table.name in TRIGRAM else None)
        db.vacuum()
    finally:
        db.close()
    return path


def datasette_metadata(package: Path | str, database: str) -> dict[str, Any]:
    """Datasette metadata for the database named ``database`` (its file name without
    `.sqlite`): title, description, licence and source, and every table and column
    described."""
    header = descriptor(Path(package))
    licence, source = header["licenses"][0], header["sources"][0]
    tables = {}
    for resource in header["resources"]:
        if resource.get("type") == "table":
            tables[resource["name"]] = {
                "description": resource.get("description", ""),
                "columns": {f["name"]: f.get("description", "")
                            for f in resource["schema"]["fields"]},
            }
    return {
        "title": header["title"], "description": header["description"],
        "license": licence["name"], "license_url": licence["path"],
        "source": source["title"], "source_url": source["path"],
        "about": "dipdata", "about_url": header.get("homepage", ""),
        "databases": {database: {"tables": tables}},
    }


def parquet_files(package: Path | str) -> dict[str, bytes]:
    """One Parquet file per table, by file name: strings, 64-bit integers, booleans and
    dates as DATE, with the table's description in the file's metadata."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ImportError('Parquet needs pyarrow: pip install "dipdata[parquet]"') from None
    types = {"integer": pa.int64(), "boolean": pa.bool_(), "date": pa.date32(),
             "number": pa.float64()}
    files = {}
    for table in read_tables(package):
        fields = [pa.field(f["name"], types.get(f["type"], pa.string()),
                           nullable=not f.get("constraints", {}).get("required"),
                           metadata={"description": f.get("description", "")})
                  for f in table.schema["fields"]]
        schema = pa.schema(fields, metadata={"description": table.description})
        arrow = pa.Table.from_pylist(table.rows, schema=schema)
        buffer = io.BytesIO()
        pq.write_table(arrow, buffer, compression="zstd")
        files[f"{table.name}.parquet"] = buffer.getvalue()
    return dict(sorted(files.items()))
