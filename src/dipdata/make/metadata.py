"""The dataset's metadata: the descriptor's header, schema.org JSON-LD and CITATION.cff.

The repository's address comes from one place, `[project.urls]` in `pyproject.toml`; the
release date from the version's section in `CHANGELOG.md`.
"""

from __future__ import annotations

import hashlib

import json
import re
import sys
from pathlib import Path
from typing import Any

from .. import __version__
from ..base.paths import CHANGELOG
from ..model.source import REVIEW_ID

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

NAME = "china-head-of-state-diplomacy-2023"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
TITLE = "China's head-of-state diplomacy in 2023"
DESCRIPTION = (
    "Every visit, summit, meeting, outcome and position in the Chinese Foreign Ministry "
    "spokesperson's review of China's head-of-state diplomacy in 2023 (29 December 2023), and "
    "every meeting, talks and call of President Xi Jinping with foreign leaders that the "
    "review's summaries stand for, as hand-curated records: each checked against official "
    "readouts, citing its sources by URL, and linked to the exact words of the review."
)
KEYWORDS = ["China", "diplomacy", "head-of-state diplomacy", "Xi Jinping", "2023",
            "foreign policy", "events", "PLOVER"]
DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": ("Creative Commons Attribution 4.0 for the curated records. The text of the review "
              "(source/) is the work of the Ministry of Foreign Affairs of the People's Republic "
              "of China; its rights stay with its publisher, and it is included only so that "
              "every quote can be checked."),
}
CREATOR = "dipdata contributors"
REVIEW_PUBLISHER = "Ministry of Foreign Affairs of the People's Republic of China"
#: The review's own terms: not the curated records' licence.
REVIEW_TERMS = (f"The review's text is the work of the {REVIEW_PUBLISHER}, whose rights it "
                "stays; the dataset includes it only so that every quote can be checked. "
                "The CC-BY-4.0 licence covers the curated records, not this text.")


def project_urls(root: Path) -> dict[str, str]:
    """`[project.urls]` of the repository's `pyproject.toml`."""
    with open(root / "pyproject.toml", "rb") as handle:
        return dict(tomllib.load(handle)["project"]["urls"])


def release_date(root: Path, version: str = __version__) -> str | None:
    """The date of the version's section in CHANGELOG.md (`## [X.Y.Z] - YYYY-MM-DD`)."""
    path = root / CHANGELOG
    text = path.read_text("utf-8") if path.is_file() else ""
    match = re.search(rf"^## \[{re.escape(version)}\] - (\d{{4}}-\d{{2}}-\d{{2}})\s*$", text,
                      re.MULTILINE)
    return match.group(1) if match else None


def release_asset_url(urls: dict[str, str], name: str, version: str = __version__) -> str:
    """The download address of a release asset."""
    return f"{urls['Repository']}/releases/download/v{version}/{name}"


def descriptor_header(root: Path, review: dict[str, Any]) -> dict[str, Any]:
    """Everything in `datapackage.json` but its resources."""
    urls = project_urls(root)
    return {
        "$schema": PROFILE,
        "name": NAME,
        "id": urls["Homepage"],
        "title": TITLE,
        "description": DESCRIPTION,
        "homepage": urls["Homepage"],
        "version": __version__,
        "licenses": [DATA_LICENSE],
        "sources": [{"title": review["title"], "path": review["url"]}],
        "contributors": [{"title": CREATOR, "roles": ["creator"]}],
        "keywords": KEYWORDS,
    }


def release_assets(version: str) -> list[tuple[str, str, str]]:
    """(file name, media type, what it is) of each form of the data a release publishes."""
    return [
        (f"dipdata-{version}-datapackage.zip", "application/zip",
         "The data package: CSV tables, JSON records, descriptor"),
        (f"dipdata-{version}-sqlite.zip", "application/zip",
         "The tables as one SQLite database, with its Datasette metadata"),
        (f"dipdata-{version}-parquet.zip", "application/zip", "The tables as Parquet files"),
        (f"dipdata-{version}-py3-none-any.whl", "application/zip",
         "The Python package, with the data package inside (pip install)"),
    ]


def schema_org(root: Path, descriptor: dict[str, Any]) -> dict[str, Any]:
    """schema.org `Dataset` JSON-LD for dataset search engines (Google's Dataset fields)."""
    urls = project_urls(root)
    version = descriptor["version"]
    raw = f"{urls['Repository']}/raw/v{version}/datapackage"
    downloads: list[dict[str, Any]] = [
        {"@type": "DataDownload", "name": name, "description": what,
         "encodingFormat": mediatype, "contentUrl": release_asset_url(urls, name, version)}
        for name, mediatype, what in release_assets(version)]
    for resource in descriptor["resources"]:
        download = {"@type": "DataDownload", "name": resource["name"],
                    "encodingFormat": resource["mediatype"],
                    "contentUrl": f"{raw}/{resource['path']}",
                    "contentSize": f"{resource['bytes']} B"}
        for terms in resource.get("licenses", []):  # the review's text has its own terms
            download["copyrightNotice"] = terms["title"]
        downloads.append(download)
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": urls["Homepage"],
        "name": descriptor["title"],
        "alternateName": descriptor["name"],
        "description": descriptor["description"],
        "url": urls["Homepage"],
        "sameAs": urls["Repository"],
        "identifier": f"{urls['Repository']}/releases/tag/v{version}",
        "version": version,
        "keywords": descriptor["keywords"],
        "license": DATA_LICENSE["path"],
        "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "name": CREATOR, "url": urls["Repository"]},
        "temporalCoverage": "2023-01-01/2023-12-31",
        "spatialCoverage": {"@type": "Place", "name": "World"},
        "isBasedOn": [{"@type": "CreativeWork", "name": s["title"], "url": s["path"],
                       "copyrightHolder": {"@type": "Organization", "name": REVIEW_PUBLISHER},
                       "copyrightNotice": REVIEW_TERMS} for s in descriptor["sources"]],
        "distribution": downloads,
    }


def citation(root: Path, descriptor: dict[str, Any]) -> str:
    """CITATION.cff (Citation File Format 1.2.0) for the dataset.

    Written as text: every value is a JSON string, which is a valid YAML scalar, so no YAML
    library is needed at run time (cffconvert reads the result in a test)."""
    urls = project_urls(root)
    keywords = "".join(f"  - {json.dumps(k, ensure_ascii=False)}\n" for k in descriptor["keywords"])
    released = release_date(root, descriptor["version"])
    return (
        "# Written by `dipdata build` from the package metadata; do not edit.\n"
        "cff-version: 1.2.0\n"
        "message: If you use this dataset, please cite it as below.\n"
        "type: dataset\n"
        f"title: {json.dumps(descriptor['title'], ensure_ascii=False)}\n"
        f"version: {descriptor['version']}\n"
        + (f"date-released: {released}\n" if released else "")
        + f"abstract: {json.dumps(descriptor['description'], ensure_ascii=False)}\n"
        "authors:\n"
        f"  - name: {json.dumps(CREATOR)}\n"
        f"repository-code: {json.dumps(urls['Repository'])}\n"
        f"url: {json.dumps(urls['Homepage'])}\n"
        f"license: {descriptor['licenses'][0]['name']}\n"
        f"keywords:\n{keywords}"
    )


def bibtex_key(version: str) -> str:
    """A stable BibTeX key naming the dataset and its version, e.g. `dipdata_2023_v1_1_0`."""
    return "dipdata_2023_v" + version.replace(".", "_")


def bibtex(root: Path, descriptor: dict[str, Any]) -> str:
    """CITATION.bib: the dataset as one BibTeX entry (biblatex's `version` field, and the
    version in `note` for BibTeX styles that know no `version`)."""
    urls = project_urls(root)
    version = descriptor["version"]
    year = (release_date(root, version) or "")[:4]
    fields = [("author", "{" + CREATOR + "}"), ("title", "{" + descriptor["title"] + "}"),
              ("year", year), ("version", version), ("note", f"Version {version}"),
              ("url", urls["Homepage"]), ("howpublished", urls["Repository"])]
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields if value)
    return ("% Written by `dipdata build` from the package metadata; do not edit.\n"
            f"@misc{{{bibtex_key(version)},\n{body}}}\n")


def zenodo(root: Path, descriptor: dict[str, Any]) -> dict[str, Any]:
    """.zenodo.json: what Zenodo records when it archives a GitHub release (creators,
    licence, version; it takes precedence over CITATION.cff there)."""
    urls = project_urls(root)
    version = descriptor["version"]
    record: dict[str, Any] = {
        "upload_type": "dataset",
        "title": descriptor["title"],
        "description": descriptor["description"],
        "version": version,
        "creators": [{"name": CREATOR}],
        "license": descriptor["licenses"][0]["name"].lower(),
        "keywords": descriptor["keywords"],
        "notes": DATA_LICENSE["title"],
        "related_identifiers": [
            {"identifier": urls["Repository"], "relation": "isSupplementTo", "scheme": "url"},
            *({"identifier": s["path"], "relation": "isDerivedFrom", "scheme": "url"}
              for s in descriptor["sources"])],
    }
    released = release_date(root, version)
    if released:
        record["publication_date"] = released
    return record


def text_resources(review: dict[str, Any], text: bytes,
                   texts: list[tuple[dict[str, Any], dict[str, Any], bytes]]) -> list[dict[str, Any]]:
    """The data package's resources of the review's texts: the English one the records
    were curated from (``text``), and each other text with its record and source."""
    found: list[dict[str, Any]] = []
    found.append({
        "name": "review-text", "path": f"source/{REVIEW_ID}.txt",
        "title": review["title"],
        "description": ("The review's text exactly as received; mentions give character "
                        "offsets (Unicode code points, from 0) into it."),
        "format": "txt", "mediatype": "text/plain", "encoding": "utf-8",
        "sources": [{"title": review["title"], "path": review["url"]}],
        "licenses": [{"name": "other-closed", "title": (
            f"Copyright {review['publisher']}; included for verification of quotes only.")}],
        "bytes": len(text), "hash": "sha256:" + hashlib.sha256(text).hexdigest()})
    for record, source, words in texts:
        title = source.get("title") or source["publisher"]
        found.append({
            "name": f"text-{record['id']}", "path": f"source/{source['id']}.txt",
            "title": f"The review in {record['language']}: {title}",
            "description": (f"The text `{record['id']}` of the review (see the `texts` "
                            "table); mentions with this `in_text` give character offsets "
                            "(Unicode code points, from 0) into it."
                            + ("" if record["complete"] else " Only part of the published "
                               "text could be read; the `texts` table's notes say which.")),
            "format": "txt", "mediatype": "text/plain", "encoding": "utf-8",
            "sources": [{"title": title, "path": source["url"]}],
            "licenses": [{"name": "other-closed", "title": (
                f"Copyright {source['publisher']}; included for verification of quotes "
                "only.")}],
            "bytes": len(words), "hash": "sha256:" + hashlib.sha256(words).hexdigest()})
    return found
