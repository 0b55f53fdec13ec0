"""dipdata: China's head-of-state diplomacy in 2023, as a validated, versioned data package.

The public API: :func:`validate`, :func:`build`, and the record models in
:mod:`dipdata.models`. Heavy modules are imported only when used.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "build", "validate"]


def validate(root=".", paths=(), check_package=True):
    """Validate records and the committed package; returns a :class:`~dipdata.problems.Report`."""
    from .validate import validate as _validate

    return _validate(root, paths, check_package)


def build(root="."):
    """Validate the records and write `schema/` and `datapackage/`; returns the report."""
    from .package import build as _build

    return _build(root).report
