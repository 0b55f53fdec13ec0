"""Releases: checks, reproducible archives and checksums; verify; diff between versions."""

from __future__ import annotations

import datetime
import hashlib
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
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .problems import Problem, Report

CHECKSUMS = "SHA256SUMS"
MAX_MEMBERS = 2_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, per member
# Files of the repository that go into the release archive beside the data package.
EXTRA_FILES = ("README.md", "CHANGELOG.md", "LICENSE", "CITATION.cff")
RECORD_TABLES = ("sources", "actors", "events", "outcomes", "positions", "aggregates",
                 "commentary")
BUMPS = ("none", "patch", "minor", "major")


class ReleaseError(Exception):
    """A release, verification or diff that cannot go on; the message says why."""


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


# --- Reading packages safely --------------------------------------------------------------

def _check_member(info: zipfile.ZipInfo, seen: set[str]) -> None:
    name = info.filename
    path = PurePosixPath(name)
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or "\\" in name:
        raise ReleaseError(f"refused: member {name!r} has an absolute path")
    if ".." in path.parts:
        raise ReleaseError(f"refused: member {name!r} climbs out of the archive with '..'")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise ReleaseError(f"refused: member {name!r} is a symbolic link")
    if name in seen:
        raise ReleaseError(f"refused: member {name!r} appears twice")
    seen.add(name)
    if info.file_size > MAX_MEMBER_BYTES:
        raise ReleaseError(f"refused: member {name!r} is {info.file_size} bytes, over the "
                           f"{MAX_MEMBER_BYTES}-byte limit")
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
        raise ReleaseError(f"refused: member {name!r} expands {info.file_size // info.compress_size}"
                           f" times, over the limit of {MAX_RATIO} (a zip bomb?)")


def extract_safely(archive: Path, target: Path) -> None:
    """Extract a zip into ``target``, refusing anything that could escape or explode."""
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            if len(members) > MAX_MEMBERS:
                raise ReleaseError(f"refused: {len(members)} members, over the limit of "
                                   f"{MAX_MEMBERS}")
            seen: set[str] = set()
            for info in members:
                _check_member(info, seen)
            if sum(info.file_size for info in members) > MAX_TOTAL_BYTES:
                raise ReleaseError("refused: the archive expands beyond "
                                   f"{MAX_TOTAL_BYTES} bytes")
            for info in members:
                destination = target.joinpath(*PurePosixPath(info.filename).parts)
                if info.is_dir():
                    destination.mkdir(parents=True, exist_ok=True)
                    continue
                destination.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as source, open(destination, "wb") as sink:
                    written = 0
                    while chunk := source.read(1 << 16):
                        written += len(chunk)
                        if written > info.file_size:  # the header lied about the size
                            raise ReleaseError(f"refused: member {info.filename!r} is larger "
                                               "than its header says")
                        sink.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error, ValueError,
            NotImplementedError) as error:
        raise ReleaseError(f"{archive.name} is not a readable zip archive ({error}): it is "
                           "damaged or was changed") from None


def _package_dir(folder: Path) -> Path:
    found = sorted(folder.rglob("datapackage.json"), key=lambda p: len(p.parts))
    if not found:
        raise ReleaseError(f"{folder} holds no datapackage.json")
    return found[0].parent


class opened:
    """A context manager giving the package folder of a zip (extracted safely) or a folder."""

    def __init__(self, path: Path):
        self.path, self._temporary = Path(path), None

    def __enter__(self) -> Path:
        if self.path.is_dir():
            return _package_dir(self.path)
        if not self.path.is_file():
            raise ReleaseError(f"{self.path} does not exist")
        self._temporary = tempfile.TemporaryDirectory(prefix="dipdata-")
        extract_safely(self.path, Path(self._temporary.name))
        return _package_dir(Path(self._temporary.name))

    def __exit__(self, *exc: Any) -> None:
        if self._temporary is not None:
            self._temporary.cleanup()


# --- Verify ---------------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def check_checksums(folder: Path, report: Report) -> None:
    sums = folder / CHECKSUMS
    for number, line in enumerate(sums.read_text("utf-8").splitlines(), start=1):
        match = re.fullmatch(r"([0-9a-f]{64}) [ *](.+)", line)
        if not match:
            report.add(Problem(CHECKSUMS, number, 1, "bad-checksum-line", "-", "-",
                               "not a 'sha256  file' line"))
            continue
        name = match.group(2)
        target = folder / name
        if "/" in name or name.startswith(".") or not target.is_file():
            report.add(Problem(CHECKSUMS, number, 1, "missing-file", "-", "-",
                               f"{name} is listed but not present"))
        elif _sha256(target) != match.group(1):
            report.add(Problem(name, 0, 0, "checksum-mismatch", "-", "-",
                               f"its sha256 differs from {CHECKSUMS}: the file was changed"))


def check_package(package: Path, report: Report, label: str = "") -> None:
    """Sizes and hashes of every resource, the JSON resources against their JSON Schema."""
    try:
        descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
        resources = descriptor["resources"]
        if not isinstance(resources, list) or not all(isinstance(r, dict) and
                                                      isinstance(r.get("path"), str)
                                                      for r in resources):
            raise ValueError("'resources' must be a list of objects with a 'path'")
    except (OSError, ValueError, KeyError, TypeError) as error:
        report.add(Problem(f"{label}datapackage.json", 0, 0, "bad-descriptor", "-", "-",
                           f"not a readable data package descriptor: {error}"))
        return
    for resource in resources:
        where = f"{label}{resource['path']}"
        try:
            _check_resource(package, resource, where, report)
        except (OSError, ValueError, KeyError, TypeError) as error:
            report.add(Problem(where, 0, 0, "bad-resource", "-", "-",
                               f"cannot be checked: {error}"))


def _check_resource(package: Path, resource: dict[str, Any], where: str, report: Report) -> None:
    import jsonschema_rs

    relative = resource["path"]
    path = package / relative
    if ".." in PurePosixPath(relative).parts or relative.startswith("/") or not path.is_file():
        report.add(Problem(where, 0, 0, "missing-file", "-", "-", "the resource's file is missing"))
        return
    data = path.read_bytes()
    if resource.get("bytes") != len(data):
        report.add(Problem(where, 0, 0, "bytes-mismatch", "-", "-",
                           f"{len(data)} bytes, but datapackage.json says {resource.get('bytes')}"))
    if resource.get("hash") != "sha256:" + hashlib.sha256(data).hexdigest():
        report.add(Problem(where, 0, 0, "hash-mismatch", "-", "-",
                           "its sha256 differs from datapackage.json: the file was changed"))
    schema_path = resource.get("jsonSchema")
    if not schema_path:
        return
    if ".." in PurePosixPath(schema_path).parts or schema_path.startswith("/"):
        raise ValueError(f"jsonSchema {schema_path!r} points outside the package")
    schema = json.loads((package / schema_path).read_text("utf-8"))
    validator = jsonschema_rs.validator_for(schema, validate_formats=True)
    records = json.loads(data)
    for index, record in enumerate(records if isinstance(records, list) else [records]):
        for error in validator.iter_errors(record):
            name = record.get("id", index) if isinstance(record, dict) else index
            report.add(Problem(where, 0, 0, "schema", str(name),
                               "/".join(map(str, error.instance_path)) or "-", error.message))


def verify(path: Path | str) -> Report:
    """Verify a release: a zip, a package folder, or a folder of artifacts with SHA256SUMS."""
    path = Path(path)
    report = Report()
    zips = [path] if path.is_file() else []
    if path.is_dir() and (path / CHECKSUMS).is_file():
        check_checksums(path, report)
        zips = sorted(path.glob("*-datapackage.zip"))
        if not zips:
            report.add(Problem(str(path), 0, 0, "missing-file", "-", "-",
                               "no *-datapackage.zip beside SHA256SUMS"))
    targets = zips or [path]
    for target in targets:
        label = f"{target.name}!" if target.is_file() else ""
        try:
            with opened(target) as package:
                check_package(package, report, label)
                if report.valid:
                    _frictionless(package, report, label)
        except ReleaseError as error:
            report.add(Problem(target.name, 0, 0, "unsafe-archive"
                               if str(error).startswith("refused") else "bad-archive",
                               "-", "-", str(error)))
    return report


def _frictionless(package: Path, report: Report, label: str) -> None:
    from frictionless import FrictionlessException, Package

    try:
        result = Package(str(package / "datapackage.json")).validate()
    except FrictionlessException as error:
        report.add(Problem(f"{label}datapackage.json", 0, 0, "frictionless", "-", "-",
                           str(error)))
        return
    for task in result.tasks:
        for error in task.errors:
            report.add(Problem(f"{label}{task.place}", getattr(error, "row_number", 0) or 0, 0,
                               error.type, "-", getattr(error, "field_name", "-") or "-",
                               error.message))
    for error in result.errors:
        report.add(Problem(f"{label}datapackage.json", 0, 0, error.type, "-", "-",
                           error.message))


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


def diff(old: Path | str, new: Path | str) -> Diff:
    """What changed between two releases (zips or package folders)."""
    with opened(Path(old)) as old_dir, opened(Path(new)) as new_dir:
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


def _package_of_tag(root: Path, tag: str, target: Path) -> Path:
    listing = subprocess.run(["git", "-C", str(root), "ls-tree", "-r", "--name-only", tag,
                              "datapackage"], capture_output=True, text=True, check=True)
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
            "".join(f"{_sha256(staging / a)}  {a}\n" for a in artifacts), "utf-8")
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for artifact in artifacts + [CHECKSUMS]:
            os.replace(staging / artifact, out / artifact)
            written.append(out / artifact)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)

