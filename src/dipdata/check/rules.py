"""Rules within one record: ids, text hygiene, dates, PLOVER modes, mentions, sources.

Each rule notes its problems on the record and never raises for bad data. The record's shape
was already checked against its JSON Schema.
"""

from __future__ import annotations

import bisect
import calendar
import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from . import records as reading
from .records import RecordFile
from ..model.source import REVIEW_ID, REVIEW_TEXT

if TYPE_CHECKING:
    from .texts import ReadText

#: (start, end, number) of each sentence of a text, sorted by start.
Bounds = list[tuple[int, int, int]]
#: The sentence holding each mention's quote: (text id, start, end) -> sentence number.
SentenceOf = dict[tuple[str, int, int], int]


def check_record(record: RecordFile, texts: dict[str, ReadText],
                 sentence_of: SentenceOf) -> None:
    """Every rule within one record whose shape is valid."""
    data = record.data
    if data["id"] != record.stem:
        record.problem("id-mismatch", f"id {data['id']!r} differs from the file name "
                       f"{record.stem!r}", field="id", pointer="/id")
    _check_text(record)
    _check_dates(record)
    if data.get("plover_mode") and data.get("plover_event") != "CONSULT":
        record.problem("plover-mode", "PLOVER defines modes for CONSULT events only",
                       field="plover_mode", pointer="/plover_mode")
    for index, mention in enumerate(data.get("mentions", ())):
        check_mention(record, index, mention, texts, sentence_of)
    _check_participants(record)
    _check_chinese(record)
    sidelines = data.get("sidelines_of")
    if sidelines is not None and sidelines in (data["id"], data.get("part_of")):
        record.problem("sidelines-of-itself", f"sidelines_of {sidelines!r} is the event itself or "
                       "its part_of: an event on another's sidelines is not part of it",
                       field="sidelines_of", pointer="/sidelines_of")
    if record.table == "outcomes":
        _check_relationship(record)
    elif record.table == "positions":
        _check_statement(record)
    if record.table not in ("sources", "texts", "commentary"):
        sources = data["sources"]
        if sources.count(REVIEW_ID) == len(sources):  # the review only, or nothing
            record.problem("needs-readout", "cite at least one source besides the review "
                           "(an official readout or reliable report)", field="sources",
                           pointer="/sources")


def _check_participants(record: RecordFile) -> None:
    """An actor takes part in an event once in each role: (event, actor, role) is the key
    of the participants table."""
    seen: set[tuple[str, str]] = set()
    for index, participant in enumerate(record.data.get("participants", ())):
        key = (participant["actor"], participant["role"])
        if key in seen:
            record.problem("duplicate-participant", f"{key[0]!r} already takes part as "
                           f"{key[1]!r}; give one capacity", field=f"participants[{index}].actor",
                           pointer=f"/participants/{index}/actor")
        seen.add(key)


#: The fields that together say what an outcome did to a bilateral relationship.
RELATIONSHIP = ("relationship", "relationship_change", "relationship_country")


def _check_relationship(record: RecordFile) -> None:
    """A relationship is given with its change and its country, or not at all."""
    given = [name for name in RELATIONSHIP if record.data.get(name) is not None]
    if given and len(given) < len(RELATIONSHIP):
        missing = next(name for name in RELATIONSHIP if name not in given)
        record.problem("incomplete-relationship", f"{', '.join(given)} given: give "
                       f"{missing} too (or none of {', '.join(RELATIONSHIP)})", field=missing,
                       pointer="")


def _check_statement(record: RecordFile) -> None:
    """A stated position has a stance; where only views were exchanged, none is invented."""
    data = record.data
    if data.get("statement", "stated") == "stated":
        if data.get("stance") is None:
            record.problem("missing-stance", "a stated position needs its stance (or "
                           "statement 'views-exchanged' if the sources give no substance)",
                           field="stance", pointer="")
    elif data.get("stance") is not None or data.get("demands"):
        name = "stance" if data.get("stance") is not None else "demands"
        record.problem("invented-stance", "where only views were exchanged, record no "
                       f"{name}: the sources give no substance", field=name, pointer=f"/{name}")


#: The fields written in Chinese, in simplified characters (variants may be traditional).
CHINESE_FIELDS = ("name_zh", "name_zh_short", "title_zh")


def _check_chinese(record: RecordFile) -> None:
    """Chinese fields hold Chinese (Han) text in simplified characters."""
    for name in CHINESE_FIELDS:
        value = record.data.get(name)
        if not isinstance(value, str):
            continue
        if not any(_script(char) == "CJK" for char in value):
            record.problem("not-chinese", f"{name} holds no Chinese characters",
                           field=name, pointer=f"/{name}")
            continue
        simplified = _to_simplified(value)
        if simplified != value:
            first = next(a for a, b in zip(value, simplified) if a != b)
            record.problem("not-simplified", f"{first!r} is a traditional character; in "
                           f"simplified characters the text reads {simplified!r}",
                           field=name, pointer=f"/{name}")


@functools.cache
def _converter() -> Any:
    import opencc  # OpenCC: the conversion tables Chinese text tools use

    return opencc.OpenCC("t2s")


def _to_simplified(value: str) -> str:
    return str(_converter().convert(value))


def _check_text(record: RecordFile) -> None:
    """Text is in NFC, and no word mixes look-alike scripts."""
    raw = record.raw
    escaped = b"\\" in raw and b"\\u" in raw  # (a search for one byte is much quicker)
    # ASCII text (the common case) can be neither out of NFC nor mixed in script.
    if raw.isascii() and not escaped:
        return
    # Without \\u escapes, every string is a run of the text between ASCII characters,
    # which never compose with their neighbours: when the whole text is in NFC, so is each
    # string. And a word can mix look-alike scripts only when some letter is Cyrillic, Greek,
    # Armenian or Cherokee (Latin is the only other confusable script).
    if not escaped and unicodedata.is_normalized("NFC", record.text) \
            and not _confusable_letters(raw):
        return
    for path, value in _strings(record.data, []):
        if value.isascii():
            continue
        if not unicodedata.is_normalized("NFC", value):
            record.problem("not-nfc", "text is not in Unicode NFC form; normalise it",
                           field=reading.field_path(path), pointer=reading.pointer(path))
        mixed = _mixed_script(value)
        if mixed:
            record.problem("mixed-script", mixed, field=reading.field_path(path),
                           pointer=reading.pointer(path))


def _check_dates(record: RecordFile) -> None:
    """End not before start; with month or year precision, the dates span whole months or
    years (first day to last day), so that no reader sees a false day."""
    data = record.data
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        record.problem("end-before-start", f"end_date {end} is before start_date {start}",
                       field="end_date", pointer="/end_date")
    if end and not start:
        record.problem("missing-value", "end_date is given but start_date is not",
                       field="start_date", pointer="")
    precision = data.get("date_precision")
    if precision not in ("month", "year") or not start:
        return
    unit = "month" if precision == "month" else "year"
    if not _first_day(start, precision):
        record.problem("date-precision", f"with date_precision {precision!r}, start_date is "
                       f"the first day of its {unit}", field="start_date", pointer="/start_date")
    if not end:
        record.problem("date-precision", f"with date_precision {precision!r}, end_date is "
                       f"the last day of the {unit} (the dates hold the whole {unit})",
                       field="end_date", pointer="/end_date")
    elif not _last_day(end, precision):
        record.problem("date-precision", f"with date_precision {precision!r}, end_date is "
                       f"the last day of its {unit}", field="end_date", pointer="/end_date")


def _first_day(value: str, precision: str) -> bool:
    return value.endswith("-01-01") if precision == "year" else value.endswith("-01")


def _last_day(value: str, precision: str) -> bool:
    year, month, day = (int(part) for part in value.split("-"))
    if precision == "year":
        return (month, day) == (12, 31)
    return day == calendar.monthrange(year, month)[1]


def check_mention(record: RecordFile, index: int, mention: dict[str, Any],
                  texts: dict[str, ReadText], sentence_of: SentenceOf) -> None:
    """The quote is its text's words at its offsets, within one sentence."""
    start, end, quote = mention["start"], mention["end"], mention["quote"]
    in_text = mention.get("in_text", REVIEW_TEXT)
    path = ["mentions", index]
    if type(start) is not int or type(end) is not int:
        # JSON Schema counts 5.0 as an integer; an offset is written as a whole number.
        record.problem("not-integer", "offsets are whole numbers, written without a decimal "
                       "point", field=reading.field_path(path), pointer=reading.pointer(path))
        return
    found_text = texts.get(in_text)
    if found_text is None:
        return  # an unknown text (the links check says so) or an unreadable one (reported)
    text = found_text.words
    name = "the review" if in_text == REVIEW_TEXT else f"the text {in_text}"
    if end <= start or text[start:end] != quote:
        found = text.find(quote)
        hint = f"; the quote is found at {found}-{found + len(quote)}" if found >= 0 else \
            f"; the quote is not in {name}"
        words = "the review's text" if in_text == REVIEW_TEXT else name
        record.problem("quote-mismatch", f"{words} at {start}-{end} is not the "
                       f"quote{hint}", field=reading.field_path(path),
                       pointer=reading.pointer(path))
        return
    number = sentence_holding(found_text.bounds, start, end)
    if number is not None:
        sentence_of[(in_text, start, end)] = number
        return
    record.problem("mention-spans-sentences", f"the quote at {start}-{end} runs across "
                   "sentences; split it into one mention per sentence",
                   field=reading.field_path(path), pointer=reading.pointer(path))


def sentence_holding(bounds: Bounds, start: int, end: int) -> int | None:
    """The number of the sentence that holds [start, end), or None."""
    at = bisect.bisect_right(bounds, (start, float("inf"), 0)) - 1
    if at >= 0 and bounds[at][0] <= start and end <= bounds[at][1]:
        return bounds[at][2]
    return None


def salvage_mentions(data: Any, texts: dict[str, ReadText], sentence_of: SentenceOf) -> None:
    """Note the well-formed, correct mentions of a record that failed a check, so that its
    sentences do not also look uncovered."""
    mentions = data.get("mentions") if isinstance(data, dict) else None
    for mention in mentions if isinstance(mentions, list) else ():
        if not isinstance(mention, dict):
            continue
        start, end, quote = mention.get("start"), mention.get("end"), mention.get("quote")
        in_text = mention.get("in_text", REVIEW_TEXT)
        found_text = texts.get(in_text) if isinstance(in_text, str) else None
        if found_text is not None and type(start) is int and type(end) is int \
                and 0 <= start < end and isinstance(quote, str) \
                and found_text.words[start:end] == quote:
            number = sentence_holding(found_text.bounds, start, end)
            if number is not None:
                sentence_of[(in_text, start, end)] = number


_CONFUSABLE_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE"}
_ASCII = bytes(range(128))


def _confusable_letters(raw: bytes) -> bool:
    """Whether the UTF-8 text holds a letter of a confusable script other than Latin."""
    for char in set(raw.translate(None, _ASCII).decode("utf-8", "replace")):
        if char.isalpha() and _script(char) in _CONFUSABLE_SCRIPTS and _script(char) != "LATIN":
            return True
    return False


@functools.lru_cache(maxsize=4096)
def _script(char: str) -> str:
    return unicodedata.name(char, "").split(" ")[0]


def _mixed_script(value: str) -> str | None:
    """A message when a word mixes look-alike scripts (a Cyrillic 'а' in a Latin name)."""
    for word in re.findall(r"\w+", value):
        scripts: dict[str, str] = {}
        for char in word:
            if char.isalpha():
                script = _script(char)
                if script in _CONFUSABLE_SCRIPTS:
                    scripts.setdefault(script, char)
        if len(scripts) > 1:
            first, *others = scripts
            char = scripts[others[0]]
            return (f"the word {word!r} mixes {first.title()} and {others[0].title()} letters: "
                    f"U+{ord(char):04X} {unicodedata.name(char)} looks like a {first.title()} "
                    "letter")
    return None


def _strings(value: Any, path: list) -> Iterator[tuple[list, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + [key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + [index])
