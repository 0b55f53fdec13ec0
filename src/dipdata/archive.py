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


def package_dir(folder: Path) -> Path:
    """The data package in a folder: the folder itself when it holds `datapackage.json`, or
    the one folder inside it that does (as in a zip that wraps its files in a folder)."""
    if (folder / "datapackage.json").is_file():
        return folder
    inner = [p for p in folder.iterdir() if not p.name.startswith(".")]
    if len(inner) == 1 and (inner[0] / "datapackage.json").is_file():
        return inner[0]
    raise ReleaseError(f"{folder} is not a data package: it has no datapackage.json")


class opened:
    """A context manager giving the package folder of a zip (extracted safely) or a folder."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._temporary: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> Path:
        if self.path.is_dir():
            if (self.path / "datapackage.json").is_file():
                return self.path
            raise ReleaseError(f"{self.path} is not a data package folder: it has no "
                               "datapackage.json")
        if not self.path.is_file():
            raise ReleaseError(f"{self.path} does not exist")
        with open(self.path, "rb") as handle:
            is_zip = handle.read(2) == b"PK"
        if not is_zip:
            raise ReleaseError(f"{self.path} is neither a release zip nor a data package "
                               "folder")
        self._temporary = temporary = tempfile.TemporaryDirectory(prefix="dipdata-")
        extract_safely(self.path, Path(temporary.name))
        try:
            return package_dir(Path(temporary.name))
        except ReleaseError:
            temporary.cleanup()
            raise ReleaseError(f"{self.path.name} holds no datapackage.json at its root") \
                from None

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


def check_package(package: Path, report: Report, label: str = "") -> int:
    """Sizes and hashes of every resource, the JSON resources against their JSON Schema;
    returns the number of records in the JSON resources."""
    try:
        descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
        resources = descriptor["resources"]
        if not isinstance(resources, list) or not all(isinstance(r, dict) and
                                                      isinstance(r.get("path"), str)
                                                      for r in resources):
            raise ValueError("'resources' must be a list of objects with a 'path'")
    except (OSError, ValueError, KeyError, TypeError) as error:
        report.add(Problem(f"{label}datapackage.json", code="bad-descriptor",
                           message=f"not a readable data package descriptor: {error}"))
        return 0
    records = 0
    for resource in resources:
        where = f"{label}{resource['path']}"
        try:
            records += _check_resource(package, resource, where, report)
        except (OSError, ValueError, KeyError, TypeError) as error:
            report.add(Problem(where, code="bad-resource", message=f"cannot be checked: {error}"))
    return records


def _check_resource(package: Path, resource: dict[str, Any], where: str, report: Report) -> int:
    """A resource's size and hash; a JSON resource against its JSON Schema (which describes
    the whole file, an array of records). Returns the number of records it holds."""
    import jsonschema_rs

    relative = resource["path"]
    path = package / relative
    if ".." in PurePosixPath(relative).parts or relative.startswith("/") or not path.is_file():
        report.add(Problem(where, code="missing-file", message="the resource's file is missing"))
        return 0
    data = path.read_bytes()
    if resource.get("bytes") != len(data):
        report.add(Problem(where, code="bytes-mismatch", message=(
            f"{len(data)} bytes, but datapackage.json says {resource.get('bytes')}")))
    if resource.get("hash") != "sha256:" + hashlib.sha256(data).hexdigest():
        report.add(Problem(where, code="hash-mismatch", message=(
            "its sha256 differs from datapackage.json: the file was changed")))
    schema_path = resource.get("jsonSchema")
    if not schema_path:
        return 0
    if ".." in PurePosixPath(schema_path).parts or schema_path.startswith("/"):
        raise ValueError(f"jsonSchema {schema_path!r} points outside the package")
    schema = json.loads((package / schema_path).read_text("utf-8"))
    validator = jsonschema_rs.validator_for(schema, validate_formats=True)
    records = json.loads(data)
    for error in validator.iter_errors(records):
        steps = list(error.instance_path)
        index = steps[0] if steps and isinstance(steps[0], int) else None
        record = records[index] if index is not None else None
        name = record.get("id", index) if isinstance(record, dict) else index
        report.add(Problem(where, code="schema", record="-" if name is None else str(name),
                           field="/".join(map(str, steps[1:])) or "-", message=error.message))
    return len(records) if isinstance(records, list) else 0


def verify(path: Path | str) -> Report:
    """Verify a release: a zip, a package folder, or a folder of artifacts with SHA256SUMS.
    The report's subject names what was verified, and counts the records seen."""
    path = Path(path)
    report = Report(subject=str(path))
    if not path.exists():
        report.add(Problem(str(path), code="missing-file", message="no such file or folder"))
        return report
    targets = [path]
    if path.is_dir() and (path / CHECKSUMS).is_file():
        check_checksums(path, report)
        targets = sorted(path.glob("*-datapackage.zip"))
        if not targets:
            report.add(Problem(str(path), code="missing-file",
                               message="no *-datapackage.zip beside SHA256SUMS"))
    elif path.is_dir() and not (path / "datapackage.json").is_file():
        report.add(Problem(str(path), code="not-a-package", message=(
            "not a data package folder (no datapackage.json) nor a folder of release "
            "artifacts (no SHA256SUMS)")))
        return report
    for target in targets:
        label = f"{target.name}!" if target.is_file() else ""
        try:
            with opened(target) as package:
                report.records_checked += check_package(package, report, label)
                if report.valid:
                    _frictionless(package, report, label)
        except ReleaseError as error:
            report.add(Problem(target.name, code="unsafe-archive" if str(error).startswith(
                "refused") else "bad-archive", message=str(error)))
    return report


def _frictionless(package: Path, report: Report, label: str) -> None:
    from frictionless import FrictionlessException, Package

    try:
        result = Package(str(package / "datapackage.json")).validate()
    except FrictionlessException as error:
        report.add(Problem(f"{label}datapackage.json", code="frictionless", message=str(error)))
        return
    for task in result.tasks:
        for issue in task.errors:
            report.add(Problem(f"{label}{task.place}", getattr(issue, "row_number", 0) or 0,
                               code=issue.type, field=getattr(issue, "field_name", "-") or "-",
                               message=issue.message))
    for issue in result.errors:
        report.add(Problem(f"{label}datapackage.json", code=issue.type, message=issue.message))
