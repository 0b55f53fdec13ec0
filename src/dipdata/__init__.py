"""dipdata: China's head-of-state diplomacy in 2023, as a validated, versioned data package.

The public API: :func:`validate`, :func:`build`, and the record models in
:mod:`dipdata.models`. Heavy modules are imported only when used.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "build", "load", "to_pandas", "to_polars", "validate"]


def load(path=None):
    """The dataset as typed records (a :class:`~dipdata.loader.Dataset`).

    Without ``path``, the data package shipped with dipdata; otherwise a release zip or a
    data package folder.
    """
    from .loader import load as _load

    return _load(path)


def to_pandas(table, path=None):
    """One table of the package as a typed pandas DataFrame (needs the ``pandas`` extra)."""
    from .frames import to_pandas as _to_pandas

    return _to_pandas(table, path)


def to_polars(table, path=None):
    """One table of the package as a typed polars DataFrame (needs the ``polars`` extra)."""
    from .frames import to_polars as _to_polars

    return _to_polars(table, path)


def validate(root=".", paths=(), check_package=True):
    """Validate records and the committed package; returns a :class:`~dipdata.problems.Report`."""
    from .validate import validate as _validate

    return _validate(root, paths, check_package)


def build(root="."):
    """Validate the records and write `schema/` and `datapackage/`; returns the report."""
    from .package import build as _build

    return _build(root).report
