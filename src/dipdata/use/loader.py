"""load(): the data package -> typed records, parsed once, with lookups and navigation.

By default the package shipped inside the installed wheel is read with importlib.resources
(works offline and from a zipped install); `load(path)` reads a release zip or a folder.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import json
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ..model import typed
from ..base.paths import PACKAGE_DIR, TABLES
from ..model.source import Sentence, sentences

if TYPE_CHECKING:
    from ..model.models import (
        Actor,
        Aggregate,
        Commentary,
        Event,
        Mention,
        Outcome,
        Position,
        Record,
        Source,
    )

T = TypeVar("T", bound="Record")


class Collection(Generic[T]):
    """The records of one table, in id order: iterate, count, or look up by id.

    Given ``make``, the records are given as their JSON objects and each is made into its
    typed record on first access (so that a load needs no pydantic until a record is used).
    """

    def __init__(self, records: list[Any], make: Callable[[dict[str, Any]], T] | None = None):
        if make is None:
            self._by_id: dict[str, Any] = {record.id: record for record in records}
        else:
            self._by_id = {record["id"]: record for record in records}
        self._make = make

    def _typed(self, record_id: str, value: Any) -> T:
        if type(value) is dict:  # not made yet
            value = self._by_id[record_id] = self._make(value)  # type: ignore[misc]
        return value

    def __iter__(self) -> Iterator[T]:
        if self._make is not None:
            for record_id, value in self._by_id.items():
                if type(value) is dict:
                    self._by_id[record_id] = self._make(value)
            self._make = None
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._by_id

    def __getitem__(self, record_id: str) -> T:
        return self._typed(record_id, self._by_id[record_id])

    def get(self, record_id: str, default: T | None = None) -> T | None:
        value = self._by_id.get(record_id)
        return default if value is None else self._typed(record_id, value)

    def __repr__(self) -> str:
        return f"<Collection of {len(self)} records>"


class Dataset:
    """The whole dataset: one typed collection per curated table, and ways to navigate it."""

    def __init__(self, tables: dict[str, list[Any]], sentences: list[Any], text: str,
                 version: str, make: Callable[[str], Callable[[dict[str, Any]], Any]] | None = None,
                 jsonld: dict[str, Any] | None = None):
        """``tables`` holds typed records, or their JSON objects when ``make`` gives, for a
        table, what makes one typed record from its JSON object."""
        def collection(table: str) -> Collection[Any]:
            return Collection(tables[table], make(table) if make else None)

        self.sources: Collection[Source] = collection("sources")
        self.actors: Collection[Actor] = collection("actors")
        self.events: Collection[Event] = collection("events")
        self.outcomes: Collection[Outcome] = collection("outcomes")
        self.positions: Collection[Position] = collection("positions")
        self.aggregates: Collection[Aggregate] = collection("aggregates")
        self.commentary: Collection[Commentary] = collection("commentary")
        self.sentences = sentences
        self.text = text
        #: The package's schema.org description (`dataset.jsonld`), where it has one.
        self.jsonld = jsonld
        self.version = version

    def __repr__(self) -> str:
        counts = ", ".join(f"{len(getattr(self, t))} {t}" for t in TABLES)
        return f"<dipdata {self.version}: {counts}>"

    def record(self, record_id: str) -> Record:
        """Any record by id, whatever its table."""
        for table in TABLES:
            found = getattr(self, table).get(record_id)
            if found is not None:
                return found
        raise KeyError(record_id)

    def participants(self, event: Event | str) -> list[tuple[Actor, str]]:
        """The event's participants: (actor, role) pairs."""
        event = self._event(event)
        return [(self.actors[p.actor], p.role) for p in event.participants]

    def parent(self, event: Event | str) -> Event | None:
        """The trip or summit the event was part of."""
        event = self._event(event)
        return self.events[event.part_of] if event.part_of else None

    def parts(self, event: Event | str) -> list[Event]:
        """The events that were part of this one, in date order (undated last; then by id)."""
        return self._linked("part_of", event)

    def sidelines(self, event: Event | str) -> list[Event]:
        """The events held on this one's sidelines (`sidelines_of`), in date order."""
        return self._linked("sidelines_of", event)

    def _linked(self, field: str, event: Event | str) -> list[Event]:
        """The events whose ``field`` names this one, in date order (undated last; by id)."""
        event_id = self._event(event).id
        return sorted((e for e in self.events if getattr(e, field) == event_id),
                      key=lambda e: (e.start_date is None, e.start_date or datetime.date.min, e.id))

    def outcomes_of(self, event: Event | str) -> list[Outcome]:
        event_id = self._event(event).id
        return [o for o in self.outcomes if o.event == event_id]

    def positions_of(self, event: Event | str) -> list[Position]:
        event_id = self._event(event).id
        return [p for p in self.positions if p.occasion == event_id]

    def events_of(self, actor: Actor | str) -> list[tuple[Event, str]]:
        """The events an actor took part in, with the actor's role."""
        actor_id = actor if isinstance(actor, str) else actor.id
        return [(e, p.role) for e in self.events for p in e.participants if p.actor == actor_id]

    def sources_of(self, record: Record | str) -> list[Source]:
        record = self.record(record) if isinstance(record, str) else record
        return [self.sources[s] for s in getattr(record, "sources", [])]

    def mentions_of(self, record: Record | str) -> list[tuple[Sentence, Mention]]:
        """The review's words that speak of the record, with the sentence holding each."""
        record = self.record(record) if isinstance(record, str) else record
        return [(self.sentence_at(m.start), m) for m in getattr(record, "mentions", [])]

    def sentence_at(self, offset: int) -> Sentence:
        return next(s for s in self.sentences if s.start <= offset < s.end)

    def records_in(self, sentence: Sentence | int) -> list[Record]:
        """The records whose mentions lie in a sentence of the review (numbered from 1)."""
        number = sentence.number if isinstance(sentence, Sentence) else sentence
        if isinstance(number, bool) or not isinstance(number, int):
            raise TypeError(f"a sentence is given by its number, an integer from 1 to "
                            f"{len(self.sentences)}, not {number!r}")
        if not 1 <= number <= len(self.sentences):
            raise ValueError(f"the review's sentences are numbered from 1 to "
                             f"{len(self.sentences)}; there is no sentence {number}")
        found = self.sentences[number - 1]
        return [record for table in TABLES for record in getattr(self, table)
                if any(found.start <= m.start < found.end
                       for m in getattr(record, "mentions", []))]

    def _event(self, event: Event | str) -> Event:
        return self.events[event] if isinstance(event, str) else event


def package_root(path: str | Path | None = None) -> Any:
    """The data package's folder: the shipped one (a Traversable) or one at ``path``."""
    if path is None:
        here = resources.files("dipdata")  # works from a zipped install too
        shipped = here.joinpath(PACKAGE_DIR)
        if shipped.is_dir():
            return shipped
        # A source checkout (editable install) keeps the package at the repository's top.
        checkout = Path(str(here)).parent.parent / PACKAGE_DIR
        if checkout.is_dir():
            return checkout
        raise FileNotFoundError("the dipdata package data is not installed")
    path = Path(path)
    for folder in (path, path / PACKAGE_DIR):  # the package folder, or a repository
        if (folder / "datapackage.json").is_file():
            return folder
    raise PackageError(f"{path} is not a data package folder (it has no datapackage.json); "
                       "load() takes a release zip, a data package folder, or nothing")


class PackageError(ValueError):
    """The path is not a readable data package; the message says what it is and what is
    expected."""


@contextlib.contextmanager
def opened_package(path: str | Path | None = None) -> Iterator[Any]:
    """The package folder of ``path``; a zip is first extracted safely to a temporary folder
    (absolute paths, '..', links, duplicates and zip bombs refused) and removed after."""
    if path is not None and Path(path).is_file() and Path(path).name == "datapackage.json":
        path = Path(path).parent  # the descriptor stands for its package
    if path is not None and Path(path).is_file():
        from ..base.archives import ReleaseError, opened

        try:
            with opened(Path(path)) as folder:
                yield folder
        except ReleaseError as error:
            raise PackageError(f"{error}; load() takes a release zip, a data package folder, "
                               "or nothing (the package shipped with dipdata)") from None
        return
    if path is not None and not Path(path).exists():
        raise FileNotFoundError(f"{path} does not exist")
    yield package_root(path)


def _node(root: Any, relative: str) -> Any:
    """The file at a path such as ``data/events.json`` in the package folder (a Path or a
    Traversable)."""
    node = root
    for part in relative.split("/"):
        node = node.joinpath(part)
    return node


def _read(root: Any, relative: str) -> bytes:
    try:
        return _node(root, relative).read_bytes()
    except FileNotFoundError:
        raise PackageError(f"the data package lacks {relative}, which its descriptor "
                           "lists") from None


def _check_resources(root: Any, descriptor: dict[str, Any]) -> None:
    """Every resource the descriptor lists, and every table's JSON resource, is present."""
    names = {r.get("name") for r in descriptor.get("resources", [])}
    for table in TABLES:
        if f"{table}-json" not in names:
            raise PackageError(f"the data package lacks the resource '{table}-json' "
                               f"(data/{table}.json)")
    for resource in descriptor["resources"]:
        path = resource.get("path")
        if not isinstance(path, str) or not _node(root, path).is_file():
            raise PackageError(f"the data package lacks the resource {resource.get('name')!r}: "
                               f"{path} is missing")


def load(path: str | Path | None = None) -> Dataset:
    """The dataset as typed records: the package shipped with dipdata, or one at ``path``."""
    if path is None:
        return _load_shipped()
    with opened_package(path) as root:
        return _load(root, by_schema=True)


@functools.cache
def _load_shipped() -> Dataset:
    # The shipped package was validated when it was built and is covered by its hashes, so
    # its records are constructed without validating them again (a test proves they equal
    # validated ones); this keeps a cold load fast.
    return _load(package_root(), trusted=True)


def _load(root: Any, trusted: bool = False, by_schema: bool = False) -> Dataset:
    """The dataset in the package at ``root``. Its records are validated by the models, or,
    ``by_schema``, checked against the JSON Schemas shipped with dipdata and made on first
    access (the models still validate them when that check fails, to say what is wrong);
    ``trusted`` (the shipped package), made on first access without a check."""
    try:
        descriptor = json.loads(_read(root, "datapackage.json"))
    except ValueError as error:
        raise PackageError(f"datapackage.json is not a readable descriptor: {error}") from None
    if not trusted:
        _check_resources(root, descriptor)
    parse: Callable[[bytes], Any] = json.loads
    if trusted:  # the shipped package is known to be good JSON: the faster parser
        import orjson

        parse = orjson.loads
    tables = {table: parse(_read(root, f"data/{table}.json")) for table in TABLES}
    lazy = trusted or (by_schema and typed.valid_by_schema(tables, _shipped_schemas()))
    if not lazy:
        tables = typed.validated(tables)
    text_resource = next(r for r in descriptor["resources"] if r["name"] == "review-text")
    text = _read(root, text_resource["path"]).decode("utf-8")
    try:
        jsonld = json.loads(_read(root, "dataset.jsonld"))
    except (OSError, ValueError):
        jsonld = None  # a package made elsewhere may not describe itself for search engines
    return Dataset(tables, sentences(text), text, descriptor["version"],
                   make=typed.maker if lazy else None, jsonld=jsonld)


def _shipped_schemas() -> dict[str, Any] | None:
    """The JSON Schemas of the JSON resources of the package shipped with dipdata."""
    try:
        shipped = package_root()
        return {table: json.loads(_read(shipped, f"schema/{table}.schema.json"))
                for table in TABLES}
    except (OSError, ValueError):
        return None
