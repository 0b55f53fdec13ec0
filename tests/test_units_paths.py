"""The repository's folder and file names (`base.paths`) name what the repository holds, and
the tables come in dependency order."""

from __future__ import annotations

from pathlib import Path

from dipdata.base import paths

ROOT = Path(__file__).resolve().parent.parent


def test_the_named_folders_and_files_are_the_repositorys():
    for folder in (paths.RECORDS_DIR, paths.SCHEMA_DIR, paths.PACKAGE_DIR, paths.PICTURE_DIR,
                   paths.SOURCE_DIR):
        assert (ROOT / folder).is_dir(), folder
    for name in (*paths.TOP_FILES, paths.CHANGELOG):
        assert (ROOT / name).is_file(), name
    assert paths.TOP_FILES == ("README.md", "CITATION.cff", "CITATION.bib", ".zenodo.json")
    assert (paths.CHANGELOG, paths.LOCK) == ("CHANGELOG.md", "build.lock")


def test_the_tables_are_the_record_folders_in_dependency_order():
    assert paths.TABLES == ("sources", "texts", "actors", "events", "outcomes", "positions",
                            "aggregates", "commentary")
    assert {p.name for p in (ROOT / paths.RECORDS_DIR).iterdir() if p.is_dir()} == \
        set(paths.TABLES)
    assert {p.name.removesuffix(".schema.json")
            for p in (ROOT / paths.SCHEMA_DIR).glob("*.schema.json")} == set(paths.TABLES)
