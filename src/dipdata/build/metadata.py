"""The dataset's metadata: the descriptor's header, schema.org JSON-LD and CITATION.cff.

The repository's address comes from one place, `[project.urls]` in `pyproject.toml`; the
release date from the version's section in `CHANGELOG.md`.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from .. import __version__
from ..base.paths import CHANGELOG

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


def schema_org(root: Path, descriptor: dict[str, Any],
               extra_downloads: tuple[tuple[str, str], ...] = ()) -> dict[str, Any]:
    """schema.org `Dataset` JSON-LD for dataset search engines (Google's Dataset fields)."""
    urls = project_urls(root)
    version = descriptor["version"]
    zip_name = f"dipdata-{version}-datapackage.zip"
    raw = f"{urls['Repository']}/raw/v{version}/datapackage"
    downloads = [{"@type": "DataDownload", "name": zip_name, "encodingFormat": "application/zip",
                  "contentUrl": release_asset_url(urls, zip_name, version)}]
    downloads += [{"@type": "DataDownload", "name": name, "encodingFormat": mediatype,
                   "contentUrl": release_asset_url(urls, name, version)}
                  for name, mediatype in extra_downloads]
    downloads += [{"@type": "DataDownload", "name": r["name"], "encodingFormat": r["mediatype"],
                   "contentUrl": f"{raw}/{r['path']}", "contentSize": f"{r['bytes']} B"}
                  for r in descriptor["resources"]]
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
        "isBasedOn": [{"@type": "CreativeWork", "name": s["title"], "url": s["path"]}
                      for s in descriptor["sources"]],
        "distribution": downloads,
    }


def citation(root: Path, descriptor: dict[str, Any]) -> str:
    """CITATION.cff (Citation File Format 1.2.0) for the dataset."""
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
