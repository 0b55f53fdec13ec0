"""The review's text: its sections and sentences, the units that mentions must cover."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

from ..base.paths import SOURCE_DIR
from .vocabulary import Section

REVIEW_ID = "mfa-2023-12-29-mao-ning-cnr"
REVIEW_SHA256 = "e358a45dfc225aef9974e68ba9216a1d9af91d41f338a67fdd9e76146b994ed6"

# The review's paragraphs, in order: heading, question, the answer's opening, its four parts
# ("First" ... "Fourth") and the closing quotation; one name each, defined in `vocabulary`.
SECTIONS: tuple[str, ...] = get_args(Section)
# A sentence ends at . ? or ! (and a closing quotation mark) followed by white space.
_SENTENCE_END = re.compile(r"(?<=[.?!])[”\"]?(?=\s)|(?<=[.?!][”\"])(?=\s)")


@dataclass(frozen=True)
class Sentence:
    number: int
    section: str
    start: int
    end: int
    text: str


def review_path(root: Path) -> Path:
    return root / SOURCE_DIR / f"{REVIEW_ID}.txt"


def read_review(root: Path) -> str:
    """The review's text, exactly as received (newlines kept)."""
    return review_path(root).read_bytes().decode("utf-8")


def sentences(text: str) -> list[Sentence]:
    """Split the review into numbered sentences with offsets into ``text``."""
    result: list[Sentence] = []
    paragraphs = [m for m in re.finditer(r"\S[^\n]*", text)]
    if len(paragraphs) != len(SECTIONS):
        raise ValueError(f"the review should have {len(SECTIONS)} paragraphs, "
                         f"not {len(paragraphs)}")
    for section, paragraph in zip(SECTIONS, paragraphs, strict=True):
        start = paragraph.start()
        cuts = [m.end() for m in _SENTENCE_END.finditer(paragraph.group())]
        for cut in sorted(set(cuts)) + [len(paragraph.group().rstrip())]:
            end = paragraph.start() + cut
            while start < end and text[start].isspace():
                start += 1
            if start < end:
                result.append(Sentence(len(result) + 1, section, start, end, text[start:end]))
            start = end
    return result
