"""The explorer: a static site that works offline and from file://.

One `index.html` (the review with each sentence linked to its records, the timeline and map
as inline SVG drawn in Python, every record at `#<record id>`, filters and a search box) with
`explorer.css` and `explorer.js` beside it; nothing is loaded from any other host. The same
data give the same bytes.
"""

from __future__ import annotations

import collections
import json
import re
from html import escape
from importlib import resources
from pathlib import Path

from .cards import (
    TABLE_HEADINGS,
    TABLE_HEADINGS_ZH,
    card,
    counterparts_of,
    countries_of,
    country_name,
    ordered,
    region_of,
)
from ..model.source import REVIEW_TEXT
from ..use.loader import Dataset
from ..base.paths import PACKAGE_DIR
from ..make.meetings import EVENT_FIELDS, meeting_rows
from ..make.pictures import SECTIONS, map_svg, timeline_svg

ASSETS = ("explorer.css", "explorer.js")


def site_files(data: Dataset) -> dict[str, bytes]:
    """The explorer's files, by path inside the site folder."""
    files = {name: resources.files("dipdata").joinpath("data").joinpath(name).read_bytes()
             for name in ASSETS}
    files["index.html"] = page(data).encode()
    return files


def write_site(root: Path | str, out: Path | str) -> str:
    """Write the explorer of the repository's data package into ``out``; returns a line
    saying where it is."""
    from ..use.loader import load

    out = Path(out)
    files = site_files(load(Path(root) / PACKAGE_DIR))
    out.mkdir(parents=True, exist_ok=True)
    for name, data in sorted(files.items()):
        (out / name).write_bytes(data)
    return f"wrote the explorer ({len(files)} files) to {out}; open {out / 'index.html'}"


#: The page's own words in Chinese, shown instead of the English by the language switch.
ZH = {"Review": "答问", "Timeline": "时间线", "Map": "地图", "Whom Xi met": "会见对象",
      "Records": "记录", "The review": "答问原文", "The records": "记录",
      "Records of a sentence": "一句话涉及的记录", "Section": "部分", "Kind": "类别",
      "Counterpart's country": "对方国家", "Counterpart's region": "对方地区",
      "Where it took place": "举行地点", "Search": "搜索", "Clear": "清除"}
#: The review's sections in Chinese (the original's part headings, in short).
SECTIONS_ZH = {"heading": "标题", "question": "提问", "opening": "开场",
               "major-country-relations": "一、大国关系", "neighbours-and-developing-countries":
               "二、周边和发展中国家", "hotspot-issues": "三、热点问题",
               "public-foundation": "四、民意基础", "closing": "结语"}


def both(english: str, chinese: str | None = None) -> str:
    """Words in English and in Chinese; the page shows one of them (its language switch)."""
    chinese = chinese if chinese is not None else ZH.get(english)
    if not chinese:
        return escape(english)
    return f'<span class="en">{escape(english)}</span><span class="zh" lang="zh-Hans">' \
           f"{escape(chinese)}</span>"


def _sentences(data: Dataset, text: str, prefix: str, names: dict[str, str]) -> str:
    """A text of the review, one paragraph per part, each sentence a button naming its
    records."""
    parts: list[tuple[str, list[str]]] = []
    for sentence in data.sentences_of(text):
        ids = [r.id for r in data.records_in(sentence.number, text)]
        words, anchor = escape(sentence.text), f"{prefix}sentence-{sentence.number}"
        if ids:
            hint = f"第{sentence.number}句：{len(ids)}条记录" if prefix else \
                f'Sentence {sentence.number}: {len(ids)} record{"s" * (len(ids) != 1)}'
            html = (f'<button type="button" class="sentence" id="{anchor}" '
                    f'data-number="{sentence.number}" data-records="{" ".join(ids)}" '
                    f'aria-pressed="false" aria-controls="selected" title="{hint}">'
                    f"{words}</button>")
        else:
            html = f'<span class="sentence" id="{anchor}">{words}</span>'
        if not parts or parts[-1][0] != sentence.section:
            parts.append((sentence.section, []))
        parts[-1][1].append(html)
    joiner = "" if prefix else " "  # Chinese sentences follow one another without a space
    return "".join(f"<h3>{escape(names.get(section, section))}</h3><p>{joiner.join(items)}</p>"
                   for section, items in parts)


def _review(data: Dataset) -> str:
    """The review in English and, where it could be read, in its Chinese original."""
    original = data.original_text
    chinese = ""
    if original:
        missing = [s.number for s in data.sentences if not data.original(s)]
        chinese = ('<div class="review-text zh" lang="zh-Hans">'
                   + _sentences(data, original, "zh-", SECTIONS_ZH)
                   + (f'<p class="hint">英文第{_ranges(missing)}句的中文原文未能读取或没有对应'
                      "的句子（见 texts 表的说明）。</p>" if missing else "") + "</div>")
    return ('<section id="review" aria-labelledby="review-heading">'
            f'<h2 id="review-heading">{both("The review")}</h2>'
            '<p class="hint"><span class="en">The spokesperson\'s review of the year, sentence '
            "by sentence. Choose a sentence (click, or Tab and Enter) to list the records it "
            'speaks of.</span><span class="zh" lang="zh-Hans">外交部发言人对这一年的回顾，逐句'
            "列出。选择一句（点击，或按 Tab 再按 Enter）即可列出它涉及的记录。</span></p>"
            '<div class="review-layout"><div class="review-text en">'
            + _sentences(data, REVIEW_TEXT, "", SECTIONS) + "</div>" + chinese +
            '<div id="selected" role="region" aria-label="Records of a sentence" '
            f'aria-live="polite"><h3>{both("Records of a sentence")}</h3>'
            f'<p>{both("No sentence chosen yet.", "尚未选择句子。")}</p></div></div></section>')


def _ranges(numbers: list[int]) -> str:
    """1, 3, 4, 5 as "1、3–5"."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return "、".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _options(values: list[tuple[str, str]], everything: str) -> str:
    return f'<option value="">{everything}</option>' + "".join(
        f'<option value="{escape(v)}">{escape(label)}</option>' for v, label in values)


def _filters(data: Dataset) -> str:
    sections = sorted({getattr(r, "section", "") for t in TABLE_HEADINGS
                       for r in getattr(data, t)} - {""}, key=list(SECTIONS).index)
    kinds: dict[str, set[str]] = collections.defaultdict(set)
    countries: set[str] = set()
    counterparts: set[str] = set()
    for table in TABLE_HEADINGS:
        for record in getattr(data, table):
            if getattr(record, "kind", None):
                kinds[table].add(record.kind)
            countries.update(countries_of(table, record))
            counterparts.update(counterparts_of(data, table, record))
    kind_options = '<option value="">Any kind</option>' + "".join(
        f'<optgroup label="{TABLE_HEADINGS[t]}">' + "".join(
            f'<option value="{k}">{k}</option>' for k in sorted(kinds[t])) + "</optgroup>"
        for t in TABLE_HEADINGS if kinds[t])
    country_options = sorted(((c, country_name(c)) for c in countries), key=lambda x: x[1])
    counterpart_options = sorted(((c, country_name(c)) for c in counterparts),
                                 key=lambda x: x[1])
    region_names = sorted({region_of(c) for c in counterparts} - {""})
    region_options = [(r.replace(" ", "_"), r) for r in region_names]
    controls = [
        ("Section", '<select name="section">' + _options(
            [(s, SECTIONS[s]) for s in sections], "Any section") + "</select>"),
        ("Kind", f'<select name="kind">{kind_options}</select>'),
        ("Counterpart's country", '<select name="counterpart">'
         + _options(counterpart_options, "Any country") + "</select>"),
        ("Counterpart's region", '<select name="region">'
         + _options(region_options, "Any region") + "</select>"),
        ("Where it took place", '<select name="country">'
         + _options(country_options, "Any place") + "</select>"),
        ("Search", '<input type="search" name="q" placeholder="words in a record, 中文也可" '
         'autocomplete="off">')]
    return ('<form id="filters" role="search" aria-label="Filter the records">'
            + "".join(f"<label>{both(label)} {control}</label>" for label, control in controls)
            + f'<button type="reset">{both("Clear")}</button>'
            '<output id="shown" aria-live="polite"></output></form>')


def _records(data: Dataset) -> str:
    parts = []
    for table, heading in TABLE_HEADINGS.items():
        records = ordered(data, table)
        parts.append(f'<section class="table" id="{table}" aria-labelledby="{table}-heading">'
                     f'<h3 id="{table}-heading">{both(heading, TABLE_HEADINGS_ZH[table])} '
                     f'<span class="count">({len(records)})</span></h3>'
                     + "".join(card(data, table, r) for r in records) + "</section>")
    return ('<section id="records" aria-labelledby="records-heading">'
            f'<h2 id="records-heading">{both("The records")}</h2>' + _filters(data) + "".join(parts)
            + "</section>")


def _jsonld(data: Dataset) -> str:
    """The dataset's schema.org JSON-LD, for dataset search engines; `<` is escaped so that
    no text can close the script element."""
    if data.jsonld is None:
        return ""
    text = json.dumps(data.jsonld, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    return f'<script type="application/ld+json">{text}</script>'


#: The meetings table's columns: (heading, index in a meetings row).
MEETING_COLUMNS = (("Date", 2), ("Counterpart", 5), ("Country", 7), ("Region", 8),
                   ("Kind", 3), ("City", 10))


def _meetings(data: Dataset) -> str:
    """Whom Xi met: one row per meeting and counterpart, sortable, filtered with the records,
    and downloadable as CSV (the rows shown)."""
    events = [e.model_dump(mode="json", include=set(EVENT_FIELDS)) for e in data.events]
    actors = {a.id: (a.name, a.country) for a in data.actors}
    rows = meeting_rows(events, actors)
    head = "".join(f'<th scope="col"><button type="button" data-column="{i}">{escape(h)}'
                   "</button></th>" for i, (h, _) in enumerate(MEETING_COLUMNS))
    body = []
    for row in sorted(rows, key=lambda r: (r[2] or "", r[0], r[1])):
        cells = [row[index] or "" for _, index in MEETING_COLUMNS]
        cells[2] = country_name(cells[2]) if cells[2] else ""
        body.append(f'<tr data-event="{escape(row[0])}" data-counterpart="{row[7] or ""}" '
                    f'data-region="{(row[8] or "").replace(" ", "_")}" data-kind="{row[3]}">'
                    + "".join(f'<td><a href="#{escape(row[0])}">{escape(c)}</a></td>' if i == 1
                              else f"<td>{escape(c)}</td>" for i, c in enumerate(cells))
                    + "</tr>")
    return ('<section id="meetings" aria-labelledby="meetings-heading">'
            f'<h2 id="meetings-heading">{both("Whom Xi met")}</h2>'
            '<p class="hint">Every meeting, talks, '
            "call and video meeting of 2023 with a foreign counterpart, one row per "
            "counterpart; the filters below choose the rows too. Sort by a column's heading."
            '</p><p><button type="button" id="download-meetings">Download the rows shown as '
            f'CSV</button> <output id="meetings-shown" aria-live="polite"></output></p>'
            '<div class="table-scroll"><table id="meetings-table"><thead><tr>' + head +
            "</tr></thead><tbody>" + "".join(body) + "</tbody></table></div></section>")


def page(data: Dataset) -> str:
    """The explorer's index.html."""
    events = [e.model_dump(mode="json") for e in data.events]
    countries = {a.id: a.country for a in data.actors}
    counts = ", ".join(f"{len(getattr(data, t))} {h.lower()}" for t, h in TABLE_HEADINGS.items())
    html = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>dipdata explorer: China's head-of-state diplomacy in 2023</title>"
        '<link rel="icon" href="data:,"><link rel="stylesheet" href="explorer.css">'
        + _jsonld(data) + "</head>"
        '<body><a class="skip" href="#records">Skip to the records</a>'
        "<header><h1>China's head-of-state diplomacy in 2023</h1>"
        f"<p>dipdata {escape(data.version)}: {counts}. Every record rests on official readouts "
        "and is linked to the words of the review that speak of it.</p>"
        '<nav aria-label="Parts of the page">'
        + " ".join(f'<a href="#{anchor}">{both(label)}</a>' for anchor, label in (
            ("review", "Review"), ("timeline", "Timeline"), ("map", "Map"),
            ("meetings", "Whom Xi met"), ("records", "Records")))
        + ' <button type="button" id="language" aria-pressed="false" lang="zh-Hans">'
        "中文</button></nav></header><main>"
        + _review(data)
        + '<section id="timeline" aria-labelledby="timeline-heading">'
        f'<h2 id="timeline-heading">{both("Timeline")}</h2>'
        '<p class="hint">Each mark is an event, '
        "in the row of its foreign counterparts' region, coloured by kind; choose one to "
        "open it. On a narrow screen the picture scrolls sideways.</p>"
        f'<div class="picture">{timeline_svg(events, countries, link=True)}</div></section>'
        '<section id="map" aria-labelledby="map-heading">'
        f'<h2 id="map-heading">{both("Map")}</h2>'
        '<p class="hint">Where the events took place; choose a marker to list that '
        "country's records.</p>"
        f'<div class="picture">{map_svg(events, link=True)}</div></section>'
        + _meetings(data)
        + _records(data)
        + "</main><footer><p>Data: CC BY 4.0, the dipdata contributors. Country shapes: "
        "Natural Earth (public domain), via world-atlas (ISC). Made by "
        "<code>dipdata site</code>; it works offline.</p></footer>"
        '<script src="explorer.js"></script></body></html>\n')
    _check_ids(html)
    return html


def _check_ids(html: str) -> None:
    """Every id of the page is used once: a record id never collides with the page's own."""
    ids = collections.Counter(re.findall(r'\sid="([^"]+)"', html))
    twice = sorted(i for i, n in ids.items() if n > 1)
    if twice:
        raise ValueError(f"the explorer would hold these ids more than once: {twice}")
