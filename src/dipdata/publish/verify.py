"""Verifying a release: checksums, every resource's size and hash, the JSON resources
against their JSON Schema, and Frictionless validation."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path, PurePosixPath
from typing import Any

from ..base.archives import CHECKSUMS, ReleaseError, opened, sha256
from ..base.problems import Problem, Report
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
                if report.valid and target.is_file() and path.is_dir():
                    _formats(package, path, report)
        except ReleaseError as error:
            report.add(Problem(target.name, code="unsafe-archive" if str(error).startswith(
                "refused") else "bad-archive", message=str(error)))
    return report


def _formats(package: Path, folder: Path, report: Report) -> None:
    """The release's SQLite database and Parquet files hold what its CSV tables hold."""
    from .formats import check_release_formats

    try:
        found = check_release_formats(package, folder)
    except ImportError as error:
        report.add(Problem(folder.name, code="cannot-compare", message=(
            f"the Parquet files cannot be read without {error.name}: "
            'pip install "dipdata[parquet]"')))
        return
    for artifact, difference in found:
        report.add(Problem(artifact, code="formats-differ", message=difference))


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
