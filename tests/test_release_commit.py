"""A release is a function of a commit: nothing uncommitted or untracked gets in, an output
folder inside the repository changes nothing, a different artifact is never overwritten, and
a missing tool is named."""

from __future__ import annotations

import builtins
import shutil
import subprocess
from pathlib import Path

import pytest

from dipdata import __version__
from dipdata.base.archives import ReleaseError
from dipdata.publish.release import release

from .conftest import ROOT, copy_checkout, run
from .conftest import commit_all


@pytest.fixture(scope="module")
def committed(tmp_path_factory) -> Path:
    """A clean checkout: one commit holding the repository's tracked files."""
    target = copy_checkout(tmp_path_factory.mktemp("commit") / "dipdata")
    commit_all(target)
    return target


@pytest.fixture
def checkout(committed, tmp_path) -> Path:
    """A private copy of the clean checkout, git history included, to make dirty."""
    target = tmp_path / "dipdata"
    shutil.copytree(committed, target, symlinks=True)
    return target


def test_release_refuses_untracked_and_uncommitted_files(checkout, tmp_path):
    (checkout / "notes.txt").write_text("scratch", "utf-8")
    readme = checkout / "README.md"
    readme.write_text(readme.read_text("utf-8") + "\nAn uncommitted line.\n", "utf-8")
    with pytest.raises(ReleaseError) as refused:
        release(checkout, tmp_path / "out")
    assert str(refused.value) == (
        "a release is built from a commit, and these files are uncommitted or untracked; "
        "commit or remove them first:\n  README.md\n  notes.txt")
    assert not (tmp_path / "out").exists()


def test_out_inside_the_repository_gives_the_same_bytes(checkout, tmp_path, monkeypatch):
    outside = release(checkout, tmp_path / "outside", previous=checkout / "datapackage")
    # SOURCE_DATE_EPOCH is not read: every timestamp is the CHANGELOG's release day
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    inside = release(checkout, checkout / "dist-here", previous=checkout / "datapackage")
    # a second release into the same folder: its own output is neither packed nor refused
    again = release(checkout, checkout / "dist-here", previous=checkout / "datapackage")
    assert [p.name for p in outside] == [p.name for p in inside] == [p.name for p in again]
    assert [p.name for p in outside] == sorted([
        f"dipdata-{__version__}-datapackage.zip", f"dipdata-{__version__}-notes.md",
        f"dipdata-{__version__}-parquet.zip", f"dipdata-{__version__}-py3-none-any.whl",
        f"dipdata-{__version__}-site.zip", f"dipdata-{__version__}-sqlite.zip",
        f"dipdata-{__version__}.tar.gz"]) + ["SHA256SUMS"]
    for a, b in zip(outside, inside):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_release_never_overwrites_a_different_artifact(checkout, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "SHA256SUMS").write_text("something else\n", "utf-8")
    with pytest.raises(ReleaseError) as refused:
        release(checkout, out, previous=checkout / "datapackage")
    assert str(refused.value) == (f"{out} already holds different files named SHA256SUMS; "
                                  "remove them or choose another --out")
    assert sorted(p.name for p in out.iterdir()) == ["SHA256SUMS"]


def test_release_names_the_missing_extra(checkout, tmp_path, monkeypatch, capsys):
    real_import = builtins.__import__

    def no_build(name, *args, **kwargs):
        if name == "build":
            raise ImportError("No module named 'build'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_build)
    code, _, err = run(capsys, "--root", str(checkout), "release", "--out", str(tmp_path))
    assert (code, err) == (1, 'dipdata: release refused: building a release needs the release '
                              'extra: pip install "dipdata[release]"\n')


def test_versions_of_the_readme_resolve_without_tags(tmp_path, capsys):
    """`dipdata diff 0.1.0 HEAD` on a clone that has no tags: 0.1.0 is found in the history."""
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--is-shallow-repository"],
                      capture_output=True, text=True).stdout.strip() != "false":
        pytest.skip("needs the repository's full history")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--no-tags", str(ROOT), str(clone)], check=True)
    assert subprocess.run(["git", "-C", str(clone), "tag"], capture_output=True,
                          text=True).stdout == ""
    code, out, err = run(capsys, "diff", "0.1.0", "HEAD", cwd=clone)
    assert (code, err) == (0, "")
    assert out.startswith(f"dipdata 0.1.0 -> {__version__}\n")
    assert out.rstrip().endswith("required bump: major (the versions differ by: major)")
    assert "field removed: mentions.end\n" in out and "field added: mentions.end_offset\n" in out


GIT = ["-c", "user.name=t", "-c", "user.email=t@example.org"]


def _git(repo: Path, *args: str, date: str | None = None) -> str:
    import os

    env = {**os.environ, **({"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {})}
    return subprocess.run(["git", "-C", str(repo), *GIT, *args], capture_output=True, text=True,
                          check=True, env=env).stdout


def _release_day() -> str:
    from dipdata.publish.versions import changelog_date

    return changelog_date((ROOT / "CHANGELOG.md").read_text("utf-8"), __version__).isoformat()


def test_a_version_is_released_once_even_without_tags(checkout, tmp_path):
    """The commit the version was released from is found in the history (dated on or before
    the CHANGELOG's day); a later commit that changes a record under the same version is
    refused, with the steps to take."""
    day = _release_day()
    _git(checkout, "commit", "-q", "--amend", "--no-edit", "--reset-author",
         date=f"{day}T12:00:00+00:00")
    released = _git(checkout, "rev-parse", "HEAD").strip()
    record = checkout / "records" / "events" / "xi-zelenskyy-call-2023-04-26.json"
    record.write_text(record.read_text("utf-8") + " ", "utf-8")  # a changed byte
    _git(checkout, "commit", "-q", "-am", "a change under the same version",
         date=f"{day}T12:00:00+00:00")
    _git(checkout, "commit", "-q", "--amend", "--no-edit", "--reset-author",
         date="2099-01-01T00:00:00+00:00")
    assert _git(checkout, "tag") == ""
    with pytest.raises(ReleaseError) as refused:
        release(checkout, tmp_path / "out", previous=checkout / "datapackage")
    message = str(refused.value)
    assert message.startswith(
        f"version {__version__} was already released from commit {released[:12]}, and this "
        "commit changes records/events/xi-zelenskyy-call-2023-04-26.json: a version is "
        "released once. Next steps:\n1. bump the version")
    assert "5. `git tag vX.Y.Z`" in message
    assert not (tmp_path / "out").exists()
    # with a tag on the released commit, the same
    _git(checkout, "tag", f"v{__version__}", released)
    with pytest.raises(ReleaseError, match="was already released from commit"):
        release(checkout, tmp_path / "out", previous=checkout / "datapackage")


def test_a_commit_that_changes_only_other_files_may_release_the_same_version(checkout, tmp_path):
    from dipdata.publish.versions import changed_since

    day = _release_day()
    _git(checkout, "commit", "-q", "--amend", "--no-edit", "--reset-author",
         date=f"{day}T12:00:00+00:00")
    released = _git(checkout, "rev-parse", "HEAD").strip()
    (checkout / "CONTRIBUTING.md").write_text("Changed.\n", "utf-8")
    _git(checkout, "commit", "-q", "-am", "docs only", date="2099-01-01T00:00:00+00:00")
    assert changed_since(checkout, released) == []
    (checkout / "src" / "dipdata" / "py.typed").write_text("x", "utf-8")
    _git(checkout, "commit", "-q", "-am", "code", date="2099-01-02T00:00:00+00:00")
    assert changed_since(checkout, released) == ["src/dipdata/py.typed"]


def test_release_refuses_a_changelog_with_unreleased_entries(checkout, tmp_path):
    changelog = checkout / "CHANGELOG.md"
    changelog.write_text(changelog.read_text("utf-8").replace(
        "## [Unreleased]\n", "## [Unreleased]\n\n### Data\n- A change not yet released.\n", 1),
        "utf-8")
    _git(checkout, "commit", "-q", "-am", "unreleased")
    with pytest.raises(ReleaseError) as refused:
        release(checkout, tmp_path / "out", previous=checkout / "datapackage")
    assert str(refused.value).startswith(
        "CHANGELOG.md's [Unreleased] part holds 1 lines (- A change not yet released. ...): "
        f"move them under '## [{__version__}] - YYYY-MM-DD' first. Next steps:\n1. ")


def test_release_refuses_build_tools_other_than_the_pinned(checkout, tmp_path, monkeypatch):
    from importlib import metadata

    real = metadata.version
    monkeypatch.setattr(metadata, "version",
                        lambda name: "99.0" if name == "pyarrow" else real(name))
    with pytest.raises(ReleaseError) as refused:
        release(checkout, tmp_path / "out", previous=checkout / "datapackage")
    assert str(refused.value) == (
        "the installed build tools differ from the pinned ones, so the artifacts would not "
        "be reproducible:\n  pyarrow 99.0 (pinned 26.0.1)\ninstall the pinned ones: "
        "pip install -c release-constraints.txt -e '.[release]'")


def test_the_pins_are_read_exactly(tmp_path):
    from dipdata.publish.release import pinned_tools

    (tmp_path / "release-constraints.txt").write_text(
        "# comment\nBuild==1.2.3  # why\n\npyarrow==26.0.1\n", "utf-8")
    assert pinned_tools(tmp_path) == {"build": "1.2.3", "pyarrow": "26.0.1"}
    (tmp_path / "release-constraints.txt").write_text("pyarrow>=14\n", "utf-8")
    with pytest.raises(ReleaseError, match="'pyarrow>=14' is not pinned as name==version"):
        pinned_tools(tmp_path)
    (tmp_path / "release-constraints.txt").unlink()
    with pytest.raises(ReleaseError, match="release-constraints.txt is missing"):
        pinned_tools(tmp_path)


def test_the_installed_tools_are_the_pinned_ones():
    """The README's install command takes the pins: this environment can release."""
    from dipdata.publish.release import check_tools, pinned_tools

    check_tools(pinned_tools(ROOT))
