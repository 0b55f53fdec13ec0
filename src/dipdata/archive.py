"""Reading release archives and packages safely, and verifying them."""

from __future__ import annotations

import hashlib
import json
import re
import stat
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Any

from .problems import Problem, Report

CHECKSUMS = "SHA256SUMS"
MAX_MEMBERS = 2_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, per member


class ReleaseError(Exception):
    """A release, verification or diff that cannot go on; the message says why."""


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

def sha256(path: Path) -> str:
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
        elif sha256(target) != match.group(1):
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
