"""Strict reading of record files: `records/<table>/<id>.json`.

Reading is fast on the common path (orjson) and careful on the rare one: only when a file
is wrong is it parsed again to locate the problem by line and column.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from operator import attrgetter
from pathlib import Path
from typing import Any

import orjson

from ..base.paths import RECORDS_DIR, TABLES  # noqa: F401 - TABLES is read from here too
from .limits import LONG_NUMBER, MAX_DEPTH, deeper_than, escape_key as _escape, inexact_number, repeated_keys
from ..base.problems import Problem, line_column

MAX_FILE_BYTES = 256 * 1024
_FIRST_READ = 16 * 1024
_NONFINITE = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)')


class RecordFile:
    """One record file: where it is, its parsed data once read, and its problems.

    The text is kept only while the record is checked; a problem found later reads the
    file again to locate itself, so that memory does not grow with the repository.
    (A plain class with slots: a repository makes one per file, and a dataclass's
    ``__init__`` takes several times as long.)
    """

    __slots__ = ("root", "path", "table", "stem", "data", "problems", "digest", "_raw",
                 "_text")

    def __init__(self, root: Path, path: str, table: str, stem: str | None = None):
        self.root, self.path, self.table = root, path, table
        if stem is None:
            name = path.rsplit("/", 1)[-1]
            stem = name[:-5] if name.endswith(".json") else name
        self.stem = stem
        self.data: Any = None
        # a list once there is one: most records have none
        self.problems: list[Problem] | tuple = ()
        self.digest = b""  # sha256 of the file's bytes, once read
        self._raw: bytes | None = None  # the bytes read, while the record is checked
        self._text: str | None = None

    def __repr__(self) -> str:
        return f"RecordFile({self.path!r}, problems={self.problems!r})"

    @property
    def raw(self) -> bytes:
        """The file's bytes (read again, if they were let go; or the text given)."""
        if self._raw is None and self._text is not None:
            self._raw = self._text.encode("utf-8", "surrogatepass")
        if self._raw is None:
            try:
                self._raw = (self.root / self.path).read_bytes()
            except OSError:
                self._raw = b""
        return self._raw

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self.raw.decode("utf-8", "replace")
        return self._text

    @text.setter
    def text(self, value: str | None) -> None:
        self._text = value

    def release(self) -> None:
        """Forget the bytes, text and data once checked (the id stays the file name)."""
        self._raw = self._text = self.data = None

    def problem(self, code: str, message: str, field: str = "-", pointer: str | None = None,
                line: int = 0, column: int = 0) -> None:
        """Record a problem, located at ``pointer`` (a JSON pointer) when one is given."""
        if pointer is not None and not line:
            line, column = self.locate(pointer)
        record = self.data.get("id") if isinstance(self.data, dict) else None
        if not isinstance(record, str) or not record:
            record = self.stem
        if not isinstance(self.problems, list):
            self.problems = []
        self.problems.append(Problem(self.path, line, column, code, record, field, message))

    def locate(self, pointer: str) -> tuple[int, int]:
        """1-based line and column of the value (or key) at a JSON pointer."""
        entry = _source_map(self.text).get(pointer)
        if entry is None:
            return (1, 1) if self.text else (0, 0)
        where = entry.key_start or entry.value_start
        return where.line + 1, where.column + 1


@functools.lru_cache(maxsize=64)
def _source_map(text: str) -> dict:
    from json_source_map import calculate

    try:
        return calculate(text)
    except Exception:  # the text was already found faulty; a location is a nicety
        return {}


def discover(root: Path, tables: tuple[str, ...]) -> tuple[list[RecordFile], list[Problem]]:
    """Every record file under ``root/records``, in id order (then table), and problems with
    files that are not records."""
    files: list[RecordFile] = []
    problems: list[Problem] = []
    base = root / RECORDS_DIR
    if not base.is_dir():
        return files, [Problem(RECORDS_DIR, 0, 0, "missing-records", "-", "-",
                               "there is no records/ folder here")]
    for top in sorted(os.scandir(base), key=lambda entry: entry.name):
        rel = f"{RECORDS_DIR}/{top.name}"
        if top.name not in tables or not top.is_dir(follow_symlinks=False):
            problems.append(Problem(rel, 0, 0, "unexpected-file", "-", "-",
                                    f"not a table folder; records/ holds only: {', '.join(tables)}"))
            continue
        stems = []
        for entry in os.scandir(top.path):
            if _is_record(entry):
                stems.append(entry.name[:-5])
            else:
                problems.append(_not_a_record(entry, f"{rel}/{entry.name}"))
        stems.sort()
        table = top.name
        files += [RecordFile(root, f"{rel}/{stem}.json", table, stem) for stem in stems]
    # Tables come in name order, each sorted: a stable sort by id merges these runs, and
    # leaves records of one id in table order.
    files.sort(key=attrgetter("stem"))
    problems.sort(key=lambda problem: problem.path)
    return files, problems


def _is_record(entry: os.DirEntry[str] | _Entry) -> bool:
    """A regular file (not a symbolic link) named <id>.json (an id is never empty)."""
    name = entry.name
    return name.endswith(".json") and name != ".json" and entry.is_file(follow_symlinks=False)


def _not_a_record(entry: os.DirEntry[str] | _Entry, rel: str) -> Problem:
    """Why the entry at ``rel``, which is not a record file (:func:`_is_record`), is not."""
    if entry.is_symlink():
        return Problem(rel, 0, 0, "symlink", "-", "-", "symbolic links are not allowed in records/")
    return Problem(rel, 0, 0, "unexpected-file", "-", "-",
                   "not a record: records/<table>/ holds only <id>.json files")


def record_file(root: Path, path: Path, tables: tuple[str, ...]) -> RecordFile | Problem:
    """The record file at a path given by a user, checked to be a record's place."""
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix() if path.is_absolute() \
            else path.as_posix()
    except ValueError:
        rel = path.as_posix()
    parts = rel.split("/")
    if len(parts) != 3 or parts[0] != RECORDS_DIR or parts[1] not in tables:
        return Problem(rel, 0, 0, "unexpected-file", "-", "-",
                       "a record file is records/<table>/<id>.json, with table one of: "
                       + ", ".join(tables))
    if not (root / rel).exists() and not (root / rel).is_symlink():
        return Problem(rel, 0, 0, "missing-file", "-", "-", "no such file")
    entry = _Entry(root / rel)
    return RecordFile(root, rel, parts[1]) if _is_record(entry) else _not_a_record(entry, rel)


class _Entry:
    """The few DirEntry methods `_is_record` and `_not_a_record` use, for a path a user
    named."""

    def __init__(self, path: Path):
        self.name, self._path = path.name, path

    def is_symlink(self) -> bool:
        return self._path.is_symlink()

    def is_file(self, follow_symlinks: bool) -> bool:
        return self._path.is_file() and (follow_symlinks or not self._path.is_symlink())


def read(root: Path, record: RecordFile) -> None:
    """Read and parse a record file, strictly; problems are noted on the record."""
    try:  # os.open/os.read: a record is read whole, and this is the hot path
        handle = os.open(f"{root}/{record.path}", os.O_RDONLY)
        try:
            # A first read of a size that most records fit in: asking for more would make
            # Python allocate (and the system map) a buffer of that size for every file.
            raw = os.read(handle, _FIRST_READ)
            if len(raw) == _FIRST_READ:
                raw += os.read(handle, MAX_FILE_BYTES + 1 - _FIRST_READ)
        finally:
            os.close(handle)
    except OSError as error:
        record.problem("unreadable", f"cannot read the file: {error.strerror}")
        return
    record.digest = hashlib.sha256(raw).digest()
    record._raw = raw
    if len(raw) > MAX_FILE_BYTES:
        record.problem("file-too-large", f"a record file is at most {MAX_FILE_BYTES} bytes")
        return
    if raw.startswith(b"\xef\xbb\xbf"):
        record.problem("bom", "starts with a byte order mark (U+FEFF); save as UTF-8 without BOM",
                       line=1, column=1)
        return
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        record.problem("not-utf8", "is UTF-16 (it starts with a UTF-16 byte order mark); "
                       "save as UTF-8", line=1, column=1)
        return
    try:  # orjson checks the UTF-8 too; the text is decoded only when it is needed
        record.data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        try:
            record.text = raw.decode("utf-8")
        except UnicodeDecodeError as wrong:
            line, column = line_column(raw, wrong.start)
            record.problem("not-utf8", f"byte 0x{raw[wrong.start]:02X} at offset {wrong.start} "
                           "is not UTF-8 (Latin-1 or UTF-16?); save as UTF-8", line=line,
                           column=column)
            return
        _syntax_problem(record, error)
        return
    if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH:  # (cheap: records are shallow)
        offset = deeper_than(raw, MAX_DEPTH)
        if offset is not None:
            line, column = line_column(raw, offset)
            record.problem("too-deep", "nested too deeply to be a record", line=line,
                           column=column)
            record.data = None
            return
    if LONG_NUMBER.search(raw) and (where := inexact_number(raw, record.data)) is not None:
        line, column = line_column(raw, where)
        record.problem("number-too-large", "a number this long cannot be read exactly "
                       "(whole numbers are at most 64 bits); write it as a string if it is a code",
                       line=line, column=column)
        return
    # A colon outside strings separates a key from its value, so when the text has more
    # colons than the data written back out, a key was repeated and orjson kept the last.
    # (A colon in a string may be written escaped; orjson writes it back as itself. No byte
    # of a multi-byte UTF-8 character is a colon.)
    written = raw.count(b":")
    if b"\\" in raw and b"\\u003" in raw:  # (a search for one byte is much quicker)
        written += raw.count(b"\\u003a") + raw.count(b"\\u003A")
    if written != orjson.dumps(record.data).count(b":"):
        _duplicate_keys(record)


def _syntax_problem(record: RecordFile, error: orjson.JSONDecodeError) -> None:
    match = _NONFINITE.search(record.text)
    while match and not match.group(1):
        match = _NONFINITE.search(record.text, match.end())
    if match and match.group(1):
        position = match.start(1)
        line, column = line_column(record.text, position)
        record.problem("invalid-json", f"{match.group(1)} is not a JSON number",
                       line=line, column=column)
        return
    if "depth" in error.msg:
        record.problem("too-deep", "nested too deeply to be a record",
                       line=error.lineno, column=error.colno)
        return
    record.problem("invalid-json", error.msg, line=error.lineno, column=error.colno)


def _duplicate_keys(record: RecordFile) -> None:
    for key, pointer in repeated_keys(record.text, record.data):
        record.problem("duplicate-key", f"key {key!r} appears more than once; "
                       "JSON readers would silently keep only one",
                       field=_field_path(pointer) if pointer else key,
                       pointer=pointer if pointer is not None else "")


def _field_path(pointer: str) -> str:
    """``/participants/0/actor`` -> ``participants[0].actor``."""
    path = ""
    for part in pointer.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        path += f"[{part}]" if part.isdigit() else (f".{part}" if path else part)
    return path or "-"


def field_path(parts: list) -> str:
    """A field path from a list of keys and indexes."""
    return _field_path("".join(f"/{_escape(str(part))}" for part in parts))


def pointer(parts: list) -> str:
    return "".join(f"/{_escape(str(part))}" for part in parts)
