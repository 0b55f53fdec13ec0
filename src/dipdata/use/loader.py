"""load(): the data package -> typed records, parsed once, with lookups and navigation.

By default the package shipped inside the installed wheel is read with importlib.resources
(works offline and from a zipped install); `load(path)` reads a release zip or a folder.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from ..model import typed
from ..base.paths import PACKAGE_DIR, TABLES
from ..model.source import sentences
from .dataset import Collection, Dataset

__all__ = ["Collection", "Dataset", "PackageError", "load", "opened_package", "package_root"]


def package_root(path: str | Path | None = None) -> Any:
    """The data package's folder: the shipped one (a Traversable) or one at ``path``."""
    if path is None:
        here = resources.files("dipdata")  # works from a zipped install too
        shipped = here.joinpath(PACKAGE_DIR)
        if shipped.is_dir():
            return shipped
        # A source checkout (editable install) keeps the package at the repository's top.
        checkout = Path(str(here)).parent.parent / PACKAGE_DIR
        if checkout.is_dir():
            return checkout
        raise FileNotFoundError("the dipdata package data is not installed")
    path = Path(path)
    for folder in (path, path / PACKAGE_DIR):  # the package folder, or a repository
        if (folder / "datapackage.json").is_file():
            return folder
    raise PackageError(f"{path} is not a data package folder (it has no datapackage.json); "
                       "load() takes a release zip, a data package folder, or nothing")


class PackageError(ValueError):
    """The path is not a readable data package; the message says what it is and what is
    expected."""


@contextlib.contextmanager
def opened_package(path: str | Path | None = None) -> Iterator[Any]:
    """The package folder of ``path``; a zip is first extracted safely to a temporary folder
    (absolute paths, '..', links, duplicates and zip bombs refused) and removed after."""
    if path is not None and Path(path).is_file() and Path(path).name == "datapackage.json":
        path = Path(path).parent  # the descriptor stands for its package
    if path is not None and Path(path).is_file():
        from ..base.archives import ReleaseError, opened

        try:
            with opened(Path(path)) as folder:
                yield folder
        except ReleaseError as error:
            raise PackageError(f"{error}; load() takes a release zip, a data package folder, "
                               "or nothing (the package shipped with dipdata)") from None
        return
    if path is not None and not Path(path).exists():
        raise FileNotFoundError(f"{path} does not exist")
    yield package_root(path)


def _node(root: Any, relative: str) -> Any:
    """The file at a path such as ``data/events.json`` in the package folder (a Path or a
    Traversable)."""
    node = root
    for part in relative.split("/"):
        node = node.joinpath(part)
    return node


def _read(root: Any, relative: str) -> bytes:
    try:
        return _node(root, relative).read_bytes()
    except FileNotFoundError:
        raise PackageError(f"the data package lacks {relative}, which its descriptor "
                           "lists") from None


def _check_resources(root: Any, descriptor: dict[str, Any]) -> None:
    """Every resource the descriptor lists, and every table's JSON resource, is present."""
    names = {r.get("name") for r in descriptor.get("resources", [])}
    for table in TABLES:
        if f"{table}-json" not in names:
            raise PackageError(f"the data package lacks the resource '{table}-json' "
                               f"(data/{table}.json)")
    for resource in descriptor["resources"]:
        path = resource.get("path")
        if not isinstance(path, str) or not _node(root, path).is_file():
            raise PackageError(f"the data package lacks the resource {resource.get('name')!r}: "
                               f"{path} is missing")


def load(path: str | Path | None = None) -> Dataset:
    """The dataset as typed records: the package shipped with dipdata, or one at ``path``."""
    if path is None:
        return _load_shipped()
    with opened_package(path) as root:
        return _load(root, by_schema=True)


@functools.cache
def _load_shipped() -> Dataset:
    # The shipped package was validated when it was built and is covered by its hashes, so
    # its records are constructed without validating them again (a test proves they equal
    # validated ones); this keeps a cold load fast.
    return _load(package_root(), trusted=True)


def _load(root: Any, trusted: bool = False, by_schema: bool = False) -> Dataset:
    """The dataset in the package at ``root``. Its records are validated by the models, or,
    ``by_schema``, checked against the JSON Schemas shipped with dipdata and made on first
    access (the models still validate them when that check fails, to say what is wrong);
    ``trusted`` (the shipped package), made on first access without a check."""
    try:
        descriptor = json.loads(_read(root, "datapackage.json"))
    except ValueError as error:
        raise PackageError(f"datapackage.json is not a readable descriptor: {error}") from None
    if not trusted:
        _check_resources(root, descriptor)
    parse: Callable[[bytes], Any] = json.loads
    if trusted:  # the shipped package is known to be good JSON: the faster parser
        import orjson

        parse = orjson.loads
    tables = {table: parse(_read(root, f"data/{table}.json")) for table in TABLES}
    lazy = trusted or (by_schema and typed.valid_by_schema(tables, _shipped_schemas()))
    if not lazy:
        tables = typed.validated(tables)
    text_resource = next(r for r in descriptor["resources"] if r["name"] == "review-text")
    text = _read(root, text_resource["path"]).decode("utf-8")
    words = {r["name"].removeprefix("text-"): _read(root, r["path"]).decode("utf-8")
             for r in descriptor["resources"] if r["name"].startswith("text-")}
    try:
        jsonld = json.loads(_read(root, "dataset.jsonld"))
    except (OSError, ValueError):
        jsonld = None  # a package made elsewhere may not describe itself for search engines
    return Dataset(tables, sentences(text), text, descriptor["version"],
                   make=typed.maker if lazy else None, jsonld=jsonld, words=words)


def _shipped_schemas() -> dict[str, Any] | None:
    """The JSON Schemas of the JSON resources of the package shipped with dipdata."""
    try:
        shipped = package_root()
        return {table: json.loads(_read(shipped, f"schema/{table}.schema.json"))
                for table in TABLES}
    except (OSError, ValueError):
        return None
