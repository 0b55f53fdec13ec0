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
    card,
    counterparts_of,
    countries_of,
    country_name,
    ordered,
    region_of,
)
from ..use.loader import Dataset
from ..base.paths import PACKAGE_DIR
from ..build.meetings import EVENT_FIELDS, meeting_rows
from ..build.pictures import SECTIONS, map_svg, timeline_svg

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


def _review(data: Dataset) -> str:
    """The review, one paragraph per part, each sentence a button naming its records."""
    parts: list[tuple[str, list[str]]] = []
    for sentence in data.sentences:
        ids = [r.id for r in data.records_in(sentence.number)]
        text = escape(sentence.text)
        if ids:
            html = (f'<button type="button" class="sentence" id="sentence-{sentence.number}" '
                    f'data-records="{" ".join(ids)}" aria-pressed="false" '
                    f'aria-controls="selected" title="Sentence {sentence.number}: '
                    f'{len(ids)} record{"s" * (len(ids) != 1)}">{text}</button>')
        else:
            html = f'<span class="sentence" id="sentence-{sentence.number}">{text}</span>'
        if not parts or parts[-1][0] != sentence.section:
            parts.append((sentence.section, []))
        parts[-1][1].append(html)
    body = "".join(f'<h3>{escape(SECTIONS.get(section, section))}</h3><p>{" ".join(items)}</p>'
                   for section, items in parts)
    return ('<section id="review" aria-labelledby="review-heading">'
            '<h2 id="review-heading">The review</h2>'
            '<p class="hint">The spokesperson\'s review of the year, sentence by sentence. '
            'Choose a sentence (click, or Tab and Enter) to list the records it speaks of.</p>'
            f'<div class="review-layout"><div class="review-text">{body}</div>'
            '<div id="selected" role="region" aria-label="Records of a sentence" '
            'aria-live="polite"><h3>Records of a sentence</h3>'
            '<p>No sentence chosen yet.</p></div></div></section>')


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
    return ('<form id="filters" role="search" aria-label="Filter the records">'
            '<label>Section <select name="section">'
            + _options([(s, SECTIONS[s]) for s in sections], "Any section") + "</select></label>"
            f'<label>Kind <select name="kind">{kind_options}</select></label>'
            '<label>Counterpart\'s country <select name="counterpart">'
            + _options(counterpart_options, "Any country") + "</select></label>"
            '<label>Counterpart\'s region <select name="region">'
            + _options(region_options, "Any region") + "</select></label>"
            '<label>Where it took place <select name="country">'
            + _options(country_options, "Any place") + "</select></label>"
            '<label>Search <input type="search" name="q" placeholder="words in a record" '
            'autocomplete="off"></label>'
            '<button type="reset">Clear</button>'
            '<output id="shown" aria-live="polite"></output></form>')


def _records(data: Dataset) -> str:
    parts = []
    for table, heading in TABLE_HEADINGS.items():
        records = ordered(data, table)
        parts.append(f'<section class="table" id="{table}" aria-labelledby="{table}-heading">'
                     f'<h3 id="{table}-heading">{heading} '
                     f'<span class="count">({len(records)})</span></h3>'
                     + "".join(card(data, table, r) for r in records) + "</section>")
    return ('<section id="records" aria-labelledby="records-heading">'
            '<h2 id="records-heading">The records</h2>' + _filters(data) + "".join(parts)
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
            '<h2 id="meetings-heading">Whom Xi met</h2><p class="hint">Every meeting, talks, '
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
        '<nav aria-label="Parts of the page"><a href="#review">Review</a> '
        '<a href="#timeline">Timeline</a> <a href="#map">Map</a> '
        '<a href="#meetings">Whom Xi met</a> '
        '<a href="#records">Records</a></nav></header><main>'
        + _review(data)
        + '<section id="timeline" aria-labelledby="timeline-heading">'
        '<h2 id="timeline-heading">Timeline</h2><p class="hint">Each mark is an event, '
        "in the row of its foreign counterparts' region, coloured by kind; choose one to "
        "open it. On a narrow screen the picture scrolls sideways.</p>"
        f'<div class="picture">{timeline_svg(events, countries, link=True)}</div></section>'
        '<section id="map" aria-labelledby="map-heading"><h2 id="map-heading">Map</h2>'
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
