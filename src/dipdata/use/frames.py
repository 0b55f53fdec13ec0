"""Tables as typed DataFrames, for pandas or polars (optional extras, imported on use)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from .loader import _read, opened_package


def _table(table: str, path: str | Path | None) -> tuple[bytes, list[dict[str, Any]]]:
    with opened_package(path) as root:
        descriptor = json.loads(_read(root, "datapackage.json"))
        for resource in descriptor["resources"]:
            if resource["name"] == table and resource.get("format") == "csv":
                return _read(root, resource["path"]), resource["schema"]["fields"]
    names = sorted(r["name"] for r in descriptor["resources"] if r.get("format") == "csv")
    raise KeyError(f"no table {table!r}; the tables are: {', '.join(names)}")


def _require(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(f"{module} is not installed: pip install 'dipdata[{module}]'") from None


def to_pandas(table: str, path: str | Path | None = None) -> Any:
    """A pandas DataFrame with nullable dtypes: string, Int64, Float64, boolean, and
    datetime64 for dates."""
    pd = _require("pandas")
    data, fields = _table(table, path)
    kinds = {"integer": "Int64", "number": "Float64", "boolean": "boolean"}
    dtypes = {f["name"]: kinds.get(f["type"], "string") for f in fields if f["type"] != "date"}
    dates = [f["name"] for f in fields if f["type"] == "date"]
    frame = pd.read_csv(io.BytesIO(data), dtype=dtypes, keep_default_na=False,
                        na_values={name: [""] for name in dtypes if dtypes[name] != "string"}
                        | {name: [""] for name in dates},
                        true_values=["true"], false_values=["false"])
    for name, dtype in dtypes.items():
        if dtype == "string":
            frame[name] = frame[name].mask(frame[name] == "")
    for name in dates:
        frame[name] = pd.to_datetime(frame[name], format="%Y-%m-%d")
    return frame


def to_polars(table: str, path: str | Path | None = None) -> Any:
    """A polars DataFrame with Utf8, Int64, Float64, Boolean and Date columns."""
    pl = _require("polars")
    data, fields = _table(table, path)
    types = {"integer": pl.Int64, "number": pl.Float64, "date": pl.Date,
             "boolean": pl.Boolean}
    schema = {f["name"]: types.get(f["type"], pl.Utf8) for f in fields}
    return pl.read_csv(io.BytesIO(data), schema=schema)
