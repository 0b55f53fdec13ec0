"""The dataset's metadata: the descriptor's header, schema.org JSON-LD and CITATION.cff."""

from __future__ import annotations

import json
from typing import Any

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
