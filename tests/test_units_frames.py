"""Tables as DataFrames, on a tiny package made in the test: each column's dtype by its Table
Schema type, empty cells as missing values, and words such as "NA" (Namibia's code) kept as
words, in pandas and polars."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from dipdata.use import frames
from dipdata.use.frames import to_pandas, to_polars

CSV = ("id,country,n,flag,day\n"
       "a,NA,1,true,2023-03-20\n"
       "b,,,,\n"
       "c,None,-3,false,2024-02-29\n"
       "d,null,0,false,2023-12-31\n")


def package(folder: Path) -> Path:
    """A package with the table `things` (one column of each type) beside a JSON resource and
    a second CSV table."""
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "things.csv").write_text(CSV, "utf-8")
    (folder / "data" / "things.json").write_text("[]", "utf-8")
    (folder / "data" / "others.csv").write_text("id\nx\n", "utf-8")
    fields = [{"name": "id", "type": "string"}, {"name": "country", "type": "string"},
              {"name": "n", "type": "integer"}, {"name": "flag", "type": "boolean"},
              {"name": "day", "type": "date"}]
    (folder / "datapackage.json").write_text(json.dumps({"resources": [
        # a JSON resource of the same name comes first: only the CSV one is a table
        {"name": "things", "path": "data/things.json", "format": "json"},
        {"name": "things", "path": "data/things.csv", "format": "csv",
         "schema": {"fields": fields}},
        {"name": "others", "path": "data/others.csv", "format": "csv",
         "schema": {"fields": [{"name": "id", "type": "string"}]}},
        {"name": "review", "path": "data/things.json", "format": "txt"},
    ]}), "utf-8")
    return folder


def test_pandas_dtypes_by_the_table_schema(tmp_path):
    pytest.importorskip("pandas")
    frame = to_pandas("things", package(tmp_path / "p"))
    assert list(frame.columns) == ["id", "country", "n", "flag", "day"]
    assert [str(frame[c].dtype) for c in ("id", "country", "n", "flag")] == [
        "string", "string", "Int64", "boolean"]
    assert frame["day"].dtype.kind == "M"  # datetime64


def test_pandas_values_and_missing_cells(tmp_path):
    pd = pytest.importorskip("pandas")
    frame = to_pandas("things", package(tmp_path / "p"))
    assert frame["id"].tolist() == ["a", "b", "c", "d"]
    # only an empty cell is missing: "NA", "None" and "null" are words
    assert frame["country"].isna().tolist() == [False, True, False, False]
    assert [frame["country"][i] for i in (0, 2, 3)] == ["NA", "None", "null"]
    assert frame["n"].isna().tolist() == [False, True, False, False]
    assert [int(frame["n"][i]) for i in (0, 2, 3)] == [1, -3, 0]
    assert frame["flag"].isna().tolist() == [False, True, False, False]
    assert [bool(frame["flag"][i]) for i in (0, 2, 3)] == [True, False, False]
    assert frame["day"].isna().tolist() == [False, True, False, False]
    assert [frame["day"][i] for i in (0, 2, 3)] == [
        pd.Timestamp(2023, 3, 20), pd.Timestamp(2024, 2, 29), pd.Timestamp(2023, 12, 31)]


def test_pandas_reads_a_string_column_of_only_empty_cells_as_missing(tmp_path):
    pytest.importorskip("pandas")
    folder = package(tmp_path / "p")
    (folder / "data" / "things.csv").write_text("id,country,n,flag,day\na,,,,\n", "utf-8")
    frame = to_pandas("things", folder)
    assert [str(frame[c].dtype) for c in ("country", "n", "flag")] == [
        "string", "Int64", "boolean"]
    assert frame.iloc[0, 1:].isna().tolist() == [True, True, True, True]


@pytest.mark.parametrize("row", ["a,,,,20/03/2023", "a,,,yes,"],
                         ids=["a date not written YYYY-MM-DD", "a boolean not true or false"])
def test_pandas_refuses_a_cell_that_is_not_its_type(tmp_path, row):
    pytest.importorskip("pandas")
    folder = package(tmp_path / "p")
    (folder / "data" / "things.csv").write_text(f"id,country,n,flag,day\n{row}\n")
    with pytest.raises(ValueError):
        to_pandas("things", folder)


def test_polars_dtypes_and_values(tmp_path):
    pl = pytest.importorskip("polars")
    frame = to_polars("things", package(tmp_path / "p"))
    assert frame.schema == {"id": pl.Utf8, "country": pl.Utf8, "n": pl.Int64,
                            "flag": pl.Boolean, "day": pl.Date}
    assert frame.to_dicts() == [
        {"id": "a", "country": "NA", "n": 1, "flag": True, "day": datetime.date(2023, 3, 20)},
        {"id": "b", "country": None, "n": None, "flag": None, "day": None},
        {"id": "c", "country": "None", "n": -3, "flag": False,
         "day": datetime.date(2024, 2, 29)},
        {"id": "d", "country": "null", "n": 0, "flag": False,
         "day": datetime.date(2023, 12, 31)}]


def test_an_unknown_table_names_the_tables(tmp_path):
    folder = package(tmp_path / "p")
    for read in (to_pandas, to_polars):
        with pytest.raises(KeyError, match=r"no table 'review'; the tables are: others, things"):
            read("review", folder)
    with pytest.raises(KeyError, match=r"no table 'thing'; the tables are: others, things"):
        frames._table("thing", folder)


def test_the_table_is_read_as_its_bytes_with_its_fields(tmp_path):
    data, fields = frames._table("others", package(tmp_path / "p"))
    assert data == b"id\nx\n"
    assert fields == [{"name": "id", "type": "string"}]


def test_a_missing_extra_says_what_to_install(monkeypatch):
    import importlib

    real = importlib.import_module

    def without(name, *args):
        if name in ("pandas", "polars"):
            raise ImportError(name)
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", without)
    for module, read in (("pandas", to_pandas), ("polars", to_polars)):
        with pytest.raises(ImportError, match=rf"^{module} is not installed: pip install "
                                              rf"'dipdata\[{module}\]'$"):
            read("things")
    assert frames._require("json") is json
