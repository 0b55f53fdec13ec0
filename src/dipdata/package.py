"""Writes and checks `datapackage/` and `schema/`: deterministic, atomic, drift-checked.

Records stream from validation into the package writer in id order, so every table comes
out sorted without holding the records. A build writes into a folder beside the package and
swaps it in whole only when all is valid, so a failed build leaves the old package
untouched; a check makes the same bytes without writing them and compares.
"""

from __future__ import annotations

import collections
import csv
import hashlib
import io
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import orjson

from . import __version__
from .docs import dataset_section, replace_section
from .metadata import (
    DATA_LICENSE,
    DESCRIPTION,
    KEYWORDS,
    NAME,
    PROFILE,
    TITLE,
    citation,
    schema_org,
)
from .problems import Problem, Report
from .source import REVIEW_ID, review_path
from .tables import SENTENCE_TABLE, layout, record_fields, references, sentence_rows
from .validate import SCHEMA_DIR, TABLES, Checked, check_records, load_schemas

PACKAGE_DIR = "datapackage"
README = "README.md"
CITATION = "CITATION.cff"


def generated_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schemas, freshly generated from the models."""
    from .models import json_schema

    return {table: json_schema(table) for table in TABLES}


def _json_bytes(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n"


class _Stream:
    """The bytes of one generated file as they are made: counted, hashed, and written to
    ``path`` when one is given. Small writes are gathered into large ones."""

    CHUNK = 1 << 20

    def __init__(self, path: Path | None):
        self.size, self.digest = 0, hashlib.sha256()
        self.handle = None
        self.pending: list[bytes] = []
        self.pending_size = 0
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.handle = open(path, "wb")

    def write(self, data: bytes) -> None:
        self.size += len(data)
        self.pending.append(data)
        self.pending_size += len(data)
        if self.pending_size >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        data = b"".join(self.pending)
        self.pending, self.pending_size = [], 0
        self.digest.update(data)
        if self.handle is not None:
            self.handle.write(data)

    def close(self) -> None:
        self.flush()
        if self.handle is not None:
            self.handle.close()
            self.handle = None


class PackageWriter:
    """Makes the data package from records given one at a time in id order.

    With ``out`` (a folder), the files are written there; without, only their sizes and
    hashes are computed, to compare with the committed package.
    """

    def __init__(self, root: Path, schemas: dict[str, dict[str, Any]], out: Path | None = None,
                 tables: bool = True):
        self.root, self.schemas, self.out = root, schemas, out
        self.layout = layout(schemas, references(schemas))
        self.defaults = {table: dict(record_fields(schema)) for table, schema in schemas.items()}
        self.names = {table: set(defaults) for table, defaults in self.defaults.items()}
        self.streams: dict[str, _Stream] = {}
        self.pending: dict[str, list[tuple]] = {}
        self.counts = {name: 0 for name in self.layout.tables}
        self.kinds: dict[str, collections.Counter] = {t: collections.Counter() for t in schemas}
        self.review: dict[str, Any] | None = None
        self.added = 0
        self.tables = tables
        for name, table in self.layout.tables.items() if tables else ():
            self._open(f"data/{name}.csv")
            self.pending[name] = [tuple(table.columns)]
        for table in schemas:
            self._open(f"data/{table}.json")

    def _open(self, path: str) -> _Stream:
        stream = self.streams[path] = _Stream(self.out / path if self.out else None)
        return stream

    def _write_rows(self, table: str, rows: list[tuple]) -> None:
        pending = self.pending[table]
        pending.extend(rows)
        self.counts[table] += len(rows)
        if len(pending) >= 4096:
            self._flush(table)

    def _flush(self, table: str) -> None:
        """Write gathered rows as CSV (None as an empty cell), LF line ends."""
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows(self.pending[table])
        self.pending[table] = []
        self.streams[f"data/{table}.csv"].write(text.getvalue().encode())

    def add(self, table: str, record: dict[str, Any],
            sentence_of: dict[tuple[int, int], int]) -> None:
        """Add one valid record (records come in id order, across tables)."""
        names = self.names[table]
        if record.keys() != names:  # fields left out (defaults fill them), or a $schema hint
            record = {key: value for key, value in record.items() if key in names}
            for name in names - record.keys():
                record[name] = self.defaults[table][name]
        stream = self.streams[f"data/{table}.json"]
        # Written as orjson would write the whole list with OPT_INDENT_2, one item at a time.
        item = orjson.dumps(record, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
        item = item.replace(b"\n", b"\n  ")
        stream.write((b",\n  " if stream.size else b"[\n  ") + item)
        pending, counts = self.pending, self.counts
        for name, rows in self.layout.rows(table, record, sentence_of) if self.tables else ():
            pending[name] += rows
            counts[name] += len(rows)
        self.added += 1
        if not self.added % 2048:
            for name in pending:
                self._flush(name)
        if "kind" in record:
            self.kinds[table][record["kind"]] += 1
        if table == "sources" and record["id"] == REVIEW_ID:
            self.review = record

    def close(self) -> None:
        for stream in self.streams.values():
            stream.close()

    def finish(self, sentences: list) -> dict[str, bytes]:
        """Close the tables; the small generated files, by path relative to the repository."""
        if self.tables:
            self._write_rows(SENTENCE_TABLE, sentence_rows(sentences))
        for table in self.pending:
            self._flush(table)
        for table in self.schemas:
            stream = self.streams[f"data/{table}.json"]
            stream.write(b"\n]\n" if stream.size else b"[]\n")
        self.close()
        files: dict[str, bytes] = {f"{SCHEMA_DIR}/{t}.schema.json": _json_bytes(s)
                                   for t, s in self.schemas.items()}
        package = {f"schema/{t}.schema.json": files[f"{SCHEMA_DIR}/{t}.schema.json"]
                   for t in self.schemas}
        review = self.review or {"title": REVIEW_ID, "url": "", "publisher": "its publisher"}
        package[f"source/{REVIEW_ID}.txt"] = review_path(self.root).read_bytes()
        descriptor = self._descriptor(review, package[f"source/{REVIEW_ID}.txt"])
        package["datapackage.json"] = _json_bytes(descriptor)
        package["dataset.jsonld"] = _json_bytes(schema_org(descriptor))
        files.update({f"{PACKAGE_DIR}/{path}": data for path, data in package.items()})
        files[CITATION] = citation(descriptor).encode()
        readme = self.root / README
        if readme.is_file() and self.tables:
            section = dataset_section(self.layout.tables, self.counts, self.kinds)
            files[README] = replace_section(readme.read_text("utf-8"), section).encode()
        return files

    def generated(self) -> dict[str, tuple[int, str]]:
        """Size and sha256 of each streamed file, by path relative to the repository."""
        return {f"{PACKAGE_DIR}/{path}": (s.size, s.digest.hexdigest())
                for path, s in self.streams.items()}

    def _descriptor(self, review: dict[str, Any], text: bytes) -> dict[str, Any]:
        def stats(path: str) -> dict[str, Any]:
            stream = self.streams[path]
            return {"bytes": stream.size, "hash": "sha256:" + stream.digest.hexdigest()}

        resources: list[dict[str, Any]] = []
        for name, table in self.layout.tables.items() if self.tables else ():
            resources.append({"name": name, "path": f"data/{name}.csv", "type": "table",
                              "title": name.replace("_", " ").capitalize(),
                              "description": table.description, "format": "csv",
                              "mediatype": "text/csv", "encoding": "utf-8",
                              "schema": table.schema, **stats(f"data/{name}.csv")})
        for table in self.schemas:
            schema_path = f"schema/{table}.schema.json"
            resources.append({
                "name": f"{table}-json", "path": f"data/{table}.json", "type": "json",
                "title": f"{table.capitalize()} (records as curated)",
                "description": (f"The {table} records as curated, nested lists included; "
                                f"described by the JSON Schema {schema_path}."),
                "format": "json", "mediatype": "application/json", "encoding": "utf-8",
                "jsonSchema": schema_path, **stats(f"data/{table}.json")})
        resources.append({
            "name": "review-text", "path": f"source/{REVIEW_ID}.txt", "type": "text",
            "title": review["title"],
            "description": ("The review's text exactly as received; mentions give character "
                            "offsets (Unicode code points, from 0) into it."),
            "format": "txt", "mediatype": "text/plain", "encoding": "utf-8",
            "sources": [{"title": review["title"], "path": review["url"]}],
            "licenses": [{"name": "other-closed", "title": (
                f"Copyright {review['publisher']}; included for verification of quotes only.")}],
            "bytes": len(text), "hash": "sha256:" + hashlib.sha256(text).hexdigest()})
        return {
            "$schema": PROFILE,
            "name": NAME,
            "title": TITLE,
            "description": DESCRIPTION,
            "version": __version__,
            "licenses": [DATA_LICENSE],
            "sources": [{"title": review["title"], "path": review["url"]}],
            "contributors": [{"title": "dipdata contributors", "roles": ["creator"]}],
            "keywords": KEYWORDS,
            "resources": resources,
        }


def _sha256_file(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            size += len(chunk)
            digest.update(chunk)
    return size, digest.hexdigest()


def stale_files(root: Path, writer: PackageWriter, small: dict[str, bytes]) -> list[tuple[str, str]]:
    """Generated files that differ from the committed ones: (path, message)."""
    expected: dict[str, tuple[int, str]] = writer.generated()
    expected.update({path: (len(data), hashlib.sha256(data).hexdigest())
                     for path, data in small.items()})
    problems = []
    for directory in (PACKAGE_DIR, SCHEMA_DIR):
        present = {p.relative_to(root).as_posix() for p in (root / directory).rglob("*")
                   if p.is_file()} if (root / directory).is_dir() else set()
        wanted = {p for p in expected if p.startswith(directory + "/")}
        for path in sorted(wanted - present):
            problems.append((path, "is missing; run `dipdata build`"))
        for path in sorted(present - wanted):
            problems.append((path, "is not produced by the records; run `dipdata build`"))
        for path in sorted(wanted & present):
            if _sha256_file(root / path) != expected[path]:
                problems.append((path, "differs from what the records produce; "
                                       "run `dipdata build`"))
    for path in (README, CITATION):
        if path in expected and (not (root / path).is_file()
                                 or _sha256_file(root / path) != expected[path]):
            problems.append((path, "is stale or missing; run `dipdata build`"))
    return problems


def _make(root: Path, out: Path | None, schemas: dict[str, dict[str, Any]], tables: bool = True
          ) -> tuple[Checked, PackageWriter, dict[str, bytes] | None]:
    """Check the records while making the package; the small files only when all is valid."""
    writer = PackageWriter(root, schemas, out, tables=tables)
    try:
        checked = check_records(root, schemas=schemas, sink=writer.add)
        small = writer.finish(checked.sentences) if checked.report.valid else None
    finally:
        writer.close()
    return checked, writer, small


def check(root: Path | str = ".", full: bool = True) -> Report:
    """Validate the records, then check the committed package against them.

    ``full`` (what `dipdata build --check` does): the records are checked against schemas
    generated from the models, and every generated file is compared with the committed one.
    Otherwise (what `dipdata validate` does), the records are checked against the committed
    `schema/` (the contract contributors see, without importing the models), and the package
    is checked for integrity (every resource's size and sha256 as `datapackage.json` states
    them) and for holding exactly the records (its JSON resources, made again and compared).
    """
    root = Path(root)
    if full:
        schemas = generated_schemas()
    else:
        try:
            schemas = load_schemas(root)
        except (OSError, ValueError) as error:
            return Report([Problem(SCHEMA_DIR, 0, 0, "missing-schema", "-", "-",
                                   f"cannot read the JSON Schemas: {error}")])
    checked, writer, small = _make(root, None, schemas, tables=full)
    if small is not None:
        problems = stale_files(root, writer, small) if full else _integrity(root, writer, small)
        for path, message in problems:
            checked.report.add(Problem(path, 0, 0, "stale-package", "-", "-", message))
    return checked.report


def _integrity(root: Path, writer: PackageWriter, small: dict[str, bytes]) -> list[tuple[str, str]]:
    """The committed package's files match its descriptor, and its JSON resources and
    CITATION.cff are what the records give."""
    package = root / PACKAGE_DIR
    try:
        descriptor = orjson.loads((package / "datapackage.json").read_bytes())
        resources = list(descriptor["resources"])
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError):
        return [(f"{PACKAGE_DIR}/datapackage.json", "is missing or unreadable; "
                                                     "run `dipdata build`")]
    problems = []
    if descriptor.get("version") != __version__:
        problems.append((f"{PACKAGE_DIR}/datapackage.json", f"version "
                         f"{descriptor.get('version')!r} is not {__version__}; run `dipdata build`"))
    expected = writer.generated()
    listed = set()
    for resource in resources:
        relative = str(resource.get("path", ""))
        path, where = package / relative, f"{PACKAGE_DIR}/{relative}"
        listed.add(where)
        if ".." in Path(relative).parts or not path.is_file():
            problems.append((where, "is missing; run `dipdata build`"))
            continue
        size, digest = _sha256_file(path)
        if (size, f"sha256:{digest}") != (resource.get("bytes"), resource.get("hash")):
            problems.append((where, "does not match its size or sha256 in datapackage.json; "
                                    "run `dipdata build`"))
        elif where in expected and expected[where] != (size, digest):
            problems.append((where, "does not hold the records as they are; "
                                    "run `dipdata build`"))
    for where in sorted(set(expected) - listed):
        problems.append((where, "is missing from datapackage.json; run `dipdata build`"))
    cff = root / CITATION
    if not cff.is_file() or cff.read_bytes() != small[CITATION]:
        problems.append((CITATION, "is stale or missing; run `dipdata build`"))
    return problems


def build(root: Path | str = ".") -> Checked:
    """Validate the records and, when they are valid, write `schema/` and `datapackage/`.

    Returns what validation found; nothing is written when it found problems.
    """
    root = Path(root)
    staging = Path(tempfile.mkdtemp(prefix=f".{PACKAGE_DIR}-", dir=root))
    try:
        checked, _, small = _make(root, staging, generated_schemas())
        if small is None:
            return checked
        for path, data in small.items():
            if path.startswith(PACKAGE_DIR + "/"):
                (staging / path[len(PACKAGE_DIR) + 1:]).parent.mkdir(parents=True, exist_ok=True)
                (staging / path[len(PACKAGE_DIR) + 1:]).write_bytes(data)
        _swap_in(root, SCHEMA_DIR, {p[len(SCHEMA_DIR) + 1:]: data for p, data in small.items()
                                    if p.startswith(SCHEMA_DIR + "/")})
        _swap(root, PACKAGE_DIR, staging)
        for path in (README, CITATION):
            if path in small:
                temporary = root / f".{path}.tmp"
                temporary.write_bytes(small[path])
                os.replace(temporary, root / path)
        return checked
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def _swap_in(root: Path, directory: str, files: dict[str, bytes]) -> None:
    """Write ``files`` into a new folder beside ``directory``, then swap it in."""
    staging = Path(tempfile.mkdtemp(prefix=f".{directory}-", dir=root))
    try:
        for path, data in files.items():
            destination = staging / path
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(data)
        _swap(root, directory, staging)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def _swap(root: Path, directory: str, staging: Path) -> None:
    """Put the finished folder ``staging`` in the place of ``directory``."""
    staging.chmod(0o755)
    target = root / directory
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{directory}-old-", dir=root))
        os.rename(target, old / "old")
    os.rename(staging, target)
    if old is not None:
        shutil.rmtree(old)
