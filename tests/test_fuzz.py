"""Where dipdata reads or writes bytes itself, it agrees with reference implementations on
generated input (bounded example counts, so the suite stays fast): the strict reader's
duplicate keys with Python's json and a duplicate-rejecting hook, its depth and number
checks, the date rule with Python's date parsing, and the CSV writer with the csv module and
DuckDB reading the bytes back."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dipdata.make.encode import csv_bytes
from dipdata.check import records as reading

KEYS = st.sampled_from(["a", "b", "c", "id", "ü", "a\\u0062"])  # the last is "ab" escaped
VALUES = st.one_of(st.integers(-10**6, 10**6), st.text(max_size=5), st.none(), st.booleans())


def _read(tmp_path, raw: bytes) -> reading.RecordFile:
    folder = tmp_path / "records" / "events"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "x.json").write_bytes(raw)
    record = reading.RecordFile(tmp_path, "records/events/x.json", "events")
    reading.read(tmp_path, record)
    return record


def _duplicated(text: str) -> bool:
    found = []

    def hook(pairs):
        keys = [k for k, _ in pairs]
        found.extend(k for k in set(keys) if keys.count(k) > 1)
        return dict(pairs)

    json.loads(text, object_pairs_hook=hook)
    return bool(found)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(KEYS, VALUES), max_size=6),
       st.lists(st.tuples(KEYS, VALUES), max_size=3))
def test_duplicate_keys_are_found_as_pythons_json_finds_them(tmp_path_factory, outer, inner):
    tmp_path = tmp_path_factory.mktemp("dup")
    members = [f'"{k}": {json.dumps(v)}' for k, v in outer]
    members.append('"nested": {' + ", ".join(f'"{k}": {json.dumps(v)}' for k, v in inner) + "}")
    text = "{" + ", ".join(members) + "}"
    record = _read(tmp_path, text.encode())
    codes = {p.code for p in record.problems}
    assert ("duplicate-key" in codes) == _duplicated(text), text


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 400))
def test_nesting_beyond_the_limit_is_too_deep_and_within_it_is_read(tmp_path_factory, depth):
    tmp_path = tmp_path_factory.mktemp("deep")
    text = '{"a": ' + "[" * depth + "]" * depth + "}"
    record = _read(tmp_path, text.encode())
    codes = [p.code for p in record.problems]
    # the object itself is one level: `depth` brackets make depth + 1
    assert codes == (["too-deep"] if depth + 1 > reading.MAX_DEPTH else []), depth


@settings(max_examples=40, deadline=None)
@given(st.integers(-(10**30), 10**30))
def test_integers_are_read_exactly_or_refused(tmp_path_factory, number):
    tmp_path = tmp_path_factory.mktemp("int")
    record = _read(tmp_path, f'{{"n": {number}}}'.encode())
    codes = [p.code for p in record.problems]
    if -(2**63) <= number < 2**64:
        assert codes == [] and record.data == {"n": number}
    else:
        assert codes == ["number-too-large"]


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="0123456789-", min_size=8, max_size=12))
def test_the_date_rule_agrees_with_python_date_parsing(text):
    from dipdata.model.vocabulary import DATE_PATTERN
    import re

    try:
        parsed = datetime.date.fromisoformat(text)
        python_ok = len(text) == 10 and 1900 <= parsed.year <= 2099
    except ValueError:
        python_ok = False
    ours = bool(re.fullmatch(DATE_PATTERN, text)) and _is_real_date(text)
    assert ours == python_ok, text


def _is_real_date(text: str) -> bool:
    from dipdata.model.fields import Date  # the field type records use
    from pydantic import TypeAdapter, ValidationError

    try:
        TypeAdapter(Date).validate_python(text)
        return True
    except ValidationError:
        return False


CELLS = st.one_of(st.none(), st.integers(-1000, 1000),
                  st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]),
                          max_size=8))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(CELLS, min_size=3, max_size=3), min_size=1, max_size=5))
def test_the_csv_writer_reads_back_the_same_with_csv_and_duckdb(tmp_path_factory, rows):
    data = csv_bytes([["a", "b", "c"], *rows])
    expected = [["" if cell is None else str(cell) for cell in row] for row in rows]
    back = list(csv.reader(io.StringIO(data.decode(), newline="")))
    assert back[1:] == expected
    duckdb = pytest.importorskip("duckdb")
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_bytes(data)
    # the dialect given, not sniffed: DuckDB's sniffer may take a leading '#' for a comment
    found = duckdb.sql(f"select * from read_csv('{path}', header=true, auto_detect=false, "
                       "columns={'a': 'VARCHAR', 'b': 'VARCHAR', 'c': 'VARCHAR'}, "
                       "quote='\"', escape='\"', delim=',', new_line='\\n')").fetchall()
    assert [["" if v is None else v for v in row] for row in found] == expected


def test_a_cell_starting_with_a_hash_reads_back(tmp_path):
    """Found by fuzzing: a '#' at a line's start is data; read with the dialect given (not
    sniffed), DuckDB reads it back."""
    duckdb = pytest.importorskip("duckdb")
    path = tmp_path / "t.csv"
    path.write_bytes(csv_bytes([["a", "b"], [None, None], ["#", None]]))
    assert duckdb.sql(f"select * from read_csv('{path}', header=true, auto_detect=false, "
                      "columns={'a': 'VARCHAR', 'b': 'VARCHAR'}, delim=',', quote='\"', "
                      "escape='\"', new_line='\\n')").fetchall() == [(None, None), ("#", None)]


def test_a_lone_carriage_return_is_quoted():
    assert csv_bytes([["a", "b"], ["x\ry", None]]) == b'a,b\n"x\ry",""\n'
