"""Fast unit tests of the rule and safety code, called directly on small inputs: each states
its expected values by hand. The mutation run (pyproject.toml [tool.mutmut]) leans on these,
since they take milliseconds where a validation of the repository takes a second."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from dipdata.base import archives as archive
from dipdata.publish import verify as verifying
from dipdata.check import links
from dipdata.use import loader
from dipdata.check import limits
from dipdata.check import records
from dipdata.check import rules
from dipdata.check import shape
from dipdata.publish import versions
from dipdata.base.archives import ReleaseError
from dipdata.check.records import RecordFile
from dipdata.check.texts import ReadText
from dipdata.check.validate import load_schemas
from dipdata.model.source import REVIEW_TEXT, Sentence

from .conftest import ROOT

SCHEMAS = load_schemas(ROOT)


def record(table: str, data: dict, stem: str | None = None) -> RecordFile:
    """A record file held in memory, its text the data written out (for locations)."""
    made = RecordFile(Path("/nonexistent"), f"records/{table}/{stem or data['id']}.json", table)
    made.data, made.text = data, json.dumps(data, indent=2)
    return made


UNREACHABLE = ("no path leads to it from the review: mention it, make it part_of an event "
               "that is, or list it in an aggregate that the review mentions")
#: Problems located at the record itself (the field they name may be absent).
AT_THE_RECORD = {"end_date is given but start_date is not", UNREACHABLE}


def found(made: RecordFile) -> list[tuple[str, str, str]]:
    """The problems noted on a record; each must be located at the field it names (its key's
    line and column), or at the record for those about a missing field."""
    for problem in made.problems:
        pointer = "" if problem.message in AT_THE_RECORD else \
            "/" + re.sub(r"\[(\d+)\]", r"/\1", problem.field).replace(".", "/")
        assert (problem.line, problem.column) == made.locate(pointer), str(problem)
    return [(p.code, p.field, p.message) for p in made.problems]


# --- rules.py -----------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "precision", "first", "last"), [
    ("2023-05-01", "month", True, False), ("2023-05-31", "month", False, True),
    ("2023-02-28", "month", False, True), ("2024-02-28", "month", False, False),
    ("2024-02-29", "month", False, True), ("2023-01-01", "year", True, False),
    ("2023-12-31", "year", False, True), ("2023-12-01", "year", False, False),
    ("2023-01-31", "year", False, False),
])
def test_first_and_last_days(value, precision, first, last):
    assert (rules._first_day(value, precision), rules._last_day(value, precision)) == (first, last)


BOUNDS = [(0, 10, 1), (11, 20, 2), (25, 30, 3)]


@pytest.mark.parametrize(("start", "end", "number"), [
    (0, 10, 1), (0, 1, 1), (9, 10, 1), (11, 20, 2), (12, 19, 2), (25, 30, 3),
    (9, 12, None), (0, 11, None), (10, 11, None), (20, 25, None), (21, 22, None),
    (29, 31, None), (31, 32, None),
])
def test_sentence_holding(start, end, number):
    assert rules.sentence_holding(BOUNDS, start, end) == number


def test_mixed_script():
    assert rules._mixed_script("Vladimir Putin") is None
    assert rules._mixed_script("Москва and Moscow") is None
    assert rules._mixed_script("Vl\u0430dimir") == (
        "the word 'Vl\u0430dimir' mixes Latin and Cyrillic letters: U+0430 CYRILLIC SMALL "
        "LETTER A looks like a Latin letter")
    assert rules._mixed_script("ok \u0391thens") == (
        "the word '\u0391thens' mixes Greek and Latin letters: U+0074 LATIN SMALL LETTER T looks "
        "like a Greek letter")


TEXT = "One two. Three four. Five."
TEXT_BOUNDS = [(0, 8, 1), (9, 20, 2), (21, 26, 3)]
#: The texts the rules check mentions against: the English review only, by default.
TEXTS = {REVIEW_TEXT: ReadText(TEXT, [Sentence(n, "heading", start, end, TEXT[start:end])
                                      for start, end, n in TEXT_BOUNDS])}


def event(**changes) -> dict:
    data = {"id": "e", "kind": "meeting", "title": "T", "start_date": "2023-05-18",
            "end_date": "2023-05-18", "date_precision": "day", "plover_event": "CONSULT",
            "plover_mode": "visit", "sources": ["readout"], "mentions": []}
    data.update(changes)
    return data


def checked(data: dict, table: str = "events", stem: str | None = None) -> RecordFile:
    made = record(table, data, stem)
    rules.check_record(made, TEXTS, {})
    return made


def test_a_good_record_has_no_problem():
    assert found(checked(event())) == []


@pytest.mark.parametrize(("changes", "expected"), [
    ({"plover_event": "AGREE"}, [("plover-mode", "plover_mode",
                                  "PLOVER defines modes for CONSULT events only")]),
    ({"plover_event": "AGREE", "plover_mode": None}, []),
    ({"sources": ["mfa-2023-12-29-mao-ning-cnr"]}, [
        ("needs-readout", "sources", "cite at least one source besides the review (an official "
         "readout or reliable report)")]),
    ({"sources": ["mfa-2023-12-29-mao-ning-cnr", "readout"]}, []),
    ({"end_date": "2023-05-17"}, [("end-before-start", "end_date",
                                   "end_date 2023-05-17 is before start_date 2023-05-18")]),
    ({"start_date": None}, [("missing-value", "start_date",
                             "end_date is given but start_date is not")]),
    ({"start_date": None, "end_date": None}, []),
    ({"end_date": None}, []),
    ({"date_precision": "month", "start_date": "2023-05-01", "end_date": "2023-05-31"}, []),
    ({"date_precision": "month", "start_date": "2023-05-02", "end_date": "2023-05-31"}, [
        ("date-precision", "start_date",
         "with date_precision 'month', start_date is the first day of its month")]),
    ({"date_precision": "month", "start_date": "2023-05-01", "end_date": None}, [
        ("date-precision", "end_date", "with date_precision 'month', end_date is the last day "
         "of the month (the dates hold the whole month)")]),
    ({"date_precision": "year", "start_date": "2023-01-01", "end_date": "2023-12-30"}, [
        ("date-precision", "end_date",
         "with date_precision 'year', end_date is the last day of its year")]),
    ({"date_precision": "year", "start_date": None, "end_date": None}, []),
    ({"title": "Cafe\u0301"}, [("not-nfc", "title",
                                "text is not in Unicode NFC form; normalise it")]),
    ({"title": "Caf\u00e9"}, []),
])
def test_rules_within_an_event(changes, expected):
    assert found(checked(event(**changes))) == expected


def test_id_must_be_the_file_name():
    assert found(checked(event(), stem="other")) == [
        ("id-mismatch", "id", "id 'e' differs from the file name 'other'")]


def test_sources_and_commentary_need_no_readout():
    assert found(checked({"id": "e", "reason": "r", "mentions": []}, "commentary")) == []
    assert found(checked({"id": "e", "url": "https://x"}, "sources")) == []


def test_text_in_lists_is_checked_with_its_path():
    made = checked(event(participants=[{"actor": "a", "role": "host",
                                        "capacity": "Pr\u0435sident"}]))
    assert found(made) == [("mixed-script", "participants[0].capacity",
                            "the word 'Pr\u0435sident' mixes Latin and Cyrillic letters: U+0435 "
                            "CYRILLIC SMALL LETTER IE looks like a Latin letter")]


@pytest.mark.parametrize(("mention", "expected", "sentence"), [
    ({"quote": "Three four.", "start": 9, "end": 20}, [], 2),
    ({"quote": "One", "start": 0, "end": 3}, [], 1),
    ({"quote": "Three four.", "start": 9.0, "end": 20}, [
        ("not-integer", "mentions[0]",
         "offsets are whole numbers, written without a decimal point")], None),
    ({"quote": "Three four.", "start": 9, "end": 20.0}, [
        ("not-integer", "mentions[0]",
         "offsets are whole numbers, written without a decimal point")], None),
    ({"quote": "Three four.", "start": 10, "end": 21}, [
        ("quote-mismatch", "mentions[0]",
         "the review's text at 10-21 is not the quote; the quote is found at 9-20")], None),
    ({"quote": "Nowhere", "start": 0, "end": 7}, [
        ("quote-mismatch", "mentions[0]",
         "the review's text at 0-7 is not the quote; the quote is not in the review")], None),
    ({"quote": "", "start": 3, "end": 3}, [
        ("quote-mismatch", "mentions[0]",
         "the review's text at 3-3 is not the quote; the quote is found at 0-0")], None),
    ({"quote": "two. Three", "start": 4, "end": 14}, [
        ("mention-spans-sentences", "mentions[0]", "the quote at 4-14 runs across sentences; "
         "split it into one mention per sentence")], None),
])
def test_mentions(mention, expected, sentence):
    made, sentence_of = record("events", event(mentions=[mention])), {}
    rules.check_record(made, TEXTS, sentence_of)
    assert found(made) == expected
    assert sentence_of == ({(REVIEW_TEXT, mention["start"], mention["end"]): sentence}
                           if sentence else {})


def test_salvaged_mentions_cover_their_sentences():
    sentence_of: dict = {}
    rules.salvage_mentions({"mentions": [
        "not a mention", {"quote": "One", "start": 0, "end": 3},
        {"quote": "Five.", "start": 21, "end": 26}, {"quote": "One", "start": 0, "end": 4},
        {"quote": "One", "start": 0.0, "end": 3}, {"quote": 1, "start": 0, "end": 3},
        {"quote": "", "start": 0, "end": 0}, {"quote": "two. Three", "start": 4, "end": 14},
        "not a mention"]}, TEXTS, sentence_of)
    assert sentence_of == {(REVIEW_TEXT, 0, 3): 1, (REVIEW_TEXT, 21, 26): 3}
    for data in ([], {"mentions": "x"}, {}, {"mentions": [  # an unknown or odd text: none
            {"quote": "One", "start": 0, "end": 3, "in_text": "review-1999-xx"},
            {"quote": "One", "start": 0, "end": 3, "in_text": 5}]}):
        rules.salvage_mentions(data, TEXTS, sentence_of)
    assert sentence_of == {(REVIEW_TEXT, 0, 3): 1, (REVIEW_TEXT, 21, 26): 3}


# --- links.py -----------------------------------------------------------------------------

def linked(*made: RecordFile) -> list[tuple[str, str, str, str]]:
    files = list(made)
    checker = links.Links(files, SCHEMAS)
    for one in files:
        if not one.problems:
            checker.check(one)
        checker.note(one)
    checker.finish()
    return [(one.data["id"], *problem) for one in files for problem in found(one)]


MENTION = [{"quote": "q", "start": 0, "end": 1}]


def ev(event_id: str, start: str | None = "2023-05-18", end: str | None = "2023-05-19",
       part_of: str | None = None, mentions: list | None = None) -> RecordFile:
    return record("events", {"id": event_id, "start_date": start, "end_date": end,
                             "part_of": part_of, "participants": [], "sources": [],
                             "mentions": MENTION if mentions is None else mentions})


def test_parts_lie_within_their_parent_both_ends_included():
    assert linked(ev("parent"), ev("same", part_of="parent"),
                  ev("first-day", "2023-05-18", "2023-05-18", "parent"),
                  ev("last-day", "2023-05-19", None, "parent")) == []


@pytest.mark.parametrize(("start", "end", "field", "value"), [
    ("2023-05-17", "2023-05-18", "start_date", "2023-05-17"),
    ("2023-05-19", "2023-05-20", "end_date", "2023-05-20"),
    ("2023-05-17", "2023-05-20", "start_date", "2023-05-17"),
    ("2023-05-20", None, "start_date", "2023-05-20"),
])
def test_a_part_outside_its_parent(start, end, field, value):
    assert linked(ev("parent"), ev("part", start, end, "parent")) == [
        ("part", "outside-parent", field, f"{field} {value} is outside the dates of 'parent' "
                                          "(2023-05-18 to 2023-05-19)")]


def test_a_parent_of_one_day_or_no_date():
    assert linked(ev("parent", end=None), ev("part", "2023-05-19", None, "parent")) == [
        ("part", "outside-parent", "start_date", "start_date 2023-05-19 is outside the dates "
                                                  "of 'parent' (2023-05-18 to 2023-05-18)")]
    assert linked(ev("parent", None, None), ev("part", "2023-05-19", None, "parent")) == []


def test_a_position_within_its_occasion():
    def position(date):
        return record("positions", {"id": "p", "occasion": "meeting", "date": date,
                                    "actor": "a", "sources": [], "mentions": MENTION})
    actor = record("actors", {"id": "a"})
    assert linked(actor, ev("meeting"), position("2023-05-19")) == []
    assert linked(actor, ev("meeting"), position("2023-05-20")) == [
        ("p", "outside-parent", "date",
         "date 2023-05-20 is outside the dates of 'meeting' (2023-05-18 to 2023-05-19)")]
    assert linked(actor, ev("meeting"), position(None)) == []


def test_cycles_of_part_of():
    # d is part of a, which is in a cycle: the cycle is a's problem, not d's
    assert linked(ev("a", part_of="b"), ev("b", part_of="c"), ev("c", part_of="a"),
                  ev("d", part_of="a")) == [
        ("a", "part-of-cycle", "part_of", "part_of leads back to this event"),
        ("b", "part-of-cycle", "part_of", "part_of leads back to this event"),
        ("c", "part-of-cycle", "part_of", "part_of leads back to this event")]
    assert linked(ev("a", part_of="a")) == [
        ("a", "part-of-cycle", "part_of", "part_of leads back to this event")]
    assert links._loops("a", {"a": ("a", None, None, True)}) is True
    assert links._loops("a", {"a": ("gone", None, None, True)}) is False
    assert links._loops("a", {"a": (None, None, None, True)}) is False


def test_reachability_from_the_review():
    assert linked(ev("lonely", mentions=[])) == [
        ("lonely", "unreachable-event", "mentions", UNREACHABLE)]
    # through a mentioned parent, a mentioned outcome or position, or a mentioned aggregate
    assert linked(ev("trip"), ev("part", part_of="trip", mentions=[])) == []
    assert linked(ev("trip", mentions=[]), ev("part", part_of="trip", mentions=[])) == [
        ("trip", "unreachable-event", "mentions", UNREACHABLE),
        ("part", "unreachable-event", "mentions", UNREACHABLE)]
    outcome = record("outcomes", {"id": "o", "event": "talks", "sources": [],
                                  "mentions": MENTION})
    assert linked(ev("talks", mentions=[]), outcome) == []
    silent = record("outcomes", {"id": "o", "event": "talks", "sources": [], "mentions": []})
    assert linked(ev("talks", mentions=[]), silent) == [
        ("talks", "unreachable-event", "mentions", UNREACHABLE)]
    aggregate = record("aggregates", {"id": "g", "examples": ["talks"], "sources": [],
                                      "mentions": MENTION})
    assert linked(ev("talks", mentions=[]), aggregate) == []
    # an outcome listed by a mentioned aggregate leads to the event that produced it
    listing = record("aggregates", {"id": "g", "examples": ["o"], "sources": [],
                                    "mentions": MENTION})
    assert linked(ev("talks", mentions=[]), silent, listing) == []
    unmentioned = record("aggregates", {"id": "g", "examples": ["talks"], "sources": [],
                                        "mentions": []})
    assert linked(ev("talks", mentions=[]), unmentioned) == [
        ("talks", "unreachable-event", "mentions", UNREACHABLE)]


def test_duplicate_ids_and_urls_and_dangling_references():
    first = record("actors", {"id": "x", "name": "X"})
    second = record("sources", {"id": "x", "url": "https://a"})
    assert linked(first, second) == [
        ("x", "duplicate-id", "id", "id 'x' is already used by records/actors/x.json")]
    # the id belongs to the actor: a reference to a source of that id finds none
    citing = record("events", {"id": "y", "sources": ["x"], "participants": [{"actor": "x"}]})
    assert linked(record("actors", {"id": "x", "name": "X"}),
                  record("sources", {"id": "x", "url": "https://a"}), citing) == [
        ("x", "duplicate-id", "id", "id 'x' is already used by records/actors/x.json"),
        ("y", "dangling-reference", "sources[0]", "'x' is not a record in the sources table")]
    one = record("sources", {"id": "one", "url": "https://a"})
    two = record("sources", {"id": "two", "url": "https://a"})
    three = record("sources", {"id": "three", "url": "https://b"})
    assert linked(one, two, three) == [
        ("two", "duplicate-url", "url", "the URL is already the source 'one'; cite that one")]
    talks = record("events", {"id": "t", "part_of": "nowhere", "sources": ["one", "gone"],
                              "participants": [{"actor": "one", "role": "host"}],
                              "mentions": MENTION})
    assert sorted(linked(one, talks)) == [
        ("t", "dangling-reference", "part_of", "'nowhere' is not a record in the events table"),
        ("t", "dangling-reference", "participants[0].actor",
         "'one' is not a record in the actors table"),
        ("t", "dangling-reference", "sources[1]", "'gone' is not a record in the sources table"),
    ]


def test_reference_parts():
    assert links._reference_parts("part_of", None) == ["part_of"]
    assert links._reference_parts("sources[]", 2) == ["sources", 2]
    assert links._reference_parts("participants[].actor", 1) == ["participants", 1, "actor"]


def test_dates_are_read_only_when_well_formed():
    assert [links._date(v) for v in ("2023-05-18", "2023-5-18", 20230518, None, "x2023-05-18")] \
        == ["2023-05-18", None, None, None, None]


# --- records.py ---------------------------------------------------------------------------

@pytest.mark.parametrize(("parts", "path", "pointer"), [
    ([], "-", ""), (["id"], "id", "/id"), (["participants", 0, "actor"],
                                           "participants[0].actor", "/participants/0/actor"),
    (["a/b", "c~d"], "a/b.c~d", "/a~1b/c~0d"), ([3], "[3]", "/3"),
])
def test_field_paths_and_pointers(parts, path, pointer):
    assert (records.field_path(parts), records.pointer(parts)) == (path, pointer)


def test_find_key():
    data = {"a": 1, "list": [{"b": 2}, {"c": {"d/e": 3}}]}
    assert [limits._find_key(data, key) for key in ("a", "b", "d/e", "zz")] == [
        "/a", "/list/0/b", "/list/1/c/d~1e", None]
    assert limits._find_key(5, "a") is None


def test_locate_and_record_name():
    made = record("events", {"id": "e", "list": [1, {"k": 2}]}, stem="file")
    assert [made.locate(p) for p in ("/id", "/list/1/k", "/list/0", "/nowhere", "")] == [
        (2, 3), (6, 7), (4, 5), (1, 1), (1, 1)]
    made.problem("c", "m", pointer="/list/1/k")
    made.problem("c", "m", line=9, column=8)
    made.data = {"id": 5}
    made.problem("c", "m")
    assert [(p.line, p.column, p.record) for p in made.problems] == [
        (6, 7, "e"), (9, 8, "e"), (0, 0, "file")]
    empty = RecordFile(Path("/nonexistent"), "records/events/e.json", "events")
    assert (empty.text, empty.locate("/id")) == ("", (0, 0))


@pytest.mark.parametrize(("content", "expected"), [
    (b'{"id": "e"}', []),
    (b"", [("invalid-json", 1, 1, "Input is a zero-length, empty document")]),
    (b'{"a": NaN}', [("invalid-json", 1, 7, "NaN is not a JSON number")]),
    (b'{"NaN": "Infinity", "a": -Infinity}', [
        ("invalid-json", 1, 26, "-Infinity is not a JSON number")]),
    (b'{"a": 1, "a": 2}', [("duplicate-key", 1, 10,
                            "key 'a' appears more than once; JSON readers would silently keep "
                            "only one")]),
    (b'{"a": {"b": 1, "b": 2}}', [("duplicate-key", 1, 16,
                                   "key 'b' appears more than once; JSON readers would silently "
                                   "keep only one")]),
    (b'{"a": "x:y"}', []),
    # The kept value holds a colon written escaped: the repeated key is still found.
    (b'{"a": 1, "a": "\\u003a"}', [("duplicate-key", 1, 10,
                                    "key 'a' appears more than once; JSON readers would "
                                    "silently keep only one")]),
    (b'{"a": "\\u003A", "b": "\\\\u003a"}', []),
    (b'{"a": 1, "a": "\\u003A"}', [("duplicate-key", 1, 10,
                                    "key 'a' appears more than once; JSON readers would "
                                    "silently keep only one")]),
    (b'{"a": "\\u003a", "a": "\\u003a"}', [("duplicate-key", 1, 17,
                                             "key 'a' appears more than once; JSON readers "
                                             "would silently keep only one")]),
    *[(b'{"a": 1, "a": "\\u003' + case + b'", "b": {"c": 1, "c": 2}}', [
        ("duplicate-key", 1, 39, "key 'c' appears more than once; JSON readers would silently "
                                 "keep only one"),
        ("duplicate-key", 1, 10, "key 'a' appears more than once; JSON readers would silently "
                                 "keep only one")]) for case in (b"a", b"A")],
    (b"\xef\xbb\xbf{}", [("bom", 1, 1, "starts with a byte order mark (U+FEFF); save as UTF-8 "
                                       "without BOM")]),
    (b"\xff\xfe{\x00}\x00", [("not-utf8", 1, 1, "is UTF-16 (it starts with a UTF-16 byte order "
                                                "mark); save as UTF-8")]),
    (b"\xfe\xff\x00{\x00}", [("not-utf8", 1, 1, "is UTF-16 (it starts with a UTF-16 byte order "
                                                "mark); save as UTF-8")]),
    (b'{\n "a": "\xe9"}', [("not-utf8", 2, 8, "byte 0xE9 at offset 9 is not UTF-8 (Latin-1 or "
                                             "UTF-16?); save as UTF-8")]),
    (b"[" * 1100 + b"]" * 1100, [("too-deep", 1, 1026, "nested too deeply to be a record")]),
    # deeper than the limit of 64 but within what the parser reads: the 65th bracket
    (b"[" * 300 + b"]" * 300, [("too-deep", 1, 65, "nested too deeply to be a record")]),
    (b'{"a":\n' + b"[" * 64 + b"]" * 64 + b"}", [
        ("too-deep", 2, 64, "nested too deeply to be a record")]),
    (b'{"a": ' + b"[" * 63 + b"]" * 63 + b"}", []),  # 64 levels with the object's own
    (b'{"venue":\n  123456789012345678901234567890}', [
        ("number-too-large", 2, 3, "a number this long cannot be read exactly (whole numbers "
         "are at most 64 bits); write it as a string if it is a code")]),
    (b'{"n": 9223372036854775807, "m": -9223372036854775808}', []),  # 64 bits: exact
    (b" " * records.MAX_FILE_BYTES + b"{}", [
        ("file-too-large", 0, 0, f"a record file is at most {records.MAX_FILE_BYTES} bytes")]),
    (b" " * (records.MAX_FILE_BYTES - 2) + b"{}", []),
])
def test_reading_a_file(tmp_path, content, expected):
    (tmp_path / "records" / "events").mkdir(parents=True)
    (tmp_path / "records" / "events" / "e.json").write_bytes(content)
    made = RecordFile(tmp_path, "records/events/e.json", "events")
    records.read(tmp_path, made)
    assert [(p.code, p.line, p.column, p.message) for p in made.problems] == expected


def test_discover_and_record_file(tmp_path):
    tables = records.TABLES
    assert [str(p) for p in records.discover(tmp_path, tables)[1]] == [
        "records: missing-records: there is no records/ folder here"]
    events = tmp_path / "records" / "events"
    events.mkdir(parents=True)
    (events / "b.json").write_text("{}")
    (events / "a.json").write_text("{}")
    (events / "notes.txt").write_text("")
    (events / ".json").write_text("{}")  # an id is never empty
    (events / "sub.json").mkdir()
    (events / "link.json").symlink_to(events / "a.json")
    (tmp_path / "records" / "stray.json").write_text("{}")
    (tmp_path / "records" / "places").mkdir()
    (tmp_path / "records" / "actors").symlink_to(events)
    files, problems = records.discover(tmp_path, tables)
    assert [(f.root, f.path, f.stem, f.table) for f in files] == [
        (tmp_path, "records/events/a.json", "a", "events"),
        (tmp_path, "records/events/b.json", "b", "events")]
    not_a_table = ("unexpected-file: not a table folder; records/ holds only: sources, texts, actors, "
                   "events, outcomes, positions, aggregates, commentary")
    not_a_record = "unexpected-file: not a record: records/<table>/ holds only <id>.json files"
    assert [str(p) for p in problems] == [
        f"records/actors: {not_a_table}",
        f"records/events/.json: {not_a_record}",
        "records/events/link.json: symlink: symbolic links are not allowed in records/",
        f"records/events/notes.txt: {not_a_record}",
        f"records/events/sub.json: {not_a_record}",
        f"records/places: {not_a_table}",
        f"records/stray.json: {not_a_table}"]
    for given in (tmp_path / "records/events/a.json", Path("records/events/a.json")):
        made = records.record_file(tmp_path, given, tables)
        assert (made.root, made.path, made.stem, made.table) == (
            tmp_path, "records/events/a.json", "a", "events")
    where = ("unexpected-file: a record file is records/<table>/<id>.json, with table one of: "
             "sources, texts, actors, events, outcomes, positions, aggregates, commentary")
    assert [str(records.record_file(tmp_path, Path(path), tables)) for path in (
        "records/events/zz.json", "records/events/link.json", "records/events/sub.json",
        "records/events/notes.txt", "records/nope/a.json", "records/events",
        "records/events/a/b.json", "elsewhere/events/a.json", "/elsewhere/a.json")] == [
        "records/events/zz.json: missing-file: no such file",
        "records/events/link.json: symlink: symbolic links are not allowed in records/",
        f"records/events/sub.json: {not_a_record}",
        f"records/events/notes.txt: {not_a_record}",
        f"records/nope/a.json: {where}", f"records/events: {where}",
        f"records/events/a/b.json: {where}", f"elsewhere/events/a.json: {where}",
        f"/elsewhere/a.json: {where}"]
    (events / "dangling.json").symlink_to(events / "gone.json")
    assert str(records.record_file(tmp_path, Path("records/events/dangling.json"), tables)) == \
        "records/events/dangling.json: symlink: symbolic links are not allowed in records/"


def test_discover_takes_every_table_in_id_order_then_table(tmp_path):
    for path in ("sources/b.json", "sources/a.json", "actors/c.json", "actors/a.json",
                 "events/b2.json", "events/a.json", "commentary/0.json"):
        (tmp_path / "records" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "records" / path).write_text("{}")
    files, problems = records.discover(tmp_path, records.TABLES)
    assert [(f.stem, f.table) for f in files] == [
        ("0", "commentary"), ("a", "actors"), ("a", "events"), ("a", "sources"),
        ("b", "sources"), ("b2", "events"), ("c", "actors")]
    assert problems == []


def test_read_keeps_the_sha256_of_the_bytes(tmp_path):
    (tmp_path / "records" / "events").mkdir(parents=True)
    (tmp_path / "records/events/x.json").write_bytes(b'{"id": "x"}\n')
    made = RecordFile(tmp_path, "records/events/x.json", "events")
    records.read(tmp_path, made)
    assert (made.data, made.problems) == ({"id": "x"}, ())
    # sha256sum of the file, by hand
    assert made.digest.hex() == \
        "a15ec93cdf8112fc511cdca3ab179ee7f81d28504089f9d3f55a68833606711d"


# --- shape.py -----------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    (None, "null"), (True, "true/false"), ("x", "a string"), (1, "an integer"),
    (1.5, "a number"), ([], "a list"), ({}, "an object"),
])
def test_json_type(value, expected):
    assert shape._json_type(value) == expected


@pytest.mark.parametrize(("value", "code", "message"), [
    ("=1", "formula-trigger", "starts with '=', which a spreadsheet would run as a formula; "
                              "reword it"),
    ("@x", "formula-trigger", "starts with '@', which a spreadsheet would run as a formula; "
                              "reword it"),
    (" x", "leading-space", "starts with a space"),
    ("ab\u200bc", "invisible-character", "holds U+200B ZERO WIDTH SPACE at character 3; remove it"),
    ("a\x01", "invisible-character", "holds U+0001 control character at character 2; remove it"),
    ("X\u200b", "invisible-character", "holds U+200B ZERO WIDTH SPACE at character 2; remove it"),
    ("ok", "pattern", None),
])
def test_text_pattern_messages(value, code, message):
    from dipdata.model.vocabulary import TEXT_PATTERN

    described = shape._describe_pattern(TEXT_PATTERN, value, ["title"])
    assert described == (code, message or f"'ok' does not match {TEXT_PATTERN}", ["title"])


# --- loader.py ----------------------------------------------------------------------------

def test_collection():
    from dipdata.models import Actor

    actors = [Actor(id="b", name="B", kind="person", sources=["s"]),
              Actor(id="a", name="A", kind="person", sources=["s"])]
    collection = loader.Collection(actors)
    assert ([a.id for a in collection], len(collection), "a" in collection, "z" in collection,
            collection["a"].name, collection.get("z"), collection.get("z", actors[0]).id,
            repr(collection)) == (["b", "a"], 2, True, False, "A", None, "b",
                                  "<Collection of 2 records>")


def test_plan_and_bare():
    import typing

    from dipdata.model import typed
    from dipdata.models import Event

    plan = typed._plan(Event)
    assert (plan["start_date"], plan["title"], plan["participants"][0]) == (
        ("start_date", "date"), ("title", None), "participants")
    assert "schema_ref" not in plan
    assert typed._bare(typing.Annotated[int, "x"]) is int
    assert typed._bare(int) is int


def test_dataset_repr_and_lookup():
    import dipdata

    data = dipdata.load()
    assert repr(data) == (f"<dipdata {data.version}: {len(data.sources)} sources, "
                          f"{len(data.texts)} texts, {len(data.actors)} actors, {len(data.events)} events, "
                          f"{len(data.outcomes)} outcomes, {len(data.positions)} positions, "
                          f"{len(data.aggregates)} aggregates, {len(data.commentary)} commentary>")
    assert data.sentence_at(data.sentences[1].start).number == 2
    assert data.events_of("nobody") == []


# --- archive.py ---------------------------------------------------------------------------

def _info(name: str, size: int = 10, compressed: int = 10, mode: int = 0o100644):
    info = zipfile.ZipInfo(name)
    info.file_size, info.compress_size, info.external_attr = size, compressed, mode << 16
    return info


@pytest.mark.parametrize(("info", "message"), [
    (_info("ok/data.csv"), None),
    (_info("/abs"), "refused: member '/abs' has an absolute path"),
    (_info("C:/x"), "refused: member 'C:/x' has an absolute path"),
    (_info("a\\b"), "refused: member 'a\\\\b' has an absolute path"),
    (_info("a/../b"), "refused: member 'a/../b' climbs out of the archive with '..'"),
    (_info("link", mode=0o120777), "refused: member 'link' is a symbolic link"),
    (_info("big", size=archive.MAX_MEMBER_BYTES + 1, compressed=archive.MAX_MEMBER_BYTES),
     f"refused: member 'big' is {archive.MAX_MEMBER_BYTES + 1} bytes, over the "
     f"{archive.MAX_MEMBER_BYTES}-byte limit"),
    (_info("max", size=archive.MAX_MEMBER_BYTES, compressed=archive.MAX_MEMBER_BYTES), None),
    (_info("bomb", size=201, compressed=1),
     "refused: member 'bomb' expands 201 times, over the limit of 200 (a zip bomb?)"),
    (_info("ratio", size=200, compressed=1), None),
    (_info("empty", size=0, compressed=0), None),
])
def test_archive_members(info, message):
    if message is None:
        assert archive._check_member(info, set()) is None
    else:
        with pytest.raises(ReleaseError) as raised:
            archive._check_member(info, set())
        assert str(raised.value) == message


def test_archive_member_twice():
    seen: set[str] = set()
    archive._check_member(_info("a"), seen)
    with pytest.raises(ReleaseError) as raised:
        archive._check_member(_info("a"), seen)
    assert (str(raised.value), seen) == ("refused: member 'a' appears twice", {"a"})


def test_package_dir(tmp_path):
    (tmp_path / "inner").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "inner" / "datapackage.json").write_text("{}")
    assert archive.package_dir(tmp_path) == tmp_path / "inner"
    (tmp_path / "datapackage.json").write_text("{}")
    assert archive.package_dir(tmp_path) == tmp_path
    (tmp_path / "other").mkdir()
    with pytest.raises(ReleaseError) as raised:
        archive.package_dir(tmp_path / "inner" / ".." / "other")
    assert str(raised.value).endswith("is not a data package: it has no datapackage.json")


# --- versions.py --------------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "bump"), [
    ("1.0.0", "1.0.0", "none"), ("1.0.1", "1.0.0", "none"), ("1.0.0", "1.0.1", "patch"),
    ("1.0.9", "1.1.0", "minor"), ("1.9.9", "2.0.0", "major"), ("v1.0.0", "1.2.3", "minor"),
    ("0.9.0", "1.0.0", "major"),
])
def test_bump_of(old, new, bump):
    assert versions.bump_of(old, new) == bump


def test_versions_and_changelog_dates():
    import datetime

    assert versions.parse_version(" v1.2.3\n") == (1, 2, 3)
    for bad in ("1.2", "1.2.3.4", "one.two.three", "1.2.3-rc1"):
        with pytest.raises(ReleaseError) as raised:
            versions.parse_version(bad)
        assert str(raised.value) == f"{bad!r} is not a semantic version (MAJOR.MINOR.PATCH)"
    changelog = "# Changes\n\n## [1.1.0] - 2024-02-01\n\n## [1.0.0] - 2023-12-30\n"
    assert versions.changelog_date(changelog, "1.0.0") == datetime.date(2023, 12, 30)
    with pytest.raises(ReleaseError) as raised:
        versions.changelog_date(changelog, "1.0")
    assert str(raised.value) == ("CHANGELOG.md has no dated section for 1.0: add "
                                 "'## [1.0] - YYYY-MM-DD' with Data, Schema and Code parts")


def _zip(path: Path, members: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w") as archive_file:
        for name, content in members:
            archive_file.writestr(name, content)
    return path


def test_archive_limits_are_inclusive(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_MEMBERS", 2)
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 10)
    archive.extract_safely(_zip(tmp_path / "ok.zip", [("a", b"12345"), ("b", b"67890")]),
                           tmp_path / "ok")
    assert sorted(p.name for p in (tmp_path / "ok").iterdir()) == ["a", "b"]
    with pytest.raises(ReleaseError) as raised:
        archive.extract_safely(_zip(tmp_path / "many.zip", [("a", b""), ("b", b""), ("c", b"")]),
                               tmp_path / "many")
    assert str(raised.value) == "refused: 3 members, over the limit of 2"
    with pytest.raises(ReleaseError) as raised:
        archive.extract_safely(_zip(tmp_path / "big.zip", [("a", b"12345"), ("b", b"678901")]),
                               tmp_path / "big")
    assert str(raised.value) == "refused: the archive expands beyond 10 bytes"


def test_archive_folders_and_damage(tmp_path):
    target = tmp_path / "out"
    archive.extract_safely(_zip(tmp_path / "dirs.zip", [("pkg/data/a.csv", b"x"),
                                                        ("pkg/data/", b""), ("pkg/", b"")]),
                           target)
    assert [p.relative_to(target).as_posix() for p in sorted(target.rglob("*"))] == [
        "pkg", "pkg/data", "pkg/data/a.csv"]
    assert (target / "pkg/data/a.csv").read_bytes() == b"x"
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(ReleaseError) as raised:
        archive.extract_safely(damaged, tmp_path / "nothing")
    assert str(raised.value) == ("damaged.zip is not a readable zip archive (File is not a zip "
                                 "file): it is damaged or was changed")


def test_checksums_every_line_is_checked(tmp_path):
    from dipdata.base.problems import Report

    (tmp_path / "a.txt").write_bytes(b"a")
    (tmp_path / ".hidden").write_bytes(b"h")
    good = archive.sha256(tmp_path / "a.txt")
    assert good == "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
    (tmp_path / "SHA256SUMS").write_text(
        f"bad line\n{good}  a.txt\n{'0' * 64} *a.txt\n{good}  sub/a.txt\n{good}  .hidden\n"
        f"{good}  gone.txt\n{good.upper()}  a.txt\n", "utf-8")
    report = Report()
    verifying.check_checksums(tmp_path, report)
    assert [str(p) for p in report.problems] == [
        "SHA256SUMS:1:1: bad-checksum-line: not a 'sha256  file' line",
        "a.txt: checksum-mismatch: its sha256 differs from SHA256SUMS: the file was changed",
        "SHA256SUMS:4:1: missing-file: sub/a.txt is listed but not present",
        "SHA256SUMS:5:1: missing-file: .hidden is listed but not present",
        "SHA256SUMS:6:1: missing-file: gone.txt is listed but not present",
        "SHA256SUMS:7:1: bad-checksum-line: not a 'sha256  file' line",
    ]


def test_trusted_construction_equals_validation():
    """The shipped package is built with model_construct (no validation); built afresh here
    (not from load()'s cache), it equals the validated records, nested ones included."""
    fast = loader._load(loader.package_root(), trusted=True)
    checked = loader._load(loader.package_root(), trusted=False)
    for table in ("sources", "actors", "events", "outcomes", "positions", "aggregates",
                  "commentary"):
        assert [r.model_dump() for r in getattr(fast, table)] == \
            [r.model_dump() for r in getattr(checked, table)], table
    visit = fast.events["xi-putin-talks-2023-03-21"]
    assert (type(visit.start_date).__name__, type(visit.participants[0]).__name__,
            type(visit.mentions[0]).__name__) == ("date", "Participant", "Mention")
    assert [(s.number, s.start) for s in fast.sentences[:2]] == [(1, 7), (2, 91)]
    assert (fast.version, len(fast.text)) == (checked.version, len(checked.text))


# --- shape.py: check_shape on records held in memory --------------------------------------

def _shaped(table: str, data: dict) -> list[tuple[str, str, str]]:
    import jsonschema_rs

    made = record(table, data, stem="x")
    schema = SCHEMAS[table]
    shape.check_shape(made, jsonschema_rs.validator_for(schema, validate_formats=True), schema)
    return sorted(found(made))  # the report sorts them by place


GOOD_SOURCE = {"id": "x", "kind": "report", "title": "A report", "publisher": "P",
               "url": "https://example.org/a", "published": "2023-03-21", "language": "en"}


@pytest.mark.parametrize(("changes", "expected"), [
    ({}, []),
    ({"publisher": None}, [("missing-value", "publisher", "must be a string, not null")]),
    ({"publisher": 5}, [("wrong-type", "publisher", "must be a string, not an integer")]),
    ({"title": 5}, [("wrong-type", "title", "must be a string or null, not an integer")]),
    ({"title": None}, []),  # a page whose stored copy shows no title
    ({"published": 5}, [("wrong-type", "published",
                         "must be a string or null, not an integer")]),
    ({"published": "2023-02-30"}, [("bad-date", "published",
                                    "'2023-02-30' is not a real calendar date")]),
    ({"published": "2023-2-3"}, [("bad-date", "published", "'2023-2-3' is not a date written "
                                                           "YYYY-MM-DD with a year in 1900-2099")]),
    ({"kind": "blog"}, [("unknown-value", "kind", '"blog" is not one of: "review", "readout", '
                                                  '"statement", "speech", "report", "reference"')]),
    ({"publisher": ""}, [("empty", "publisher", "must not be empty")]),
    ({"publisher": "x" * 201}, [("too-long", "publisher", "is longer than 200 characters")]),
    ({"language": "english"}, [("bad-language", "language",
                                "'english' is not a BCP 47 language tag such as 'en'")]),
    ({"url": "https://example.org/a|b"}, [("bad-format", "url",
                                           "'https://example.org/a|b' is not a valid uri")]),
    ({"url": "ftp://example.org"}, [("bad-url", "url", "'ftp://example.org' is not allowed: "
                                                       "source URLs are http or https, with no "
                                                       "user name or password")]),
    ({"id": "Bad_Id"}, [("bad-id", "id", "'Bad_Id' is not an id: use lowercase ASCII "
                                         "letters, digits and single hyphens (kebab-case)")]),
    ({"extra": 1, "another": 2}, [("unknown-field", "another", "unknown field 'another'"),
                                  ("unknown-field", "extra", "unknown field 'extra'")]),
])
def test_shape_of_a_source(changes, expected):
    data = {**GOOD_SOURCE, **changes}
    assert _shaped("sources", data) == expected


def test_shape_missing_and_nested():
    data = dict(GOOD_SOURCE)
    del data["url"], data["publisher"]
    assert _shaped("sources", data) == [
        ("missing-field", "publisher", "required field 'publisher' is missing"),
        ("missing-field", "url", "required field 'url' is missing")]
    actor = {"id": "x", "name": "N", "kind": "person", "country": "cn", "wikidata": "7",
             "sources": []}
    assert _shaped("actors", actor) == [
        ("bad-country", "country", "'cn' is not an ISO 3166-1 alpha-2 country code (two "
                                   "upper-case letters, e.g. 'RU')"),
        ("bad-qid", "wikidata", "'7' is not a Wikidata QID (Q followed by digits)"),
        ("too-few", "sources", "must list at least 1 item(s)")]
    outcome = {"id": "x", "kind": "plan", "title": "T", "event": "e", "summary": "S",
               "countries": ["RU", "ru"], "items": ["a", "a"], "sources": ["s"],
               "mentions": [{"quote": "q", "start": -1, "end": 2}]}
    assert _shaped("outcomes", outcome) == [
        ("bad-country", "countries[1]", "'ru' is not an ISO 3166-1 alpha-2 country code (two "
                                        "upper-case letters, e.g. 'RU')"),
        ("duplicate-item", "items", "lists the same item more than once"),
        ("out-of-range", "mentions[0].start", "-1 is less than the minimum of 0")]


def test_shape_of_values_no_model_describes():
    class Kind:
        pass

    class Error:
        kind, message, instance = Kind(), "said by the validator", 1

    assert shape._describe("Const", Error(), ["a"]) == ("schema", "said by the validator", ["a"])
    assert shape._describe("AnyOf", Error(), ["a"]) == ("invalid-value", "said by the validator",
                                                        ["a"])
    assert shape._describe_pattern("^x$", "y", ["a"]) == ("pattern", "'y' does not match ^x$",
                                                          ["a"])
