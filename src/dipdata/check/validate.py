"""Checking the records: each record's shape and rules, then the rules across records.
Returns a report; never prints, never writes.

Shape is checked with the records' JSON Schema (the contract contributors see), compiled by
jsonschema-rs; tests prove the pydantic models accept and reject the same records. The rules
are in :mod:`dipdata.check.rules` (within a record) and :mod:`dipdata.check.links` (across records).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import jsonschema_rs

from ..base import parallel
from . import records as reading
from .links import Links, check_coverage
from .lock import inputs_digest, listing
from ..base.paths import SCHEMA_DIR
from ..base.problems import Problem, Report
from .records import TABLES, RecordFile
from .rules import check_record, salvage_mentions
from .shape import check_shape
from .texts import ReadText, read_texts
from ..model.source import REVIEW_ID, REVIEW_SHA256, REVIEW_TEXT, Sentence, read_review, sentences

#: Receives each record that passed every check of its own: (table, record, sentence_of).
Sink = Callable[[str, dict[str, Any], dict[tuple[str, int, int], int]], None]


class Writer(Protocol):
    """What validation needs of a package writer (the writer itself sits a floor above):
    records in id order, and pieces made by workers, merged back in order."""

    def add(self, table: str, record: dict[str, Any],
            sentence_of: dict[tuple[str, int, int], int]) -> None: ...

    def piece(self) -> Any: ...

    def merge(self, piece: Any) -> None: ...
#: From how many record files the checks are spread over the cores, in runs of CHUNK files.
PARALLEL_FROM = 4000
CHUNK = 1000


@dataclass
class Checked:
    """What validation learned: the report, the schemas it used, the review's sentences and
    which sentence holds each mention."""

    report: Report
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    sentences: list[Sentence] = field(default_factory=list)
    sentence_of: dict[tuple[str, int, int], int] = field(default_factory=dict)
    inputs: str | None = None  # the digest of every input (`lock.inputs_digest`)


def load_schemas(root: Path) -> dict[str, dict[str, Any]]:
    """The committed JSON Schemas, by table."""
    return {table: json.loads((root / SCHEMA_DIR / f"{table}.schema.json").read_text("utf-8"))
            for table in TABLES}


def check_records(root: Path, schemas: dict[str, dict[str, Any]] | None = None,
                  only: Iterable[Path] = (), writer: Writer | None = None) -> Checked:
    """Check every record file and every rule across records.

    With ``only``, those files are checked in the context of the rest, and only problems
    located in them are reported. ``writer`` receives each record that passed its own
    checks, in id order; the caller discards what it made when the report is not valid.
    Many files are checked by forked workers, a run of files each, merged in order.
    """
    with _collector_paused():
        return _check_records(root, schemas, only, writer)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while checking: the checks keep an object or more
    for every file until the end, and each collection would walk them all again. They make
    no reference cycles, so nothing waits for it meanwhile (a test says so)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_records(root: Path, schemas: dict[str, dict[str, Any]] | None,
                   only: Iterable[Path], writer: Writer | None) -> Checked:
    checked = Checked(Report())
    report = checked.report
    try:
        checked.schemas = schemas or load_schemas(root)
    except (OSError, ValueError) as error:
        report.add(Problem(SCHEMA_DIR, message=f"cannot read the JSON Schemas: {error}",
                           code="missing-schema"))
        return checked
    files, problems = reading.discover(root, TABLES)
    for problem in problems:
        report.add(problem)
    named = _named(root, only, report)
    if named is not None and not named:
        return checked
    text = _review(root, report)
    if text is None:
        return checked
    problems_before = len(report.problems)
    texts = read_texts(root, text, report)
    if len(report.problems) > problems_before:
        writer = None  # a text is unreadable: its mentions cannot be placed, nothing is built
    checked.sentences = [s for found in texts.values() for s in found.sentences]
    # Records come in id order, across tables, so that a sink can write every table sorted
    # by key as it goes, and nothing else needs keeping.
    links = Links(files, checked.schemas)
    validators = {table: jsonschema_rs.validator_for(schema, validate_formats=True)
                  for table, schema in checked.schemas.items()}
    context = (validators, checked, texts, links, writer)
    workers = parallel.cores() if len(files) >= PARALLEL_FROM and parallel.can_fork() else 1
    if workers > 1:
        starts = range(0, len(files), CHUNK)
        runs = parallel.ordered_map(lambda i: _check_run(files, starts[i], context),
                                    len(starts), workers)
        parts = [_merge_run(files, start, run, context) for start, run in zip(starts, runs)]
        records_listing = None if None in parts else "".join(part or "" for part in parts)
    else:
        for record in files:
            _check_one(record, validators, checked, texts, links,
                       writer.add if writer else None)
        records_listing = listing(files)
    report.records_checked = len(files)
    checked.inputs = inputs_digest(root, records_listing)
    links.finish()
    if named is None:
        covered = {number for (in_text, _, _), number in checked.sentence_of.items()
                   if in_text == REVIEW_TEXT}
        check_coverage(root, text, covered, texts[REVIEW_TEXT].sentences, report)
    for record in files:
        for problem in record.problems:
            if named is None or problem.path in named:
                report.add(problem)
    return checked


def _named(root: Path, only: Iterable[Path], report: Report) -> set[str] | None:
    """The repository paths of the files a user named; None when none were named."""
    only = list(only)
    if not only:
        return None
    named = set()
    for path in only:
        found = reading.record_file(root, Path(path), TABLES)
        if isinstance(found, Problem):
            report.add(found)
        else:
            named.add(found.path)
    return named


def _review(root: Path, report: Report) -> str | None:
    """The review's text, when it can be read and is the text the records were curated from."""
    where = f"source/{REVIEW_ID}.txt"
    try:
        text = read_review(root)
        sentences(text)
    except (OSError, ValueError) as error:
        report.add(Problem(where, code="missing-source",
                           message=f"cannot read the review's text: {error}"))
        return None
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != REVIEW_SHA256:
        report.add(Problem(where, code="source-changed", message=(
            "the review's text differs from the text the records were curated from "
            f"(sha256 {REVIEW_SHA256}); every quote rests on it")))
        return None
    return text


def _check_run(files: list[RecordFile], start: int, context: tuple) -> tuple:
    """Check a run of CHUNK files (in a worker): what :func:`_merge_run` adds in order."""
    validators, checked, texts, links, writer = context
    links.facts, checked.sentence_of = type(links.facts)(), {}
    piece = writer.piece() if writer else None
    problems, urls = [], []
    at = start

    def on_source(data: dict[str, Any]) -> None:
        urls.append((at, data["url"], data["id"]))

    sink = piece.add if piece else None
    end = min(start + CHUNK, len(files))
    for at in range(start, end):
        record = files[at]
        _check_one(record, validators, checked, texts, links, sink, on_source)
        if record.problems:
            problems.append((at, record.problems))
    return (problems, urls, listing(files[start:end]), links.facts.packed(),
            checked.sentence_of, piece.take() if piece else None)


def _merge_run(files: list[RecordFile], start: int, run: tuple, context: tuple) -> str | None:
    """Add what a worker found in a run of files, as if they had been checked here; returns
    the run's lines of the inputs' listing (`lock.listing`)."""
    _, checked, _, links, writer = context
    problems, urls, run_listing, facts, sentence_of, piece = run
    for index, found in problems:
        files[index].problems = found
    for index, url, record_id in urls:  # in id order across runs, as a check here does
        links.check_url(files[index], url, record_id)
    links.merge(facts)
    checked.sentence_of.update(sentence_of)
    if writer is not None:
        writer.merge(piece)
    return run_listing


def _check_one(record: RecordFile, validators: dict[str, Any], checked: Checked,
               texts: dict[str, ReadText], links: Links, sink: Sink | None,
               on_source: Callable[[dict[str, Any]], None] | None = None) -> None:
    """Every check of one record; with ``on_source``, sources are given to it for the check
    of their URLs instead of being checked here."""
    try:
        reading.read(record.root, record)
        if not record.problems:
            check_shape(record, validators[record.table], checked.schemas[record.table])
        if not record.problems:
            check_record(record, texts, checked.sentence_of)
            links.check(record, urls=on_source is None)
            if on_source is not None and record.table == "sources":
                on_source(record.data)
        else:  # its mentions still cover their sentences
            salvage_mentions(record.data, texts, checked.sentence_of)
        links.note(record)
    except Exception as error:  # a gap in the checks must still give a clear line
        record.problem("unchecked", f"could not be checked ({type(error).__name__}: "
                       f"{error}); please report this")
    if not record.problems and sink is not None:
        sink(record.table, record.data, checked.sentence_of)
    record.release()
