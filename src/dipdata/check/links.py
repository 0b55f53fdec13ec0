"""Rules across records: unique ids and URLs, references, part_of, dates within their
parent or occasion, every event reachable from the review, and every sentence covered.

Records stream past one at a time; only the few facts these rules need are kept. Ids are
file names (a rule of their own), so every id is known before any record is read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import records as reading
from ..base.problems import Problem, Report, line_column
from .records import RecordFile
from ..model.source import Sentence, review_path
from ..model.schemas import references

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(slots=True)
class _Facts:
    """Facts gathered from every record that could be parsed, valid or not."""

    # event id -> (part_of, start date, end date, whether the review mentions it): a plain
    # tuple, quick to make and to send from a worker; part_of and dates are None when not
    # given or not well formed
    events: dict[str, tuple[str | None, str | None, str | None, bool]] = \
        field(default_factory=dict)
    # position id -> (occasion, date)
    positions: dict[str, tuple[str, str]] = field(default_factory=dict)
    # ids of the actors that are persons, and (event, index, actor) of each participant
    # given without a capacity: every person takes part in some capacity
    persons: set[str] = field(default_factory=set)
    uncapacitated: list[tuple[str, int, str]] = field(default_factory=list)
    # ids listed by aggregates that the review mentions
    listed: set[str] = field(default_factory=set)
    # (event, outcome or position id, whether the review mentions it) for each outcome and
    # position: an event is reachable through what it produced or where a stance was stated
    products: list[tuple[str, str, bool]] = field(default_factory=list)

    def packed(self) -> tuple:
        """The facts as plain tuples, quick to send from a worker (pickling many objects of
        a class of our own is ten times slower); :meth:`Links.merge` takes them."""
        return (self.events, self.positions, self.listed, self.products, self.persons,
                self.uncapacitated)


Reader = Callable[[dict[str, Any]], list[str]]


class Links:
    """The rules across records, fed one record at a time."""

    def __init__(self, files: list[RecordFile], schemas: dict[str, dict[str, Any]]):
        # The first file of each id (files come in id order) owns it.
        self.owner: dict[str, RecordFile] = {record.stem: record for record in reversed(files)}
        stems: dict[str, list[str]] = {}
        for record in files:
            stems.setdefault(record.table, []).append(record.stem)
        # ids by table: those of the files that own them
        self.ids: dict[str, set[str]] = {table: set(found) for table, found in stems.items()}
        self.ids["*"] = set(self.owner)
        if len(self.owner) < len(files):
            for record in files:
                first = self.owner[record.stem]
                if first is not record:
                    if first.table != record.table:
                        self.ids[record.table].discard(record.stem)
                    record.problem("duplicate-id", f"id {record.stem!r} is already used by "
                                   f"{first.path}", field="id", pointer="/id")
        # each table's references: (path, target table, reader, the ids of that table)
        readers = _reference_readers(schemas)
        self.references: dict[str, list[tuple[str, str, Reader, set[str] | frozenset[str]]]] = {
            table: [(path, target, read, self.ids.get(target, frozenset()))
                    for path, target, read in readers.get(table, [])]
            for table in schemas}
        self.urls: dict[str, str] = {}
        self.facts = _Facts()

    def note(self, record: RecordFile) -> None:
        """Keep what later rules need, from any record that parsed as an object (a record
        that failed its own checks still counts as mentioned, a parent, or a member)."""
        data = record.data
        if not isinstance(data, dict) or self.owner.get(record.stem) is not record:
            return
        # A record without problems has the shape of its schema: its dates are well formed.
        date = _as_given if not record.problems else _date
        mentioned = bool(data.get("mentions"))
        if record.table == "events":
            part_of = data.get("part_of")
            self.facts.events[record.stem] = (
                part_of if isinstance(part_of, str) else None,
                date(data.get("start_date")), date(data.get("end_date")), mentioned)
            participants = data.get("participants")
            if isinstance(participants, list):
                self.facts.uncapacitated += [
                    (record.stem, index, p["actor"]) for index, p in enumerate(participants)
                    if isinstance(p, dict) and p.get("capacity") is None
                    and isinstance(p.get("actor"), str)]
        elif record.table == "actors":
            if data.get("kind") == "person":
                self.facts.persons.add(record.stem)
        elif record.table in ("positions", "outcomes"):
            event = data.get("occasion" if record.table == "positions" else "event")
            if isinstance(event, str):
                self.facts.products.append((event, record.stem, mentioned))
                if record.table == "positions":
                    held = date(data.get("date"))
                    if held:
                        self.facts.positions[record.stem] = (event, held)
        elif record.table == "aggregates" and mentioned:
            examples = data.get("examples")
            if isinstance(examples, list):
                self.facts.listed.update(e for e in examples if isinstance(e, str))

    def merge(self, packed: tuple) -> None:
        """Add the facts noted elsewhere (in a worker; :meth:`_Facts.packed`) of the records
        that come next."""
        events, positions, listed, products, persons, uncapacitated = packed
        self.facts.persons.update(persons)
        self.facts.uncapacitated += uncapacitated
        self.facts.events.update(events)
        self.facts.positions.update(positions)
        self.facts.listed.update(listed)
        self.facts.products += products

    def check(self, record: RecordFile, urls: bool = True) -> None:
        """References resolve, and no two sources share a URL (valid records only; the
        URLs only with ``urls``, as :meth:`check_url` does)."""
        data = record.data
        for path, target, read, known in self.references[record.table]:
            values = read(data)
            if not values or known.issuperset(v for v in values if v is not None):
                continue
            for index, value in enumerate(values):
                if value is not None and value not in known:
                    where = f"the {target} table" if target != "*" else "any table"
                    parts = _reference_parts(path, index if "[]" in path else None)
                    record.problem("dangling-reference", f"{value!r} is not a record in {where}",
                                   field=reading.field_path(parts), pointer=reading.pointer(parts))
        if urls and record.table == "sources":
            self.check_url(record, data["url"], data["id"])

    def check_url(self, record: RecordFile, url: str, record_id: str) -> None:
        """No source before this one (in id order) has the same URL."""
        first = self.urls.setdefault(url, record_id)
        if first != record_id:
            record.problem("duplicate-url", f"the URL is already the source {first!r}; "
                           "cite that one", field="url", pointer="/url")

    def finish(self) -> None:
        """The rules that need every record: part_of, dates within parents and occasions,
        every person's capacity, and reachability from the review. A record with problems of its own is skipped."""
        events = self.facts.events
        reachable = self._reachable()
        for event_id, (part_of, start, end, _) in events.items():
            record = self.owner[event_id]
            if record.problems:
                continue
            if part_of and _loops(event_id, events):
                record.problem("part-of-cycle", "part_of leads back to this event",
                               field="part_of", pointer="/part_of")
                continue
            parent = events.get(part_of or "")
            if parent is not None:
                self._within(record, start, end, part_of or "", parent,
                             ("start_date", "end_date"))
            if event_id not in reachable:
                record.problem("unreachable-event", "no path leads to it from the review: "
                               "mention it, make it part_of an event that is, or list it in "
                               "an aggregate that the review mentions", field="mentions",
                               pointer="")
        for event_id, index, actor in self.facts.uncapacitated:
            record = self.owner[event_id]
            if actor in self.facts.persons and not record.problems:
                record.problem("missing-capacity", f"{actor!r} is a person: give the capacity "
                               "in which they took part (their office that day)",
                               field=f"participants[{index}].capacity",
                               pointer=f"/participants/{index}")
        for position_id, (occasion, date) in self.facts.positions.items():
            record, held_at = self.owner[position_id], events.get(occasion)
            # an occasion with problems of its own may have wrong dates: they blame no position
            if held_at is not None and not record.problems and not self.owner[occasion].problems:
                self._within(record, date, date, occasion, held_at, ("date", "date"))

    def _within(self, record: RecordFile, start: str | None, end: str | None, outer_id: str,
                outer: tuple, names: tuple[str, str]) -> None:
        """[start, end] lies within the dates of ``outer`` (an event's facts; both ends
        included)."""
        _, first, last, _ = outer
        if not first:
            return
        last = last or first
        for name, value in ((names[0], start), (names[1], end)):
            if value and not first <= value <= last:
                record.problem("outside-parent", f"{name} {value} is outside the dates of "
                               f"{outer_id!r} ({first} to {last})", field=name,
                               pointer=f"/{name}")
                return

    def _reachable(self) -> set[str]:
        """Events mentioned, listed by a mentioned aggregate, the occasion or source of an
        outcome or position that is, or part of an event that is reachable."""
        events, listed = self.facts.events, self.facts.listed
        through = {event for event, product, mentioned in self.facts.products
                   if mentioned or product in listed}
        reachable = {event_id for event_id, (_, _, _, mentioned) in events.items()
                     if mentioned or event_id in listed or event_id in through}
        for event_id in events.keys() - reachable:  # up part_of, to one that is, or not
            chain, current = [event_id], events[event_id][0]
            while current in events and current not in reachable and current not in chain:
                chain.append(current)
                current = events[current][0]
            if current in reachable:
                reachable.update(chain)
        return reachable


def _date(value: Any) -> str | None:
    return value if isinstance(value, str) and _DATE.fullmatch(value) else None


def _as_given(value: str | None) -> str | None:
    return value


def _loops(event_id: str, events: dict[str, tuple]) -> bool:
    """Whether part_of leads back to ``event_id`` (not merely into a cycle further up)."""
    seen, current = {event_id}, events[event_id][0]
    while current:
        if current in seen:
            return current == event_id
        seen.add(current)
        current = events[current][0] if current in events else None
    return False


def _reference_readers(schemas: dict[str, dict[str, Any]]) -> dict[str, list[tuple[str, str, Reader]]]:
    """For each table, its reference fields as (path, target table, reader); a reader gives
    the referenced ids of a record, as a list in the order of the field's items."""
    readers: dict[str, list[tuple[str, str, Reader]]] = {}
    for (table, path), target in references(schemas).items():
        name, listed, inner = path.partition("[]")
        inner = inner.lstrip(".")
        readers.setdefault(table, []).append((path, target, _reader(name, bool(listed), inner)))
    return readers


def _reader(name: str, listed: bool, inner: str) -> Reader:
    if not listed:
        return lambda data: [data[name]] if data.get(name) is not None else []
    if inner:
        # an optional field left out of an item is None (its default applies)
        return lambda data: [item.get(inner) for item in data.get(name, ())]
    return lambda data: list(data.get(name, ()))


def _reference_parts(path: str, index: int | None) -> list[str | int]:
    name, _, inner = path.partition("[]")
    parts: list[str | int] = [name] if index is None else [name, index]
    return parts + ([inner.lstrip(".")] if inner.lstrip(".") else [])


def check_coverage(root: Path, text: str, covered: set[int], sentences: list[Sentence],
                   report: Report) -> None:
    """Every sentence of the review is spoken of by a mention, or marked as commentary."""
    text_path = review_path(root).relative_to(root).as_posix()
    for sentence in sentences:
        if sentence.number not in covered:
            line, column = line_column(text, sentence.start)
            report.add(Problem(text_path, line, column, "uncovered-sentence", "-",
                               f"sentence {sentence.number}",
                               f"no record mentions {sentence.text[:60]!r}; add a mention "
                               "to the records it speaks of, or a commentary record"))
