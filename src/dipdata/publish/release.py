"""Reproducible release artifacts, built only from a commit: the data package zip, the
wheel, the sdist and SHA256SUMS. Reading and verifying archives is in `archive`."""

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
from .versions import BUMPS, bump_of, changelog_date, package_at, previous_release

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
    from ..build.package import check

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
        day = changelog_date((tree / "CHANGELOG.md").read_text("utf-8"), __version__)
        _check_bump(root, tree, previous, __version__)
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        moment = (datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch
                  else datetime.datetime.combine(day, datetime.time(), datetime.timezone.utc))
        _artifacts(tree, staging, __version__, moment)
        return _publish(staging, out)
