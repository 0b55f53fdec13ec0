"""The reader's limits and the bytes of generated JSON, on hand-written input."""

from __future__ import annotations

from dipdata.make.encode import csv_bytes, json_bytes
from dipdata.check.limits import deeper_than, inexact_number, repeated_keys


def test_brackets_inside_strings_do_not_count():
    raw = b'{"s": "[[[\\"[[[", "x": [[1]]}'
    assert deeper_than(raw, 2) == raw.index(b"[[1") + 1  # the second bracket of the list
    assert deeper_than(raw, 3) is None
    assert deeper_than(b'{"s": "]]]]", "x": [1]}', 2) is None


def test_an_escaped_backslash_ends_before_the_quote():
    raw = b'{"s": "a\\\\", "t": [[]]}'  # the string is a\ : its quote ends it
    assert deeper_than(raw, 2) == raw.index(b"[[") + 1


def test_closing_brackets_lower_the_depth():
    assert deeper_than(b"[[]][[]][[]]", 2) is None
    assert deeper_than(b"[[]][[[]]]", 2) == 6
    assert deeper_than(b"{}", 0) == 0 and deeper_than(b"{}", 1) is None


def test_numbers_read_exactly_are_not_flagged():
    assert inexact_number(b'{"n": 12345678901234567}', {"n": 12345678901234567}) is None
    assert inexact_number(b'{"n": [1.0, {"m": 2}]}', {"n": [1.0, {"m": 2}]}) is None


def test_a_number_read_as_another_type_is_found_where_it_is_written():
    raw = b'{"a": "x", "n": [123456789012345678901234]}'
    assert inexact_number(raw, {"a": "x", "n": [1.2345678901234568e23]}) == raw.index(b"1234")
    raw = b'{"n": {"m": 12345678901234567890123}}'
    assert inexact_number(raw, {"n": {"m": 1.2345678901234568e22}}) == raw.index(b"1234")


def test_repeated_keys_are_found_with_where_they_are_kept():
    text = '{"a": 1, "b": {"c": 1, "c": 2}, "a/b~": 3, "a/b~": 4}'
    data = {"a": 1, "b": {"c": 2}, "a/b~": 4}
    assert repeated_keys(text, data) == [("c", "/b/c"), ("a/b~", "/a~1b~0")]
    assert repeated_keys('[{"x": 1}, {"y": 1, "y": 2}]', [{"x": 1}, {"y": 2}]) == [("y", "/1/y")]


def test_json_bytes_escape_what_a_reader_cannot_see():
    assert json_bytes({"p": "a\u202eb\ufeff", "q": [1]}) == (
        b'{\n  "p": "a\\u202eb\\ufeff",\n  "q": [\n    1\n  ]\n}\n')
    assert json_bytes("\u2028\u200b\u0085") == b'"\\u2028\\u200b\\u0085"\n'
    assert json_bytes("caf\u00e9 \u4e2d") == '"caf\u00e9 \u4e2d"\n'.encode()


def test_csv_bytes_quote_only_what_needs_it():
    assert csv_bytes([["a", None, 3, "b,c", 'd"e']]) == b'a,,3,"b,c","d""e"\n'
    assert csv_bytes([["x\ny"]]) == b'"x\ny"\n'


def test_an_empty_string_ends_at_its_second_quote():
    raw = b'["", [[]]]'
    assert deeper_than(raw, 2) == raw.index(b"[[") + 1


def test_closing_braces_lower_the_depth_too():
    assert deeper_than(b"{}{}{}", 1) is None
    assert deeper_than(b"{}{{}}", 1) == 3
