"""Countries' regions: the UN M49 region and sub-region of every country, with its UN
Chinese short name, as reference data shipped in the package (`data/regions.csv`, loaded on
first use).

The file is made from the UN OCHA's `hdx-python-country` data (M49 codes, regions and the
UN's names in Chinese) by :func:`write_regions`; a test fails when it drifts from that
library's data. Nothing here needs that library at run time.
"""

from __future__ import annotations

import csv
import functools
import io
from importlib import resources
from typing import NamedTuple

FILE = "regions.csv"
#: The short Chinese names in the form of China's Foreign Ministry and Xinhua, curated by hand,
#: each with the page and the words it was read in.
CHINESE_FILE = "country-names-zh.csv"
COLUMNS = ("code", "name", "name_zh", "m49", "region", "sub_region")


class Region(NamedTuple):
    """A country's names and its place in the UN M49 classification."""

    code: str
    name: str
    name_zh: str | None
    m49: str
    region: str | None
    sub_region: str | None


@functools.cache
def regions() -> dict[str, Region]:
    """Every country by ISO 3166-1 alpha-2 code (loaded on first use)."""
    text = resources.files("dipdata").joinpath("data").joinpath(FILE).read_text("utf-8")
    return {row["code"]: Region(row["code"], row["name"], row["name_zh"] or None, row["m49"],
                                row["region"] or None, row["sub_region"] or None)
            for row in csv.DictReader(io.StringIO(text))}


class ChineseName(NamedTuple):
    """A country's short Chinese name as the Foreign Ministry and Xinhua write it."""

    name_zh: str
    url: str
    words: str


@functools.cache
def chinese_names() -> dict[str, ChineseName]:
    """The curated Chinese names by ISO 3166-1 alpha-2 code (loaded on first use)."""
    text = resources.files("dipdata").joinpath("data").joinpath(CHINESE_FILE).read_text("utf-8")
    return {row["code"]: ChineseName(row["name_zh"], row["url"], row["words"])
            for row in csv.DictReader(io.StringIO(text))}


def regions_csv() -> str:
    """The reference file, made from hdx-python-country's offline data (UN M49)."""
    from hdx.location.country import Country  # type: ignore[import-untyped]  # UN M49 data

    rows = []
    for info in Country.countriesdata(use_live=False)["countries"].values():
        code = info.get("ISO 3166-1 Alpha 2-Codes")
        if not code or info.get("Region Name") is None:
            continue  # no M49 region (Antarctica)
        rows.append((code, info.get("Preferred Term") or "", info.get("Chinese Short") or "",
                     f"{int(info['m49 numerical code']):03d}", info["Region Name"],
                     info.get("Sub-region Name") or ""))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(sorted(rows))
    return buffer.getvalue()


def write_regions() -> None:
    """Write `data/regions.csv` anew from hdx-python-country (run by hand when it updates)."""
    target = resources.files("dipdata").joinpath("data").joinpath(FILE)
    with open(str(target), "w", encoding="utf-8", newline="") as handle:
        handle.write(regions_csv())
