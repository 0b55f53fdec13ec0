"""The bases of every record model: strictness, the fields every record has, the review's
spans (mentions) and the parts records share (participants, name variants)."""

from __future__ import annotations

from typing import Annotated, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from .fields import Id, LongText, Name, Notes, _unique, ref
from .source import REVIEW_TEXT
from .vocabulary import ChineseRegion, ParticipantRole


class Strict(BaseModel):
    """Base of every model: unknown fields are errors, nothing is coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True,
                              populate_by_name=True, use_attribute_docstrings=True)


class Mention(Strict):
    """A span of a text of the review that speaks of the record."""

    quote: LongText
    """The exact words of the review, equal to the source text at [start, end)."""
    start: int = Field(ge=0, le=10_000_000)
    """Offset of the first character of the quote in the source text (Unicode code points, from 0)."""
    end: int = Field(ge=1, le=10_000_000)
    """Offset just past the last character of the quote (exclusive)."""
    in_text: Annotated[Id, Field(**ref("texts"))] = REVIEW_TEXT
    """Id of the text of the review the quote is from (a record in `texts`); by default the
    English text, from which the records were curated."""


class Participant(Strict):
    """An actor taking part in an event, in a role."""

    actor: Annotated[Id, Field(**ref("actors"))]
    """Id of the actor (a record in `actors`)."""
    role: ParticipantRole
    """The actor's role in the event."""
    capacity: Optional[Name] = None
    """The office or capacity in which the actor took part, as on the event's date (e.g. "Prime
    Minister of Spain"); offices change within a year, so this can differ from the actor's title."""


class Record(Strict):
    """Fields every record has."""

    schema_ref: Optional[str] = Field(default=None, alias="$schema", exclude=True, repr=False,
                                      max_length=500)
    """Editor hint: the record's JSON Schema. Ignored by the build."""
    id: Id
    """The record's id, equal to its file name without `.json`."""
    notes: Notes = None
    """Curator's notes: caveats, corrections, what could not be confirmed."""


class SourcedRecord(Record):
    """A record that states facts: it cites sources and points at the review's words."""

    sources: Annotated[list[Id], Field(min_length=1, json_schema_extra={
                           "uniqueItems": True, "x-references": "sources"}),
                       AfterValidator(_unique)]
    """Ids of the sources (records in `sources`) the record's facts rest on."""
    mentions: Annotated[list[Mention], Field(json_schema_extra={"uniqueItems": True}),
                        AfterValidator(_unique)] = []
    """The spans of the review that speak of this record."""


class NameVariant(Strict):
    """Another common written form of a Chinese name, where it is used, with its source."""

    name: Name
    """The form as written (traditional characters where the region writes them)."""
    region: ChineseRegion
    """Where this form is common: TW (Taiwan), HK (Hong Kong), MO (Macao), SG (Singapore),
    MY (Malaysia)."""
    source: Annotated[Id, Field(**ref("sources"))]
    """Id of the source it was read in."""
