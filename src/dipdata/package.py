"""Writes and checks `datapackage/` and `schema/`: deterministic, atomic, drift-checked.

Every generated file is produced in memory first, as bytes. Writing swaps the new folder in
whole, so a failed build leaves the old package untouched; checking compares the bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import orjson

from . import __version__
from .docs import dataset_section, replace_section
from .source import REVIEW_ID, review_path
from .tables import Table, build_tables, normalize
from .problems import Problem, Report
from .validate import SCHEMA_DIR, TABLES, Checked, check_records

PACKAGE_DIR = "datapackage"
README = "README.md"
CITATION = "CITATION.cff"
NAME = "china-head-of-state-diplomacy-2023"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
TITLE = "China's head-of-state diplomacy in 2023"
DESCRIPTION = (
    "Every visit, summit, meeting, outcome and position named in the Chinese Foreign Ministry "
    "spokesperson's review of China's head-of-state diplomacy in 2023 (29 December 2023), as "
    "hand-curated records: each checked against official readouts, citing its sources by URL, "
    "and linked to the exact words of the review that speak of it."
)
KEYWORDS = ["China", "diplomacy", "head-of-state diplomacy", "Xi Jinping", "2023",
            "foreign policy", "events", "PLOVER"]
DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "title": ("Creative Commons Attribution 4.0 for the curated records. The text of the review "
              "(source/) is the work of the Ministry of Foreign Affairs of the People's Republic "
              "of China; its rights stay with its publisher, and it is included only so that "
              "every quote can be checked."),
}


def generated_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schemas, freshly generated from the models."""
    from .models import json_schema

    return {table: json_schema(table) for table in TABLES}


def _json_bytes(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n"


def _csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows)  # None is written as an empty cell
    return buffer.getvalue().encode()


def _resource(name: str, path: str, data: bytes, **properties: Any) -> dict[str, Any]:
    return {"name": name, "path": path, **properties, "bytes": len(data),
            "hash": "sha256:" + hashlib.sha256(data).hexdigest()}


def render(root: Path, checked: Checked) -> dict[str, bytes]:
    """Every generated file, by path relative to ``root``, as bytes."""
    schemas = generated_schemas()
    files: dict[str, bytes] = {}
    for table, schema in schemas.items():
        files[f"{SCHEMA_DIR}/{table}.schema.json"] = _json_bytes(schema)

    records = {table: sorted((normalize(r, schemas[table]) for r in rows),
                             key=lambda r: r["id"])
               for table, rows in checked.records.items()}
    from .models import REFERENCES

    tables = build_tables(records, schemas, REFERENCES, checked.sentences, checked.sentence_of)
    resources: list[dict[str, Any]] = []
    package: dict[str, bytes] = {}
    for name, table in tables.items():
        data = _csv_bytes(table)
        package[f"data/{name}.csv"] = data
        resources.append(_resource(name, f"data/{name}.csv", data, type="table",
                                   title=name.replace("_", " ").capitalize(),
                                   description=table.description, format="csv",
                                   mediatype="text/csv", encoding="utf-8",
                                   schema=table.schema))
    for table in TABLES:
        schema_path = f"schema/{table}.schema.json"
        package[schema_path] = files[f"{SCHEMA_DIR}/{table}.schema.json"]
        data = _json_bytes(records[table])
        package[f"data/{table}.json"] = data
        resources.append(_resource(
            f"{table}-json", f"data/{table}.json", data, type="json",
            title=f"{table.capitalize()} (records as curated)",
            description=(f"The {table} records as curated, nested lists included; described by "
                         f"the JSON Schema {schema_path}."),
            format="json", mediatype="application/json", encoding="utf-8",
            jsonSchema=schema_path))
    text = review_path(root).read_bytes()
    review = next(r for r in records["sources"] if r["id"] == REVIEW_ID)
    package[f"source/{REVIEW_ID}.txt"] = text
    resources.append(_resource(
        "review-text", f"source/{REVIEW_ID}.txt", text, type="text",
        title=review["title"],
        description=("The review's text exactly as received; mentions give character offsets "
                     "(Unicode code points, from 0) into it."),
        format="txt", mediatype="text/plain", encoding="utf-8",
        sources=[{"title": review["title"], "path": review["url"]}],
        licenses=[{"name": "other-closed", "title": (
            f"Copyright {review['publisher']}; included for verification of quotes only.")}]))

    descriptor = {
        "$schema": PROFILE,
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": __version__,
        "licenses": [DATA_LICENSE],
        "sources": [{"title": review["title"], "path": review["url"]}],
        "contributors": [{"title": "dipdata contributors", "roles": ["creator"]}],
        "keywords": KEYWORDS,
        "resources": resources,
    }
    package["datapackage.json"] = _json_bytes(descriptor)
    package["dataset.jsonld"] = _json_bytes(schema_org(descriptor))
    files[CITATION] = citation(descriptor).encode()
    for path, data in package.items():
        files[f"{PACKAGE_DIR}/{path}"] = data
    readme = root / README
    if readme.is_file():
        section = dataset_section(tables, records)
        files[README] = replace_section(readme.read_text("utf-8"), section).encode()
    return files


def schema_org(descriptor: dict[str, Any]) -> dict[str, Any]:
    """schema.org `Dataset` JSON-LD for dataset search engines, from the package metadata."""
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": descriptor["title"],
        "alternateName": descriptor["name"],
        "description": descriptor["description"],
        "version": descriptor["version"],
        "keywords": descriptor["keywords"],
        "license": {"@type": "CreativeWork", "name": descriptor["licenses"][0]["name"],
                    "description": descriptor["licenses"][0]["title"]},
        "creator": {"@type": "Organization", "name": descriptor["contributors"][0]["title"]},
        "temporalCoverage": "2023",
        "isBasedOn": [{"@type": "CreativeWork", "name": s["title"], "url": s["path"]}
                      for s in descriptor["sources"]],
        "distribution": [{"@type": "DataDownload", "name": r["name"],
                          "encodingFormat": r["mediatype"], "contentUrl": r["path"],
                          "contentSize": f"{r['bytes']} B"}
                         for r in descriptor["resources"]],
    }


def citation(descriptor: dict[str, Any]) -> str:
    """CITATION.cff (Citation File Format 1.2.0) for the dataset."""
    keywords = "".join(f"  - {json.dumps(k, ensure_ascii=False)}\n" for k in descriptor["keywords"])
    return (
        "# Written by `dipdata build` from the package metadata; do not edit.\n"
        "cff-version: 1.2.0\n"
        "message: If you use this dataset, please cite it as below.\n"
        "type: dataset\n"
        f"title: {json.dumps(descriptor['title'], ensure_ascii=False)}\n"
        f"version: {descriptor['version']}\n"
        f"abstract: {json.dumps(descriptor['description'], ensure_ascii=False)}\n"
        "authors:\n"
        f"  - name: {json.dumps(descriptor['contributors'][0]['title'])}\n"
        f"license: {descriptor['licenses'][0]['name']}\n"
        f"keywords:\n{keywords}"
    )


def stale_files(root: Path, checked: Checked) -> list[tuple[str, str]]:
    """Generated files that differ from what the records produce: (path, message)."""
    expected = render(root, checked)
    problems = []
    for directory in (PACKAGE_DIR, SCHEMA_DIR):
        present = {p.relative_to(root).as_posix() for p in (root / directory).rglob("*")
                   if p.is_file()} if (root / directory).is_dir() else set()
        wanted = {p for p in expected if p.startswith(directory + "/")}
        for path in sorted(wanted - present):
            problems.append((path, "is missing; run `dipdata build`"))
        for path in sorted(present - wanted):
            problems.append((path, "is not produced by the records; run `dipdata build`"))
        for path in sorted(wanted & present):
            if (root / path).read_bytes() != expected[path]:
                problems.append((path, "differs from what the records produce; "
                                       "run `dipdata build`"))
    for path in (README, CITATION):
        if path in expected and (not (root / path).is_file()
                                 or (root / path).read_bytes() != expected[path]):
            problems.append((path, "is stale or missing; run `dipdata build`"))
    return problems


def package_problems(root: Path, checked: Checked) -> list[tuple[str, str]]:
    """The committed package checked against the valid records, cheaply: generated schemas,
    every resource's size and sha256, and JSON resources holding exactly the records.

    `stale_files` compares every generated byte instead; `dipdata build --check` uses it.
    """
    problems = []
    schemas = generated_schemas()
    for table, schema in schemas.items():
        path = f"{SCHEMA_DIR}/{table}.schema.json"
        if not (root / path).is_file() or (root / path).read_bytes() != _json_bytes(schema):
            problems.append((path, "differs from the models; run `dipdata build`"))
    package = root / PACKAGE_DIR
    try:
        descriptor = orjson.loads((package / "datapackage.json").read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return problems + [(f"{PACKAGE_DIR}/datapackage.json",
                            "is missing or unreadable; run `dipdata build`")]
    if descriptor.get("version") != __version__:
        problems.append((f"{PACKAGE_DIR}/datapackage.json",
                         f"version {descriptor.get('version')!r} is not {__version__}; "
                         "run `dipdata build`"))
    resources = {r.get("name"): r for r in descriptor.get("resources", [])}
    for resource in resources.values():
        path = package / resource.get("path", "")
        where = f"{PACKAGE_DIR}/{resource.get('path')}"
        if not path.is_file():
            problems.append((where, "is missing; run `dipdata build`"))
            continue
        data = path.read_bytes()
        if len(data) != resource.get("bytes") or \
                "sha256:" + hashlib.sha256(data).hexdigest() != resource.get("hash"):
            problems.append((where, "does not match its size or hash in datapackage.json; "
                                    "run `dipdata build`"))
        elif resource.get("jsonSchema"):
            table = resource["name"].removesuffix("-json")
            rows = sorted((normalize(r, schemas[table]) for r in checked.records.get(table, [])),
                          key=lambda r: r["id"])
            if data != _json_bytes(rows):
                problems.append((where, "does not hold the records as they are; "
                                        "run `dipdata build`"))
    for table in TABLES:
        if f"{table}-json" not in resources:
            problems.append((f"{PACKAGE_DIR}/data/{table}.json", "is missing; run `dipdata build`"))
    cff = root / CITATION
    if not cff.is_file() or cff.read_bytes() != citation(descriptor).encode():
        problems.append((CITATION, "is stale or missing; run `dipdata build`"))
    return problems


def check(root: Path | str = ".") -> Report:
    """Validate the records, then compare every generated file with what they produce."""
    root = Path(root)
    checked = check_records(root, schemas=generated_schemas())
    if checked.report.valid:
        for path, message in stale_files(root, checked):
            checked.report.add(Problem(path, 0, 0, "stale-package", "-", "-", message))
    return checked.report


def build(root: Path | str = ".") -> Checked:
    """Validate the records and, when they are valid, write `schema/` and `datapackage/`.

    Returns what validation found; nothing is written when it found problems.
    """
    root = Path(root)
    checked = check_records(root, schemas=generated_schemas())
    if checked.report.valid:
        files = render(root, checked)
        for directory in (SCHEMA_DIR, PACKAGE_DIR):
            _swap_in(root, directory, {p[len(directory) + 1:]: data for p, data in files.items()
                                       if p.startswith(directory + "/")})
        for path in (README, CITATION):
            if path in files:
                staged = root / f".{path}.tmp"
                staged.write_bytes(files[path])
                os.replace(staged, root / path)
    return checked


def _swap_in(root: Path, directory: str, files: dict[str, bytes]) -> None:
    """Write ``files`` into a new folder beside ``directory``, then swap it in."""
    target = root / directory
    staging = Path(tempfile.mkdtemp(prefix=f".{directory}-", dir=root))
    try:
        for path, data in files.items():
            destination = staging / path
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(data)
        staging.chmod(0o755)
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{directory}-old-", dir=root))
            os.rename(target, old / "old")
        os.rename(staging, target)
        if old is not None:
            shutil.rmtree(old)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
