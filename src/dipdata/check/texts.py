"""The texts of the review: each text record's words read from `source/<source id>.txt`,
their hash checked, their sentences numbered, and the alignment to the original in range.
Mentions are checked against what this gives (`rules.check_mention`)."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..base.paths import RECORDS_DIR, SOURCE_DIR
from ..base.problems import Problem, Report
from ..model.source import REVIEW_ID, REVIEW_TEXT, SECTIONS, Sentence, sentences
from ..model.vocabulary import ID_PATTERN

_ID = re.compile(ID_PATTERN)


@dataclass(frozen=True)
class ReadText:
    """A text's words, its sentences, and their (start, end, number), sorted by start."""

    words: str
    sentences: list[Sentence]

    @functools.cached_property
    def bounds(self) -> list[tuple[int, int, int]]:
        return [(s.start, s.end, s.number) for s in self.sentences]


def read_texts(root: Path, review: str, report: Report) -> dict[str, ReadText]:
    """Every text of the review that can be read and is what its record says, by id; the
    English review (read and hash-checked before) is always one."""
    texts = {REVIEW_TEXT: ReadText(review, sentences(review))}
    records = _text_records(root)
    for text_id, (where, data) in records.items():
        found = _read(root, where, text_id, data, report)
        if found is not None and text_id != REVIEW_TEXT:
            texts[text_id] = found
    for text_id, (where, data) in records.items():
        _check_alignment(where, text_id, data, texts, report)
    return texts


def _text_records(root: Path) -> dict[str, tuple[str, dict[str, Any]]]:
    """The text records that parse as objects with an id (the record checks report the rest)."""
    found = {}
    for path in sorted((root / RECORDS_DIR / "texts").glob("*.json")):
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            found[data["id"]] = (path.relative_to(root).as_posix(), data)
    return found


def _read(root: Path, where: str, text_id: str, data: dict[str, Any],
          report: Report) -> ReadText | None:
    source = data.get("source")
    if not isinstance(source, str) or not _ID.match(source):
        return None  # the record's shape check says why
    name = f"{SOURCE_DIR}/{source}.txt"
    try:
        raw = (root / name).read_bytes()
        words = raw.decode()
        language, complete = str(data.get("language")), data.get("complete") is not False
        first = data.get("first_section")  # a wrong one is the shape check's to report
        found = sentences(words, text_id, language, complete,
                          first if first in SECTIONS else SECTIONS[0])
    except (OSError, ValueError) as error:
        why = error.strerror if isinstance(error, OSError) and error.strerror else error
        report.add(Problem(where, code="unreadable-text", record=text_id, field="source",
                           message=f"cannot read the text's words in {name}: {why}"))
        return None
    digest = hashlib.sha256(raw).hexdigest()
    if digest != data.get("sha256"):
        report.add(Problem(where, code="text-changed", record=text_id, field="sha256",
                           message=f"{name} has sha256 {digest}, not the one recorded; "
                           "every quote in this text rests on its words"))
        return None
    return ReadText(words, found)


def _check_alignment(where: str, text_id: str, data: dict[str, Any],
                     texts: dict[str, ReadText], report: Report) -> None:
    """Each pair names a sentence of this text and one of its original that exist."""
    pairs = data.get("alignment")
    if not isinstance(pairs, list) or not pairs:
        return
    original = data.get("translation_of")
    if original is not None and not isinstance(original, str):
        return  # not an id: the shape check says so
    if original is None:
        report.add(Problem(where, code="alignment-without-original", record=text_id,
                           field="alignment", message="an alignment pairs sentences with "
                           "those of the original: name it in translation_of"))
        return
    own, other = texts.get(text_id), texts.get(original)
    if own is None or other is None:
        return  # unreadable (reported above) or an unknown id (the links check reports it)
    for index, pair in enumerate(pairs):
        for key, text, name in (("sentence", own, text_id), ("original", other, original)):
            number = pair.get(key) if isinstance(pair, dict) else None
            if isinstance(number, int) and not 1 <= number <= len(text.sentences):
                report.add(Problem(where, code="alignment-out-of-range", record=text_id,
                                   field=f"alignment[{index}].{key}",
                                   message=f"{name} has sentences 1 to "
                                   f"{len(text.sentences)}, not {number}"))


def other_texts(root: Path) -> list[tuple[dict[str, Any], dict[str, Any], bytes]]:
    """The texts of the review besides the English one (valid records, read after
    validation): each text record, its source record and its words, by text id."""
    found = []
    for path in sorted((root / RECORDS_DIR / "texts").glob("*.json")):
        record = json.loads(path.read_bytes())
        if record["source"] != REVIEW_ID:
            source = json.loads((root / RECORDS_DIR / "sources" / f"{record['source']}.json")
                                .read_bytes())
            found.append((record, source,
                          (root / SOURCE_DIR / f"{record['source']}.txt").read_bytes()))
    return found

