"""`dipdata new` on an empty folder made in the test: the skeleton's fields (defaults,
empty lists, placeholders), the file written, and the ids and tables it refuses."""

from __future__ import annotations

import pytest

from dipdata.model.skeleton import SkeletonError, skeleton, write_skeleton

COMMENTARY = ('{\n'
              '  "$schema": "../../schema/commentary.schema.json",\n'
              '  "id": "c-1",\n'
              '  "notes": null,\n'
              '  "reason": null,\n'
              '  "mentions": []\n'
              '}\n')


def test_a_skeleton_has_defaults_empty_lists_and_placeholders():
    assert skeleton("texts", "t") == {
        "$schema": "../../schema/texts.schema.json", "id": "t", "notes": None,
        "source": None, "language": None, "sha256": None, "complete": None,
        "first_section": "heading", "compared_with": [], "translation_of": None,
        "alignment": []}
    # a required list (no default) starts empty
    assert skeleton("commentary", "c") == {
        "$schema": "../../schema/commentary.schema.json", "id": "c", "notes": None,
        "reason": None, "mentions": []}
    assert list(skeleton("events", "e"))[:4] == ["$schema", "id", "notes", "sources"]


def test_the_skeleton_is_written_in_a_new_folder(tmp_path):
    path = write_skeleton(tmp_path, "commentaries", "c-1")  # an alias of the table
    assert path.as_posix() == "records/commentary/c-1.json"
    assert (tmp_path / path).read_bytes() == COMMENTARY.encode()


def test_an_alias_names_its_table(tmp_path):
    assert write_skeleton(tmp_path, "event", "e").as_posix() == "records/events/e.json"
    assert write_skeleton(tmp_path, "texts", "t").as_posix() == "records/texts/t.json"
    # a second record of a table goes into its existing folder
    assert write_skeleton(tmp_path, "text", "u").as_posix() == "records/texts/u.json"
    assert sorted(p.name for p in (tmp_path / "records" / "texts").iterdir()) == [
        "t.json", "u.json"]


@pytest.mark.parametrize(("table", "record_id", "message"), [
    ("banquet", "x", "unknown table 'banquet'; use one of: sources, texts, actors, events, "
                     "outcomes, positions, aggregates, commentary"),
    ("event", "Bad_Id", "'Bad_Id' is not an id: use lowercase ASCII kebab-case"),
    ("event", "a--b", "'a--b' is not an id: use lowercase ASCII kebab-case"),
])
def test_unknown_tables_and_bad_ids_are_refused(tmp_path, table, record_id, message):
    with pytest.raises(SkeletonError) as error:
        write_skeleton(tmp_path, table, record_id)
    assert str(error.value) == message
    assert list(tmp_path.iterdir()) == []


def test_an_id_of_any_table_is_taken(tmp_path):
    (tmp_path / "records" / "events").mkdir(parents=True)
    (tmp_path / "records" / "events" / "x.json").write_text("{}", "utf-8")
    with pytest.raises(SkeletonError) as error:
        write_skeleton(tmp_path, "actor", "x")
    assert str(error.value) == "the id 'x' is taken: records/events/x.json exists"
    assert not (tmp_path / "records" / "actors").exists()
