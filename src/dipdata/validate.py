"""Record, cross-record and package checks. Returns a report; never prints, never writes.

Shape is checked with the records' JSON Schema (the contract contributors see), compiled by
jsonschema-rs; tests prove the pydantic models accept and reject the same records. Rules
that relate fields or records are checked here, on the parsed data.
"""

from __future__ import annotations

import bisect
import gc
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema_rs

from . import records as reading
from .problems import Problem, Report
from .records import RecordFile
from .shape import check_shape
from .source import (
    REVIEW_ID,
    REVIEW_SHA256,
    Sentence,
    read_review,
    review_path,
    sentences,
)
from .tables import references

SCHEMA_DIR = "schema"
TABLES = ("sources", "actors", "events", "outcomes", "positions", "aggregates", "commentary")


@dataclass
class Checked:
    """What validation learned: the report, the schemas it used, the review's sentences and
    which sentence holds each mention."""

    report: Report
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    sentences: list[Sentence] = field(default_factory=list)
    sentence_of: dict[tuple[int, int], int] = field(default_factory=dict)


def load_schemas(root: Path) -> dict[str, dict[str, Any]]:
    """The committed JSON Schemas, by table."""
    return {table: json.loads((root / SCHEMA_DIR / f"{table}.schema.json").read_text("utf-8"))
            for table in TABLES}


def check_records(root: Path, schemas: dict[str, dict[str, Any]] | None = None,
                  only: Iterable[Path] = (), sink: Any = None) -> Checked:
    """Check every record file and every cross-record rule.

    With ``only``, those files are checked in the context of the rest, and only problems
    located in them are reported. ``sink(table, record, sentence_of)`` receives each record
    that passed its own checks, in id order; the caller discards what it made when the
    report is not valid.
    """
    report = Report()
    checked = Checked(report)
    try:
        checked.schemas = schemas or load_schemas(root)
    except (OSError, ValueError) as error:
        report.add(Problem(SCHEMA_DIR, 0, 0, "missing-schema", "-", "-",
                           f"cannot read the JSON Schemas: {error}"))
        return checked
    validators = {table: jsonschema_rs.validator_for(schema, validate_formats=True)
                  for table, schema in checked.schemas.items()}
    files, problems = reading.discover(root, TABLES)
    for problem in problems:
        report.add(problem)
    named: set[str] | None = None
    if only:
        named = set()
        for path in only:
            found = reading.record_file(root, Path(path), TABLES)
            if isinstance(found, Problem):
                report.add(found)
            else:
                named.add(found.path)
        if not named:
            return checked

    try:
        text = read_review(root)
        checked.sentences = sentences(text)
    except (OSError, ValueError) as error:
        report.add(Problem(f"source/{REVIEW_ID}.txt", 0, 0, "missing-source", "-", "-",
                           f"cannot read the review's text: {error}"))
        return checked
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != REVIEW_SHA256:
        report.add(Problem(f"source/{REVIEW_ID}.txt", 0, 0, "source-changed", "-", "-",
                           "the review's text differs from the text the records were curated "
                           f"from (sha256 {REVIEW_SHA256}); every quote rests on it"))
        return checked
    bounds = [(s.start, s.end, s.number) for s in checked.sentences]

    # Records are checked one at a time in id order, across tables, so that a sink can
    # write every table sorted by key as it goes, and nothing else needs keeping.
    files.sort(key=lambda record: (record.stem, record.table))
    links = _Links(files, checked.schemas)
    # The loop makes no reference cycles; without collections it stays linear in time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _check_each(root, files, validators, checked, text, bounds, links, sink)
    finally:
        if collecting:
            gc.enable()
    report.records_checked = len(files)
    links.finish()
    if named is None:
        _check_coverage(root, text, set(checked.sentence_of.values()), checked.sentences,
                        report)
    for record in files:
        for problem in record.problems:
            if named is None or problem.path in named:
                report.add(problem)
    return checked


def _check_each(root: Path, files: list[RecordFile], validators: dict[str, Any],
                checked: Checked, text: str, bounds: list[tuple[int, int, int]],
                links: _Links, sink: Any) -> None:
    for record in files:
        try:
            reading.read(root, record)
            if not record.problems:
                check_shape(record, validators[record.table], checked.schemas[record.table])
            if not record.problems:
                _check_record(record, text, bounds, checked.sentence_of)
            if not record.problems:
                links.check(record)
        except Exception as error:  # a gap in the checks must still give a clear line
            record.problem("unchecked", f"could not be checked ({type(error).__name__}: "
                           f"{error}); please report this")
        if not record.problems and sink is not None:
            sink(record.table, record.data, checked.sentence_of)
        record.release()


def _check_record(record: RecordFile, text: str, bounds: list[tuple[int, int, int]],
                  sentence_of: dict[tuple[int, int], int]) -> None:
    data = record.data
    if data["id"] != record.stem:
        record.problem("id-mismatch", f"id {data['id']!r} differs from the file name "
                       f"{record.stem!r}", field="id", pointer="/id")
    # ASCII text (the common case) can be neither out of NFC nor mixed in script.
    written = record.text
    if not written.isascii() or "\\u" in written:
        for path, value in _strings(data, []):
            if value.isascii():
                continue
            if not unicodedata.is_normalized("NFC", value):
                record.problem("not-nfc", "text is not in Unicode NFC form; normalise it",
                               field=reading.field_path(path), pointer=reading.pointer(path))
            mixed = _mixed_script(value)
            if mixed:
                record.problem("mixed-script", mixed, field=reading.field_path(path),
                               pointer=reading.pointer(path))
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        record.problem("end-before-start", f"end_date {end} is before start_date {start}",
                       field="end_date", pointer="/end_date")
    if end and not start:
        record.problem("missing-value", "end_date is given but start_date is not",
                       field="start_date", pointer="")
    precision = data.get("date_precision")
    for name in ("start_date", "end_date"):
        value = data.get(name)
        if value and ((precision == "month" and not value.endswith("-01"))
                      or (precision == "year" and not value.endswith("-01-01"))):
            record.problem("date-precision", f"with date_precision {precision!r}, {name} is "
                           f"written as the first day of the {precision}", field=name,
                           pointer=f"/{name}")
    if data.get("plover_mode") and data.get("plover_event") != "CONSULT":
        record.problem("plover-mode", "PLOVER defines modes for CONSULT events only",
                       field="plover_mode", pointer="/plover_mode")
    for index, mention in enumerate(data.get("mentions", ())):
        _check_mention(record, index, mention, text, bounds, sentence_of)
    if record.table not in ("sources", "commentary"):
        if all(source == REVIEW_ID for source in data["sources"]):
            record.problem("needs-readout", "cite at least one source besides the review "
                           "(an official readout or reliable report)", field="sources",
                           pointer="/sources")


def _check_mention(record: RecordFile, index: int, mention: dict[str, Any], text: str,
                   bounds: list[tuple[int, int, int]],
                   sentence_of: dict[tuple[int, int], int]) -> None:
    start, end, quote = mention["start"], mention["end"], mention["quote"]
    path = ["mentions", index]
    if type(start) is not int or type(end) is not int:
        # JSON Schema counts 5.0 as an integer; an offset is written as a whole number.
        record.problem("not-integer", "offsets are whole numbers, written without a decimal "
                       "point", field=reading.field_path(path), pointer=reading.pointer(path))
        return
    if end <= start or text[start:end] != quote:
        found = text.find(quote)
        hint = f"; the quote is found at {found}-{found + len(quote)}" if found >= 0 else \
            "; the quote is not in the review"
        record.problem("quote-mismatch", f"the review's text at {start}-{end} is not the "
                       f"quote{hint}", field=reading.field_path(path),
                       pointer=reading.pointer(path))
        return
    at = bisect.bisect_right(bounds, (start, float("inf"), 0)) - 1
    if at >= 0 and bounds[at][0] <= start and end <= bounds[at][1]:
        sentence_of[(start, end)] = bounds[at][2]
        return
    record.problem("mention-spans-sentences", f"the quote at {start}-{end} runs across "
                   "sentences; split it into one mention per sentence",
                   field=reading.field_path(path), pointer=reading.pointer(path))


_CONFUSABLE_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE"}


def _mixed_script(value: str) -> str | None:
    """A message when a word mixes look-alike scripts (a Cyrillic 'а' in a Latin name)."""
    for word in re.findall(r"\w+", value):
        scripts: dict[str, str] = {}
        for char in word:
            if char.isalpha():
                script = unicodedata.name(char, "").split(" ")[0]
                if script in _CONFUSABLE_SCRIPTS:
                    scripts.setdefault(script, char)
        if len(scripts) > 1:
            first, *others = scripts
            char = scripts[others[0]]
            return (f"the word {word!r} mixes {first.title()} and {others[0].title()} letters: "
                    f"U+{ord(char):04X} {unicodedata.name(char)} looks like a {first.title()} "
                    "letter")
    return None


def _strings(value: Any, path: list) -> Iterable[tuple[list, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + [key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + [index])


class _Links:
    """Rules across records, checked as records stream past: unique ids, references,
    unique source URLs, and (at the end) part_of cycles and dates.

    Ids are file names (a rule of their own), so every id is known before any record is read.
    """

    def __init__(self, files: list[RecordFile], schemas: dict[str, dict[str, Any]]):
        self.owner: dict[str, RecordFile] = {}
        for record in files:
            first = self.owner.setdefault(record.stem, record)
            if first is not record:
                record.problem("duplicate-id", f"id {record.stem!r} is already used by "
                               f"{first.path}", field="id", pointer="/id")
        readers = _reference_readers(schemas)
        self.readers = {table: readers.get(table, []) for table in TABLES}
        self.ids: dict[str, set[str]] = {"*": set(self.owner)}
        for stem, record in self.owner.items():
            self.ids.setdefault(record.table, set()).add(stem)
        self.urls: dict[str, str] = {}
        self.events: dict[str, tuple] = {}

    def check(self, record: RecordFile) -> None:
        data = record.data
        for path, target, read in self.readers[record.table]:
            values = read(data)
            if not values or self.ids.get(target, set()).issuperset(values):
                continue
            for index, value in enumerate(values):
                if value not in self.ids.get(target, ()):
                    where = f"the {target} table" if target != "*" else "any table"
                    parts = _reference_parts(path, index if "[]" in path else None)
                    record.problem("dangling-reference", f"{value!r} is not a record in {where}",
                                   field=reading.field_path(parts), pointer=reading.pointer(parts))
        if record.table == "sources":
            first = self.urls.setdefault(data["url"], data["id"])
            if first != data["id"]:
                record.problem("duplicate-url", f"the URL is already the source {first!r}; "
                               "cite that one", field="url", pointer="/url")
        elif record.table == "events":
            self.events[data["id"]] = (data.get("part_of"), data.get("start_date"),
                                       data.get("end_date"), data.get("date_precision"))

    def finish(self) -> None:
        """part_of must not loop, and a dated sub-event lies within its parent's dates."""
        for event_id, (part_of, start, _, precision) in self.events.items():
            record = self.owner[event_id]
            outer = self.events.get(part_of or "")
            if outer and outer[1] and start and precision == "day":
                first, last = outer[1], outer[2] or outer[1]
                if not first <= start <= last:
                    record.problem("outside-parent", f"start_date {start} is outside the dates "
                                   f"of {part_of!r} ({first} to {last})", field="start_date",
                                   pointer="/start_date")
            seen, current = {event_id}, part_of
            while current:
                if current in seen:
                    record.problem("part-of-cycle", "part_of leads back to this event",
                                   field="part_of", pointer="/part_of")
                    break
                seen.add(current)
                current = self.events.get(current, (None,))[0]


def _reference_readers(schemas: dict[str, dict[str, Any]]) -> dict[str, list[tuple[str, str, Any]]]:
    """For each table, its reference fields as (path, target table, reader); a reader gives
    the referenced ids of a record, as a list in the order of the field's items."""
    readers: dict[str, list] = {}
    for (table, path), target in references(schemas).items():
        name, listed, inner = path.partition("[]")
        inner = inner.lstrip(".")
        if not listed:
            def read(data, name=name):
                value = data.get(name)
                return [value] if value is not None else []
        elif inner:
            def read(data, name=name, inner=inner):
                return [item[inner] for item in data.get(name, ())]
        else:
            def read(data, name=name):
                return data.get(name, [])
        readers.setdefault(table, []).append((path, target, read))
    return readers


def _reference_parts(path: str, index: int | None) -> list:
    name, _, inner = path.partition("[]")
    parts: list = [name] if index is None else [name, index]
    return parts + ([inner.lstrip(".")] if inner.lstrip(".") else [])


def _check_coverage(root: Path, text: str, covered: set[int], all_sentences: list[Sentence],
                    report: Report) -> None:
    """Every sentence of the review is spoken of by a mention, or marked as commentary."""
    text_path = review_path(root).relative_to(root).as_posix()
    for sentence in all_sentences:
        if sentence.number not in covered:
            line = text.count("\n", 0, sentence.start) + 1
            column = sentence.start - (text.rfind("\n", 0, sentence.start) + 1) + 1
            report.add(Problem(text_path, line, column, "uncovered-sentence", "-",
                               f"sentence {sentence.number}",
                               f"no record mentions {sentence.text[:60]!r}; add a mention "
                               "to the records it speaks of, or a commentary record"))


def validate(root: Path | str = ".", paths: Iterable[Path | str] = (),
             check_package: bool = True) -> Report:
    """Validate records (all, or the named files in the context of the rest) and the package."""
    root = Path(root)
    if not paths and check_package:
        from .package import check

        return check(root, full=False)
    return check_records(root, only=[Path(p) for p in paths]).report
