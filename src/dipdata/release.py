"""Releases: versions and the bump rule, the diff between versions, and reproducible
release artifacts with checksums. Reading and verifying archives is in `archive`."""

from __future__ import annotations

import datetime
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .archive import CHECKSUMS, ReleaseError, opened, sha256

# Files of the repository that go into the release archive beside the data package.
EXTRA_FILES = ("README.md", "CHANGELOG.md", "LICENSE", "CITATION.cff")
BUMPS = ("none", "patch", "minor", "major")


# --- Versions and the changelog ---------------------------------------------------------------

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


# --- Diff -----------------------------------------------------------------------------------

@dataclass
class TableDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict)


@dataclass
class Diff:
    old_version: str
    new_version: str
    tables: dict[str, TableDiff]
    fields_added: list[str]
    fields_removed: list[str]
    fields_retyped: list[str]

    @property
    def required_bump(self) -> str:
        """The smallest bump the change needs (Data Package Version recipe)."""
        if self.fields_removed or self.fields_retyped or any(t.removed for t in self.tables.values()):
            return "major"
        if self.fields_added or any(t.added for t in self.tables.values()):
            return "minor"
        if any(t.changed for t in self.tables.values()):
            return "patch"
        return "none"

    def as_json(self) -> dict[str, Any]:
        return {
            "old_version": self.old_version, "new_version": self.new_version,
            "required_bump": self.required_bump,
            "fields": {"added": self.fields_added, "removed": self.fields_removed,
                       "retyped": self.fields_retyped},
            "tables": {name: {"added": t.added, "removed": t.removed,
                              "changed": {rid: {f: {"old": o, "new": n}
                                                for f, (o, n) in changes.items()}
                                          for rid, changes in t.changed.items()}}
                       for name, t in self.tables.items()},
        }

    def as_text(self) -> str:
        lines = [f"dipdata {self.old_version} -> {self.new_version}"]
        for kind, names in (("added", self.fields_added), ("removed", self.fields_removed),
                            ("retyped", self.fields_retyped)):
            for name in names:
                lines.append(f"field {kind}: {name}")
        for name, table in self.tables.items():
            if not (table.added or table.removed or table.changed):
                continue
            lines.append(f"{name}: {len(table.added)} added, {len(table.removed)} removed, "
                         f"{len(table.changed)} changed")
            lines += [f"  + {rid}" for rid in table.added]
            lines += [f"  - {rid}" for rid in table.removed]
            for rid, changes in table.changed.items():
                lines.append(f"  ~ {rid}")
                for name_, (old, new) in changes.items():
                    lines.append(f"      {name_}: {json.dumps(old, ensure_ascii=False)} -> "
                                 f"{json.dumps(new, ensure_ascii=False)}")
        actual = bump_of(self.old_version, self.new_version)
        lines.append(f"required bump: {self.required_bump} (version bump: {actual})")
        return "\n".join(lines)


def _load_tables(package: Path) -> tuple[str, dict[str, dict[str, dict]], dict[str, dict]]:
    try:
        return _read_tables(package)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ReleaseError(f"{package} is not a readable dipdata package: {error}") from None


def _read_tables(package: Path) -> tuple[str, dict[str, dict[str, dict]], dict[str, dict]]:
    descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
    tables, fields = {}, {}
    for resource in descriptor["resources"]:
        if resource.get("format") == "json" and resource["name"].endswith("-json"):
            table = resource["name"][: -len("-json")]
            records = json.loads((package / resource["path"]).read_text("utf-8"))
            tables[table] = {r["id"]: r for r in records}
        if resource.get("format") == "csv":
            for spec in resource["schema"]["fields"]:
                fields[f"{resource['name']}.{spec['name']}"] = spec["type"]
    return descriptor["version"], tables, fields


def diff(old: Path | str, new: Path | str, root: Path | str = ".") -> Diff:
    """What changed between two releases: zips, package folders, or versions (git tags such
    as ``v0.1.0`` or ``0.1.0``, and any git revision, read from the repository at ``root``)."""
    with tempfile.TemporaryDirectory(prefix="dipdata-diff-") as scratch:
        old_path = _resolve(Path(root), str(old), Path(scratch) / "old")
        new_path = _resolve(Path(root), str(new), Path(scratch) / "new")
        with opened(old_path) as old_dir, opened(new_path) as new_dir:
            old_version, old_tables, old_fields = _load_tables(old_dir)
            new_version, new_tables, new_fields = _load_tables(new_dir)
    tables = {}
    for name in sorted(set(old_tables) | set(new_tables)):
        before, after = old_tables.get(name, {}), new_tables.get(name, {})
        result = TableDiff(added=sorted(set(after) - set(before)),
                           removed=sorted(set(before) - set(after)))
        for rid in sorted(set(before) & set(after)):
            changes = {key: (before[rid].get(key), after[rid].get(key))
                       for key in sorted(set(before[rid]) | set(after[rid]))
                       if before[rid].get(key) != after[rid].get(key)}
            if changes:
                result.changed[rid] = changes
        tables[name] = result
    return Diff(old_version, new_version, tables,
                fields_added=sorted(set(new_fields) - set(old_fields)),
                fields_removed=sorted(set(old_fields) - set(new_fields)),
                fields_retyped=sorted(k for k in set(old_fields) & set(new_fields)
                                      if old_fields[k] != new_fields[k]))


# --- Release --------------------------------------------------------------------------------

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


def _resolve(root: Path, name: str, scratch: Path) -> Path:
    """A zip or folder as it is; otherwise a version or git revision, checked out to scratch."""
    if Path(name).exists():
        return Path(name)
    for revision in (f"v{name}", name) if re.fullmatch(r"\d+\.\d+\.\d+", name) else (name,):
        try:
            return _package_of_tag(root, revision, scratch)
        except (OSError, subprocess.CalledProcessError):
            continue
    raise ReleaseError(f"{name} is neither a release zip or folder nor a version or revision "
                       "of this repository")


def _package_of_tag(root: Path, tag: str, target: Path) -> Path:
    """The data package as it was at a git revision, written under ``target``."""
    listing = subprocess.run(["git", "-C", str(root), "ls-tree", "-r", "--name-only", tag,
                              "datapackage"], capture_output=True, text=True, check=True)
    if not listing.stdout.strip():
        raise OSError(f"no data package at {tag}")
    for name in listing.stdout.split():
        data = subprocess.run(["git", "-C", str(root), "show", f"{tag}:{name}"],
                              capture_output=True, check=True).stdout
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data)
    return target / "datapackage"


def release(root: Path | str = ".", out: Path | str = "dist",
            previous: Path | str | None = None) -> list[Path]:
    """Check the repository and write the release artifacts; returns their paths."""
    from . import __version__
    from .validate import validate

    root, out = Path(root), Path(out)
    report = validate(root)
    if not report.valid:
        raise ReleaseError("the repository does not validate (run `dipdata validate`):\n"
                           + report.render())
    changelog = (root / "CHANGELOG.md").read_text("utf-8")
    day = changelog_date(changelog, __version__)
    with tempfile.TemporaryDirectory(prefix="dipdata-previous-") as scratch:
        if previous is None and (tag := previous_release(root)) is not None:
            previous = _package_of_tag(root, tag, Path(scratch))
        if previous is not None:
            change = diff(previous, root / "datapackage")
            needed = change.required_bump
            made = bump_of(change.old_version, __version__)
            if BUMPS.index(made) < BUMPS.index(needed) or (needed != "none" and made == "none"):
                raise ReleaseError(f"version {__version__} is a {made} bump from "
                                   f"{change.old_version}, but the changes need a {needed} "
                                   "bump:\n" + change.as_text())

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch
              else datetime.datetime.combine(day, datetime.time(), datetime.timezone.utc))
    name = f"dipdata-{__version__}"
    files = {f"{name}/{p.relative_to(root / 'datapackage').as_posix()}": p.read_bytes()
             for p in sorted((root / "datapackage").rglob("*")) if p.is_file()}
    for extra in EXTRA_FILES:
        if (root / extra).is_file():
            files[f"{name}/{extra}"] = (root / extra).read_bytes()
    for schema in sorted((root / "schema").glob("*.json")):
        files[f"{name}/schema/{schema.name}"] = schema.read_bytes()

    staging = Path(tempfile.mkdtemp(prefix="dipdata-release-"))
    try:
        (staging / f"{name}-datapackage.zip").write_bytes(_zip_bytes(files, moment))
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(moment.timestamp()))}
        # No isolation: build with the installed hatchling, offline and reproducibly.
        built = subprocess.run([sys.executable, "-m", "build", "--sdist", "--wheel",
                                "--no-isolation", "--outdir", str(staging), str(root)],
                               capture_output=True, text=True, env=env)
        if built.returncode != 0:
            raise ReleaseError("building the wheel and sdist failed:\n" + built.stderr[-2000:])
        artifacts = sorted(p.name for p in staging.iterdir())
        (staging / CHECKSUMS).write_text(
            "".join(f"{sha256(staging / a)}  {a}\n" for a in artifacts), "utf-8")
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for artifact in artifacts + [CHECKSUMS]:
            os.replace(staging / artifact, out / artifact)
            written.append(out / artifact)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)

