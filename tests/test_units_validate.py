"""Checking the records (`check.validate`) on a tiny repository made in the test: the review's
two texts, three sources, two commentary records and an event no path reaches. What is
reported, which records a writer receives, the files named by a user, a missing or changed
review, and the checks spread over forked workers. Expected values written by hand."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from dipdata.base import parallel
from dipdata.base.problems import Problem
from dipdata.check import records as reading, validate
from dipdata.check.lock import other_inputs
from dipdata.check.validate import check_records, load_schemas

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("sources", "texts", "actors", "events", "outcomes", "positions", "aggregates",
          "commentary")
REVIEW = "source/mfa-2023-12-29-mao-ning-cnr.txt"
RECORDS = {
    "texts": ["review-2023-en", "review-2023-zh"],
    "sources": ["mfa-2023-12-29-mao-ning-cnr",
                "bjfao-2023-12-31-mao-ning-head-of-state-diplomacy-2023",
                "163-2023-12-29-mfa-head-of-state-diplomacy-highlights"],
    "commentary": ["heading", "answer-opening"],  # the review's sentences 1 and 4
}
EVENT = {"id": "zz-event", "kind": "meeting", "title": "A meeting", "start_date": "2023-05-18",
         "date_precision": "day", "mode": "in-person", "section": "opening",
         "summary": "A planted meeting.", "plover_event": "CONSULT",
         "sources": ["mfa-2023-12-29-mao-ning-cnr",
                     "163-2023-12-29-mfa-head-of-state-diplomacy-highlights"]}
# every file, in id order (then table): the order records are checked and written in
IN_ORDER = ["records/sources/163-2023-12-29-mfa-head-of-state-diplomacy-highlights.json",
            "records/commentary/answer-opening.json",
            "records/sources/bjfao-2023-12-31-mao-ning-head-of-state-diplomacy-2023.json",
            "records/commentary/heading.json",
            "records/sources/mfa-2023-12-29-mao-ning-cnr.json",
            "records/texts/review-2023-en.json",
            "records/texts/review-2023-zh.json",
            "records/events/zz-event.json"]
UNREACHABLE = Problem("records/events/zz-event.json", 1, 1, "unreachable-event", "zz-event",
                      "mentions", "no path leads to it from the review: mention it, make it "
                      "part_of an event that is, or list it in an aggregate that the review "
                      "mentions")
# the mentions of the two commentary records: (text, start, end) -> sentence number
SENTENCE_OF = {("review-2023-en", 7, 83): 1, ("review-2023-en", 448, 641): 4,
               ("review-2023-zh", 114, 158): 3}


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "source", root / "source")
    shutil.copytree(ROOT / "schema", root / "schema")
    for table, names in RECORDS.items():
        (root / "records" / table).mkdir(parents=True)
        for name in names:
            shutil.copy(ROOT / "records" / table / f"{name}.json", root / "records" / table)
    (root / "records" / "events").mkdir()
    (root / "records" / "events" / "zz-event.json").write_text(json.dumps(EVENT, indent=2))
    return root


def edit(root: Path, path: str, **changes) -> None:
    data = json.loads((root / path).read_text("utf-8"))
    (root / path).write_text(json.dumps({**data, **changes}, indent=2), "utf-8")


def uncovered(problems: list[Problem]) -> list[int]:
    return sorted(int(p.field.split()[1]) for p in problems if p.code == "uncovered-sentence")


def others(problems: list[Problem]) -> list[Problem]:
    return sorted(p for p in problems if p.code != "uncovered-sentence")


class Collecting:
    """A writer that notes what it receives: (table, id, whether the collector ran, pid, the
    numbers of the sentences placed so far)."""

    def __init__(self):
        self.added: list[tuple] = []
        self.merged = 0

    def add(self, table, record, sentence_of):
        self.added.append((table, record["id"], gc.isenabled(), os.getpid(),
                           sorted(sentence_of.values())))

    def piece(self):
        return Collecting()

    def take(self):
        return self.added

    def merge(self, piece):
        self.added += piece
        self.merged += 1


def ids(writer: Collecting) -> list[str]:
    return [added[1] for added in writer.added]


def test_load_schemas_reads_each_tables_committed_schema():
    schemas = load_schemas(ROOT)
    assert list(schemas) == list(TABLES)
    for table in TABLES:
        assert schemas[table] == json.loads((ROOT / "schema" / f"{table}.schema.json")
                                            .read_text("utf-8"))
    assert schemas["events"]["required"][:2] == ["id", "sources"]


def test_a_tiny_repository_reports_its_uncovered_sentences_and_unreachable_event(tiny):
    checked = check_records(tiny)
    report = checked.report
    assert report.records_checked == 8
    assert others(report.problems) == [UNREACHABLE]
    assert uncovered(report.problems) == [n for n in range(1, 34) if n not in (1, 4)]
    first = min(p for p in report.problems if p.code == "uncovered-sentence")
    assert first == Problem(REVIEW, 4, 7, "uncovered-sentence", "-", "sentence 2",
                            "no record mentions 'CNR: This year, President Xi Jinping visited "
                            "Asia, Africa, E'; add a mention to the records it speaks of, or a "
                            "commentary record")
    assert checked.sentence_of == SENTENCE_OF
    # the English text's 33 sentences, then the Chinese one's 13
    assert [(s.in_text, s.number) for s in checked.sentences] == [
        *(("review-2023-en", n) for n in range(1, 34)),
        *(("review-2023-zh", n) for n in range(1, 14))]
    assert checked.schemas == load_schemas(ROOT)


def test_the_inputs_digest_lists_every_record_in_id_order_then_the_other_inputs(tiny):
    lines = [f"{hashlib.sha256((tiny / path).read_bytes()).hexdigest()}  {path}\n"
             for path in IN_ORDER]
    for name in other_inputs(tiny):
        there = tiny / name
        lines.append(f"{hashlib.sha256(there.read_bytes()).hexdigest()}  {name}\n"
                     if there.exists() else f"-  {name}\n")
    expected = "sha256:" + hashlib.sha256("".join(lines).encode()).hexdigest()
    assert check_records(tiny).inputs == expected


def test_the_writer_gets_each_record_that_passed_its_checks_in_id_order(tiny):
    edit(tiny, "records/commentary/heading.json", reason=5)
    writer = Collecting()
    checked = check_records(tiny, writer=writer)
    assert [added[:2] for added in writer.added] == [
        ("sources", "163-2023-12-29-mfa-head-of-state-diplomacy-highlights"),
        ("commentary", "answer-opening"),
        ("sources", "bjfao-2023-12-31-mao-ning-head-of-state-diplomacy-2023"),
        ("sources", "mfa-2023-12-29-mao-ning-cnr"),
        ("texts", "review-2023-en"), ("texts", "review-2023-zh"), ("events", "zz-event")]
    assert writer.merged == 0 and {added[3] for added in writer.added} == {os.getpid()}
    # each record is given with the sentences placed until then (those of answer-opening)
    assert [added[4] for added in writer.added][:2] == [[], [3, 4]]
    # the heading's shape is wrong, but its mention still covers sentence 1
    assert others(checked.report.problems) == [
        Problem("records/commentary/heading.json", 3, 3, "wrong-type", "heading", "reason",
                "must be a string, not an integer"), UNREACHABLE]
    assert uncovered(checked.report.problems)[:3] == [2, 3, 5]


def test_the_collector_is_paused_while_checking_and_left_as_it_was(tiny):
    writer = Collecting()
    assert gc.isenabled()
    check_records(tiny, writer=writer)
    assert {added[2] for added in writer.added} == {False}
    assert gc.isenabled()
    gc.disable()
    try:
        check_records(tiny)
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("spread", [True, False])
def test_an_unreadable_text_leaves_its_mentions_unplaced_and_nothing_written(tiny, monkeypatch,
                                                                             spread):
    if spread:
        workers(monkeypatch)
    (tiny / "source" / "bjfao-2023-12-31-mao-ning-head-of-state-diplomacy-2023.txt").unlink()
    writer = Collecting()
    report = check_records(tiny, writer=writer).report
    assert writer.added == []
    assert "unreadable-text" in [p.code for p in report.problems]


def test_a_record_whose_check_fails_says_so_and_is_not_written(tiny, monkeypatch):
    def failing(record, *args):
        if record.stem == "heading":
            raise RuntimeError("boom")

    monkeypatch.setattr(validate, "check_shape", failing)
    writer = Collecting()
    report = check_records(tiny, writer=writer).report
    assert Problem("records/commentary/heading.json", 0, 0, "unchecked", "heading", "-",
                   "could not be checked (RuntimeError: boom); please report this") \
        in report.problems
    assert "heading" not in ids(writer) and len(writer.added) == 7


def test_shape_checks_formats_and_explains_nullable_fields_against_the_schema(tiny):
    edit(tiny, "records/sources/mfa-2023-12-29-mao-ning-cnr.json", published="2023-02-30")
    edit(tiny, "records/sources/bjfao-2023-12-31-mao-ning-head-of-state-diplomacy-2023.json",
         published=5)
    assert others(check_records(tiny).report.problems) == [
        UNREACHABLE,
        Problem("records/sources/bjfao-2023-12-31-mao-ning-head-of-state-diplomacy-2023.json",
                8, 3, "wrong-type", "bjfao-2023-12-31-mao-ning-head-of-state-diplomacy-2023",
                "published", "must be a string or null, not an integer"),
        Problem("records/sources/mfa-2023-12-29-mao-ning-cnr.json", 7, 3, "bad-date",
                "mfa-2023-12-29-mao-ning-cnr", "published",
                "'2023-02-30' is not a real calendar date")]


def test_schemas_given_are_used_instead_of_the_committed_ones(tiny):
    schemas = load_schemas(tiny)
    shutil.rmtree(tiny / "schema")
    checked = check_records(tiny, schemas)
    assert checked.schemas is schemas
    assert others(checked.report.problems) == [UNREACHABLE]


@pytest.mark.parametrize("damage", ["missing", "not json"])
def test_unreadable_schemas_stop_the_check(tiny, damage):
    path = tiny / "schema" / "events.schema.json"
    if damage == "missing":
        path.unlink()
        reason = f"[Errno 2] No such file or directory: '{path}'"
    else:
        path.write_text("{", "utf-8")
        reason = "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
    checked = check_records(tiny)
    assert checked.report.problems == [Problem(
        "schema", code="missing-schema", message=f"cannot read the JSON Schemas: {reason}")]
    assert (checked.report.records_checked, checked.schemas, checked.inputs) == (0, {}, None)


def test_files_that_are_not_records_are_reported_beside_the_records(tiny):
    (tiny / "records" / "stray.txt").write_text("x", "utf-8")
    report = check_records(tiny).report
    assert others(report.problems) == [UNREACHABLE, Problem(
        "records/stray.txt", code="unexpected-file", message=(
            "not a table folder; records/ holds only: sources, texts, actors, events, "
            "outcomes, positions, aggregates, commentary"))]
    assert report.records_checked == 8


def test_a_missing_or_unsplittable_review_stops_the_check(tiny):
    (tiny / REVIEW).write_text("x\n", "utf-8")
    checked = check_records(tiny)
    assert checked.report.problems == [Problem(
        REVIEW, code="missing-source",
        message="cannot read the review's text: the text should have 8 paragraphs, not 1")]
    assert (checked.report.records_checked, checked.sentences, checked.inputs) == (0, [], None)
    (tiny / REVIEW).unlink()
    assert check_records(tiny).report.problems == [Problem(
        REVIEW, code="missing-source", message="cannot read the review's text: [Errno 2] No "
        f"such file or directory: '{tiny / REVIEW}'")]


def test_a_changed_review_stops_the_check(tiny):
    text = (tiny / REVIEW).read_text("utf-8")
    (tiny / REVIEW).write_text(text.replace("highlights", "highlight", 1), "utf-8")
    checked = check_records(tiny)
    assert checked.report.problems == [Problem(
        REVIEW, code="source-changed", message="the review's text differs from the text the "
        "records were curated from (sha256 e358a45dfc225aef9974e68ba9216a1d9af91d41f338a67fd"
        "d9e76146b994ed6); every quote rests on it")]
    assert checked.report.records_checked == 0


def test_named_files_are_checked_among_the_rest_and_only_their_problems_told(tiny):
    edit(tiny, "records/commentary/heading.json", reason=5)
    edit(tiny, "records/commentary/answer-opening.json", reason=6)
    checked = check_records(tiny, only=[tiny / "records" / "commentary" / "heading.json"])
    # no coverage of the review: only some records were named
    assert checked.report.problems == [
        Problem("records/commentary/heading.json", 3, 3, "wrong-type", "heading", "reason",
                "must be a string, not an integer")]
    assert checked.report.records_checked == 8
    assert checked.inputs is not None


def test_a_named_file_that_is_not_a_record_is_reported(tiny):
    only = [tiny / "README.md", Path("records/events/zz-event.json")]
    checked = check_records(tiny, only=only)
    assert checked.report.problems == [
        Problem("README.md", code="unexpected-file", message="a record file is "
                "records/<table>/<id>.json, with table one of: sources, texts, actors, events, "
                "outcomes, positions, aggregates, commentary"), UNREACHABLE]
    # when no named file is a record, nothing is checked
    checked = check_records(tiny, only=[tiny / "README.md"])
    assert [p.code for p in checked.report.problems] == ["unexpected-file"]
    assert (checked.report.records_checked, checked.sentences, checked.inputs) == (0, [], None)


def workers(monkeypatch, threshold: int = 8):
    """Checks spread from ``threshold`` files on, in runs of 3, over two forked workers."""
    monkeypatch.setattr(validate, "PARALLEL_FROM", threshold)
    monkeypatch.setattr(validate, "CHUNK", 3)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)


def test_workers_check_runs_of_files_and_report_what_one_process_does(tiny, monkeypatch):
    workers(monkeypatch, threshold=10)  # the 10 files of this test: 4 runs
    edit(tiny, "records/commentary/heading.json", reason=5)
    # the same URL as a source checked in the same run (2-copy) and in another (zz-source):
    # each later one is told, once
    edit(tiny, "records/sources/163-2023-12-29-mfa-head-of-state-diplomacy-highlights.json",
         url="https://example.org/same")
    for name in ("2-copy", "zz-source"):
        (tiny / "records" / "sources" / f"{name}.json").write_text(json.dumps(
            {"id": name, "kind": "report", "publisher": "P",
             "url": "https://example.org/same", "language": "en"}), "utf-8")
    writer = Collecting()
    checked = check_records(tiny, writer=writer)
    report = checked.report
    assert report.records_checked == 10
    told = ("the URL is already the source '163-2023-12-29-mfa-head-of-state-diplomacy-"
            "highlights'; cite that one")
    assert others(report.problems) == [
        Problem("records/commentary/heading.json", 3, 3, "wrong-type", "heading", "reason",
                "must be a string, not an integer"), UNREACHABLE,
        Problem("records/sources/2-copy.json", 1, 54, "duplicate-url", "2-copy", "url", told),
        Problem("records/sources/zz-source.json", 1, 57, "duplicate-url", "zz-source", "url",
                told)]
    assert uncovered(report.problems)[:3] == [2, 3, 5]  # the heading's mention still counts
    assert checked.sentence_of == SENTENCE_OF
    assert ids(writer) == [
        "163-2023-12-29-mfa-head-of-state-diplomacy-highlights", "2-copy", "answer-opening",
        "bjfao-2023-12-31-mao-ning-head-of-state-diplomacy-2023", "mfa-2023-12-29-mao-ning-cnr",
        "review-2023-en", "review-2023-zh", "zz-event", "zz-source"]
    # (a URL is compared once the runs are back: its source was written by then, and the
    # invalid report makes the caller discard what was written)
    assert writer.merged == 4 and os.getpid() not in {added[3] for added in writer.added}
    # one process reports the same, and the inputs' digest is the same
    validate.PARALLEL_FROM = 11  # (put back by the fixture's monkeypatch)
    alone = check_records(tiny)
    assert sorted(alone.report.problems) == sorted(report.problems)
    assert alone.inputs == checked.inputs is not None
    assert alone.sentence_of == checked.sentence_of


def test_fewer_files_than_the_threshold_are_checked_here(tiny, monkeypatch):
    workers(monkeypatch, threshold=9)  # 8 files
    writer = Collecting()
    check_records(tiny, writer=writer)
    assert writer.merged == 0 and {added[3] for added in writer.added} == {os.getpid()}


@pytest.mark.parametrize("spread", [True, False])
def test_a_record_that_cannot_be_read_leaves_no_inputs_digest(tiny, monkeypatch, spread):
    if spread:
        workers(monkeypatch)
    read = reading.read

    def unreadable(root, record):
        if record.stem != "review-2023-zh":
            return read(root, record)
        record.problem("unreadable", "cannot read the file: Permission denied")

    monkeypatch.setattr(reading, "read", unreadable)
    checked = check_records(tiny)
    assert checked.inputs is None
    assert [p for p in checked.report.problems if p.path.endswith("zh.json")] == [Problem(
        "records/texts/review-2023-zh.json", code="unreadable", record="review-2023-zh",
        message="cannot read the file: Permission denied")]


def test_each_run_starts_afresh_and_is_merged_in_order(tiny, monkeypatch):
    """The runs made here, one after another (mutation testing sees no forked child): each
    starts from no facts and no placed sentences, as a fresh worker does."""
    workers(monkeypatch)
    edit(tiny, "records/commentary/heading.json", reason=5)
    runs = []
    check_run = validate._check_run

    def apart(files, start, context):
        _, checked, _, links, _ = context
        kept = links.facts, checked.sentence_of
        try:
            runs.append(check_run(files, start, context))
        finally:
            links.facts, checked.sentence_of = kept  # as a worker leaves them
        return runs[-1]

    monkeypatch.setattr(validate, "_check_run", apart)
    monkeypatch.setattr(parallel, "ordered_map",
                        lambda function, count, workers: (function(i) for i in range(count)))
    writer = Collecting()
    checked = check_records(tiny, writer=writer)

    def listed(*paths: str) -> str:
        return "".join(f"{hashlib.sha256((tiny / p).read_bytes()).hexdigest()}  {p}\n"
                       for p in paths)

    none = ({}, {}, set(), [], set(), [])
    heading = Problem("records/commentary/heading.json", 3, 3, "wrong-type", "heading",
                      "reason", "must be a string, not an integer")
    assert [run[:5] for run in runs] == [
        ([], [(0, "https://163.com/dy/article/IN4UECBJ053469LG.html",
               "163-2023-12-29-mfa-head-of-state-diplomacy-highlights"),
              (2, "https://wb.beijing.gov.cn/home/index/wsjx/202312/t20231231_3521481.html",
               "bjfao-2023-12-31-mao-ning-head-of-state-diplomacy-2023")],
         listed(*IN_ORDER[:3]), none,
         {("review-2023-en", 448, 641): 4, ("review-2023-zh", 114, 158): 3}),
        ([(3, [heading])], [(4, "https://www.fmprc.gov.cn/mfa_eng/xwfw_665399/s2510_665401/"
                                "202312/t20231229_11215271.html", "mfa-2023-12-29-mao-ning-cnr")],
         listed(*IN_ORDER[3:6]), none, {("review-2023-en", 7, 83): 1}),
        ([], [], listed(*IN_ORDER[6:]), ({"zz-event": (None, "2023-05-18", None, False)},
                                         *none[1:]), {})]
    # each run's piece of the writer: its records, with the sentences placed in the run
    assert [[added[1:2] + added[4:] for added in run[5]] for run in runs] == [
        [("163-2023-12-29-mfa-head-of-state-diplomacy-highlights", []),
         ("answer-opening", [3, 4]), ("bjfao-2023-12-31-mao-ning-head-of-state-diplomacy-2023",
                                      [3, 4])],
        [("mfa-2023-12-29-mao-ning-cnr", [1]), ("review-2023-en", [1])],
        [("review-2023-zh", []), ("zz-event", [])]]
    assert writer.merged == 3 and len(writer.added) == 7
    assert others(checked.report.problems) == [heading, UNREACHABLE]
    assert uncovered(checked.report.problems)[:3] == [2, 3, 5]
    assert checked.sentence_of == SENTENCE_OF
    assert checked.report.records_checked == 8
    assert checked.inputs == check_records(tiny).inputs is not None
