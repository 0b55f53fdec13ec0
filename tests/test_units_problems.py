"""The one shape of a problem and its report: where a problem is (line and column), how it
reads as text, as a GitHub annotation and in JSON, and the report's summary line. Expected
values written by hand."""

from __future__ import annotations

import json

import pytest

from dipdata.base.problems import Problem, Report, line_column


@pytest.mark.parametrize("text", ["ab\ncd\n\nef", b"ab\ncd\n\nef"])
def test_line_and_column_count_from_one_in_text_and_bytes(text):
    assert line_column(text, 0) == (1, 1)
    assert line_column(text, 1) == (1, 2)
    assert line_column(text, 2) == (1, 3)  # the newline itself ends line 1
    assert line_column(text, 3) == (2, 1)
    assert line_column(text, 4) == (2, 2)
    assert line_column(text, 6) == (3, 1)  # an empty line
    assert line_column(text, 8) == (4, 2)
    assert line_column(text, len(text)) == (4, 3)


def test_line_and_column_of_a_later_line_count_from_its_own_start():
    text = "first line\nxy\nz"
    assert line_column(text, text.index("y")) == (2, 2)
    assert line_column(text, text.index("z")) == (3, 1)


@pytest.mark.parametrize("text", ["\nab", b"\nab"])
def test_a_text_that_starts_with_a_newline_starts_on_line_2(text):
    assert line_column(text, 1) == (2, 1)
    assert line_column(text, 2) == (2, 2)


def test_a_problem_as_text_names_its_place_subject_and_message():
    full = Problem("records/events/a.json", 3, 7, "bad-date", "a", "start_date", "not a date")
    assert str(full) == "records/events/a.json:3:7: bad-date: a start_date: not a date"
    assert str(Problem("p.json", 0, 5, "c", "a", "-", "m")) == "p.json: c: a: m"  # no line
    assert str(Problem("p.json", 2, 0, "c", "-", "f", "m")) == "p.json:2:0: c: f: m"
    assert str(Problem("p.json", code="c", message="m")) == "p.json: c: m"


def test_a_problem_has_no_place_in_a_file_and_no_subject_by_default():
    problem = Problem("p")
    assert (problem.line, problem.column, problem.code, problem.record, problem.field,
            problem.message) == (0, 0, "", "-", "-", "")


def test_a_problem_as_a_github_annotation():
    problem = Problem("records/events/a.json", 3, 7, "bad-date", "a", "start_date", "not a date")
    assert problem.github() == ("::error file=records/events/a.json,line=3,col=7,"
                                "title=bad-date::bad-date: a start_date: not a date")
    # without a line: no position; a line without a column points at its first column
    assert Problem("p", 0, 4, "c", message="m").github() == "::error file=p,title=c::c: m"
    assert Problem("p", 2, 0, "c", "-", "f", "m").github() == (
        "::error file=p,line=2,col=1,title=c::c: f: m")
    assert Problem("p", 2, 1, "c", "r", message="m").github() == (
        "::error file=p,line=2,col=1,title=c::c: r: m")


def test_github_annotations_escape_what_would_end_them():
    problem = Problem("a:b,c%d\r\ne", 1, 2, "x:y,z%", "r", "-", "100% sure:\r\nyes, no")
    assert problem.github() == (
        "::error file=a%3Ab%2Cc%25d%0D%0Ae,line=1,col=2,title=x%3Ay%2Cz%25::"
        "x:y,z%25: r: 100%25 sure:%0D%0Ayes, no")


def test_problems_sort_by_path_then_line_then_column_then_code():
    a = Problem("b", 1, 1, "z")
    b = Problem("a", 9, 9, "z")
    c = Problem("b", 1, 2, "a")
    d = Problem("b", 2, 0, "a")
    e = Problem("b", 1, 1, "a")
    report = Report([a, b, c, d, e, a])
    assert report.sorted() == [b, e, a, c, d]  # and the repeated one once


def test_an_empty_report_is_valid_and_adding_a_problem_makes_it_invalid():
    report = Report()
    assert report.valid is True and report.problems == [] and report.records_checked == 0
    assert report.subject == ""
    report.add(Problem("p", code="c"))
    assert report.valid is False and report.problems == [Problem("p", code="c")]
    assert Report().problems is not report.problems  # each report has its own list


def test_render_text_is_one_line_per_distinct_problem_sorted():
    two, one = Problem("b", 1, 1, "c2", message="two"), Problem("a", code="c1", message="one")
    report = Report([two, one, two])
    assert report.render() == "a: c1: one\nb:1:1: c2: two"
    assert report.render("text") == "a: c1: one\nb:1:1: c2: two"
    assert Report().render() == ""


def test_render_github_is_one_annotation_per_line():
    report = Report([Problem("b", 1, 1, "c2", message="two"),
                     Problem("a", code="c1", message="one")])
    assert report.render("github") == ("::error file=a,title=c1::c1: one\n"
                                       "::error file=b,line=1,col=1,title=c2::c2: two")


def test_render_json_keeps_every_field_and_non_ascii_letters():
    report = Report([Problem("b", 2, 3, "c", "r", "f", "“é”"), Problem("a", code="c"),
                     Problem("a", code="c")], records_checked=4, subject="dist")
    text = report.render("json")
    assert "“é”" in text and '\n  "subject": "dist",\n' in text  # indented by two, unescaped
    assert json.loads(text) == {
        "subject": "dist", "valid": False, "records": 4, "problems": [
            {"path": "a", "line": 0, "column": 0, "code": "c", "record": "-", "field": "-",
             "message": ""},
            {"path": "b", "line": 2, "column": 3, "code": "c", "record": "r", "field": "f",
             "message": "“é”"}]}
    assert json.loads(Report(records_checked=1).render("json")) == {
        "subject": "", "valid": True, "records": 1, "problems": []}


@pytest.mark.parametrize(("records", "problems", "subject", "line"), [
    (0, 0, "", "valid: 0 records, no problems"),
    (1, 0, "", "valid: 1 record, no problems"),
    (2, 0, "dist", "dist: valid: 2 records, no problems"),
    (1, 1, "", "invalid: 1 problem in 1 record"),
    (5, 2, "x.zip", "x.zip: invalid: 2 problems in 5 records"),
    (0, 3, "", "invalid: 3 problems in 0 records"),
])
def test_summary_says_valid_or_not_with_counts_in_singular_or_plural(records, problems,
                                                                     subject, line):
    report = Report([Problem(f"p{i}") for i in range(problems)], records, subject)
    assert report.summary() == line


def test_summary_counts_a_repeated_problem_once():
    report = Report([Problem("p"), Problem("p"), Problem("q")], 3)
    assert report.summary() == "invalid: 2 problems in 3 records"
