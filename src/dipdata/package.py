"""The generated files of the repository: checks them against the records (drift) and
writes them (build), all of them or none.

The generated files are `schema/`, `datapackage/`, `CITATION.cff` and the README's generated
section. A check makes their bytes without writing them and compares. A build writes nothing
when nothing changed; otherwise it writes the new set beside the old and swaps every file in,
putting the old ones back if any step fails, so the repository holds one set or the other.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from .archive import sha256
from .parallel import Background
from .paths import CITATION, PACKAGE_DIR, PICTURE_DIR, README, SCHEMA_DIR
from .problems import Problem, Report
from .records import TABLES
from .validate import Checked, check_records, load_schemas
from .writer import PackageWriter

#: Where a build stages its files; removed on every exit (and at the start of the next
#: build, should a killed build have left it behind).
STAGING_DIR = ".dipdata-build"
GENERATED_DIRS = (SCHEMA_DIR, PACKAGE_DIR, PICTURE_DIR)


def generated_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schemas, freshly generated from the models."""
    from .models import json_schema

    return {table: json_schema(table) for table in TABLES}


def _sha256_file(path: Path) -> tuple[int, str]:
    return path.stat().st_size, sha256(path)


def stale_files(root: Path, expected: dict[str, tuple[int, str]]) -> list[tuple[str, str]]:
    """Generated files that differ from what the records produce: (path, what is wrong)."""
    problems = []
    for directory in GENERATED_DIRS:
        present = {p.relative_to(root).as_posix() for p in (root / directory).rglob("*")
                   if p.is_file()} if (root / directory).is_dir() else set()
        wanted = {p for p in expected if p.startswith(directory + "/")}
        problems += [(path, "is missing") for path in sorted(wanted - present)]
        problems += [(path, "is not produced by the records")
                     for path in sorted(present - wanted)]
        problems += [(path, "differs from what the records produce")
                     for path in sorted(wanted & present)
                     if _sha256_file(root / path) != expected[path]]
    for path in (README, CITATION):
        if path in expected and not (root / path).is_file():
            problems.append((path, "is missing"))
        elif path in expected and _sha256_file(root / path) != expected[path]:
            problems.append((path, "differs from what the records produce"))
    return problems


@dataclass
class Made:
    """What checking the records while making the package gave."""

    checked: Checked
    writer: PackageWriter
    small: dict[str, bytes] = field(default_factory=dict)

    @property
    def expected(self) -> dict[str, tuple[int, str]]:
        """Size and sha256 of every generated file, by path relative to the repository."""
        sizes = self.writer.generated()
        sizes.update({path: (len(data), hashlib.sha256(data).hexdigest())
                      for path, data in self.small.items()})
        return sizes


def _make(root: Path, out: Path | None,
          schemas: dict[str, dict[str, Any]] | None = None) -> Made:
    """Check the records while making the package (into ``out``, or only hashed), with the
    JSON Schemas generated from the models (or ``schemas``, when given).

    Generating the schemas takes pydantic and its models; it is done in a forked child
    while the records are checked against the committed schemas. When the two are the same
    (to the byte, as they are unless the models changed without a build), that check is the
    check; otherwise the records are checked again with the generated schemas.
    """
    if schemas is not None:
        return _make_with(root, out, schemas)
    generating = Background(_generated_json)
    committed = _committed_schemas(root)
    made = _make_with(root, out, committed) if committed is not None else None
    generated = orjson.loads(generating.result())
    if made is not None and orjson.dumps(generated) == orjson.dumps(committed):
        return made
    return _make_with(root, out, generated)


def _generated_json() -> bytes:
    return orjson.dumps(generated_schemas())


def _committed_schemas(root: Path) -> dict[str, dict[str, Any]] | None:
    try:
        return load_schemas(root)
    except (OSError, ValueError):
        return None


def _make_with(root: Path, out: Path | None, schemas: dict[str, dict[str, Any]]) -> Made:
    writer = PackageWriter(root, schemas, out)
    try:
        checked = check_records(root, schemas=schemas, writer=writer)
        small = writer.finish(checked.sentences) if checked.report.valid else {}
    finally:
        writer.close()
    return Made(checked, writer, small)


def check(root: Path | str = ".") -> Report:
    """Validate the records, then compare every generated file with what they produce.

    This is `dipdata validate` and `dipdata build --check`: it writes nothing.
    """
    root = Path(root)
    made = _make(root, None)
    report = made.checked.report
    if report.valid:
        for path, message in stale_files(root, made.expected):
            report.add(Problem(path, code="stale-file",
                               message=f"{message}; run `dipdata build`"))
    return report


@dataclass
class Built:
    """A build's result: what validation found, and the generated files it changed."""

    report: Report
    changed: list[str] = field(default_factory=list)


class BuildError(Exception):
    """The generated files could not be written; nothing was changed."""


def build(root: Path | str = ".") -> Built:
    """Validate the records and, when they are valid and a generated file is stale, write
    every generated file. Nothing is written when validation fails or nothing changed."""
    root = Path(root)
    made = _make(root, None)
    if not made.checked.report.valid:
        return Built(made.checked.report)
    stale = stale_files(root, made.expected)
    if not stale:
        return Built(made.checked.report)
    staging = root / STAGING_DIR
    try:
        shutil.rmtree(staging, ignore_errors=True)
        (staging / "new").mkdir(parents=True)
        made = _make(root, staging / "new" / PACKAGE_DIR, made.checked.schemas)
        for path, data in made.small.items():
            (staging / "new" / path).parent.mkdir(parents=True, exist_ok=True)
            (staging / "new" / path).write_bytes(data)
        for directory in GENERATED_DIRS:  # an empty one is still swapped in
            (staging / "new" / directory).mkdir(exist_ok=True)
        _swap(root, staging, [*GENERATED_DIRS, *(p for p in (README, CITATION)
                                                  if p in made.small)])
    except OSError as error:
        raise BuildError(f"cannot write the generated files in {root}: "
                         f"{error.strerror or error}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Built(made.checked.report, sorted({path for path, _ in stale}))


def _swap(root: Path, staging: Path, names: Iterable[str]) -> None:
    """Move each of ``names`` from ``staging/new`` into the repository, the old one to
    ``staging/old``; if any move fails, put back every one moved so far."""
    (staging / "old").mkdir()
    done: list[str] = []
    try:
        for name in names:
            if (root / name).exists():
                os.rename(root / name, staging / "old" / name)
            done.append(name)
            os.rename(staging / "new" / name, root / name)
    except BaseException:
        for name in reversed(done):
            if (root / name).exists() and (staging / "old" / name).exists():
                os.rename(root / name, staging / "new" / name)
            if (staging / "old" / name).exists():
                os.rename(staging / "old" / name, root / name)
        raise
