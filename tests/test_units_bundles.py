"""The release's other forms of the data (`publish.bundles`): which zips are written, under
which names, holding which files, with the exports and the explorer replaced by fakes that
say what they were given (the real ones are tested in test_units_exports and
test_units_site; a whole release is built in test_release)."""

from __future__ import annotations

import builtins
import json
from pathlib import Path

import pytest

from dipdata.base.archives import ReleaseError
from dipdata.publish import bundles, exports
from dipdata.use import loader
from dipdata.views import site


@pytest.fixture
def fakes(monkeypatch):
    """The exports and the explorer as fakes; returns what each was called with."""
    calls: dict[str, list] = {"sqlite": [], "metadata": [], "parquet": [], "load": [],
                              "site": []}

    def write_sqlite(package: Path, path: Path) -> Path:
        calls["sqlite"].append((package, path.name))
        path.write_bytes(b"SQLite of " + package.as_posix().encode())
        return path

    def datasette_metadata(package: Path, name: str) -> dict:
        calls["metadata"].append((package, name))
        return {"title": "外交 & more", "databases": {name: {"tables": {}}}}

    def parquet_files(package: Path) -> dict[str, bytes]:
        calls["parquet"].append(package)
        return {"events.parquet": b"PAR1", "README.md": b"read me"}

    def load(package: Path) -> str:
        calls["load"].append(package)
        return "the dataset"

    def site_files(data: str) -> dict[str, bytes]:
        calls["site"].append(data)
        return {"index.html": b"<html>", "explorer.js": b"js"}

    monkeypatch.setattr(exports, "write_sqlite", write_sqlite)
    monkeypatch.setattr(exports, "datasette_metadata", datasette_metadata)
    monkeypatch.setattr(exports, "parquet_files", parquet_files)
    monkeypatch.setattr(loader, "load", load)
    monkeypatch.setattr(site, "site_files", site_files)
    return calls


def listing(files: dict[str, bytes]) -> bytes:
    """A stand-in for the zip: the names and bytes it was given, as JSON."""
    return json.dumps({name: data.decode() for name, data in files.items()},
                      ensure_ascii=False, sort_keys=True).encode()


def test_three_zips_of_the_packages_other_forms(tmp_path, fakes):
    tree, staging = tmp_path / "tree", tmp_path / "staging"
    staging.mkdir()
    written = bundles.extra_artifacts(tree, staging, "1.2.3", listing)
    assert written == [staging / "dipdata-1.2.3-sqlite.zip",
                       staging / "dipdata-1.2.3-parquet.zip",
                       staging / "dipdata-1.2.3-site.zip"]
    assert sorted(p.name for p in staging.iterdir()) == [
        "dipdata-1.2.3-parquet.zip", "dipdata-1.2.3-site.zip", "dipdata-1.2.3-sqlite.zip"]
    package = tree / "datapackage"
    # the database as dipdata.sqlite (Datasette serves it at /dipdata), with its metadata
    assert json.loads(written[0].read_bytes()) == {
        "dipdata-1.2.3-sqlite/dipdata.sqlite": f"SQLite of {package.as_posix()}",
        "dipdata-1.2.3-sqlite/metadata.json":
            '{\n  "databases": {\n    "dipdata": {\n      "tables": {}\n    }\n  },\n'
            '  "title": "外交 & more"\n}\n'}
    assert json.loads(written[1].read_bytes()) == {
        "dipdata-1.2.3-parquet/events.parquet": "PAR1",
        "dipdata-1.2.3-parquet/README.md": "read me"}
    assert json.loads(written[2].read_bytes()) == {
        "dipdata-1.2.3-site/index.html": "<html>", "dipdata-1.2.3-site/explorer.js": "js"}
    assert fakes["sqlite"] == [(package, "dipdata.sqlite")]
    assert fakes["metadata"] == [(package, "dipdata")]
    assert fakes["parquet"] == [package]
    assert fakes["load"] == [package]
    assert fakes["site"] == ["the dataset"]


def test_the_database_is_made_in_a_scratch_folder_that_is_removed(tmp_path, fakes,
                                                                  monkeypatch):
    import tempfile

    made = []
    real = tempfile.TemporaryDirectory

    def scratch(*args, **kwargs):
        made.append(real(*args, dir=tmp_path, **kwargs))
        return made[-1]

    monkeypatch.setattr(tempfile, "TemporaryDirectory", scratch)
    (tmp_path / "staging").mkdir()
    bundles.extra_artifacts(tmp_path / "tree", tmp_path / "staging", "0.1.0", listing)
    assert len(made) == 1 and not Path(made[0].name).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["staging"]


@pytest.mark.parametrize("missing", ["pyarrow", "sqlite_utils"])
def test_without_the_release_extra_the_missing_module_is_named(tmp_path, monkeypatch,
                                                               missing):
    real_import = builtins.__import__

    def without(name, *args, **kwargs):
        if name == missing:
            raise ImportError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without)
    with pytest.raises(ReleaseError) as refused:
        bundles.extra_artifacts(tmp_path, tmp_path, "1.0.0", listing)
    assert str(refused.value) == (f"building a release needs the release extra ({missing} is "
                                  'missing): pip install "dipdata[release]"')
    assert refused.value.__cause__ is None and refused.value.__suppress_context__
    assert list(tmp_path.iterdir()) == []
