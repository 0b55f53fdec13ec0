"""The dataset as typed records: one collection per curated table, lookups, and navigation
from records to the review's sentences (in each of its texts) and back."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ..base.paths import TABLES
from ..model.source import REVIEW_TEXT, Sentence

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
        Text,
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
                 jsonld: dict[str, Any] | None = None, words: dict[str, str] | None = None):
        """``tables`` holds typed records, or their JSON objects when ``make`` gives, for a
        table, what makes one typed record from its JSON object; ``sentences`` and ``text``
        are the English review's, ``words`` the other texts' (by text id)."""
        def collection(table: str) -> Collection[Any]:
            return Collection(tables[table], make(table) if make else None)

        self.sources: Collection[Source] = collection("sources")
        self.texts: Collection[Text] = collection("texts") if "texts" in tables else \
            Collection([])
        self.actors: Collection[Actor] = collection("actors")
        self.events: Collection[Event] = collection("events")
        self.outcomes: Collection[Outcome] = collection("outcomes")
        self.positions: Collection[Position] = collection("positions")
        self.aggregates: Collection[Aggregate] = collection("aggregates")
        self.commentary: Collection[Commentary] = collection("commentary")
        self.sentences = sentences
        self.text = text
        self._words = dict(words or {})
        self._sentences: dict[str, list[Sentence]] = {REVIEW_TEXT: sentences}
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

    def sentences_of(self, text: str = REVIEW_TEXT) -> list[Sentence]:
        """The numbered sentences of a text of the review (by its id in `texts`)."""
        if text not in self._sentences:
            from ..model.source import sentences

            record = self.texts.get(text)
            if record is None or text not in self._words:
                raise KeyError(f"no text {text!r}; the texts are "
                               f"{', '.join([REVIEW_TEXT, *sorted(self._words)])}")
            self._sentences[text] = sentences(self._words[text], text, record.language,
                                              record.complete, record.first_section)
        return self._sentences[text]

    def mentions_of(self, record: Record | str,
                    text: str = REVIEW_TEXT) -> list[tuple[Sentence, Mention]]:
        """The words of a text of the review (by default the English) that speak of the
        record, with the sentence holding each."""
        record = self.record(record) if isinstance(record, str) else record
        return [(self.sentence_at(m.start, text), m) for m in getattr(record, "mentions", [])
                if m.in_text == text]

    def sentence_at(self, offset: int, text: str = REVIEW_TEXT) -> Sentence:
        return next(s for s in self.sentences_of(text) if s.start <= offset < s.end)

    @property
    def original_text(self) -> str | None:
        """The id of the text the English review translates (its Chinese original), if any."""
        english = self.texts.get(REVIEW_TEXT)
        return english.translation_of if english else None

    def original(self, sentence: Sentence | int) -> list[Sentence]:
        """The sentences of the original (Chinese) text that an English sentence translates,
        by the English text's alignment; empty where none was found."""
        number = sentence.number if isinstance(sentence, Sentence) else sentence
        original = self.original_text
        if original is None:
            return []
        theirs = self.sentences_of(original)
        return [theirs[pair.original - 1] for pair in self.texts[REVIEW_TEXT].alignment
                if pair.sentence == number]

    def records_in(self, sentence: Sentence | int, text: str = REVIEW_TEXT) -> list[Record]:
        """The records whose mentions lie in a sentence of a text of the review (numbered
        from 1; by default the English text)."""
        number = sentence.number if isinstance(sentence, Sentence) else sentence
        found_in = self.sentences_of(text)
        if isinstance(number, bool) or not isinstance(number, int):
            raise TypeError(f"a sentence is given by its number, an integer from 1 to "
                            f"{len(found_in)}, not {number!r}")
        if not 1 <= number <= len(found_in):
            raise ValueError(f"the review's sentences are numbered from 1 to "
                             f"{len(found_in)}; there is no sentence {number}")
        found = found_in[number - 1]
        return [record for table in TABLES for record in getattr(self, table)
                if any(m.in_text == text and found.start <= m.start < found.end
                       for m in getattr(record, "mentions", []))]

    def _event(self, event: Event | str) -> Event:
        return self.events[event] if isinstance(event, str) else event
