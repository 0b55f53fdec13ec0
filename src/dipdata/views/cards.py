"""The explorer's record cards: one HTML <article> per record, at the id ``#<record id>``,
with everything the record says and links to the records and readouts it points at."""

from __future__ import annotations

import datetime
import functools
from html import escape
from typing import Any

from ..model.regions import regions
from ..model.vocabulary import ISSUES
from ..use.loader import Dataset

#: The tables in the order the explorer shows them, with their headings.
TABLE_HEADINGS = {
    "events": "Events", "outcomes": "Outcomes", "positions": "Positions",
    "aggregates": "Summary statements", "actors": "Actors", "commentary": "Commentary",
    "sources": "Sources",
}
TABLE_HEADINGS_ZH = {"events": "事件", "outcomes": "成果", "positions": "立场",
                     "aggregates": "概括性表述", "actors": "人物与组织", "commentary": "评注",
                     "sources": "来源"}


@functools.cache
def country_name(code: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name if country else code


def when(start: datetime.date | None, end: datetime.date | None, precision: str = "day") -> str:
    """Dates as a reader says them: 20 March 2023, 20-22 March 2023, March 2023."""
    if start is None:
        return "date not confirmed"
    if precision == "year":
        return str(start.year)
    if precision == "month":
        return f"{start:%B %Y}" if end is None or (end.year, end.month) == (
            start.year, start.month) else f"{start:%B %Y} – {end:%B %Y}"
    if end is None or end == start:
        return f"{start.day} {start:%B %Y}"
    if (end.year, end.month) == (start.year, start.month):
        return f"{start.day}–{end.day} {start:%B %Y}"
    return f"{start.day} {start:%B %Y} – {end.day} {end:%B %Y}"


def when_zh(start: datetime.date | None, end: datetime.date | None,
            precision: str = "day") -> str:
    """Dates as a Chinese reader writes them: 2023年3月20日, 2023年3月20日至22日, 2023年3月."""
    if start is None:
        return "日期未确认"
    if precision == "year":
        return f"{start.year}年"
    first = f"{start.year}年{start.month}月" + ("" if precision == "month" else f"{start.day}日")
    if end is None or end == start or (precision == "month" and (end.year, end.month) == (
            start.year, start.month)):
        return first
    if precision == "month":
        return f"{first}至{end.year}年{end.month}月"
    if end.year != start.year:
        return f"{first}至{end.year}年{end.month}月{end.day}日"
    return f"{first}至{end.month}月{end.day}日" if end.month != start.month else \
        f"{first}至{end.day}日"


def _link(data: Dataset, record_id: str) -> str:
    record = data.record(record_id)
    issue, day = getattr(record, "issue", None), getattr(record, "date", None)
    label = getattr(record, "name", None) or getattr(record, "title", None) or \
        (source_title(record) if hasattr(record, "publisher") else None) or \
        (f"{ISSUES[issue]}, {when(day, day)}" if issue and day else None) or \
        (ISSUES[issue] if issue else None) or record_id
    return f'<a href="#{escape(record_id)}">{escape(label)}</a>'


#: What each PLOVER mode of a CONSULT event means, in words (PLOVER manual, draft 0.8).
PLOVER_MODES = {"visit": "one side visits the other, who hosts",
                "third-party": "hosted by a third party", "multilateral": "a multilateral meeting",
                "phone": "by any remote medium: phone, video or letter"}


def _chinese(text: str | None) -> str:
    """Chinese text, marked as such for screen readers and fonts."""
    return f'<span lang="zh-Hans">{escape(text)}</span>' if text else ""


def _row(label: str, value: str) -> str:
    return f"<dt>{label}</dt><dd>{value}</dd>" if value else ""


def _links(data: Dataset, ids: list[str]) -> str:
    if not ids:
        return ""
    return "<ul>" + "".join(f"<li>{_link(data, i)}</li>" for i in ids) + "</ul>"


def source_title(source: Any) -> str:
    """A source's title, or, where the copy read showed none, its publisher's page."""
    return source.title or f"Untitled page of {source.publisher}"


def _sources(data: Dataset, record: Any) -> str:
    items = []
    for source in data.sources_of(record):
        date = f", {source.published:%-d %B %Y}" if source.published else ""
        items.append(f'<li><a href="{escape(source.url)}" rel="noopener noreferrer">'
                     f"{escape(source_title(source))}</a> — {escape(source.publisher)}{date} "
                     f'(<a href="#{escape(source.id)}">record</a>)</li>')
    return "<ul>" + "".join(items) + "</ul>" if items else ""


def _mentions(data: Dataset, record: Any) -> str:
    """The words of the review that speak of the record: in English, and in the Chinese
    original where they were found there."""
    items = [f'<li><a href="#sentence-{sentence.number}">Sentence {sentence.number}</a>: '
             f"“{escape(mention.quote)}”</li>" for sentence, mention in data.mentions_of(record)]
    original = data.original_text
    if original:
        items += [f'<li class="zh" lang="zh-Hans"><a href="#zh-sentence-{sentence.number}">'
                  f"第{sentence.number}句</a>：“{escape(mention.quote)}”</li>"
                  for sentence, mention in data.mentions_of(record, original)]
    return "<ul>" + "".join(items) + "</ul>" if items else ""


def _event(data: Dataset, event: Any) -> tuple[str, list[tuple[str, str]]]:
    place = ", ".join(escape(p) for p in (event.venue, event.city) if p)
    if event.country:
        place = f"{place}, {escape(country_name(event.country))}" if place else \
            escape(country_name(event.country))
    people = [f"<li>{_link(data, actor.id)} — {role}"
              + (f" ({escape(p.capacity)})" if (p := next(
                  x for x in event.participants if x.actor == actor.id)).capacity else "")
              + "</li>" for actor, role in data.participants(event)]
    parent = data.parent(event)
    return escape(event.title), [
        ("In Chinese", _chinese(event.title_zh)),
        ("When", when(event.start_date, event.end_date, event.date_precision)),
        ("Where", place or f"no place ({event.mode})"),
        ("Mode", event.mode),
        ("Part of", _link(data, parent.id) if parent else ""),
        ("Parts", _links(data, [e.id for e in data.parts(event)])),
        ("On the sidelines of", _link(data, event.sidelines_of) if event.sidelines_of else ""),
        ("On its sidelines", _links(data, [e.id for e in data.sidelines(event)])),
        ("Participants", "<ul>" + "".join(people) + "</ul>" if people else ""),
        ("Outcomes", _links(data, [o.id for o in data.outcomes_of(event)])),
        ("Positions", _links(data, [p.id for p in data.positions_of(event)])),
        ("Summary", escape(event.summary)),
        ("PLOVER", escape(event.plover_event + (f" (mode {event.plover_mode}: "
                                                f"{PLOVER_MODES[event.plover_mode]})"
                                                if event.plover_mode else ""))),
    ]


def _fields(data: Dataset, table: str, record: Any) -> tuple[str, list[tuple[str, str]]]:
    if table == "events":
        return _event(data, record)
    if table == "outcomes":
        return escape(record.title), [
            ("Date", when(record.date, record.date)), ("Event", _link(data, record.event)),
            ("Summary", escape(record.summary)),
            ("Items", "<ol>" + "".join(f"<li>{escape(i)}</li>" for i in record.items) + "</ol>"
             if record.items else ""),
            ("Countries", ", ".join(escape(country_name(c)) for c in record.countries)),
            ("Organisations", ", ".join(escape(o) for o in record.organisations)),
            ("Relationship", escape(f"{record.relationship} ({record.relationship_change}, "
                                    f"{country_name(record.relationship_country or '')})")
             if record.relationship else ""),
            ("Talks held by", "the Premier, while the President met the visitor"
             if record.premier_hosted else "")]
    if table == "positions":
        return escape(ISSUES[record.issue]), [
            ("Stance", escape(record.stance) if record.stance is not None else
             "views were exchanged; the sources give no substance"),
            ("Stated by", _link(data, record.actor)),
            ("Occasion", _link(data, record.occasion)),
            ("In", _link(data, record.outcome) if record.outcome else ""),
            ("Date", when(record.date, record.date) if record.date else ""),
            ("Demands", "<ul>" + "".join(f"<li>{escape(d)}</li>" for d in record.demands)
             + "</ul>" if record.demands else "")]
    if table == "aggregates":
        return escape(record.title), [
            ("Summary", escape(record.summary)),
            ("Examples", ("every record it covers" if record.exhaustive else "verified examples")
             + _links(data, record.examples)), ("Basis", escape(record.basis))]
    if table == "actors":
        return escape(record.name), [
            ("In Chinese", _chinese(" / ".join(n for n in (record.name_zh, record.name_zh_short)
                                               if n))),
            ("Title", escape(record.title or "")),
            ("Country", escape(country_name(record.country)) if record.country else ""),
            ("Wikidata", f'<a href="https://www.wikidata.org/wiki/{record.wikidata}" '
                         f'rel="noopener noreferrer">{record.wikidata}</a>'
             if record.wikidata else ""),
            ("Events", "<ul>" + "".join(f"<li>{_link(data, e.id)} — {role}</li>"
                                        for e, role in data.events_of(record)) + "</ul>")]
    if table == "commentary":
        quote = record.mentions[0].quote
        words = quote if len(quote) <= 60 else quote[:57].rsplit(" ", 1)[0] + "…"
        return escape(f"Commentary on “{words}”"), [("Why no record", escape(record.reason))]
    cited = [r for t in TABLE_HEADINGS for r in getattr(data, t)
             if record.id in getattr(r, "sources", [])]
    return escape(source_title(record)), [
        ("Published", f'<a href="{escape(record.url)}" rel="noopener noreferrer">'
                      f"{escape(record.publisher)}</a>"
                      + (f", {record.published:%-d %B %Y}" if record.published else "")),
        ("Language", record.language), ("Cited by", _links(data, [r.id for r in cited]))]


def countries_of(table: str, record: Any) -> list[str]:
    if table == "outcomes":
        return sorted(record.countries)
    return [record.country] if getattr(record, "country", None) else []


def counterparts_of(data: Dataset, table: str, record: Any) -> list[str]:
    """The countries of the record's foreign counterparts: those of an event's participants
    (other than China's), an actor's own, an outcome's parties, a position's occasion's."""
    if table == "events":
        found = {actor.country for actor, _ in data.participants(record)}
    elif table == "actors":
        found = {record.country}
    elif table == "outcomes":
        found = set(record.countries) | {record.relationship_country}
    elif table == "positions":
        found = {actor.country for actor, _ in data.participants(record.occasion)}
    else:
        found = set()
    return sorted(c for c in found if c and c != "CN")


def region_of(code: str) -> str:
    place = regions().get(code)
    return place.region if place and place.region else ""


def card(data: Dataset, table: str, record: Any) -> str:
    """One record as an <article>, with data attributes for the filters."""
    title, rows = _fields(data, table, record)
    rows += [("Sources", _sources(data, record)), ("In the review", _mentions(data, record)),
             ("Notes", escape(record.notes or ""))]
    kind = getattr(record, "kind", "")
    section = getattr(record, "section", "")
    badges = " ".join(f'<span class="badge">{escape(b)}</span>'
                      for b in (table.rstrip("s"), kind)  # ("commentary" keeps its s)
                      if b)
    counterparts = counterparts_of(data, table, record)
    regions_met = sorted({region_of(c) for c in counterparts} - {""})
    attributes = (f' data-table="{table}" data-kind="{escape(kind)}" data-section="{section}"'
                  f' data-country="{" ".join(countries_of(table, record))}"'
                  f' data-counterpart="{" ".join(counterparts)}"'
                  f' data-region="{" ".join(r.replace(" ", "_") for r in regions_met)}"')
    dates = (record.start_date, record.end_date, record.date_precision) \
        if table == "events" else None
    dated = (f' <span class="when"><span class="en">{when(*dates)}</span><span class="zh" '
             f'lang="zh-Hans">{when_zh(*dates)}</span></span>' if dates else "")
    chinese = getattr(record, "title_zh", None) or getattr(record, "name_zh", None)
    if chinese:  # the language switch shows one of the two
        title = f'<span class="en">{title}</span><span class="zh" lang="zh-Hans">' \
                f"{escape(chinese)}</span>"
    return (f'<article class="record" id="{escape(record.id)}" tabindex="-1"{attributes}>'
            f'<details><summary><h4>{title}</h4>{dated} <span class="badges">{badges}</span>'
            f'</summary><p class="permalink"><a class="anchor" href="#{escape(record.id)}">'
            f'Link to this record</a> <code>{escape(record.id)}</code></p>'
            f"<dl>{''.join(_row(label, value) for label, value in rows)}</dl></details></article>")


def ordered(data: Dataset, table: str) -> list[Any]:
    """A table's records in the explorer's order: events by date, the rest by id."""
    records = list(getattr(data, table))
    if table == "events":
        records.sort(key=lambda e: (e.start_date or datetime.date.max, e.id))
    return records
