"""Versions found in git, on a tiny repository made here: tags, and the release commit of a
version that no tag marks (the newest commit, on or before its CHANGELOG date, whose package
declares it)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from dipdata.base.archives import ReleaseError
from dipdata.publish.versions import (
    bump_of,
    changelog_date,
    parse_version,
    previous_release,
    resolve,
)


def commit(repo: Path, version: str, marker: str, when: str, changelog: str = "") -> None:
    package = repo / "datapackage"
    package.mkdir(parents=True, exist_ok=True)
    (package / "datapackage.json").write_text(json.dumps({"version": version,
                                                          "marker": marker}), "utf-8")
    for name in ("a.csv", "b.csv"):  # two files in one folder of the package
        (package / "data").mkdir(exist_ok=True)
        (package / "data" / name).write_text(f"{marker}\n", "utf-8")
    (repo / "CHANGELOG.md").write_text(changelog, "utf-8")
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "add", "-A"], check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", marker], check=True, env=env)


@pytest.fixture
def history(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "-C", str(repo), "init", "-q", "-b", "main"], check=True)
    dated = "## [0.1.0] - 2026-01-10\n"
    commit(repo, "0.1.0", "early", "2026-01-05T10:00:00+00:00", dated)
    commit(repo, "0.1.0", "released", "2026-01-10T12:00:00+00:00", dated)
    commit(repo, "0.1.0", "after", "2026-01-20T12:00:00+00:00", dated)
    commit(repo, "0.2.0", "next", "2026-02-01T12:00:00+00:00",
           "## [0.2.0] - 2026-02-01\n" + dated)
    return repo


def marker(folder: Path) -> str:
    return json.loads((folder / "datapackage.json").read_text("utf-8"))["marker"]


def test_a_version_without_a_tag_is_its_release_commit(history, tmp_path):
    assert marker(resolve(history, "0.1.0", tmp_path / "a")) == "released"
    assert marker(resolve(history, "v0.2.0", tmp_path / "b")) == "next"
    assert marker(resolve(history, "HEAD", tmp_path / "c")) == "next"
    assert marker(resolve(history, "HEAD~3", tmp_path / "d")) == "early"


def test_without_a_changelog_date_the_newest_commit_of_the_version(history, tmp_path):
    (history / "CHANGELOG.md").write_text("", "utf-8")  # the working copy has no date
    assert marker(resolve(history, "0.1.0", tmp_path / "a")) == "after"
    (history / "CHANGELOG.md").unlink()  # nor any CHANGELOG
    found = resolve(history, "0.1.0", tmp_path / "b")
    assert marker(found) == "after"
    assert (found / "data" / "b.csv").read_text("utf-8") == "after\n"


def test_a_commit_whose_package_is_not_json_is_passed_over(history, tmp_path):
    (history / "datapackage" / "datapackage.json").write_text("{broken", "utf-8")
    git = ["git", "-C", str(history), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "commit", "-q", "-am", "broken"], check=True)
    (history / "CHANGELOG.md").unlink()
    assert marker(resolve(history, "0.2.0", tmp_path / "a")) == "next"


def test_a_tag_wins(history, tmp_path):
    subprocess.run(["git", "-C", str(history), "tag", "v0.1.0", "HEAD~3"], check=True)
    assert marker(resolve(history, "0.1.0", tmp_path / "a")) == "early"


def test_an_unknown_version_or_revision_is_refused(history, tmp_path):
    for name in ("9.9.9", "no-such-branch"):
        with pytest.raises(ReleaseError) as refused:
            resolve(history, name, tmp_path / name)
        assert str(refused.value) == (f"{name} is neither a release zip or folder nor a "
                                      "version or revision of this repository")


def test_an_existing_path_is_taken_as_it_is(history, tmp_path):
    assert resolve(history, str(history / "datapackage"), tmp_path / "x") == \
        history / "datapackage"


def test_previous_release_is_the_highest_version_tag(history, tmp_path):
    assert previous_release(history) is None
    assert previous_release(tmp_path) is None  # not a repository
    for tag in ("v0-rc", "v0.2.0", "v0.10.0", "v0.9.1", "vnext"):  # "v0-rc" is listed first
        subprocess.run(["git", "-C", str(history), "tag", tag], check=True)
    assert previous_release(history) == "v0.10.0"


@pytest.mark.parametrize("old,new,bump", [
    ("0.1.0", "0.1.0", "none"), ("0.2.0", "0.1.9", "none"), ("0.1.0", "0.1.1", "patch"),
    ("0.1.9", "0.2.0", "minor"), ("0.9.9", "1.0.0", "major"), ("v1.2.3", "1.3.0", "minor"),
])
def test_bump_of(old, new, bump):
    assert bump_of(old, new) == bump


def test_versions_and_dates_are_read_strictly():
    assert parse_version(" v1.20.3 ") == (1, 20, 3)
    for bad in ("1.2", "1.2.3.4", "x1.2.3", "1.2.3-rc1"):
        with pytest.raises(ReleaseError) as refused:
            parse_version(bad)
        assert str(refused.value) == (f"{bad!r} is not a semantic version "
                                      "(MAJOR.MINOR.PATCH)")
    text = "## [1.0.0] - 2026-11-30\n\n## [0.1.0] - 2026-11-27  \n"
    assert changelog_date(text, "0.1.0").isoformat() == "2026-11-27"
    with pytest.raises(ReleaseError) as refused:
        changelog_date("## [1.0.0]\n", "1.0.0")
    assert str(refused.value) == ("CHANGELOG.md has no dated section for 1.0.0: add "
                                  "'## [1.0.0] - YYYY-MM-DD' with Data, Schema and Code parts")


CHANGELOG_TEXT = """# Changelog

Intro.

## [Unreleased]

### Added
- A new table.

  More about it.
## [1.2.0] - 2026-12-06

### Fixed
- A date.

## [1.1.0] - 2026-11-30

- Older.
"""


def test_the_unreleased_lines_that_say_something():
    from dipdata.publish.versions import unreleased_entries

    assert unreleased_entries(CHANGELOG_TEXT) == ["- A new table.", "  More about it."]
    assert unreleased_entries(CHANGELOG_TEXT.replace("### Added\n- A new table.\n\n"
                                                     "  More about it.\n", "")) == []
    assert unreleased_entries("# Changelog\n\n## [1.0.0] - 2023-12-30\n- x\n") == []
    # the last section: up to the end
    assert unreleased_entries("## [Unreleased] - soon\n- one\n#### note\n- two\n") == [
        "- one", "- two"]


def test_a_versions_section_is_its_release_notes():
    from dipdata.publish.versions import changelog_section

    assert changelog_section(CHANGELOG_TEXT, "1.2.0") == "### Fixed\n- A date.\n"
    assert changelog_section(CHANGELOG_TEXT, "1.1.0") == "- Older.\n"
    with pytest.raises(Exception, match="1.3.0"):
        changelog_section(CHANGELOG_TEXT, "1.3.0")
    # a dot in a version is a dot, not any character
    lookalike = "## [1x2x0] - 2026-01-01\n- Not this.\n" + CHANGELOG_TEXT
    assert changelog_section(lookalike, "1.2.0") == "### Fixed\n- A date.\n"


def rev(repo: Path, name: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "rev-parse", f"{name}^{{commit}}"],
                          capture_output=True, text=True, check=True).stdout.strip()


def test_the_release_commit_of_a_version_by_tag_or_history(history):
    from dipdata.publish.versions import release_commit

    # no tag: the newest commit of the version on or before its CHANGELOG date
    assert release_commit(history, "0.1.0") == rev(history, "HEAD~2")
    assert release_commit(history, "0.2.0") == rev(history, "HEAD")
    assert release_commit(history, "0.3.0") is None
    # a bare tag, and an annotated one: the commit, not the tag object
    subprocess.run(["git", "-C", str(history), "tag", "0.1.0", "HEAD~3"], check=True)
    assert release_commit(history, "0.1.0") == rev(history, "HEAD~3")
    git = ["git", "-C", str(history), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "tag", "-a", "-m", "release", "v0.1.0", "HEAD~1"], check=True)
    assert release_commit(history, "0.1.0") == rev(history, "HEAD~1")  # vX.Y.Z first
    # a tag of another version is not this one's
    subprocess.run(["git", "-C", str(history), "tag", "v0.3.0-rc", "HEAD"], check=True)
    assert release_commit(history, "0.3.0") is None


def test_what_changed_since_a_commit_among_the_released_paths(history):
    from dipdata.publish.versions import changed_since

    git = ["git", "-C", str(history), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    start = rev(history, "HEAD")
    for name in ("records/events/a.json", "source/review.txt", "src/dipdata/x.py",
                 "pyproject.toml", "release-constraints.txt", "README.md", "docs/records/x.md",
                 "tests/src/y.py"):
        (history / name).parent.mkdir(parents=True, exist_ok=True)
        (history / name).write_text("x\n", "utf-8")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "many"], check=True)
    assert changed_since(history, start) == [
        "pyproject.toml", "records/events/a.json", "release-constraints.txt",
        "source/review.txt", "src/dipdata/x.py"]
    assert changed_since(history, "HEAD") == []
    assert changed_since(history, start, head=start) == []
    assert changed_since(history, "HEAD", head=start) == changed_since(history, start)
    assert changed_since(history, "HEAD~4", head="HEAD~1") == []  # only the package changed
    assert changed_since(history, "no-such-commit") == []
