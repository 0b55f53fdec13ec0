"""The public API (`dipdata.load`, `to_pandas`, `to_polars`, `validate`, `build`): each hands
its arguments, and its defaults, to the library function that does the work, and gives back
what that returns."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

import dipdata
from dipdata.make import package
from dipdata.check import validate as validate_module
from dipdata.use import frames, loader


@pytest.fixture
def calls(monkeypatch) -> list[tuple]:
    """Stand-ins for the library functions, recording how they were called."""
    made: list[tuple] = []

    def recorder(name: str):
        def call(*args, **kwargs):
            made.append((name, args, kwargs))
            return f"from {name}"
        return call

    monkeypatch.setattr(loader, "load", recorder("load"))
    monkeypatch.setattr(frames, "to_pandas", recorder("to_pandas"))
    monkeypatch.setattr(frames, "to_polars", recorder("to_polars"))
    monkeypatch.setattr(package, "check", recorder("check"))
    monkeypatch.setattr(package, "build", recorder("build"))

    def check_records(root, only):
        made.append(("check_records", (root,), {"only": only}))
        return SimpleNamespace(report="the report of the files")

    monkeypatch.setattr(validate_module, "check_records", check_records)
    return made


def test_load_and_frames_pass_the_table_and_the_path(calls):
    assert dipdata.load() == "from load"
    assert dipdata.load("release.zip") == "from load"
    assert dipdata.to_pandas("events") == "from to_pandas"
    assert dipdata.to_polars("actors", "folder") == "from to_polars"
    assert dipdata.to_pandas("meetings", "release.zip") == "from to_pandas"
    assert dipdata.to_polars("sources") == "from to_polars"
    assert calls == [("load", (None,), {}), ("load", ("release.zip",), {}),
                     ("to_pandas", ("events", None), {}), ("to_polars", ("actors", "folder"), {}),
                     ("to_pandas", ("meetings", "release.zip"), {}),
                     ("to_polars", ("sources", None), {})]


def test_validate_checks_the_repository_or_only_the_files_named(calls):
    assert dipdata.validate() == "from check"
    assert dipdata.validate("repo") == "from check"
    assert dipdata.validate("repo", ["records/events/a.json", Path("records/actors/b.json")]) \
        == "the report of the files"
    assert calls == [("check", (".",), {}), ("check", ("repo",), {}),
                     ("check_records", (Path("repo"),),
                      {"only": [Path("records/events/a.json"), Path("records/actors/b.json")]})]


def test_build_builds_the_repository_given(calls):
    assert dipdata.build() == "from build"
    assert dipdata.build("elsewhere") == "from build"
    assert calls == [("build", (".",), {}), ("build", ("elsewhere",), {})]


def test_the_public_functions_stay_functions_once_every_module_is_imported():
    """A subpackage named like a public function would replace it when first imported."""
    import importlib
    import pkgutil

    for module in pkgutil.walk_packages(dipdata.__path__, "dipdata."):
        if module.name != "dipdata.__main__":  # (that one runs the command)
            importlib.import_module(module.name)
    for name in ("build", "load", "to_pandas", "to_polars", "validate"):
        function = getattr(dipdata, name)
        assert (function.__module__, function.__name__) == ("dipdata", name)
