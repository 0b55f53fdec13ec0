"""The vocabularies and patterns records are written in: ids, dates, URLs, text, country
codes, and the closed lists (kinds, modes, sections, PLOVER types, roles).

Plain Python, no pydantic: the checks that compare against these (shape.py) stay light.
"""

from __future__ import annotations

import functools
from typing import Literal

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# A date is written exactly YYYY-MM-DD, in 1900-2099: no times, week dates, ordinals, compact
# forms or timestamps, which Python and pydantic would otherwise accept.
DATE_PATTERN = r"^(19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}$"
# http or https, and no user:password@ part before the host. Many official readouts (the
# Chinese embassies' pages among them) are published over plain http only.
URL_PATTERN = r"^https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[^\s]*)?$"
# Text must not start with a space or a spreadsheet formula trigger (= + - @; tab and CR are
# control characters) and holds no control, zero-width or bidirectional formatting characters.
FORBIDDEN_CHARACTERS = (r"\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                        r"\u2066-\u2069\ufeff")
TEXT_PATTERN = rf"^[^ =+\-@{FORBIDDEN_CHARACTERS}][^{FORBIDDEN_CHARACTERS}]*$"
QID_PATTERN = r"^Q[1-9][0-9]*$"
#: A SHA-256 digest in lower-case hexadecimal.
SHA256_PATTERN = r"^[0-9a-f]{64}$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?$"

EventKind = Literal[
    "visit", "summit", "talks", "meeting", "forum", "dialogue",
    "video-meeting", "call", "speech", "letter", "article",
]
Mode = Literal["in-person", "virtual", "phone", "written"]
DatePrecision = Literal["day", "month", "year"]
Section = Literal[
    "heading", "question", "opening", "major-country-relations",
    "neighbours-and-developing-countries", "hotspot-issues", "public-foundation", "closing",
]
# PLOVER (Political Language Ontology for Verifiable Event Records, openeventdata/PLOVER,
# manual draft 0.8): its 16 event types, and the modes it defines for CONSULT.
PloverEvent = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "DEMAND",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]
PloverMode = Literal["visit", "third-party", "multilateral", "phone"]
ActorKind = Literal["person", "organisation", "state"]
ParticipantRole = Literal["host", "guest", "chair", "co-chair", "participant", "counterpart"]
OutcomeKind = Literal[
    "joint-statement", "joint-declaration", "joint-communique", "action-plan", "declaration",
    "chairs-statement", "relationship-announcement", "agreement", "initiative", "plan",
    "decision", "measures",
]
#: The kinds of outcome that are joint documents of the parties.
JOINT_DOCUMENT_KINDS = ("joint-statement", "joint-declaration", "joint-communique",
                        "action-plan", "declaration", "chairs-statement")
RelationshipChange = Literal["established", "upgraded", "reaffirmed"]
#: The hotspot issues positions are stated on: id -> label.
ISSUES = {
    "ukraine-crisis": "The Ukraine crisis",
    "palestinian-israeli-conflict": "The Palestinian-Israeli conflict",
    "saudi-iran-relations": "Relations between Saudi Arabia and Iran",
    "iranian-nuclear-issue": "The Iranian nuclear issue",
    "afghanistan": "Afghanistan",
    "syria": "Syria",
    "korean-peninsula": "The Korean Peninsula",
}
Issue = Literal[
    "ukraine-crisis", "palestinian-israeli-conflict", "saudi-iran-relations",
    "iranian-nuclear-issue", "afghanistan", "syria", "korean-peninsula",
]
ChineseRegion = Literal["TW", "HK", "MO", "SG", "MY"]
#: What the sources give of a position: its substance, or only that views were exchanged.
Statement = Literal["stated", "views-exchanged"]
SourceKind = Literal["review", "readout", "statement", "speech", "report", "reference"]


@functools.cache
def country_codes() -> tuple[str, ...]:
    """ISO 3166-1 alpha-2 codes, from pycountry (loaded on first use)."""
    import pycountry

    return tuple(sorted(country.alpha_2 for country in pycountry.countries))

