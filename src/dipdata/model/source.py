"""The review's text: its sections and sentences, the units that mentions must cover."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

from ..base.paths import SOURCE_DIR
from .vocabulary import Section

REVIEW_ID = "mfa-2023-12-29-mao-ning-cnr"
#: The text of the review (a record in `texts`) the records were curated from: the English one.
REVIEW_TEXT = "review-2023-en"
REVIEW_SHA256 = "e358a45dfc225aef9974e68ba9216a1d9af91d41f338a67fdd9e76146b994ed6"

# The review's paragraphs, in order: heading, question, the answer's opening, its four parts
# ("First" ... "Fourth") and the closing quotation; one name each, defined in `vocabulary`.
SECTIONS: tuple[str, ...] = get_args(Section)
# A sentence ends at . ? or ! (and a closing quotation mark) followed by white space; in
# Chinese at 。？！ (and a closing quotation mark), with no space after.
_SENTENCE_END = re.compile(r"(?<=[.?!])[”\"]?(?=\s)|(?<=[.?!][”\"])(?=\s)")
_CHINESE_END = re.compile(r"[。？！][”’」』]?")


@dataclass(frozen=True)
class Sentence:
    number: int
    section: str
    start: int
    end: int
    text: str
    in_text: str = REVIEW_TEXT


def review_path(root: Path) -> Path:
    return root / SOURCE_DIR / f"{REVIEW_ID}.txt"


def read_review(root: Path) -> str:
    """The review's text, exactly as received (newlines kept)."""
    return review_path(root).read_bytes().decode("utf-8")


def sentences(text: str, in_text: str = REVIEW_TEXT, language: str = "en",
              complete: bool = True, first_section: str = SECTIONS[0]) -> list[Sentence]:
    """Split a text of the review into numbered sentences with offsets into ``text``. Its
    paragraphs are the review's parts from ``first_section`` on: all of them if ``complete``,
    else as many as could be read."""
    result: list[Sentence] = []
    paragraphs = [m for m in re.finditer(r"\S[^\n]*", text)]
    parts = SECTIONS[SECTIONS.index(first_section):]
    if len(paragraphs) != len(parts) and (complete or not paragraphs
                                          or len(paragraphs) > len(parts)):
        raise ValueError(f"the text should have {len(parts)} paragraphs"
                         f"{'' if complete else ' or fewer'}, not {len(paragraphs)}")
    ends = _CHINESE_END if language.startswith("zh") else _SENTENCE_END
    for section, paragraph in zip(parts, paragraphs):
        start = paragraph.start()
        cuts = [m.end() for m in ends.finditer(paragraph.group())]
        for cut in sorted(set(cuts)) + [len(paragraph.group().rstrip())]:
            end = paragraph.start() + cut
            while start < end and text[start].isspace():
                start += 1
            if start < end:
                result.append(Sentence(len(result) + 1, section, start, end, text[start:end],
                                       in_text))
            start = end
    return result
