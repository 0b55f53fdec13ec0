"""More fast unit tests of the rule code (shape, links, reading), called directly on small
inputs with expected values written by hand; part of the mutation run's fast subset, like
tests/test_units.py, whose helpers they share."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs
import pytest

from dipdata.check import links
from dipdata.check import records
from dipdata.check import rules
from dipdata.check import shape
from dipdata.base.problems import Problem, Report
from dipdata.check.records import RecordFile
from dipdata.model.source import Sentence

from .test_units import (
    GOOD_SOURCE,
    MENTION,
    SCHEMAS,
    TEXT,
    TEXTS,
    UNREACHABLE,
    _shaped,
    ev,
    event,
    found,
    linked,
    record,
)

# --- rules.py -----------------------------------------------------------------------------

def written_out(**changes) -> list[tuple[str, str, str]]:
    """The problems of an event whose file holds its text as is, without \\u escapes."""
    made = record("events", event(**changes))
    made.text = json.dumps(made.data, indent=2, ensure_ascii=False)
    rules.check_record(made, TEXTS, {})
    return found(made)


def test_text_written_out_without_escapes():
    assert written_out(title="Caf\u00e9 \u2014 \u0391\u03b8\u03ae\u03bd\u03b1") == []
    assert written_out(title="Cafe\u0301") == [
        ("not-nfc", "title", "text is not in Unicode NFC form; normalise it")]
    assert written_out(title="Vl\u0430dimir") == [
        ("mixed-script", "title", "the word 'Vl\u0430dimir' mixes Latin and Cyrillic letters: "
                                  "U+0430 CYRILLIC SMALL LETTER A looks like a Latin letter")]


def test_dates_of_year_precision():
    assert written_out(date_precision="year", start_date="2023-05-01",
                       end_date="2023-12-31") == [
        ("date-precision", "start_date",
         "with date_precision 'year', start_date is the first day of its year")]
    assert written_out(date_precision="year", start_date="2023-01-01",
                       end_date="2023-05-31") == [
        ("date-precision", "end_date",
         "with date_precision 'year', end_date is the last day of its year")]


# --- shape.py: one message per field, the most telling one --------------------------------


def test_a_pattern_says_more_than_a_length():
    # the validator gives the length first; the formula trigger is the message
    assert _shaped("sources", {**GOOD_SOURCE, "publisher": "=" + "x" * 200}) == [
        ("formula-trigger", "publisher", "starts with '=', which a spreadsheet would run as a "
                                     "formula; reword it")]


def test_every_field_gets_its_message():
    # the publisher's second error (its pattern) is passed over, and the kind still told
    assert _shaped("sources", {**GOOD_SOURCE, "publisher": "", "kind": "blog"}) == [
        ("empty", "publisher", "must not be empty"),
        ("unknown-value", "kind", '"blog" is not one of: "review", "readout", "statement", '
                                  '"speech", "report", "reference"')]
    # a missing field and an unknown one are both told, though both are the record's own
    data = {**GOOD_SOURCE, "extra": 1}
    del data["publisher"]
    assert _shaped("sources", data) == [
        ("missing-field", "publisher", "required field 'publisher' is missing"),
        ("unknown-field", "extra", "unknown field 'extra'")]


def shaped_by(schema: dict, data: dict) -> list[tuple[str, str, str]]:
    """The problems check_shape finds in ``data`` against a schema made for the test."""
    made = record("events", data, stem="x")
    shape.check_shape(made, jsonschema_rs.validator_for(schema, validate_formats=True), schema)
    return found(made)


def test_unknown_fields_do_not_end_the_list():
    schema = {"type": "object", "properties": {"items": {"type": "array", "items": {
        "type": "object", "additionalProperties": False, "properties": {"n": {"maxLength": 1}}}}}}
    assert shaped_by(schema, {"items": [{"x": 1}, {"n": "ab"}]}) == [
        ("unknown-field", "items[0].x", "unknown field 'x'"),
        ("too-long", "items[1].n", "is longer than 1 characters")]


#: A nullable field whose other option is a reference, itself holding one.
PLACES = {"type": "object", "properties": {
    "place": {"anyOf": [{"$ref": "#/$defs/Place"}, {"type": "null"}]},
    "home": {"$ref": "#/$defs/Home"},
    "nick": {"anyOf": [{"$ref": "#/$defs/Text", "minLength": 3}, {"type": "null"}]},
    "n": {"type": ["string", "integer"]}},
    "$defs": {"Place": {"type": "object", "properties": {"country": {"$ref": "#/$defs/Country"}}},
              "Home": {"type": "object", "properties": {
                  "country": {"anyOf": [{"$ref": "#/$defs/Country"}, {"type": "null"}]}}},
              "Country": {"type": "string", "enum": ["RU", "CN"]},
              "Text": {"type": "string"}}}
BAD_COUNTRY = "'ru' is not an ISO 3166-1 alpha-2 country code (two upper-case letters, e.g. 'RU')"


def test_a_nullable_field_is_explained_by_its_other_option():
    assert shaped_by(PLACES, {"place": {"country": "ru"}}) == [
        ("bad-country", "place.country", BAD_COUNTRY)]
    assert shaped_by(PLACES, {"place": 5}) == [
        ("wrong-type", "place", "must be an object or null, not an integer")]
    assert shaped_by(PLACES, {"home": {"country": "ru"}}) == [
        ("bad-country", "home.country", BAD_COUNTRY)]
    assert shaped_by(PLACES, {"place": None, "home": {"country": None}}) == []
    assert shaped_by(PLACES, {"n": []}) == [
        ("wrong-type", "n", "must be an integer or a string, not a list")]


def test_an_option_without_an_error_of_its_own_leaves_the_validators_message():
    # the reference's sibling keyword (minLength) fails, the referenced schema does not
    assert shaped_by(PLACES, {"nick": "ab"}) == [
        ("invalid-value", "nick",
         "\"ab\" is not valid under any of the schemas listed in the 'anyOf' keyword")]


def test_the_non_null_option_is_found_through_references_on_the_path():
    class Error:  # as a validator gives it, its schema path leading through a reference
        schema_path = ["properties", "home", "properties", "country", "anyOf"]
        instance = "ru"

    branch = shape._non_null_error(PLACES, Error())
    assert (type(branch.kind).__name__, list(branch.instance_path)) == ("Enum", [])


def test_type_and_enum_messages_of_unusual_errors():
    class NoTypes:
        pass

    class Types:
        types = ["thing"]

    class Error:
        instance = 1

    error = Error()
    error.kind = NoTypes()
    assert shape._type(error, ["a"]) == ("wrong-type", "must be another type, not an integer",
                                         ["a"])
    error.kind, error.instance = Types(), None
    assert shape._type(error, ["a"]) == ("missing-value", "must be thing, not null", ["a"])
    enum_error = next(jsonschema_rs.validator_for({"enum": ["a", 1]}).iter_errors("b"))
    assert shape._enum(enum_error, []) == ("unknown-value", '"b" is not one of: "a", 1', [])
    assert shape._json_type(b"x") == "bytes"


# --- links.py -----------------------------------------------------------------------------

def test_dangling_references_after_good_ones_and_in_any_table():
    # the event's sources (none) and part_of (none) are fine; its participant is not
    talks = record("events", {"id": "t", "sources": [], "part_of": None, "mentions": MENTION,
                              "participants": [{"actor": "a", "role": "host"},
                                               {"actor": "gone", "role": "guest"}]})
    listing = record("aggregates", {"id": "g", "sources": [], "examples": ["t", "gone"],
                                    "mentions": MENTION})
    assert linked(record("actors", {"id": "a"}), talks, listing) == [
        ("t", "dangling-reference", "participants[1].actor",
         "'gone' is not a record in the actors table"),
        ("g", "dangling-reference", "examples[1]", "'gone' is not a record in any table")]
    # a record without its list fields has no references in them
    assert linked(record("events", {"id": "bare", "mentions": MENTION})) == []


def planted(made: RecordFile) -> RecordFile:
    """A record with a problem of its own, found before the rules across records."""
    made.problem("planted", "a problem of its own", field="id", pointer="/id")
    return made


def test_records_with_problems_of_their_own_are_passed_over():
    own = ("planted", "id", "a problem of its own")
    # the first event is skipped, the next one still checked
    assert linked(planted(ev("first", mentions=[])), ev("second", mentions=[])) == [
        ("first", *own), ("second", "unreachable-event", "mentions", UNREACHABLE)]
    position = planted(record("positions", {"id": "p", "occasion": "meeting",
                                            "date": "2023-05-20", "sources": [],
                                            "mentions": MENTION}))
    assert linked(ev("meeting"), position) == [("p", *own)]
    # a part_of that is not an id is no parent, and leads nowhere
    assert linked(planted(ev("odd", part_of=["x"], mentions=[]))) == [("odd", *own)]


def test_a_flawed_parent_whose_dates_are_not_dates_bounds_no_part():
    own = ("planted", "id", "a problem of its own")
    for start, end in ((20230518, "2023-05-18"), ("18 May 2023", "2023-05-20"),
                       (["2023-05-18"], "2023-05-18")):
        parent = planted(ev("trip", start, end))
        part = ev("part", "2023-05-19", "2023-05-19", "trip")
        assert linked(parent, part) == [("trip", *own)], (start, end)
    # a well-formed date of a flawed parent still bounds its parts
    assert linked(planted(ev("trip", "2023-05-18", "2023-05-18")),
                  ev("part", "2023-05-19", "2023-05-19", "trip")) == [
        ("trip", *own), ("part", "outside-parent", "start_date", "start_date 2023-05-19 is "
                         "outside the dates of 'trip' (2023-05-18 to 2023-05-18)")]


def test_reachable_up_a_long_chain_of_parts():
    """Only the top of a chain of 40 events is mentioned: every part reaches it, in whatever
    order the unreached events are taken (a set's order differs from run to run)."""
    chain = [ev(f"e{n:02}", part_of=f"e{n + 1:02}" if n < 39 else None,
                mentions=[] if n < 39 else None) for n in range(40)]
    assert linked(*chain) == []
    # cut in the middle: the parts below the cut reach nothing
    chain[20] = ev("e20", part_of=None, mentions=[])
    assert linked(*chain) == [(f"e{n:02}", "unreachable-event", "mentions", UNREACHABLE)
                              for n in range(21)]


def test_only_the_first_record_of_an_id_is_noted():
    first, again = ev("a"), ev("a", "2023-01-01", "2023-01-02")
    assert linked(first, again, ev("p", "2023-05-18", "2023-05-18", "a")) == [
        ("a", "duplicate-id", "id", "id 'a' is already used by records/events/a.json")]
    checker = links.Links([record("events", {"id": "x"})], SCHEMAS)
    listed = record("events", {"id": "x"})
    listed.data = ["not", "an", "object"]
    checker.owner["x"] = listed
    checker.note(listed)
    assert checker.facts == links._Facts()


def test_an_outcome_is_not_held_to_its_events_dates():
    outcome = record("outcomes", {"id": "o", "event": "talks", "date": "2024-01-01",
                                  "sources": [], "mentions": MENTION})
    assert linked(ev("talks"), outcome) == []


def test_reachability_along_chains_and_around_cycles():
    assert linked(ev("a", part_of="b", mentions=[]), ev("b", part_of="c", mentions=[]),
                  ev("c")) == []
    cycle = ("part-of-cycle", "part_of", "part_of leads back to this event")
    assert linked(ev("a", part_of="b", mentions=[]), ev("b", part_of="c", mentions=[]),
                  ev("c", part_of="a", mentions=[])) == [("a", *cycle), ("b", *cycle),
                                                         ("c", *cycle)]


def test_an_event_without_part_of_has_no_parent():
    assert linked(ev("XXXX", "2024-01-01", "2024-01-02"), ev("alone")) == []


def test_facts_noted_elsewhere_are_merged():
    parent, part = ev("parent"), ev("part", "2023-05-20", None, "parent")
    outcome = record("outcomes", {"id": "o", "event": "silent", "sources": [],
                                  "mentions": MENTION})
    position = record("positions", {"id": "p", "occasion": "parent", "date": "2023-05-21",
                                    "sources": [], "mentions": MENTION})
    silent, listed = ev("silent", mentions=[]), ev("listed", mentions=[])
    aggregate = record("aggregates", {"id": "g", "examples": ["listed"], "sources": [],
                                      "mentions": MENTION})
    done = record("outcomes", {"id": "o2", "event": "parent", "sources": [],
                                "mentions": MENTION})
    files = [parent, part, outcome, position, silent, listed, aggregate, done]
    checker, worker = links.Links(files, SCHEMAS), links.Links(files, SCHEMAS)
    checker.note(done)
    for made in (part, outcome, position, aggregate):
        worker.note(made)
    checker.merge(worker.facts.packed())
    for made in (parent, silent, listed):
        checker.note(made)
    checker.finish()
    assert [(made.data["id"], *problem) for made in files for problem in found(made)] == [
        ("part", "outside-parent", "start_date", "start_date 2023-05-20 is outside the dates "
                                                 "of 'parent' (2023-05-18 to 2023-05-19)"),
        ("p", "outside-parent", "date", "date 2023-05-21 is outside the dates of 'parent' "
                                        "(2023-05-18 to 2023-05-19)")]
    assert [(event, product) for event, product, _ in checker.facts.products] == [
        ("parent", "o2"), ("silent", "o"), ("parent", "p")]


def test_uncovered_sentences():
    text = "One two.\n" + "Three " * 12 + "four. Five."
    sentences = [Sentence(1, "heading", 0, 8, "One two."),
                 Sentence(2, "question", 9, 86, text[9:86]),
                 Sentence(3, "question", 87, 92, "Five.")]
    report = Report()
    links.check_coverage(Path("root"), text, {1}, sentences, report)
    where, code = "source/mfa-2023-12-29-mao-ning-cnr.txt", "uncovered-sentence"
    advice = "add a mention to the records it speaks of, or a commentary record"
    assert report.problems == [
        Problem(where, 2, 1, code, "-", "sentence 2", "no record mentions 'Three Three Three "
                "Three Three Three Three Three Three Three '; " + advice),
        Problem(where, 2, 79, code, "-", "sentence 3", f"no record mentions 'Five.'; {advice}")]


# --- records.py ---------------------------------------------------------------------------

def test_record_file_names():
    assert [RecordFile(Path("r"), path, "events").stem for path in (
        "e.json", "records/events/e.json", "records/events/notes.txt")] == [
        "e", "e", "notes.txt"]


def test_problems_in_full(tmp_path):
    made = record("events", {"id": "e"}, stem="file")
    made.problem("c", "m")
    assert made.problems == [Problem("records/events/file.json", 0, 0, "c", "e", "-", "m")]
    gone = RecordFile(tmp_path, "records/events/gone.json", "events")
    records.read(tmp_path, gone)
    assert gone.problems == [Problem("records/events/gone.json", 0, 0, "unreadable", "gone",
                                     "-", "cannot read the file: No such file or directory")]
    (tmp_path / "records" / "events").mkdir(parents=True)
    (tmp_path / "records" / "events" / "e.json").write_bytes(b'{"a": {"b": 1, "b": 2}}')
    twice = RecordFile(tmp_path, "records/events/e.json", "events")
    records.read(tmp_path, twice)
    assert twice.problems == [Problem(
        "records/events/e.json", 1, 16, "duplicate-key", "e", "a.b",
        "key 'b' appears more than once; JSON readers would silently keep only one")]


def test_a_released_record_reads_its_text_again(tmp_path):
    (tmp_path / "records" / "events").mkdir(parents=True)
    (tmp_path / "records" / "events" / "e.json").write_text('{"id": "e"}')
    made = RecordFile(tmp_path, "records/events/e.json", "events")
    records.read(tmp_path, made)
    made.release()
    assert (made.data, made._text) == (None, None)
    assert made.text == '{"id": "e"}'


def test_file_problems_have_no_position(tmp_path, monkeypatch):
    tables = records.TABLES
    assert records.discover(tmp_path, tables)[1] == [
        Problem("records", 0, 0, "missing-records", "-", "-", "there is no records/ folder here")]
    events = tmp_path / "records" / "events"
    events.mkdir(parents=True)
    (events / "a.json").write_text("{}")
    (events / "notes.txt").write_text("")
    (events / "link.json").symlink_to(events / "a.json")
    (tmp_path / "records" / "stray.json").write_text("{}")
    problems = records.discover(tmp_path, tables)[1]
    assert [(p.path, p.line, p.column, p.record, p.field) for p in problems] == [
        ("records/events/link.json", 0, 0, "-", "-"),
        ("records/events/notes.txt", 0, 0, "-", "-"), ("records/stray.json", 0, 0, "-", "-")]
    made = [records.record_file(tmp_path, Path(path), tables) for path in (
        "records/events/zz.json", "records/nope/a.json", "records/events/notes.txt",
        "records/events/link.json")]
    assert [(p.code, p.line, p.column, p.record, p.field) for p in made] == [
        ("missing-file", 0, 0, "-", "-"), ("unexpected-file", 0, 0, "-", "-"),
        ("unexpected-file", 0, 0, "-", "-"), ("symlink", 0, 0, "-", "-")]
    # a relative path is taken from the root, wherever the command runs
    monkeypatch.chdir(tmp_path / "records")
    assert str(records.record_file(tmp_path, Path("events/a.json"), tables)).startswith(
        "events/a.json: unexpected-file: ")


def read_event(root: Path, stem: str, text: str) -> RecordFile:
    """An event file written with ``text`` under ``root``, read."""
    (root / "records" / "events").mkdir(parents=True)
    (root / "records" / "events" / f"{stem}.json").write_text(text)
    made = RecordFile(root, f"records/events/{stem}.json", "events")
    records.read(root, made)
    return made


def test_an_unreachable_event_is_located_at_its_record(tmp_path):
    # The file starts with a blank line: the problem points at the record's object, line 2.
    lost = read_event(tmp_path, "lost", '\n{"id": "lost", "mentions": [], "part_of": null, '
                                        '"start_date": "2023-05-18"}\n')
    checker = links.Links([lost], SCHEMAS)
    checker.note(lost)
    checker.finish()
    assert [(p.line, p.column, p.code, p.field) for p in lost.problems] == [
        (2, 1, "unreachable-event", "mentions")]


def test_an_end_without_a_start_is_located_at_its_record(tmp_path):
    made = read_event(tmp_path, "e", '\n\n{"id": "e", "start_date": null, '
                                     '"end_date": "2023-05-18"}\n')
    rules._check_dates(made)
    assert [(p.line, p.column, p.code, p.field, p.message) for p in made.problems] == [
        (3, 1, "missing-value", "start_date", "end_date is given but start_date is not")]


# --- rules added with outcomes, positions, Chinese and sidelines (fast, by hand) ---------

def rule_problems(table: str, data: dict) -> list[tuple[str, str, str]]:
    made = record(table, data)
    rules.check_record(made, TEXTS, {})
    return found(made)


def participant(actor: str, role: str, capacity: str | None = "President") -> dict:
    return {"actor": actor, "role": role, "capacity": capacity}


def test_an_actor_takes_part_once_in_each_role():
    people = [participant("xi", "host"), participant("lula", "guest"),
              participant("xi", "guest"), participant("lula", "guest", "Former President"),
              participant("lula", "guest")]
    assert rule_problems("events", event(participants=people)) == [
        ("duplicate-participant", "participants[3].actor",
         "'lula' already takes part as 'guest'; give one capacity"),
        ("duplicate-participant", "participants[4].actor",
         "'lula' already takes part as 'guest'; give one capacity")]
    assert rule_problems("events", event(participants=people[:3])) == []


def outcome(**changes) -> dict:
    data = {"id": "o", "kind": "joint-statement", "title": "T", "event": "e", "summary": "S",
            "sources": ["readout"], "mentions": []}
    data.update(changes)
    return data


@pytest.mark.parametrize(("given", "expected"), [
    ({}, []),
    ({"relationship": "strategic partnership", "relationship_change": "upgraded",
      "relationship_country": "BR"}, []),
    ({"relationship": "strategic partnership"}, [
        ("incomplete-relationship", "relationship_change", "relationship given: give "
         "relationship_change too (or none of relationship, relationship_change, "
         "relationship_country)")]),
    ({"relationship": "strategic partnership", "relationship_change": "upgraded"}, [
        ("incomplete-relationship", "relationship_country", "relationship, "
         "relationship_change given: give relationship_country too (or none of relationship, "
         "relationship_change, relationship_country)")]),
    ({"relationship_country": "BR", "relationship": None}, [
        ("incomplete-relationship", "relationship", "relationship_country given: give "
         "relationship too (or none of relationship, relationship_change, "
         "relationship_country)")]),
])
def test_a_relationship_comes_whole_or_not_at_all(given, expected):
    made = record("outcomes", outcome(**given))
    rules.check_record(made, TEXTS, {})
    assert [(p.code, p.field, p.message) for p in made.problems] == expected
    assert all((p.line, p.column) == (1, 1) for p in made.problems)  # at the record
    # the same fields on an event are not an outcome's relationship
    assert rule_problems("events", event(relationship="x")) == []


def position(**changes) -> dict:
    data = {"id": "p", "issue": "ukraine-crisis", "occasion": "e", "date": "2023-04-26",
            "sources": ["readout"], "mentions": []}
    data.update(changes)
    return data


def test_a_stated_position_has_a_stance_and_views_exchanged_invent_none():
    missing = ("missing-stance", "stance", "a stated position needs its stance (or statement "
               "'views-exchanged' if the sources give no substance)")
    for table_data in (position(), position(statement="stated"), position(stance=None)):
        made = record("positions", table_data)
        rules.check_record(made, TEXTS, {})
        assert [(p.code, p.field, p.message) for p in made.problems] == [missing]
    assert rule_problems("positions", position(stance="Talks are the only way out.")) == []
    assert rule_problems("positions", position(statement="views-exchanged")) == []
    assert rule_problems("positions", position(statement="views-exchanged", demands=[])) == []
    assert rule_problems("positions", position(statement="views-exchanged", stance="S")) == [
        ("invented-stance", "stance", "where only views were exchanged, record no stance: the "
         "sources give no substance")]
    assert rule_problems("positions", position(statement="views-exchanged",
                                               demands=["ceasefire"])) == [
        ("invented-stance", "demands", "where only views were exchanged, record no demands: "
         "the sources give no substance")]
    assert rule_problems("positions", position(statement="views-exchanged", stance="S",
                                               demands=["d"]))[0][1] == "stance"
    # an event holds no stance to check
    assert rule_problems("events", event(statement="stated")) == []


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("title_zh", "习近平同巴西总统卢拉举行会谈", []),
    ("name_zh", "卢拉", []),
    ("name_zh_short", "卢拉", []),
    ("title_zh", "Xi meets Lula", [("not-chinese", "title_zh",
                                   "title_zh holds no Chinese characters")]),
    ("name_zh", "Lula 2023", [("not-chinese", "name_zh", "name_zh holds no Chinese characters")]),
    ("name_zh_short", "盧拉", [("not-simplified", "name_zh_short", "'盧' is a traditional "
                                "character; in simplified characters the text reads '卢拉'")]),
    ("title_zh", "习近平會見盧拉", [("not-simplified", "title_zh", "'會' is a traditional "
                                   "character; in simplified characters the text reads "
                                   "'习近平会见卢拉'")]),
    ("summary", "會見", []),  # only the Chinese fields are checked
])
def test_chinese_fields_are_chinese_in_simplified_characters(field, value, expected):
    assert rule_problems("events", event(**{field: value})) == expected


def test_chinese_fields_each_get_their_problem_and_non_strings_are_left_to_the_shape():
    assert rule_problems("actors", {"id": "e", "name": "N", "name_zh": "abc",
                                    "name_zh_short": "盧", "title_zh": None,
                                    "sources": ["readout"]}) == [
        ("not-chinese", "name_zh", "name_zh holds no Chinese characters"),
        ("not-simplified", "name_zh_short", "'盧' is a traditional character; in simplified "
         "characters the text reads '卢'")]
    assert rule_problems("events", event(title_zh=5)) == []


def test_an_event_on_the_sidelines_of_itself_or_of_its_parent():
    message = ("is the event itself or its part_of: an event on another's sidelines is not "
               "part of it")
    assert rule_problems("events", event(sidelines_of="e")) == [
        ("sidelines-of-itself", "sidelines_of", f"sidelines_of 'e' {message}")]
    assert rule_problems("events", event(sidelines_of="forum", part_of="forum")) == [
        ("sidelines-of-itself", "sidelines_of", f"sidelines_of 'forum' {message}")]
    assert rule_problems("events", event(sidelines_of="forum", part_of="visit")) == []
    assert rule_problems("events", event(sidelines_of=None, part_of=None)) == []


def test_a_record_cites_a_readout_besides_the_review():
    needs = [("needs-readout", "sources", "cite at least one source besides the review (an "
              "official readout or reliable report)")]
    review = "mfa-2023-12-29-mao-ning-cnr"
    assert rule_problems("events", event(sources=[review])) == needs
    assert rule_problems("events", event(sources=[])) == needs
    assert rule_problems("events", event(sources=[review, "readout"])) == []
    assert rule_problems("outcomes", outcome(sources=[review])) == needs
    for table in ("sources", "texts", "commentary"):  # they cite nothing
        assert rule_problems(table, {"id": "e", "mentions": []}) == []


def test_a_plover_mode_belongs_to_consult_events_only():
    assert rule_problems("events", event(plover_event="COOPERATE", plover_mode="visit")) == [
        ("plover-mode", "plover_mode", "PLOVER defines modes for CONSULT events only")]
    assert rule_problems("events", event(plover_event="COOPERATE", plover_mode=None)) == []
    assert rule_problems("events", event(plover_event="CONSULT", plover_mode="phone")) == []


def test_mentions_of_another_text_are_checked_against_that_text():
    from dipdata.check.texts import ReadText

    chinese = "一是发展。二是合作。"
    numbered = [Sentence(1, "heading", 0, 5, "一是发展。", "t-zh"),
                Sentence(2, "heading", 5, 10, "二是合作。", "t-zh")]
    texts = {**TEXTS, "t-zh": ReadText(chinese, numbered)}
    good = {"quote": "合作", "start": 7, "end": 9, "in_text": "t-zh"}
    off = {"quote": "合作", "start": 6, "end": 8, "in_text": "t-zh"}
    absent = {"quote": "和平", "start": 0, "end": 2, "in_text": "t-zh"}
    english = {"quote": "Three four.", "start": 9, "end": 20}
    made, sentence_of = record("events", event(mentions=[good, off, absent, english])), {}
    rules.check_record(made, texts, sentence_of)
    assert found(made) == [
        ("quote-mismatch", "mentions[1]", "the text t-zh at 6-8 is not the quote; the quote is "
         "found at 7-9"),
        ("quote-mismatch", "mentions[2]", "the text t-zh at 0-2 is not the quote; the quote is "
         "not in the text t-zh")]
    assert sentence_of == {("t-zh", 7, 9): 2, ("review-2023-en", 9, 20): 2}
    # an unknown text is the links check's to report; here it is passed over
    made = record("events", event(mentions=[{**good, "in_text": "t-xx"}]))
    rules.check_record(made, texts, {})
    assert found(made) == []
    salvaged: dict = {}
    rules.salvage_mentions({"mentions": [good, off, {**good, "in_text": ["t-zh"]}, english]},
                           texts, salvaged)
    assert salvaged == {("t-zh", 7, 9): 2, ("review-2023-en", 9, 20): 2}


# --- links.py: capacities and the dates of positions (fast, by hand) ---------------------

def person(actor_id: str, kind: str = "person") -> RecordFile:
    return record("actors", {"id": actor_id, "name": actor_id, "kind": kind,
                             "sources": [], "mentions": MENTION})


def meeting(event_id: str, *people: tuple[str, str | None]) -> RecordFile:
    made = ev(event_id)
    made.data["participants"] = [{"actor": actor, "role": "guest", "capacity": capacity}
                                 for actor, capacity in people]
    return made


CAPACITY = "is a person: give the capacity in which they took part (their office that day)"


def test_a_person_takes_part_in_a_capacity_an_organisation_need_not():
    assert linked(person("lula"), person("un", "organisation"), person("xi"),
                  meeting("talks", ("xi", "President"), ("lula", None), ("un", None))) == [
        ("talks", "missing-capacity", "participants[1].capacity", f"'lula' {CAPACITY}")]


def test_a_record_with_problems_of_its_own_is_not_blamed_for_a_capacity():
    # an unknown actor is the record's own problem: its capacities are not looked at
    assert linked(person("lula"), meeting("talks", ("lula", None), ("nobody", None))) == [
        ("talks", "dangling-reference", "participants[1].actor",
         "'nobody' is not a record in the actors table")]


def test_capacities_noted_by_a_worker_are_merged_with_those_noted_here():
    here, there = meeting("a-talks", ("lula", None)), meeting("b-talks", ("lula", None))
    files = [person("lula"), here, there]
    worker = links.Links(files, SCHEMAS)
    worker.note(there)
    main = links.Links(files, SCHEMAS)
    for made in (files[0], here):
        main.note(made)
    main.merge(worker.facts.packed())
    main.finish()
    assert [(p.code, p.field) for p in here.problems + there.problems] == [
        ("missing-capacity", "participants[0].capacity"),
        ("missing-capacity", "participants[0].capacity")]


def test_a_position_is_stated_within_the_dates_of_its_occasion():
    def stated(position_id: str, day: str) -> RecordFile:
        return record("positions", {"id": position_id, "occasion": "summit", "date": day,
                                    "issue": "ukraine-crisis", "sources": [],
                                    "mentions": MENTION})

    summit = ev("summit", "2023-08-22", "2023-08-24")
    assert linked(summit, stated("before", "2023-08-21"), stated("first", "2023-08-22"),
                  stated("last", "2023-08-24"), stated("after", "2023-08-25")) == [
        ("before", "outside-parent", "date",
         "date 2023-08-21 is outside the dates of 'summit' (2023-08-22 to 2023-08-24)"),
        ("after", "outside-parent", "date",
         "date 2023-08-25 is outside the dates of 'summit' (2023-08-22 to 2023-08-24)")]
