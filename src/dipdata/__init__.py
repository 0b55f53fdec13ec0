"""dipdata: China's head-of-state diplomacy in 2023, as a validated, versioned data package.

The public API: :func:`load`, :func:`to_pandas`, :func:`to_polars`, :func:`validate` and
:func:`build`; the record models are in :mod:`dipdata.models`. Heavy modules are imported
only when used, so ``import dipdata`` stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .use.loader import Dataset
    from .make.package import Built
    from .base.problems import Report

__version__ = "1.2.0"

__all__ = ["__version__", "build", "load", "to_pandas", "to_polars", "validate"]


def load(path: str | Path | None = None) -> Dataset:
    """The dataset as typed records (a :class:`~dipdata.use.loader.Dataset`).

    Without ``path``, the data package shipped with dipdata; otherwise a release zip or a
    data package folder.
    """
    from .use.loader import load as _load

    return _load(path)


def to_pandas(table: str, path: str | Path | None = None) -> Any:
    """One table of the package as a typed pandas DataFrame (needs the ``pandas`` extra)."""
    from .use.frames import to_pandas as _to_pandas

    return _to_pandas(table, path)


def to_polars(table: str, path: str | Path | None = None) -> Any:
    """One table of the package as a typed polars DataFrame (needs the ``polars`` extra)."""
    from .use.frames import to_polars as _to_polars

    return _to_polars(table, path)


def validate(root: str | Path = ".", paths: Iterable[str | Path] = ()) -> Report:
    """Validate the repository at ``root``: every record, every rule across records, and
    every generated file against what the records produce. With ``paths``, only those record
    files are reported on (checked in the context of the rest). Writes nothing."""
    if paths:
        from .check.validate import check_records

        return check_records(Path(root), only=[Path(p) for p in paths]).report
    from .make.package import check

    return check(root)


def build(root: str | Path = ".") -> Built:
    """Validate the records and write every generated file when one is stale; returns the
    report and the paths it changed (nothing is written when validation fails)."""
    from .make.package import build as _build

    return _build(root)
