"""The dataset's metadata on a tiny repository made in the test (its own `pyproject.toml`
addresses and `CHANGELOG.md`): the release date, the descriptor's header, the schema.org
JSON-LD, CITATION.cff, CITATION.bib, .zenodo.json and the text resources, each expected
value written by hand."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from dipdata import __version__
from dipdata.make.metadata import (
    DATA_LICENSE,
    bibtex,
    bibtex_key,
    citation,
    descriptor_header,
    project_urls,
    release_asset_url,
    release_assets,
    release_date,
    schema_org,
    text_resources,
    zenodo,
)

HOME, REPO = "https://example.org/home/", "https://example.org/repo"
TERMS = ("The review's text is the work of the Ministry of Foreign Affairs of the People's "
         "Republic of China, whose rights it stays; the dataset includes it only so that every "
         "quote can be checked. The CC-BY-4.0 licence covers the curated records, not this text.")


def tiny_root(folder: Path, changelog: str | None = None) -> Path:
    """A repository with only its addresses and (unless None) a CHANGELOG.md."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[project.urls]\n'
        f'Homepage = "{HOME}"\nRepository = "{REPO}"\n', "utf-8")
    if changelog is not None:
        (folder / "CHANGELOG.md").write_text(changelog, "utf-8")
    return folder


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tiny_root(tmp_path / "repo", "# Changelog\n\n## [Unreleased]\n\n"
                     "## [9.8.7] - 2027-03-04\n\n- x\n\n## [9.8.6] - 2026-01-02\n")


def descriptor(version: str = "9.8.7") -> dict:
    """A descriptor as the writer makes it, reduced to what the metadata reads."""
    return {"name": "tiny", "title": 'A "tiny" dataset, été', "description": "Über data",
            "version": version, "keywords": ["one", "zwei ö"],
            "licenses": [{"name": "CC-BY-4.0"}],
            "sources": [{"title": "The review", "path": "https://example.org/review"}],
            "resources": [
                {"name": "events", "path": "data/events.csv", "mediatype": "text/csv",
                 "bytes": 12},
                {"name": "review-text", "path": "source/r.txt", "mediatype": "text/plain",
                 "bytes": 7, "licenses": [{"name": "other-closed", "title": "Its terms"}]}]}


def test_project_urls_are_read_from_pyproject(root):
    assert project_urls(root) == {"Homepage": HOME, "Repository": REPO}


def test_release_date_is_the_date_of_the_versions_own_heading(tmp_path):
    root = tiny_root(tmp_path, "## [1.0.1] - 2026-12-06\n"
                     "## [1x0x2] - 2020-01-01\n"  # a dot is a dot, not any character
                     "see ## [1.3.0] - 2020-01-01\n"  # a heading starts its line
                     "## [1.4.0] - 2027-01-02  \n"  # trailing blanks are allowed
                     "## [1.5.0] - 2027-01-03 (yanked)\n"
                     "## [1.6.0] - 2027-1-3\n"
                     f"## [{__version__}] - 2031-05-06\n"
                     "## [2.0.0] - 2032-07-08")  # the last line, without a newline
    assert release_date(root, "1.0.1") == "2026-12-06"
    assert release_date(root, "1.0.2") is None
    assert release_date(root, "1.3.0") is None
    assert release_date(root, "1.4.0") == "2027-01-02"
    assert release_date(root, "1.5.0") is None
    assert release_date(root, "1.6.0") is None
    assert release_date(root, "2.0.0") == "2032-07-08"
    assert release_date(root, "3.0.0") is None
    assert release_date(root) == "2031-05-06"  # the package's own version by default


def test_release_date_without_a_changelog_is_none(tmp_path):
    assert release_date(tiny_root(tmp_path), "1.0.0") is None


def test_release_assets_and_their_addresses():
    assert release_assets("2.0.1") == [
        ("dipdata-2.0.1-datapackage.zip", "application/zip",
         "The data package: CSV tables, JSON records, descriptor"),
        ("dipdata-2.0.1-sqlite.zip", "application/zip",
         "The tables as one SQLite database, with its Datasette metadata"),
        ("dipdata-2.0.1-parquet.zip", "application/zip", "The tables as Parquet files"),
        ("dipdata-2.0.1-py3-none-any.whl", "application/zip",
         "The Python package, with the data package inside (pip install)")]
    urls = {"Repository": REPO}
    assert release_asset_url(urls, "f.zip", "2.0.1") == \
        "https://example.org/repo/releases/download/v2.0.1/f.zip"
    assert release_asset_url(urls, "f.zip") == \
        f"https://example.org/repo/releases/download/v{__version__}/f.zip"


def test_descriptor_header(root):
    header = descriptor_header(root, {"title": "The review", "url": "https://example.org/r"})
    assert header == {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "china-head-of-state-diplomacy-2023",
        "id": HOME,
        "title": "China's head-of-state diplomacy in 2023",
        "description": header["description"],  # (the long text: checked below)
        "homepage": HOME,
        "version": __version__,
        "licenses": [{
            "name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0 for the curated records. The text of "
                     "the review (source/) is the work of the Ministry of Foreign Affairs of "
                     "the People's Republic of China; its rights stay with its publisher, and "
                     "it is included only so that every quote can be checked."}],
        "sources": [{"title": "The review", "path": "https://example.org/r"}],
        "contributors": [{"title": "dipdata contributors", "roles": ["creator"]}],
        "keywords": ["China", "diplomacy", "head-of-state diplomacy", "Xi Jinping", "2023",
                     "foreign policy", "events", "PLOVER"],
    }
    assert header["description"].startswith(
        "Every visit, summit, meeting, outcome and position in the Chinese Foreign Ministry "
        "spokesperson's review of China's head-of-state diplomacy in 2023 (29 December 2023)")
    assert header["description"].endswith("linked to the exact words of the review.")
    assert list(header) == ["$schema", "name", "id", "title", "description", "homepage",
                            "version", "licenses", "sources", "contributors", "keywords"]


def test_schema_org_dataset(root):
    def release(name: str, what: str) -> dict:
        return {"@type": "DataDownload", "name": name, "description": what,
                "encodingFormat": "application/zip",
                "contentUrl": f"https://example.org/repo/releases/download/v9.8.7/{name}"}

    raw = "https://example.org/repo/raw/v9.8.7/datapackage"
    assert schema_org(root, descriptor()) == {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": HOME,
        "name": 'A "tiny" dataset, été',
        "alternateName": "tiny",
        "description": "Über data",
        "url": HOME,
        "sameAs": REPO,
        "identifier": "https://example.org/repo/releases/tag/v9.8.7",
        "version": "9.8.7",
        "keywords": ["one", "zwei ö"],
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "name": "dipdata contributors", "url": REPO},
        "temporalCoverage": "2023-01-01/2023-12-31",
        "spatialCoverage": {"@type": "Place", "name": "World"},
        "isBasedOn": [{"@type": "CreativeWork", "name": "The review",
                       "url": "https://example.org/review",
                       "copyrightHolder": {"@type": "Organization", "name": "Ministry of "
                                           "Foreign Affairs of the People's Republic of China"},
                       "copyrightNotice": TERMS}],
        "distribution": [
            release("dipdata-9.8.7-datapackage.zip",
                    "The data package: CSV tables, JSON records, descriptor"),
            release("dipdata-9.8.7-sqlite.zip",
                    "The tables as one SQLite database, with its Datasette metadata"),
            release("dipdata-9.8.7-parquet.zip", "The tables as Parquet files"),
            release("dipdata-9.8.7-py3-none-any.whl",
                    "The Python package, with the data package inside (pip install)"),
            {"@type": "DataDownload", "name": "events", "encodingFormat": "text/csv",
             "contentUrl": f"{raw}/data/events.csv", "contentSize": "12 B"},
            {"@type": "DataDownload", "name": "review-text", "encodingFormat": "text/plain",
             "contentUrl": f"{raw}/source/r.txt", "contentSize": "7 B",
             "copyrightNotice": "Its terms"}],
    }


CFF_TOP = ("# Written by `dipdata build` from the package metadata; do not edit.\n"
           "cff-version: 1.2.0\n"
           "message: If you use this dataset, please cite it as below.\n"
           "type: dataset\n"
           'title: "A \\"tiny\\" dataset, été"\n')
CFF_REST = ('abstract: "Über data"\n'
            "authors:\n"
            '  - name: "dipdata contributors"\n'
            'repository-code: "https://example.org/repo"\n'
            'url: "https://example.org/home/"\n'
            "license: CC-BY-4.0\n"
            "keywords:\n"
            '  - "one"\n'
            '  - "zwei ö"\n')


def test_citation_cff(root):
    assert citation(root, descriptor()) == (
        CFF_TOP + "version: 9.8.7\ndate-released: 2027-03-04\n" + CFF_REST)


def test_citation_cff_of_a_version_not_yet_released_has_no_date(root):
    assert citation(root, descriptor("9.9.0")) == CFF_TOP + "version: 9.9.0\n" + CFF_REST


def test_bibtex():
    assert bibtex_key("1.10.0") == "dipdata_2023_v1_10_0"


def test_citation_bib(root):
    assert bibtex(root, descriptor()) == (
        "% Written by `dipdata build` from the package metadata; do not edit.\n"
        "@misc{dipdata_2023_v9_8_7,\n"
        "  author = {{dipdata contributors}},\n"
        '  title = {{A "tiny" dataset, été}},\n'
        "  year = {2027},\n"
        "  version = {9.8.7},\n"
        "  note = {Version 9.8.7},\n"
        "  url = {https://example.org/home/},\n"
        "  howpublished = {https://example.org/repo},\n"
        "}\n")


def test_citation_bib_of_a_version_not_yet_released_has_no_year(tmp_path):
    text = bibtex(tiny_root(tmp_path), descriptor("0.1.0"))
    assert text.splitlines()[1:4] == ["@misc{dipdata_2023_v0_1_0,",
                                      "  author = {{dipdata contributors}},",
                                      '  title = {{A "tiny" dataset, été}},']
    assert text.splitlines()[4] == "  version = {0.1.0},"
    assert "year" not in text


def test_zenodo(root):
    expected = {
        "upload_type": "dataset",
        "title": 'A "tiny" dataset, été',
        "description": "Über data",
        "version": "9.8.7",
        "creators": [{"name": "dipdata contributors"}],
        "license": "cc-by-4.0",
        "keywords": ["one", "zwei ö"],
        "notes": DATA_LICENSE["title"],
        "related_identifiers": [
            {"identifier": REPO, "relation": "isSupplementTo", "scheme": "url"},
            {"identifier": "https://example.org/review", "relation": "isDerivedFrom",
             "scheme": "url"}],
        "publication_date": "2027-03-04",
    }
    assert zenodo(root, descriptor()) == expected
    del expected["publication_date"]
    expected["version"] = "9.9.0"
    assert zenodo(root, descriptor("9.9.0")) == expected


def test_text_resources_of_the_review_and_its_other_texts():
    text = "Hello, world.\n".encode()
    zh, partial = "你好。".encode(), b"Hallo."
    review = {"title": "The review", "url": "https://example.org/r", "publisher": "The MFA"}
    texts = [({"id": "review-zh", "language": "zh-Hans", "complete": True},
              {"id": "src-zh", "title": "Chinese copy", "publisher": "Xinhua",
               "url": "https://example.org/zh"}, zh),
             ({"id": "review-de", "language": "de", "complete": False},
              {"id": "src-de", "title": None, "publisher": "A paper",
               "url": "https://example.org/de"}, partial)]
    found = text_resources(review, text, texts)
    assert found == [
        {"name": "review-text", "path": "source/mfa-2023-12-29-mao-ning-cnr.txt",
         "title": "The review",
         "description": "The review's text exactly as received; mentions give character "
                        "offsets (Unicode code points, from 0) into it.",
         "format": "txt", "mediatype": "text/plain", "encoding": "utf-8",
         "sources": [{"title": "The review", "path": "https://example.org/r"}],
         "licenses": [{"name": "other-closed", "title": "Copyright The MFA; included for "
                                                        "verification of quotes only."}],
         "bytes": 14, "hash": "sha256:" + hashlib.sha256(b"Hello, world.\n").hexdigest()},
        {"name": "text-review-zh", "path": "source/src-zh.txt",
         "title": "The review in zh-Hans: Chinese copy",
         "description": "The text `review-zh` of the review (see the `texts` table); mentions "
                        "with this `in_text` give character offsets (Unicode code points, "
                        "from 0) into it.",
         "format": "txt", "mediatype": "text/plain", "encoding": "utf-8",
         "sources": [{"title": "Chinese copy", "path": "https://example.org/zh"}],
         "licenses": [{"name": "other-closed", "title": "Copyright Xinhua; included for "
                                                        "verification of quotes only."}],
         "bytes": 9, "hash": "sha256:" + hashlib.sha256("你好。".encode()).hexdigest()},
        {"name": "text-review-de", "path": "source/src-de.txt",
         "title": "The review in de: A paper",  # no title: the publisher names it
         "description": "The text `review-de` of the review (see the `texts` table); mentions "
                        "with this `in_text` give character offsets (Unicode code points, "
                        "from 0) into it. Only part of the published text could be read; the "
                        "`texts` table's notes say which.",
         "format": "txt", "mediatype": "text/plain", "encoding": "utf-8",
         "sources": [{"title": "A paper", "path": "https://example.org/de"}],
         "licenses": [{"name": "other-closed", "title": "Copyright A paper; included for "
                                                        "verification of quotes only."}],
         "bytes": 6, "hash": "sha256:" + hashlib.sha256(b"Hallo.").hexdigest()},
    ]
