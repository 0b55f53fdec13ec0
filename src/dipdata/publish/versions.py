"""Versions: the bump rule, release dates, and versions of this repository found in git."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
from pathlib import Path

from ..base.archives import ReleaseError
from ..base.paths import PACKAGE_DIR

BUMPS = ("none", "patch", "minor", "major")


def parse_version(text: str) -> tuple[int, int, int]:
    match = re.fullmatch(r"v?(\d+)\.(\d+)\.(\d+)", text.strip())
    if not match:
        raise ReleaseError(f"{text!r} is not a semantic version (MAJOR.MINOR.PATCH)")
    return tuple(int(part) for part in match.groups())  # type: ignore[return-value]


def bump_of(old: str, new: str) -> str:
    """The bump from one version to the next: none, patch, minor or major."""
    a, b = parse_version(old), parse_version(new)
    if b <= a:
        return "none"
    if b[0] > a[0]:
        return "major"
    return "minor" if b[1] > a[1] else "patch"


def changelog_date(changelog: str, version: str) -> datetime.date:
    """The release date of ``version`` in CHANGELOG.md (`## [X.Y.Z] - YYYY-MM-DD`)."""
    match = re.search(rf"^## \[{re.escape(version)}\] - (\d{{4}}-\d{{2}}-\d{{2}})\s*$",
                      changelog, re.MULTILINE)
    if not match:
        raise ReleaseError(f"CHANGELOG.md has no dated section for {version}: add "
                           f"'## [{version}] - YYYY-MM-DD' with Data, Schema and Code parts")
    return datetime.date.fromisoformat(match.group(1))


def changelog_section(changelog: str, version: str) -> str:
    """The body of ``version``'s section of CHANGELOG.md: its release notes."""
    changelog_date(changelog, version)  # refuses a missing or undated section
    body = re.split(rf"^## \[{re.escape(version)}\][^\n]*\n", changelog, maxsplit=1,
                    flags=re.MULTILINE)[1]
    return re.split(r"^## ", body, maxsplit=1, flags=re.MULTILINE)[0].strip() + "\n"


def unreleased_entries(changelog: str) -> list[str]:
    """The lines under `## [Unreleased]` that say something (headings and blanks aside)."""
    parts = re.split(r"^## \[Unreleased\][^\n]*\n", changelog, maxsplit=1, flags=re.MULTILINE)
    if len(parts) < 2:
        return []
    body = re.split(r"^## ", parts[1], maxsplit=1, flags=re.MULTILINE)[0]
    return [line for line in body.splitlines() if line.strip() and not line.startswith("#")]


def release_commit(root: Path, version: str) -> str | None:
    """The commit ``version`` was released from: its tag (``vX.Y.Z`` or ``X.Y.Z``), else the
    commit the history and CHANGELOG.md give (as :func:`resolve` finds it), if any."""
    for tag in (f"v{version}", version):
        done = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet",
                               f"refs/tags/{tag}^{{commit}}"], capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout.strip()
    found = _commits_of_version(root, version)
    return found[0] if found else None


#: What a release is made from: a commit that changes none of these releases the same thing.
RELEASED_PATHS = ("records", "source", "src", "pyproject.toml", "release-constraints.txt")


def changed_since(root: Path, commit: str, head: str = "HEAD") -> list[str]:
    """The paths of :data:`RELEASED_PATHS` that differ between ``commit`` and ``head``."""
    done = subprocess.run(["git", "-C", str(root), "diff", "--name-only", commit, head, "--",
                           *RELEASED_PATHS], capture_output=True, text=True)
    return done.stdout.split() if done.returncode == 0 else []


def previous_release(root: Path) -> str | None:
    """The highest version tag (vX.Y.Z) in the repository's git history, if any."""
    try:
        tags = subprocess.run(["git", "-C", str(root), "tag", "--list", "v*"],
                              capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return None
    versions = []
    for tag in tags:
        try:
            versions.append((parse_version(tag), tag))
        except ReleaseError:
            continue
    return max(versions)[1] if versions else None


def resolve(root: Path, name: str, scratch: Path) -> Path:
    """A zip or folder as it is; otherwise a version or git revision, checked out to scratch.
    A version (``0.1.0``) is its tag (``v0.1.0`` or ``0.1.0``) or, where no tag marks it, the
    newest commit whose package has that version."""
    if Path(name).exists():
        return Path(name)
    candidates = [name]
    if re.fullmatch(r"v?\d+\.\d+\.\d+", name):
        bare = name.lstrip("v")
        candidates = [f"v{bare}", bare, *_commits_of_version(root, bare)]
    for revision in candidates:
        try:
            return package_at(root, revision, scratch)
        except (OSError, subprocess.CalledProcessError):
            continue
    raise ReleaseError(f"{name} is neither a release zip or folder nor a version or revision "
                       "of this repository")


def _commits_of_version(root: Path, version: str) -> list[str]:
    """The release commit of ``version`` where no tag marks it: the newest commit, on or
    before the version's date in CHANGELOG.md, whose package declares that version (later
    commits may still declare it while the next release is prepared)."""
    changelog = root / "CHANGELOG.md"
    try:
        day = changelog_date(changelog.read_text("utf-8"), version) if changelog.is_file() \
            else None
    except ReleaseError:
        day = None
    until = [f"--until={day.isoformat()}T23:59:59+00:00"] if day else []
    try:
        log = subprocess.run(["git", "-C", str(root), "log", "--format=%H", *until, "--",
                              f"{PACKAGE_DIR}/datapackage.json"],
                             capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return []
    for commit in log:
        shown = subprocess.run(["git", "-C", str(root), "show",
                                f"{commit}:{PACKAGE_DIR}/datapackage.json"],
                               capture_output=True, text=True)
        try:
            if json.loads(shown.stdout).get("version") == version:
                return [commit]
        except ValueError:
            continue
    return []


def package_at(root: Path, tag: str, target: Path) -> Path:
    """The data package as it was at a git revision, written under ``target``."""
    listing = subprocess.run(["git", "-C", str(root), "ls-tree", "-r", "--name-only", tag,
                              PACKAGE_DIR], capture_output=True, text=True, check=True)
    if not listing.stdout.strip():
        raise OSError(f"no data package at {tag}")
    for name in listing.stdout.split():
        data = subprocess.run(["git", "-C", str(root), "show", f"{tag}:{name}"],
                              capture_output=True, check=True).stdout
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data)
    return target / PACKAGE_DIR
