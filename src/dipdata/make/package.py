"""The generated files of the repository: checks them against the records (drift) and
writes them (build), all of them or none.

The generated files are `schema/`, `datapackage/`, `CITATION.cff` and the README's generated
section (and `pictures/`). A check makes their bytes without writing them and compares,
unless the build lock (`build.lock`, :mod:`dipdata.check.lock`) shows that nothing they are made
from changed since the build that made them. A build writes nothing when nothing changed;
otherwise it writes the new set and the lock beside the old and swaps every file in, putting
the old ones back if any step fails, so the repository holds one set or the other.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from ..base.archives import sha256
from ..check.lock import code_digest, lock_bytes, read_lock
from ..base.parallel import Background
from ..base.paths import LOCK, PACKAGE_DIR, PICTURE_DIR, SCHEMA_DIR, TOP_FILES
from ..base.problems import Problem, Report
from ..check.records import TABLES
from ..check.validate import Checked, check_records, load_schemas

if TYPE_CHECKING:  # the writer (and the pictures) are imported only when files are made
    from .writer import PackageWriter

#: Where a build stages its files; removed on every exit (and at the start of the next
#: build, should a killed build have left it behind).
STAGING_DIR = ".dipdata-build"
GENERATED_DIRS = (SCHEMA_DIR, PACKAGE_DIR, PICTURE_DIR)


def generated_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schemas, freshly generated from the models."""
    from ..model.models import json_schema

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
    for path in TOP_FILES:
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
    made = None
    if committed is not None:
        try:
            made = _make_with(root, out, committed)
        except Exception:  # a schema edited out of shape by hand: the generated ones
            made = None    # check the records, and the file is reported stale
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
    from .writer import PackageWriter

    writer = PackageWriter(root, schemas, out)
    try:
        checked = check_records(root, schemas=schemas, writer=writer)
        small = writer.finish(checked.sentences) if checked.report.valid else {}
    finally:
        writer.close()
    return Made(checked, writer, small)


def check(root: Path | str = ".", full: bool = False) -> Report:
    """Validate the records, then compare every generated file with what they produce.

    This is `dipdata validate` (and, with ``full``, `dipdata build --check`): it writes
    nothing. Unless ``full``, a build lock that proves the generated files current spares
    making them (:mod:`dipdata.check.lock`); every record and rule is checked either way.
    """
    root = Path(root)
    if not full:
        report = _check_with_lock(root)
        if report is not None:
            return report
    made = _make(root, None)
    report = made.checked.report
    if report.valid:
        for path, message in stale_files(root, made.expected):
            report.add(Problem(path, code="stale-file",
                               message=f"{message}; run `dipdata build`"))
    return report


def _check_with_lock(root: Path) -> Report | None:
    """The report, when the build lock matches the code, the generated files on disk (hashed
    in a child meanwhile) and the inputs; None when it does not, or there is none."""
    lock = read_lock(root)
    if lock is None or lock.code != code_digest():
        return None
    schemas = {}
    for table in TABLES:  # checked first: the records are checked against them
        path = f"{SCHEMA_DIR}/{table}.schema.json"
        data = _read(root / path)
        if data is None or (len(data), hashlib.sha256(data).hexdigest()) != lock.files.get(path):
            return None
        schemas[table] = orjson.loads(data)
    hashing = Background(functools.partial(stale_files, root, lock.files))
    checked = check_records(root, schemas=schemas)
    if hashing.result() or (checked.report.valid and checked.inputs != lock.inputs):
        return None
    return checked.report


@dataclass
class Built:
    """A build's result: what validation found, and the generated files it changed."""

    report: Report
    changed: list[str] = field(default_factory=list)


class BuildError(Exception):
    """The generated files could not be written; nothing was changed."""


def build(root: Path | str = ".") -> Built:
    """Validate the records and, when they are valid and a generated file is stale, write
    every generated file, and the build lock. Nothing is written when validation fails or
    nothing changed."""
    root = Path(root)
    made = _make(root, None)
    if not made.checked.report.valid:
        return Built(made.checked.report)
    stale = stale_files(root, made.expected)
    if not stale and _lock_of(made) == _read(root / LOCK):
        return Built(made.checked.report)
    staging = root / STAGING_DIR
    try:
        shutil.rmtree(staging, ignore_errors=True)
        (staging / "new").mkdir(parents=True)
        names = []
        if stale:
            made = _make(root, staging / "new" / PACKAGE_DIR, made.checked.schemas)
            for path, data in made.small.items():
                (staging / "new" / path).parent.mkdir(parents=True, exist_ok=True)
                (staging / "new" / path).write_bytes(data)
            for directory in GENERATED_DIRS:  # an empty one is still swapped in
                (staging / "new" / directory).mkdir(exist_ok=True)
            names += [*GENERATED_DIRS, *(p for p in TOP_FILES if p in made.small)]
        lock = _lock_of(made)
        (staging / "new" / LOCK).write_bytes(lock)
        names.append(LOCK)
        changed = {path for path, _ in stale} | ({LOCK} if lock != _read(root / LOCK) else set())
        _swap(root, staging, names)
    except OSError as error:
        raise BuildError(f"cannot write the generated files in {root}: "
                         f"{error.strerror or error}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Built(made.checked.report, sorted(changed))


def _lock_of(made: Made) -> bytes:
    return lock_bytes(made.checked.inputs or "", made.expected)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _swap(root: Path, staging: Path, names: Iterable[str]) -> None:
    """Move each of ``names`` from ``staging/new`` into the repository, the old one to
    ``staging/old``; if any move fails, put back every one moved so far."""
    (staging / "old").mkdir()
    done: list[str] = []  # moved out of the way (when there), then in
    moved_in: set[str] = set()
    try:
        for name in names:
            if (root / name).exists():
                os.rename(root / name, staging / "old" / name)
            done.append(name)
            os.rename(staging / "new" / name, root / name)
            moved_in.add(name)
    except BaseException:
        for name in reversed(done):
            if name in moved_in:  # (a file that was not there before goes too)
                os.rename(root / name, staging / "new" / name)
            if (staging / "old" / name).exists():
                os.rename(staging / "old" / name, root / name)
        raise
