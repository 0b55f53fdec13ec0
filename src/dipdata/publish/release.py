"""Reproducible release artifacts, built only from a commit: the data package zip, the
wheel, the sdist, the SQLite, Parquet and explorer zips, the release notes and SHA256SUMS,
made with the pinned tools of `release-constraints.txt`. A version is released once."""

from __future__ import annotations

import datetime
import io
import os
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from ..base.archives import CHECKSUMS, ReleaseError, sha256
from .diff import diff
from ..base.paths import PACKAGE_DIR
from .versions import (
    BUMPS,
    bump_of,
    changed_since,
    changelog_date,
    changelog_section,
    package_at,
    previous_release,
    release_commit,
    unreleased_entries,
)

#: The pins of the tools that shape the artifacts' bytes, at the repository's top.
CONSTRAINTS = "release-constraints.txt"
#: The order in which a release is made (CONTRIBUTING.md says the same).
CHECKLIST = ("1. bump the version in src/dipdata/__init__.py by the change's needs "
             "(`dipdata diff <previous version> HEAD` says which);\n"
             "2. move the [Unreleased] entries of CHANGELOG.md under "
             "'## [X.Y.Z] - YYYY-MM-DD', leaving [Unreleased] empty;\n"
             "3. `dipdata build`, then commit everything;\n"
             "4. `dipdata release --out dist` with the pinned tools "
             f"(pip install -c {CONSTRAINTS} -e '.[release]');\n"
             "5. `git tag vX.Y.Z` and push the tag: the release workflow publishes it.")

# Files of the repository that go into the release archive beside the data package.
EXTRA_FILES = ("README.md", "CHANGELOG.md", "LICENSE", "LICENSE-DATA.md", "CITATION.cff")


def _zip_bytes(files: dict[str, bytes], moment: datetime.datetime) -> bytes:
    buffer = io.BytesIO()
    stamp = (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute,
             moment.second)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            zf.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    except OSError as error:
        raise ReleaseError(f"git is needed to release: {error}") from None
    if done.returncode != 0:
        raise ReleaseError(f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def _require_clean(root: Path, out: Path) -> str:
    """The commit to release; refuses uncommitted changes and untracked files (other than
    the output folder's), which a release would not hold."""
    commit = _git(root, "rev-parse", "HEAD").strip()
    inside = out.resolve().relative_to(root.resolve()).as_posix() + "/" \
        if out.resolve().is_relative_to(root.resolve()) else None
    dirty = [line[3:] for line in _git(root, "status", "--porcelain", "--untracked-files=all")
             .splitlines() if not (inside and line[3:].startswith(inside))]
    if dirty:
        listed = "\n".join(f"  {path}" for path in dirty[:20])
        more = f"\n  ... and {len(dirty) - 20} more" if len(dirty) > 20 else ""
        raise ReleaseError("a release is built from a commit, and these files are uncommitted "
                           f"or untracked; commit or remove them first:\n{listed}{more}")
    return commit


def _export(root: Path, commit: str, target: Path) -> None:
    """The commit's files, as git holds them, into ``target``."""
    archive = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", commit],
                             capture_output=True, check=True).stdout
    import tarfile

    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")


def pinned_tools(tree: Path) -> dict[str, str]:
    """The tools and versions pinned in the tree's `release-constraints.txt`."""
    path = tree / CONSTRAINTS
    if not path.is_file():
        raise ReleaseError(f"{CONSTRAINTS} is missing: it pins the tools that shape the "
                           "artifacts' bytes")
    pins = {}
    for line in path.read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            if not version:
                raise ReleaseError(f"{CONSTRAINTS}: {line!r} is not pinned as name==version")
            pins[name.strip().lower()] = version.strip()
    return pins


def check_tools(pins: dict[str, str]) -> None:
    """Refuse to build with tools other than the pinned ones: other versions give other
    bytes, and the published SHA256SUMS could not be reproduced."""
    from importlib import metadata

    found = {}
    for name in pins:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    wrong = [f"  {name} {found[name]} (pinned {version})" for name, version in pins.items()
             if found[name] != version]
    if wrong:
        raise ReleaseError("the installed build tools differ from the pinned ones, so the "
                           "artifacts would not be reproducible:\n" + "\n".join(wrong) +
                           f"\ninstall the pinned ones: pip install -c {CONSTRAINTS} "
                           "-e '.[release]'")


def _check_version_unused(root: Path, version: str) -> None:
    """A version is released once: refuse a commit whose data or code differs from the
    commit ``version`` was already released from (found by tag, or without tags by the
    history and CHANGELOG.md), and a CHANGELOG whose [Unreleased] part holds entries."""
    head = _git(root, "rev-parse", "HEAD").strip()
    released = release_commit(root, version)
    if released and released != head and (changed := changed_since(root, released)):
        raise ReleaseError(f"version {version} was already released from commit "
                           f"{released[:12]}, and this commit changes "
                           f"{', '.join(changed[:5])}{' ...' if len(changed) > 5 else ''}: "
                           "a version is released once. Next steps:\n" + CHECKLIST)


def _check_changelog(changelog: str, version: str) -> None:
    entries = unreleased_entries(changelog)
    if entries:
        raise ReleaseError(f"CHANGELOG.md's [Unreleased] part holds {len(entries)} lines "
                           f"({entries[0].strip()[:60]} ...): move them under "
                           f"'## [{version}] - YYYY-MM-DD' first. Next steps:\n" + CHECKLIST)


def _notes(changelog: str, version: str, pins: dict[str, str]) -> bytes:
    """The release notes: the version's CHANGELOG section, and the tools it was built with."""
    import sqlite3

    tools = "".join(f"- {name} {pinned}\n" for name, pinned in sorted(pins.items()))
    return (f"{changelog_section(changelog, version)}\n### Built with\n\n"
            f"- Python {sys.version_info[0]}.{sys.version_info[1]}, "
            f"SQLite {sqlite3.sqlite_version}\n{tools}").encode()


def _check_bump(root: Path, tree: Path, previous: Path | str | None, version: str) -> None:
    with tempfile.TemporaryDirectory(prefix="dipdata-previous-") as scratch:
        if previous is None and (tag := previous_release(root)) is not None:
            previous = package_at(root, tag, Path(scratch))
        if previous is None:
            return
        change = diff(previous, tree / PACKAGE_DIR)
        needed, made = change.required_bump, bump_of(change.old_version, version)
        if BUMPS.index(made) < BUMPS.index(needed) or (needed != "none" and made == "none"):
            step = "is not above" if made == "none" else f"is only a {made} step from"
            raise ReleaseError(f"version {version} {step} {change.old_version}, but the "
                               f"changes need a {needed} bump:\n" + change.as_text())


def _artifacts(tree: Path, staging: Path, version: str, moment: datetime.datetime) -> None:
    """The data package zip (descriptor at its root), the wheel, the sdist, and the other
    forms of the data (`bundles`)."""
    package = tree / PACKAGE_DIR
    files = {p.relative_to(package).as_posix(): p.read_bytes()
             for p in sorted(package.rglob("*")) if p.is_file()}
    for extra in EXTRA_FILES:
        if (tree / extra).is_file():
            files[extra] = (tree / extra).read_bytes()
    (staging / f"dipdata-{version}-datapackage.zip").write_bytes(_zip_bytes(files, moment))
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(moment.timestamp()))}
    # No isolation: build with the installed hatchling, offline and reproducibly.
    built = subprocess.run([sys.executable, "-m", "build", "--sdist", "--wheel",
                            "--no-isolation", "--outdir", str(staging), str(tree)],
                           capture_output=True, text=True, env=env)
    if built.returncode != 0:
        raise ReleaseError("building the wheel and sdist failed:\n" + built.stderr[-2000:])
    # The SQLite database, Parquet tables and explorer (issue 12), from the same package.
    from .bundles import extra_artifacts

    extra_artifacts(tree, staging, version, lambda named: _zip_bytes(named, moment))


def _publish(staging: Path, out: Path) -> list[Path]:
    """Move the artifacts and SHA256SUMS into ``out``, refusing to replace a different file."""
    names = sorted(p.name for p in staging.iterdir())
    (staging / CHECKSUMS).write_text("".join(f"{sha256(staging / n)}  {n}\n" for n in names),
                                     "utf-8")
    names.append(CHECKSUMS)
    clashes = [n for n in names if (out / n).exists()
               and (out / n).read_bytes() != (staging / n).read_bytes()]
    if clashes:
        raise ReleaseError(f"{out} already holds different files named "
                           f"{', '.join(clashes)}; remove them or choose another --out")
    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        os.replace(staging / name, out / name)
    return [out / name for name in names]


def release(root: Path | str = ".", out: Path | str = "dist",
            previous: Path | str | None = None) -> list[Path]:
    """Check the committed repository and write the release artifacts; returns their paths.

    Everything is built from the files of the commit at HEAD, never from the working folder.
    """
    from .. import __version__
    from ..make.package import check

    root, out = Path(root), Path(out)
    try:
        import build  # noqa: F401  (the wheel and sdist builder)
    except ImportError:
        raise ReleaseError('building a release needs the release extra: '
                           'pip install "dipdata[release]"') from None
    commit = _require_clean(root, out)
    with tempfile.TemporaryDirectory(prefix="dipdata-release-") as scratch:
        tree, staging = Path(scratch) / "tree", Path(scratch) / "out"
        tree.mkdir()
        staging.mkdir()
        _export(root, commit, tree)
        report = check(tree, full=True)
        if not report.valid:
            raise ReleaseError("the commit does not validate (run `dipdata validate`):\n"
                               + report.render())
        changelog = (tree / "CHANGELOG.md").read_text("utf-8")
        day = changelog_date(changelog, __version__)
        _check_changelog(changelog, __version__)
        _check_version_unused(root, __version__)
        _check_bump(root, tree, previous, __version__)
        pins = pinned_tools(tree)
        check_tools(pins)
        # Every timestamp is the release day of CHANGELOG.md: the artifacts are a function of
        # the commit alone (SOURCE_DATE_EPOCH in the environment is not read).
        moment = datetime.datetime.combine(day, datetime.time(), datetime.timezone.utc)
        _artifacts(tree, staging, __version__, moment)
        (staging / f"dipdata-{__version__}-notes.md").write_bytes(
            _notes(changelog, __version__, pins))
        return _publish(staging, out)
