"""What a record is: the pydantic models and their vocabularies.

These models are the single definition of a record. The JSON Schemas in ``schema/`` and the
Frictionless Table Schemas in ``datapackage/`` are generated from them. The models hold
*shape* rules only (types, vocabularies, patterns, required fields), which JSON Schema can
express too; rules that relate fields or records live in :mod:`dipdata.check.validate`.
"""

from __future__ import annotations

from typing import Annotated, Any, Optional

from pydantic import AfterValidator, Field

from .bases import (
    REVIEW_TEXT,
    Mention,
    NameVariant,
    Participant,
    Record,
    SourcedRecord,
    Strict,
)
from .fields import (
    Country,
    Date,
    Id,
    Item,
    LongText,
    Name,
    Notes,
    Summary,
    Url,
    _unique,
    ref,
)
from .vocabulary import (
    ISSUES,
    LANGUAGE_PATTERN,
    QID_PATTERN,
    SHA256_PATTERN,
    ActorKind,
    DatePrecision,
    EventKind,
    Issue,
    Mode,
    OutcomeKind,
    ParticipantRole,
    PloverEvent,
    PloverMode,
    RelationshipChange,
    Section,
    SourceKind,
    ChineseRegion,
    Statement,
)


class Event(SourcedRecord):
    """A visit, summit, talks, meeting, forum, dialogue, video meeting, call, speech or letter."""

    kind: EventKind
    """What kind of event this is."""
    title: Name
    """A descriptive title, in the words of the official readout where there is one."""
    title_zh: Optional[Name] = None
    """The headline of its official Chinese readout (simplified characters), where found."""
    title_zh_source: Annotated[Optional[Id], Field(**ref("sources"))] = None
    """Id of the source the Chinese headline was read in."""
    start_date: Optional[Date] = None
    """First day (ISO 8601); null where it could not be confirmed. With month or year
    precision, the first day of the month or year."""
    end_date: Optional[Date] = None
    """Last day (ISO 8601); equal to start_date for a one-day event. With month or year
    precision, the last day of the month or year, so that the dates hold the whole interval."""
    date_precision: DatePrecision
    """How precisely the dates are known: day, or only the month or year (the dates then span
    it, so a reader who ignores this field sees an interval, not a false day)."""
    city: Optional[Name] = None
    """City where the event took place (English name); null for virtual or unknown."""
    country: Optional[Country] = None
    """Country where the event took place."""
    venue: Optional[Name] = None
    """Building or site, where the readouts name one."""
    mode: Mode
    """In person, virtual (video), phone or written."""
    part_of: Annotated[Optional[Id], Field(**ref("events"))] = None
    """Id of the parent event, e.g. the state visit that talks were part of."""
    sidelines_of: Annotated[Optional[Id], Field(**ref("events"))] = None
    """Id of the summit, forum or visit on whose occasion (its sidelines) it took place while
    not part of it, e.g. a meeting the day after a forum; bound to no dates."""
    section: Section
    """The part of the review the event belongs to."""
    summary: Summary
    """What happened, in one or two sentences."""
    plover_event: PloverEvent
    """PLOVER event type."""
    plover_mode: Optional[PloverMode] = None
    """PLOVER mode of a CONSULT event: visit (the source actor visits the recipient, who
    hosts), third-party (hosted by a third party), multilateral, or phone (any remote medium)."""
    participants: Annotated[list[Participant], Field(json_schema_extra={"uniqueItems": True}),
                            AfterValidator(_unique)] = []
    """Who took part, in what role."""


class Actor(SourcedRecord):
    """A person, organisation or state."""

    name: Name
    """Full name in English."""
    name_zh: Optional[Name] = None
    """Full name in Chinese, in the official form of the Chinese foreign ministry and Xinhua
    (simplified characters)."""
    name_zh_short: Optional[Name] = None
    """The short Chinese form readouts use (e.g. 卢拉), where it differs from `name_zh`."""
    name_zh_source: Annotated[Optional[Id], Field(**ref("sources"))] = None
    """Id of the source the Chinese name was read in."""
    name_zh_variants: Annotated[list[NameVariant], Field(json_schema_extra={"uniqueItems": True}),
                                AfterValidator(_unique)] = []
    """Other common written forms of the Chinese name (e.g. Taiwan's), each with its source."""
    kind: ActorKind
    """Person, organisation or state."""
    title: Optional[Name] = None
    """Title or office held at the time of the events (2023)."""
    country: Optional[Country] = None
    """Country the actor belongs to or represents."""
    wikidata: Optional[str] = Field(default=None, pattern=QID_PATTERN)
    """Wikidata QID, only where confirmed."""


class Outcome(SourcedRecord):
    """A declaration, joint statement, agreement, initiative or plan produced by an event."""

    kind: OutcomeKind
    """What kind of outcome this is."""
    title: Name
    """Official title."""
    date: Optional[Date] = None
    """Date it was adopted, signed or announced."""
    event: Annotated[Id, Field(**ref("events"))]
    """Id of the event that produced it."""
    summary: Summary
    """What it says, in one or two sentences."""
    items: Annotated[list[Item], Field(json_schema_extra={"uniqueItems": True}),
                     AfterValidator(_unique)] = []
    """Items it enumerates (e.g. each of the eight major steps), in order."""
    countries: Annotated[list[Country], Field(json_schema_extra={"uniqueItems": True}),
                         AfterValidator(_unique)] = []
    """Countries it names as parties or subjects (e.g. the countries invited to join)."""
    organisations: Annotated[list[Name], Field(json_schema_extra={"uniqueItems": True}),
                             AfterValidator(_unique)] = []
    """International organisations among its parties (e.g. European Union), by name."""
    relationship: Optional[Name] = None
    """The level of the bilateral relationship it establishes, raises or reaffirms, in the
    document's own words (e.g. "comprehensive strategic partnership"); null if none."""
    relationship_change: Optional[RelationshipChange] = None
    """Whether that level was established, upgraded or reaffirmed."""
    relationship_country: Optional[Country] = None
    """The country whose relationship with China it concerns."""
    premier_hosted: bool = False
    """True for a document of a visit whose talks the Premier held while the President met
    the visitor (then `event` is the visit or the President's meeting)."""


class Position(SourcedRecord):
    """A stance China stated on an issue, on an occasion."""

    issue: Annotated[Issue, Field(json_schema_extra={"x-labels": ISSUES})]
    """The hotspot issue (a closed vocabulary; the data dictionary gives each label)."""
    statement: Statement = "stated"
    """What the sources give: `stated` (the substance of the position) or `views-exchanged`
    (only that the issue was discussed: then no stance and no demands are recorded)."""
    stance: Optional[Summary] = None
    """The stance, in one or two sentences; null when only views were exchanged."""
    demands: Annotated[list[Item], Field(json_schema_extra={"uniqueItems": True}),
                       AfterValidator(_unique)] = []
    """What it calls for, one item each (e.g. an immediate ceasefire)."""
    actor: Annotated[Id, Field(**ref("actors"))]
    """Id of the actor who stated it."""
    occasion: Annotated[Id, Field(**ref("events"))]
    """Id of the event at which it was stated."""
    outcome: Annotated[Optional[Id], Field(**ref("outcomes"))] = None
    """Id of the joint document that states it, where it was stated in one."""
    date: Optional[Date] = None
    """Date it was stated."""


class Aggregate(SourcedRecord):
    """A statement of the review that sums up many events, with examples that could be verified."""

    title: Name
    """What the statement sums up."""
    summary: Summary
    """What the review says, and what the examples are."""
    section: Section
    """The part of the review it belongs to."""
    exhaustive: bool
    """True when `examples` lists every record the statement covers; false when it lists
    verified examples only."""
    basis: Summary
    """How the list was established: what was searched, and the official tally compared with."""
    examples: Annotated[list[Id], Field(json_schema_extra={"uniqueItems": True,
                                                           "x-references": "*"}),
                        AfterValidator(_unique)] = []
    """Ids of the records it covers: all of them when `exhaustive`, else verified examples."""


class Source(Record):
    """A document a record rests on: the review itself or an official readout."""

    kind: SourceKind
    """Review, readout, statement, speech text, report or reference work."""
    title: Optional[Name] = None
    """Title of the page; empty only where the stored copy read did not show it (notes say so)."""
    publisher: Name
    """Who published it."""
    url: Url
    """Where it is published (https)."""
    published: Optional[Date] = None
    """Publication date, where the page shows one."""
    language: str = Field(pattern=LANGUAGE_PATTERN, max_length=20)
    """Language of the page (BCP 47, e.g. en)."""


class Alignment(Strict):
    """A sentence of a translation and a sentence of its original that say the same."""

    sentence: int = Field(ge=1, le=100_000)
    """Number of the sentence in this text (from 1)."""
    original: int = Field(ge=1, le=100_000)
    """Number of the sentence in the original text that it translates (from 1)."""


class Text(Record):
    """A text of the review in one language, its words in `source/<source id>.txt`."""

    source: Annotated[Id, Field(**ref("sources"))]
    """Id of the source (the published page) the words were copied from."""
    language: str = Field(pattern=LANGUAGE_PATTERN, max_length=20)
    """Language and script of the text (BCP 47, e.g. zh-Hans, en)."""
    sha256: str = Field(pattern=SHA256_PATTERN)
    """SHA-256 of the text file's bytes (UTF-8): the words the mentions quote."""
    complete: bool
    """False where only part of the published text could be read: the file holds its
    paragraphs from `first_section` on, as far as they could be read (notes say where it stops)."""
    first_section: Section = "heading"
    """The part of the review its first paragraph is (a copy may lack the heading)."""
    compared_with: Annotated[list[Id], Field(json_schema_extra={
                                 "uniqueItems": True, "x-references": "sources"}),
                             AfterValidator(_unique)] = []
    """Ids of other copies (sources) the words were compared with; notes say how they differ."""
    translation_of: Annotated[Optional[Id], Field(**ref("texts"))] = None
    """Id of the text this one translates (the original), if it is a translation."""
    alignment: Annotated[list[Alignment], Field(json_schema_extra={"uniqueItems": True}),
                         AfterValidator(_unique)] = []
    """For a translation: which sentence of the original each of its sentences translates
    (one pair per line; a sentence without a pair has no counterpart in the original as read)."""


class Commentary(Record):
    """A span of the review that states no fact to record, and why."""

    reason: Summary
    """Why the span holds no record (framing, evaluation, rhetoric)."""
    mentions: Annotated[list[Mention], Field(min_length=1, json_schema_extra={"uniqueItems": True}),
                        AfterValidator(_unique)]
    """The spans of the review this commentary covers."""


#: Each curated table's model, in the order of `records.TABLES` (a test ties the two).
RECORD_MODELS: dict[str, type[Record]] = {
    "sources": Source,
    "texts": Text,
    "actors": Actor,
    "events": Event,
    "outcomes": Outcome,
    "positions": Position,
    "aggregates": Aggregate,
    "commentary": Commentary,
}


SCHEMA_ID = "urn:dipdata:schema:{table}"


def json_schema(table: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a table's record files: what a file may hold
    (pydantic's defaults: validation mode, fields by their aliases, such as `$schema`)."""
    schema = RECORD_MODELS[table].model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID.format(table=table),
        **schema,
    }
