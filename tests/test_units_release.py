"""The release's steps, on tiny packages and git repositories made in the test: the bump rule
(a version whose bump from the previous release is smaller than the change needs is refused,
at every boundary: none, patch, minor, major, with a message that says what the change needs
and why), the reproducible zip, the refusal of uncommitted files, of unpinned or other tools,
of a version released twice and of unreleased CHANGELOG entries, the release notes, the
artifacts' folder and SHA256SUMS, and the order of it all in `release` (whole releases are
built in test_release.py and test_release_commit.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dipdata.base.archives import ReleaseError
from dipdata.publish.release import _check_bump

from .test_units_diff import git, package

#: The previous release's version, and one new version per bump from it.
PREVIOUS = "1.2.3"
VERSION_OF = {"none": "1.2.3", "patch": "1.2.4", "minor": "1.3.0", "major": "2.0.0"}

#: The previous release's records, and records of a release that needs each bump.
BEFORE = [{"id": "a", "title": "A"}, {"id": "b", "title": "B"}]
NEEDING = {
    "none": BEFORE,
    "patch": [{"id": "a", "title": "A, corrected"}, {"id": "b", "title": "B"}],
    "minor": [*BEFORE, {"id": "c", "title": "C"}],
    "major": [{"id": "a", "title": "A"}],
}
BUMPS = ("none", "patch", "minor", "major")


def tree(folder: Path, version: str, records: list[dict]) -> Path:
    """A checkout whose data package declares ``version`` and holds ``records``."""
    package(folder / "datapackage", version, {"events": records})
    return folder


@pytest.mark.parametrize("made", BUMPS)
@pytest.mark.parametrize("needed", BUMPS)
def test_a_bump_smaller_than_the_change_needs_is_refused(tmp_path, needed, made):
    previous = package(tmp_path / "previous", PREVIOUS, {"events": BEFORE})
    version = VERSION_OF[made]
    checkout = tree(tmp_path / "tree", version, NEEDING[needed])
    if BUMPS.index(made) >= BUMPS.index(needed):
        assert _check_bump(tmp_path, checkout, previous, version) is None
        return
    with pytest.raises(ReleaseError) as raised:
        _check_bump(tmp_path, checkout, previous, version)
    step = "is not above" if made == "none" else f"is only a {made} step from"
    message = str(raised.value)
    assert message.startswith(f"version {version} {step} 1.2.3, but the changes need a "
                              f"{needed} bump:\ndipdata 1.2.3 -> {version}\n")
    assert message.endswith(f"required bump: {needed} (the versions differ by: {made})")


#: What a refusal says of a version one step too small, by the bump the changes need.
TOO_SMALL = {"patch": "is not above", "minor": "is only a patch step from",
             "major": "is only a minor step from"}


@pytest.mark.parametrize(("needed", "version", "refused"), [
    # a correction needs a version above the previous one (a lower one is no bump)
    *[("patch", version, refused) for version, refused in (
        ("1.2.2", True), ("1.1.9", True), ("0.9.9", True), ("1.2.3", True), ("1.2.4", False),
        ("1.2.10", False), ("1.3.0", False), ("2.0.0", False))],
    # a new record needs a new minor version at least
    *[("minor", version, refused) for version, refused in (
        ("1.2.4", True), ("1.2.99", True), ("1.3.0", False), ("1.3.1", False),
        ("2.0.0", False))],
    # a removed record needs a new major version
    *[("major", version, refused) for version, refused in (
        ("1.3.0", True), ("1.99.0", True), ("2.0.0", False), ("2.1.0", False),
        ("3.0.0", False))],
])
def test_a_version_steps_at_least_as_far_as_the_changes_need(tmp_path, needed, version,
                                                             refused):
    previous = package(tmp_path / "previous", PREVIOUS, {"events": BEFORE})
    checkout = tree(tmp_path / "tree", version, NEEDING[needed])
    if not refused:
        assert _check_bump(tmp_path, checkout, previous, version) is None
        return
    with pytest.raises(ReleaseError, match=f"^version {version} {TOO_SMALL[needed]} 1.2.3, "
                                           f"but the changes need a {needed} bump:\n"):
        _check_bump(tmp_path, checkout, previous, version)


def test_the_message_lists_the_changes(tmp_path):
    previous = package(tmp_path / "previous", PREVIOUS, {"events": BEFORE})
    checkout = tree(tmp_path / "tree", "1.2.4", NEEDING["major"])
    with pytest.raises(ReleaseError) as raised:
        _check_bump(tmp_path, checkout, previous, "1.2.4")
    assert str(raised.value) == (
        "version 1.2.4 is only a patch step from 1.2.3, but the changes need a major bump:\n"
        "dipdata 1.2.3 -> 1.2.4\n"
        "events: 0 added, 1 removed, 0 changed\n"
        "  - b\n"
        "required bump: major (the versions differ by: patch)")


def test_without_a_previous_release_any_version_goes(tmp_path):
    """No previous package given and no version tag in the repository: nothing to compare."""
    checkout = tree(tmp_path / "tree", "0.0.1", [])
    assert _check_bump(tmp_path, checkout, None, "0.0.1") is None
    git(tmp_path, "init", "-q")  # a repository without tags
    assert _check_bump(tmp_path, checkout, None, "0.0.1") is None


def test_the_previous_release_is_the_highest_version_tag(tmp_path):
    root = tmp_path / "repo"
    package(root / "datapackage", "1.2.3", {"events": BEFORE})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "1.2.3")
    git(root, "tag", "v1.2.3")
    git(root, "tag", "v1.10.0-rc")  # not a version: passed over
    checkout = tree(tmp_path / "tree", "1.2.4", NEEDING["minor"])
    with pytest.raises(ReleaseError, match="^version 1.2.4 is only a patch step from 1.2.3, "
                                           "but the changes need a minor bump"):
        _check_bump(root, checkout, None, "1.2.4")
    assert _check_bump(root, checkout, None, "1.3.0") is None


# --- the reproducible zip ------------------------------------------------------------------

def test_a_zip_is_sorted_dated_and_compressed_the_same_way_every_time():
    import datetime
    import stat
    import zlib
    import zipfile
    from io import BytesIO

    from dipdata.publish.release import _zip_bytes

    moment = datetime.datetime(2026, 11, 30, 10, 20, 30)
    # the squares 0, 1, 4, ...: bytes that deflate differently at level 9 and at the default
    files = {"b/data.csv": b"".join(b"%d," % (n * n) for n in range(3000)), "a.txt": b"x",
             "README.md": b""}
    made = _zip_bytes(files, moment)
    assert made == _zip_bytes(dict(reversed(files.items())), moment)
    with zipfile.ZipFile(BytesIO(made)) as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == ["README.md", "a.txt", "b/data.csv"]
        for info in infos:
            assert info.date_time == (2026, 11, 30, 10, 20, 30)
            assert info.external_attr == (stat.S_IFREG | 0o644) << 16 == 0o100644 << 16
            assert (info.create_system, info.compress_type) == (3, zipfile.ZIP_DEFLATED)
            assert zf.read(info) == files[info.filename]
        raw = made[infos[2].header_offset + 30 + len("b/data.csv"):][:infos[2].compress_size]
    level9 = zlib.compressobj(9, zlib.DEFLATED, -15)
    assert raw == level9.compress(files["b/data.csv"]) + level9.flush()
    # a zip holds no date before 1980: the year is raised, the rest kept
    early = _zip_bytes({"a": b"a"}, datetime.datetime(1970, 1, 2, 3, 4, 5))
    with zipfile.ZipFile(BytesIO(early)) as zf:
        assert zf.infolist()[0].date_time == (1980, 1, 2, 3, 4, 4)


# --- git and the commit being released -----------------------------------------------------

def repository(root: Path, files: dict[str, str]) -> Path:
    """A git repository with one commit holding ``files``."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first")
    return root


def head(root: Path) -> str:
    import subprocess

    return subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()


def test_git_says_which_command_failed_and_why(tmp_path, monkeypatch):
    from dipdata.publish.release import _git

    repo = repository(tmp_path / "repo", {"a.txt": "a\n"})
    assert _git(repo, "rev-parse", "HEAD") == head(repo) + "\n"
    with pytest.raises(ReleaseError) as refused:
        _git(repo, "rev-parse", "--verify", "no-such-thing")
    assert str(refused.value) == "git rev-parse --verify no-such-thing failed: fatal: Needed a " \
                                 "single revision"
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    with pytest.raises(ReleaseError, match="^git is needed to release: .*'git'$") as refused:
        _git(repo, "status")
    assert refused.value.__cause__ is None and refused.value.__suppress_context__


def test_a_release_is_made_from_a_clean_commit(tmp_path):
    from dipdata.publish.release import _require_clean

    repo = repository(tmp_path / "repo", {"a.txt": "a\n", "dist/keep.txt": "k\n"})
    assert _require_clean(repo, tmp_path / "out") == head(repo)
    (repo / "a.txt").write_text("changed\n", "utf-8")
    (repo / "new" / "deep").mkdir(parents=True)
    (repo / "new" / "deep" / "b.txt").write_text("b\n", "utf-8")
    (repo / "out").mkdir()
    (repo / "out" / "c.txt").write_text("c\n", "utf-8")
    (repo / "outer.txt").write_text("o\n", "utf-8")
    with pytest.raises(ReleaseError) as refused:
        _require_clean(repo, repo / "out")  # the output folder's own files do not count
    assert str(refused.value) == (
        "a release is built from a commit, and these files are uncommitted or untracked; "
        "commit or remove them first:\n  a.txt\n  new/deep/b.txt\n  outer.txt")
    with pytest.raises(ReleaseError, match=r"\n  out/c\.txt\n  outer\.txt$"):
        _require_clean(repo, tmp_path / "out")  # outside the repository: every file counts


def test_a_long_list_of_uncommitted_files_is_cut_at_twenty(tmp_path):
    from dipdata.publish.release import _require_clean

    repo = repository(tmp_path / "repo", {"a.txt": "a\n"})
    for n in range(20):
        (repo / f"f{n:02}.txt").write_text("x", "utf-8")
    with pytest.raises(ReleaseError) as refused:
        _require_clean(repo, tmp_path / "out")
    assert str(refused.value).endswith(":\n" + "\n".join(f"  f{n:02}.txt" for n in range(20)))
    for n, more in ((20, 1), (21, 2)):
        (repo / f"f{n}.txt").write_text("x", "utf-8")
        with pytest.raises(ReleaseError) as refused:
            _require_clean(repo, tmp_path / "out")
        assert str(refused.value).endswith(f"\n  f19.txt\n  ... and {more} more")


def test_the_export_is_the_commit_not_the_working_folder(tmp_path):
    from dipdata.publish.release import _export

    repo = repository(tmp_path / "repo", {"a.txt": "committed\n", "d/b.txt": "b\n"})
    first = head(repo)
    (repo / "a.txt").write_text("second\n", "utf-8")
    git(repo, "commit", "-qam", "second")
    (repo / "a.txt").write_text("not committed\n", "utf-8")
    (repo / "untracked.txt").write_text("u\n", "utf-8")
    target = tmp_path / "tree"
    target.mkdir()
    _export(repo, first, target)
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == [
        "a.txt", "d", "d/b.txt"]
    assert (target / "a.txt").read_text("utf-8") == "committed\n"


def test_the_export_refuses_a_link_out_of_the_tree_and_an_unknown_commit(tmp_path):
    import subprocess
    import tarfile

    from dipdata.publish.release import _export

    repo = repository(tmp_path / "repo", {"a.txt": "a\n"})
    (repo / "passwd").symlink_to("/etc/passwd")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a link")
    (tmp_path / "tree").mkdir()
    with pytest.raises(tarfile.AbsoluteLinkError):
        _export(repo, head(repo), tmp_path / "tree")
    assert not (tmp_path / "tree" / "passwd").is_symlink()
    with pytest.raises(subprocess.CalledProcessError):
        _export(repo, "0" * 40, tmp_path / "tree")


# --- the pinned tools ------------------------------------------------------------------------

def test_the_pins_are_read_exactly(tmp_path):
    from dipdata.publish.release import pinned_tools

    (tmp_path / "release-constraints.txt").write_text(
        "# comment\nBuild==1.2.3  # why # and why not\n\n  pyarrow == 26.0.1 \n# x==1\n", "utf-8")
    assert pinned_tools(tmp_path) == {"build": "1.2.3", "pyarrow": "26.0.1"}
    (tmp_path / "release-constraints.txt").write_text("a==1\npyarrow>=14  # at least\n", "utf-8")
    with pytest.raises(ReleaseError) as refused:
        pinned_tools(tmp_path)
    assert str(refused.value) == ("release-constraints.txt: 'pyarrow>=14' is not pinned as "
                                  "name==version")
    (tmp_path / "release-constraints.txt").unlink()
    with pytest.raises(ReleaseError) as refused:
        pinned_tools(tmp_path)
    assert str(refused.value) == ("release-constraints.txt is missing: it pins the tools that "
                                  "shape the artifacts' bytes")
    (tmp_path / "release-constraints.txt").mkdir()  # not a file
    with pytest.raises(ReleaseError, match="is missing"):
        pinned_tools(tmp_path)


def test_the_tools_must_be_the_pinned_ones(monkeypatch):
    from importlib import metadata

    from dipdata.publish.release import check_tools

    installed = {"build": "1.6.1", "pyarrow": "26.0.1"}

    def version(name):
        if name not in installed:
            raise metadata.PackageNotFoundError(name)
        return installed[name]

    monkeypatch.setattr(metadata, "version", version)
    assert check_tools({"build": "1.6.1", "pyarrow": "26.0.1"}) is None
    assert check_tools({}) is None
    with pytest.raises(ReleaseError) as refused:
        check_tools({"build": "1.6.1", "pyarrow": "25.0", "no-such-tool": "1.0"})
    assert str(refused.value) == (
        "the installed build tools differ from the pinned ones, so the artifacts would not "
        "be reproducible:\n  pyarrow 26.0.1 (pinned 25.0)\n  no-such-tool not installed "
        "(pinned 1.0)\ninstall the pinned ones: pip install -c release-constraints.txt "
        "-e '.[release]'")


# --- a version is released once, with its CHANGELOG ---------------------------------------

def test_a_version_is_released_once(tmp_path):
    from dipdata.publish.release import _check_version_unused

    repo = repository(tmp_path / "repo", {"records/a.json": "{}", "README.md": "r\n"})
    assert _check_version_unused(repo, "1.0.0") is None  # never released
    git(repo, "tag", "v1.0.0")
    released = head(repo)
    assert _check_version_unused(repo, "1.0.0") is None  # released from this very commit
    (repo / "README.md").write_text("other words\n", "utf-8")
    git(repo, "commit", "-qam", "docs")
    assert _check_version_unused(repo, "1.0.0") is None  # nothing released changed
    for name in ("records/a.json", "records/b.json", "src/x.py", "source/s.txt",
                 "pyproject.toml"):
        (repo / name).parent.mkdir(exist_ok=True)
        (repo / name).write_text("changed", "utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "five changes")
    with pytest.raises(ReleaseError) as refused:
        _check_version_unused(repo, "1.0.0")
    assert str(refused.value) == (
        f"version 1.0.0 was already released from commit {released[:12]}, and this commit "
        "changes pyproject.toml, records/a.json, records/b.json, source/s.txt, src/x.py: a "
        "version is released once. Next steps:\n" + CHECKLIST)
    (repo / "release-constraints.txt").write_text("a==1\n", "utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a sixth")
    with pytest.raises(ReleaseError, match=r"changes pyproject.toml, records/a.json, records/"
                                           r"b.json, release-constraints.txt, source/s.txt "
                                           r"\.\.\.: a version is released once\."):
        _check_version_unused(repo, "1.0.0")
    assert _check_version_unused(repo, "1.0.1") is None


CHECKLIST = (
    "1. bump the version in src/dipdata/__init__.py by the change's needs "
    "(`dipdata diff <previous version> HEAD` says which);\n"
    "2. move the [Unreleased] entries of CHANGELOG.md under '## [X.Y.Z] - YYYY-MM-DD', leaving "
    "[Unreleased] empty;\n"
    "3. `dipdata build`, then commit everything;\n"
    "4. `dipdata release --out dist` with the pinned tools (pip install -c "
    "release-constraints.txt -e '.[release]');\n"
    "5. `git tag vX.Y.Z` and push the tag: the release workflow publishes it.")

CHANGELOG = """# Changelog

## [Unreleased]

## [1.1.0] - 2026-12-06

### Data
- A new record.

## [1.0.0] - 2026-11-30

- First.
"""


def test_unreleased_entries_are_moved_before_a_release():
    from dipdata.publish.release import _check_changelog

    assert _check_changelog(CHANGELOG, "1.1.0") is None
    pending = CHANGELOG.replace("## [Unreleased]\n", "## [Unreleased]\n\n### Code\n- "
                                + "A very long entry that says a great deal about one change, "
                                  "and more.\n- Another.\n")
    with pytest.raises(ReleaseError) as refused:
        _check_changelog(pending, "1.2.0")
    assert str(refused.value) == (
        "CHANGELOG.md's [Unreleased] part holds 2 lines (- A very long entry that says a great "
        "deal about one change, ...): move them under '## [1.2.0] - YYYY-MM-DD' first. Next "
        "steps:\n" + CHECKLIST)


def test_the_notes_are_the_versions_section_and_the_tools():
    import sqlite3
    import sys

    from dipdata.publish.release import _notes

    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert _notes(CHANGELOG, "1.1.0", {"pyarrow": "26.0.1", "build": "1.6.1"}) == (
        "### Data\n- A new record.\n\n### Built with\n\n"
        f"- Python {python}, SQLite {sqlite3.sqlite_version}\n"
        "- build 1.6.1\n- pyarrow 26.0.1\n").encode()
    assert _notes(CHANGELOG, "1.0.0", {}) == (
        f"- First.\n\n### Built with\n\n- Python {python}, SQLite "
        f"{sqlite3.sqlite_version}\n").encode()


# --- the artifacts and their folder -----------------------------------------------------------

def test_publishing_moves_the_artifacts_with_their_checksums(tmp_path):
    import hashlib

    from dipdata.publish.release import _publish

    staging = tmp_path / "staging"
    staging.mkdir()
    (staging / "b.zip").write_bytes(b"bee")
    (staging / "a.md").write_bytes(b"notes")
    out = tmp_path / "dist" / "new"
    assert _publish(staging, out) == [out / "a.md", out / "b.zip", out / "SHA256SUMS"]
    sums = (out / "SHA256SUMS").read_text("utf-8")
    assert sums == (f"{hashlib.sha256(b'notes').hexdigest()}  a.md\n"
                    f"{hashlib.sha256(b'bee').hexdigest()}  b.zip\n")
    assert sorted(p.name for p in out.iterdir()) == ["SHA256SUMS", "a.md", "b.zip"]
    assert list(staging.iterdir()) == []
    # the same files again: nothing to refuse
    (staging / "b.zip").write_bytes(b"bee")
    (staging / "a.md").write_bytes(b"notes")
    assert _publish(staging, out)[-1] == out / "SHA256SUMS"


def test_publishing_never_replaces_a_different_file(tmp_path):
    from dipdata.publish.release import _publish

    staging, out = tmp_path / "staging", tmp_path / "out"
    staging.mkdir()
    out.mkdir()
    for name, data in (("a.md", b"new"), ("b.zip", b"same"), ("c.zip", b"new")):
        (staging / name).write_bytes(data)
    (out / "a.md").write_bytes(b"old")
    (out / "b.zip").write_bytes(b"same")
    (out / "c.zip").write_bytes(b"old")
    with pytest.raises(ReleaseError) as refused:
        _publish(staging, out)
    assert str(refused.value) == (f"{out} already holds different files named a.md, c.zip; "
                                  "remove them or choose another --out")
    assert (out / "a.md").read_bytes() == b"old" and not (out / "SHA256SUMS").exists()


def test_the_artifacts_are_the_package_zip_the_wheel_and_the_other_forms(tmp_path,
                                                                        monkeypatch):
    import datetime
    import subprocess
    import sys
    import zipfile

    from dipdata.publish import bundles
    from dipdata.publish.release import _artifacts

    tree, staging = tmp_path / "tree", tmp_path / "staging"
    staging.mkdir()
    package(tree / "datapackage", "1.0.0", {"events": BEFORE})
    for name in ("README.md", "LICENSE", "other.txt"):  # no CHANGELOG or CITATION.cff here
        (tree / name).write_text(f"{name}\n", "utf-8")
    ran, extra = [], []

    def run(args, **kwargs):
        ran.append((args, kwargs.pop("env")["SOURCE_DATE_EPOCH"], kwargs))
        return subprocess.CompletedProcess(args, 0, "", "")

    def others(*args):
        extra.append(args[:3])
        (staging / "other.zip").write_bytes(args[3]({"x": b"x"}))
        return []

    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.setattr(bundles, "extra_artifacts", others)
    moment = datetime.datetime(2026, 12, 6, tzinfo=datetime.timezone.utc)
    assert _artifacts(tree, staging, "1.0.0", moment) is None
    assert ran == [([sys.executable, "-m", "build", "--sdist", "--wheel", "--no-isolation",
                     "--outdir", str(staging), str(tree)], "1796515200",
                    {"capture_output": True, "text": True})]
    assert extra == [(tree, staging, "1.0.0")]
    with zipfile.ZipFile(staging / "dipdata-1.0.0-datapackage.zip") as zf:
        assert zf.namelist() == ["LICENSE", "README.md", "data/events.json", "datapackage.json"]
        assert zf.read("README.md") == b"README.md\n"
        assert zf.read("data/events.json") == (tree / "datapackage" / "data" /
                                               "events.json").read_bytes()
        assert zf.getinfo("LICENSE").date_time == (2026, 12, 6, 0, 0, 0)
    with zipfile.ZipFile(staging / "other.zip") as zf:  # the other zips: the same moment
        assert zf.getinfo("x").date_time == (2026, 12, 6, 0, 0, 0)


def test_a_failed_wheel_build_says_why(tmp_path, monkeypatch):
    import datetime
    import subprocess

    from dipdata.publish.release import _artifacts

    (tmp_path / "datapackage").mkdir()
    monkeypatch.setattr(subprocess, "run", lambda args, **kwargs: subprocess.CompletedProcess(
        args, 1, "", "x" * 3000 + "the reason"))
    with pytest.raises(ReleaseError) as refused:
        _artifacts(tmp_path, tmp_path, "1.0.0", datetime.datetime(2026, 1, 1))
    assert str(refused.value) == ("building the wheel and sdist failed:\n" + "x" * 1990
                                  + "the reason")


# --- the release, step by step -----------------------------------------------------------------

RELEASED = "## [Unreleased]\n\n## [9.9.9] - 2026-12-06\n\n- Notes.\n"


@pytest.fixture
def steps(tmp_path, monkeypatch):
    """A repository of version 9.9.9 with a clean commit, its check and artifacts as fakes;
    returns what the fakes were given."""
    import dipdata
    from dipdata.make import package as builder
    from dipdata.publish import release as module
    from types import SimpleNamespace

    repo = tmp_path / "repo"
    package(repo / "datapackage", "9.9.9", {"events": BEFORE})
    repository(repo, {"CHANGELOG.md": RELEASED, "release-constraints.txt": "# none\n"})
    given: dict[str, list] = {"check": [], "artifacts": [], "problems": []}

    def check(tree, full=False):
        given["check"].append(((tree / "CHANGELOG.md").read_text("utf-8"), full))
        return SimpleNamespace(valid=not given["problems"],
                               render=lambda: "\n".join(given["problems"]))

    def artifacts(tree, staging, version, moment):
        given["artifacts"].append((tree, version, moment))
        (staging / f"dipdata-{version}-datapackage.zip").write_bytes(
            (tree / "datapackage" / "datapackage.json").read_bytes())

    monkeypatch.setattr(dipdata, "__version__", "9.9.9")
    monkeypatch.setattr(builder, "check", check)
    monkeypatch.setattr(module, "_artifacts", artifacts)
    given["repo"] = [repo]
    return given


def test_a_release_checks_the_commit_then_writes_its_artifacts_and_notes(steps, monkeypatch):
    import datetime
    import hashlib
    import sqlite3
    import sys

    from dipdata.publish.release import release

    repo = steps["repo"][0]
    out = repo / "dist"
    written = release(str(repo), str(out))
    assert written == [out / "dipdata-9.9.9-datapackage.zip", out / "dipdata-9.9.9-notes.md",
                       out / "SHA256SUMS"]
    assert steps["check"] == [(RELEASED, True)]
    [(tree, version, moment)] = steps["artifacts"]
    assert (version, moment) == ("9.9.9", datetime.datetime(2026, 12, 6,
                                                            tzinfo=datetime.timezone.utc))
    assert not tree.exists()  # the scratch folder is gone
    notes = (out / "dipdata-9.9.9-notes.md").read_bytes()
    assert notes == (f"- Notes.\n\n### Built with\n\n- Python {sys.version_info[0]}."
                     f"{sys.version_info[1]}, SQLite {sqlite3.sqlite_version}\n").encode()
    assert (out / "SHA256SUMS").read_text("utf-8") == "".join(
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in written[:2])
    # again, from the repository's top into its `dist` (the defaults): the same files,
    # nothing refused
    monkeypatch.chdir(repo)
    assert release() == [Path("dist") / p.name for p in written]


def test_a_release_refuses_a_commit_that_does_not_validate(steps, tmp_path):
    from dipdata.publish.release import release

    steps["problems"].append("events/a.json: a problem")
    with pytest.raises(ReleaseError) as refused:
        release(steps["repo"][0], tmp_path / "out")
    assert str(refused.value) == ("the commit does not validate (run `dipdata validate`):\n"
                                  "events/a.json: a problem")
    assert steps["artifacts"] == [] and not (tmp_path / "out").exists()


@pytest.mark.parametrize(("changelog", "pins", "message"), [
    ("## [9.9.8] - 2026-12-06\n", "", "^CHANGELOG.md has no dated section for 9.9.9"),
    ("## [Unreleased]\n- Pending.\n" + RELEASED[16:], "",
     r"^CHANGELOG.md's \[Unreleased\] part holds 1 lines \(- Pending. ...\): move them "
     r"under '## \[9.9.9\] - YYYY-MM-DD' first"),
    (RELEASED, "build==0.0.1\n", "^the installed build tools differ from the pinned ones"),
    (RELEASED, "build>=1\n", "^release-constraints.txt: 'build>=1' is not pinned"),
], ids=["undated", "unreleased-entries", "other-tools", "unpinned"])
def test_a_release_refuses_an_undated_version_pending_entries_and_other_tools(
        steps, tmp_path, changelog, pins, message):
    from dipdata.publish.release import release

    repo = steps["repo"][0]
    (repo / "CHANGELOG.md").write_text(changelog, "utf-8")
    (repo / "release-constraints.txt").write_text(pins, "utf-8")
    git(repo, "commit", "-q", "--amend", "-am", "changed")  # still the version's only commit
    with pytest.raises(ReleaseError, match=message):
        release(repo, tmp_path / "out")
    assert steps["artifacts"] == [] and not (tmp_path / "out").exists()


def test_a_release_compares_with_the_previous_release(steps, tmp_path):
    from dipdata.publish.release import release

    repo = steps["repo"][0]
    previous = package(tmp_path / "previous", "9.9.9", {"events": NEEDING["major"]})
    with pytest.raises(ReleaseError, match="^version 9.9.9 is not above 9.9.9, but the "
                                           "changes need a minor bump"):
        release(repo, tmp_path / "out", previous=previous)
    git(repo, "tag", "v9.9.8")  # without one given, the highest tag: no change from it
    assert release(repo, tmp_path / "out")[-1] == tmp_path / "out" / "SHA256SUMS"
    # the commit changed since that tag (amended: still the version's only commit)
    shutil.rmtree(repo / "datapackage")
    package(repo / "datapackage", "9.9.9", {"events": NEEDING["minor"]})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--amend", "-m", "a new record")
    with pytest.raises(ReleaseError, match="^version 9.9.9 is not above 9.9.9, but the "
                                           "changes need a minor bump"):
        release(repo, tmp_path / "again")


def test_a_release_refuses_uncommitted_files_and_a_version_released_before(steps, tmp_path):
    from dipdata.publish.release import release

    repo = steps["repo"][0]
    (repo / "records").mkdir()
    (repo / "records" / "new.json").write_text("{}", "utf-8")
    with pytest.raises(ReleaseError, match="^a release is built from a commit.*\n  records/"):
        release(repo, tmp_path / "out")
    git(repo, "tag", "v9.9.9")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a record")
    with pytest.raises(ReleaseError, match="^version 9.9.9 was already released from commit "):
        release(repo, tmp_path / "out")


def test_a_release_needs_the_builder(steps, tmp_path, monkeypatch):
    import builtins

    from dipdata.publish.release import release

    real_import = builtins.__import__

    def without_build(name, *args, **kwargs):
        if name == "build":
            raise ImportError("No module named 'build'", name=name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_build)
    with pytest.raises(ReleaseError) as refused:
        release(steps["repo"][0], tmp_path / "out")
    assert str(refused.value) == ('building a release needs the release extra: '
                                  'pip install "dipdata[release]"')
    assert refused.value.__suppress_context__ and steps["check"] == []
