"""The record models under their public name, ``dipdata.models`` (defined in
:mod:`dipdata.model.models`)."""

from .model.models import (
    RECORD_MODELS,
    Actor,
    Aggregate,
    Alignment,
    Commentary,
    Event,
    Mention,
    Outcome,
    Participant,
    Position,
    Record,
    Source,
    SourcedRecord,
    Text,
    json_schema,
)

__all__ = ["RECORD_MODELS", "Actor", "Aggregate", "Alignment", "Commentary", "Event", "Mention",
           "Outcome", "Participant", "Position", "Record", "Source", "SourcedRecord", "Text",
           "json_schema"]
