"""The release's bump rule, on tiny packages made in the test: a version whose bump from the
previous release is smaller than the change needs is refused, at every boundary (none,
patch, minor, major), with a message that says what the change needs and why."""

from __future__ import annotations

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
