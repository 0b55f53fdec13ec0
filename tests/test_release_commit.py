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


def test_out_inside_the_repository_gives_the_same_bytes(checkout, tmp_path):
    outside = release(checkout, tmp_path / "outside", previous=checkout / "datapackage")
    inside = release(checkout, checkout / "dist-here", previous=checkout / "datapackage")
    # a second release into the same folder: its own output is neither packed nor refused
    again = release(checkout, checkout / "dist-here", previous=checkout / "datapackage")
    assert [p.name for p in outside] == [p.name for p in inside] == [p.name for p in again]
    assert [p.name for p in outside] == sorted([
        f"dipdata-{__version__}-datapackage.zip", f"dipdata-{__version__}-datasette.json",
        f"dipdata-{__version__}-parquet.zip", f"dipdata-{__version__}-py3-none-any.whl",
        f"dipdata-{__version__}-site.zip", f"dipdata-{__version__}.sqlite",
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
