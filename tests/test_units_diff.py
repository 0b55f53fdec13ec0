"""What `dipdata diff` reports between two tiny packages made in the test, and the bump it
calls for (major for removed records or fields and retyped fields, minor for new records or
fields, patch for corrections), each with its expected values written by hand."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from dipdata.base.archives import ReleaseError
from dipdata.publish.diff import Diff, TableDiff, diff


def package(folder: Path, version: str, tables: dict[str, list[dict]],
            fields: dict[str, dict[str, str]] | None = None) -> Path:
    """A package folder: one `<table>-json` resource per table of records, and one CSV
    resource per entry of ``fields`` (its Table Schema's field types)."""
    (folder / "data").mkdir(parents=True)
    resources = []
    for name, records in tables.items():
        (folder / "data" / f"{name}.json").write_text(json.dumps(records, ensure_ascii=False),
                                                      "utf-8")
        resources.append({"name": f"{name}-json", "path": f"data/{name}.json",
                          "format": "json"})
    for name, types in (fields or {}).items():
        resources.append({"name": name, "path": f"data/{name}.csv", "format": "csv",
                          "schema": {"fields": [{"name": f, "type": t}
                                                for f, t in types.items()]}})
    (folder / "datapackage.json").write_text(
        json.dumps({"version": version, "resources": resources}), "utf-8")
    return folder


def bare(**changes) -> Diff:
    """A diff with nothing changed, but for ``changes``."""
    values = {"old_version": "1.0.0", "new_version": "1.0.0", "tables": {},
              "fields_added": [], "fields_removed": [], "fields_retyped": []}
    return Diff(**{**values, **changes})


# --- the bump a change needs ---------------------------------------------------------------

@pytest.mark.parametrize(("changes", "bump"), [
    ({}, "none"),
    ({"tables": {"events": TableDiff()}}, "none"),
    ({"fields_removed": ["events.title"]}, "major"),
    ({"fields_retyped": ["events.start_date"]}, "major"),
    ({"tables": {"actors": TableDiff(), "events": TableDiff(removed=["a"])}}, "major"),
    ({"fields_added": ["events.venue"]}, "minor"),
    ({"tables": {"actors": TableDiff(), "events": TableDiff(added=["a"])}}, "minor"),
    ({"tables": {"actors": TableDiff(), "events": TableDiff(changed={"a": {"t": (1, 2)}})}},
     "patch"),
    # the largest need wins
    ({"fields_added": ["events.venue"], "fields_removed": ["events.title"]}, "major"),
    ({"tables": {"events": TableDiff(added=["b"], removed=["a"])}}, "major"),
    ({"tables": {"events": TableDiff(added=["b"], changed={"a": {"t": (1, 2)}})}}, "minor"),
    ({"fields_retyped": ["e.x"], "tables": {"e": TableDiff(changed={"a": {"t": (1, 2)}})}},
     "major"),
])
def test_required_bump(changes, bump):
    assert bare(**changes).required_bump == bump


# --- what is read from a package -----------------------------------------------------------

def test_records_fields_and_their_changes_between_two_folders(tmp_path):
    old = package(tmp_path / "old", "1.2.3", {
        "events": [{"id": "b", "title": "B", "venue": "Hall"}, {"id": "a", "title": "A"},
                   {"id": "c", "title": "C"}],
        "actors": [{"id": "x", "name": "X"}],
        "gone": [{"id": "g"}]},
        {"events": {"id": "string", "start_date": "date", "title": "string"},
         "actors": {"id": "string", "born": "integer"}})
    new = package(tmp_path / "new", "1.3.0", {
        "events": [{"id": "d", "title": "D"}, {"id": "b", "title": "B2", "city": "Rome"},
                   {"id": "a", "title": "A"}, {"id": "e"}],
        "actors": [{"id": "x", "name": "X"}],
        "fresh": [{"id": "f2"}, {"id": "f1"}]},
        {"events": {"id": "string", "start_date": "string", "venue": "string"},
         "actors": {"id": "string", "born": "integer"}})
    change = diff(old, new)
    assert (change.old_version, change.new_version) == ("1.2.3", "1.3.0")
    assert list(change.tables) == ["actors", "events", "fresh", "gone"]
    assert change.tables["events"] == TableDiff(
        added=["d", "e"], removed=["c"],
        changed={"b": {"city": (None, "Rome"), "title": ("B", "B2"), "venue": ("Hall", None)}})
    assert change.tables["actors"] == TableDiff()
    assert change.tables["fresh"] == TableDiff(added=["f1", "f2"])
    assert change.tables["gone"] == TableDiff(removed=["g"])
    assert change.fields_added == ["events.venue"]
    assert change.fields_removed == ["events.title"]
    assert change.fields_retyped == ["events.start_date"]
    assert change.required_bump == "major"


def test_several_changed_records_and_fields_are_in_id_order(tmp_path):
    old = package(tmp_path / "old", "0.1.0",
                  {"t": [{"id": i, "v": 1} for i in ("c", "a", "b")]},
                  {"t": {"z": "string", "y": "string", "x": "string"}})
    new = package(tmp_path / "new", "0.1.1",
                  {"t": [{"id": i, "v": 2} for i in ("b", "c", "a")]},
                  {"t": {"w": "string", "v": "string", "u": "string"}})
    change = diff(old, new)
    assert list(change.tables["t"].changed) == ["a", "b", "c"]
    assert change.fields_added == ["t.u", "t.v", "t.w"]
    assert change.fields_removed == ["t.x", "t.y", "t.z"]


def test_retyped_fields_in_order_and_unchanged_ones_left_out(tmp_path):
    types = {"a": "string", "b": "integer", "c": "date", "d": "boolean"}
    old = package(tmp_path / "old", "1.0.0", {}, {"t": types})
    new = package(tmp_path / "new", "2.0.0", {}, {"t": {**types, "d": "string",
                                                        "b": "number"}})
    change = diff(old, new)
    assert change.fields_retyped == ["t.b", "t.d"]
    assert change.fields_added == change.fields_removed == []


def test_a_value_that_only_changes_type_is_a_change(tmp_path):
    old = package(tmp_path / "old", "1.0.0", {"t": [{"id": "a", "n": 1, "m": None}]})
    new = package(tmp_path / "new", "1.0.1", {"t": [{"id": "a", "n": "1"}]})
    # a null written out and a key left out are the same: no value
    assert diff(old, new).tables["t"].changed == {"a": {"n": (1, "1")}}
    assert diff(old, new).required_bump == "patch"


def test_the_same_package_twice_needs_no_bump(tmp_path):
    old = package(tmp_path / "old", "1.0.0", {"t": [{"id": "a", "n": [1, {"k": "v"}]}]},
                  {"t": {"id": "string"}})
    change = diff(old, old)
    assert change.tables == {"t": TableDiff()}
    assert (change.fields_added, change.fields_removed, change.fields_retyped) == ([], [], [])
    assert change.required_bump == "none"


def test_only_json_record_resources_and_csv_schemas_are_read(tmp_path):
    old = package(tmp_path / "old", "1.0.0", {})
    new = package(tmp_path / "new", "1.1.0", {"events": [{"id": "a"}]})
    descriptor = json.loads((new / "datapackage.json").read_text())
    (new / "data" / "notes.json").write_text('[{"id": "n"}]')
    (new / "data" / "review.txt").write_text("text")
    descriptor["resources"] += [
        # JSON, but not a table of records: its name does not end in -json
        {"name": "notes", "path": "data/notes.json", "format": "json"},
        # named as records, but not JSON
        {"name": "review-json", "path": "data/review.txt", "format": "txt"},
        # a schema outside a CSV resource is not a table's
        {"name": "other", "path": "data/review.txt",
         "schema": {"fields": [{"name": "x", "type": "string"}]}},
        {"name": "names", "path": "data/names.csv", "format": "csv",
         "schema": {"fields": [{"name": "name", "type": "string"}]}},
    ]
    (new / "datapackage.json").write_text(json.dumps(descriptor))
    change = diff(old, new)
    assert list(change.tables) == ["events"]
    assert change.fields_added == ["names.name"]


def test_a_json_resource_named_with_json_inside_keeps_the_rest_of_its_name(tmp_path):
    """Only the final `-json` is cut: `my-json-notes-json` is the table `my-json-notes`."""
    old = package(tmp_path / "old", "1.0.0", {"my-json-notes": [{"id": "a"}]})
    new = package(tmp_path / "new", "1.0.0", {"my-json-notes": []})
    assert diff(old, new).tables == {"my-json-notes": TableDiff(removed=["a"])}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c",
                    "user.email=t@example.invalid", *args], check=True, capture_output=True)


def history(root: Path) -> Path:
    """A git repository whose package holds one record at the tag v1.0.0, two at HEAD."""
    package(root / "datapackage", "1.0.0", {"t": [{"id": "a"}]})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "one")
    git(root, "tag", "v1.0.0")
    (root / "datapackage" / "data" / "t.json").write_text('[{"id": "a"}, {"id": "b"}]')
    descriptor = (root / "datapackage" / "datapackage.json").read_text()
    (root / "datapackage" / "datapackage.json").write_text(descriptor.replace("1.0.0", "1.1.0"))
    git(root, "commit", "-qam", "two")
    return root


def test_versions_and_revisions_are_read_from_the_repository_at_root(tmp_path):
    root = history(tmp_path / "repo")
    change = diff("1.0.0", "HEAD", root=root)
    assert (change.old_version, change.new_version) == ("1.0.0", "1.1.0")
    assert change.tables == {"t": TableDiff(added=["b"])}
    # the other way round, by tag and by the commit before HEAD
    change = diff("HEAD", "HEAD~1", root=root)
    assert (change.old_version, change.new_version) == ("1.1.0", "1.0.0")
    assert change.tables == {"t": TableDiff(removed=["b"])}


def test_without_root_versions_are_read_from_the_current_folder(tmp_path, monkeypatch):
    root = history(tmp_path / "repo")
    monkeypatch.chdir(root)
    assert diff("v1.0.0", "HEAD").tables == {"t": TableDiff(added=["b"])}
    assert diff("HEAD", "v1.0.0").tables == {"t": TableDiff(removed=["b"])}


def test_release_zips_are_compared_as_their_packages(tmp_path):
    def zipped(folder: Path) -> Path:
        path = folder.with_suffix(".zip")
        with zipfile.ZipFile(path, "w") as zf:
            for file in sorted(folder.rglob("*")):
                if file.is_file():
                    zf.write(file, file.relative_to(folder).as_posix())
        return path

    old = zipped(package(tmp_path / "old", "1.0.0", {"t": [{"id": "a"}]}))
    new = zipped(package(tmp_path / "new", "1.1.0", {"t": [{"id": "a"}, {"id": "b"}]}))
    change = diff(old, new)
    assert change.tables == {"t": TableDiff(added=["b"])}
    assert change.required_bump == "minor"


@pytest.mark.parametrize(("descriptor", "files", "cause"), [
    ("not json", {}, "Expecting value"),  # ValueError
    ('{"version": "1.0.0"}', {}, "'resources'"),  # KeyError
    ('{"version": "1.0.0", "resources": 5}', {}, "not iterable"),  # TypeError
    ('{"version": "1.0.0", "resources": [{"name": "t-json", "format": "json", '
     '"path": "data/t.json"}]}', {}, "No such file"),  # OSError
    ('{"version": "1.0.0", "resources": [{"name": "t-json", "format": "json", '
     '"path": "t.json"}]}', {"t.json": "[1]"}, "not subscriptable"),  # TypeError
    ('{"resources": []}', {}, "'version'"),  # KeyError
])
def test_an_unreadable_package_is_refused_with_its_cause(tmp_path, descriptor, files, cause):
    good = package(tmp_path / "good", "1.0.0", {})
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "datapackage.json").write_text(descriptor)
    for name, text in files.items():
        (bad / name).write_text(text)
    for old, new in ((bad, good), (good, bad)):
        with pytest.raises(ReleaseError) as raised:
            diff(old, new)
        message = str(raised.value)
        assert message.startswith(f"{bad} is not a readable dipdata package: ")
        assert cause in message


# --- what diff says --------------------------------------------------------------------------

def example() -> Diff:
    return Diff("1.2.3", "1.3.0", {
        "actors": TableDiff(),
        "events": TableDiff(added=["new-one", "new-two"], removed=["old-one"],
                            changed={"b": {"title": ("Visite d’État", "Visite"),
                                           "venue": (None, "人民大会堂")},
                                     "c": {"n": (1, [2, 3])}}),
        "sources": TableDiff(changed={"s": {"url": ("http://a", "https://a")}}),
    }, fields_added=["events.city", "events.venue"], fields_removed=["events.place"],
        fields_retyped=["events.n"])


def test_the_text_lists_every_change_then_the_bumps():
    assert example().as_text() == "\n".join([
        "dipdata 1.2.3 -> 1.3.0",
        "field added: events.city",
        "field added: events.venue",
        "field removed: events.place",
        "field retyped: events.n",
        "events: 2 added, 1 removed, 2 changed",
        "  + new-one",
        "  + new-two",
        "  - old-one",
        "  ~ b",
        '      title: "Visite d’État" -> "Visite"',
        '      venue: null -> "人民大会堂"',
        "  ~ c",
        "      n: 1 -> [2, 3]",
        "sources: 0 added, 0 removed, 1 changed",
        "  ~ s",
        '      url: "http://a" -> "https://a"',
        "required bump: major (the versions differ by: minor)",
    ])


@pytest.mark.parametrize(("table", "line"), [
    (TableDiff(added=["a"]), "t: 1 added, 0 removed, 0 changed"),
    (TableDiff(removed=["a"]), "t: 0 added, 1 removed, 0 changed"),
    (TableDiff(changed={"a": {"x": (1, 2)}}), "t: 0 added, 0 removed, 1 changed"),
])
def test_a_table_is_listed_when_anything_in_it_changed(table, line):
    text = Diff("1.0.0", "1.0.0", {"u": TableDiff(), "t": table}, [], [], []).as_text()
    assert text.splitlines()[1] == line


def test_an_unchanged_release_says_only_its_versions_and_no_bump():
    assert Diff("2.0.0", "1.9.9", {"events": TableDiff()}, [], [], []).as_text() == (
        "dipdata 2.0.0 -> 1.9.9\nrequired bump: none (the versions differ by: none)")
    assert Diff("1.0.0", "1.0.1", {}, [], [], []).as_text().endswith(
        "required bump: none (the versions differ by: patch)")


def test_the_json_holds_every_change_with_old_and_new_values():
    assert example().as_json() == {
        "old_version": "1.2.3", "new_version": "1.3.0", "required_bump": "major",
        "fields": {"added": ["events.city", "events.venue"], "removed": ["events.place"],
                   "retyped": ["events.n"]},
        "tables": {
            "actors": {"added": [], "removed": [], "changed": {}},
            "events": {"added": ["new-one", "new-two"], "removed": ["old-one"],
                       "changed": {"b": {"title": {"old": "Visite d’État", "new": "Visite"},
                                         "venue": {"old": None, "new": "人民大会堂"}},
                                   "c": {"n": {"old": 1, "new": [2, 3]}}}},
            "sources": {"added": [], "removed": [],
                        "changed": {"s": {"url": {"old": "http://a", "new": "https://a"}}}},
        },
    }
    # it is plain JSON: what `dipdata diff --format json` prints reads back the same
    assert json.loads(json.dumps(example().as_json())) == example().as_json()
