"""Pictures of the year as SVG, drawn in Python from the events: a timeline and a world map.

Deterministic: the same events give the same bytes (fixed rounding, sorted input, no
timestamps). Events are given as JSON records (dicts, dates as ISO strings), as the build
streams them and as the data package stores them. With ``link``, each mark links to
``#<event id>`` (the explorer); without, the pictures are plain (for the README).
"""

from __future__ import annotations

import calendar
import collections
import datetime
import functools
import heapq
import math
from typing import Any, Iterable
from xml.sax.saxutils import escape, quoteattr

from .worldmap import FONT, role, world_map
from ..base.paths import PICTURE_DIR
from ..model.regions import regions
from .meetings import MEETING_KINDS

#: The review's sections in its order, with the names shown for them.
SECTIONS = {
    "heading": "Heading", "question": "The question", "opening": "Opening",
    "major-country-relations": "Major countries", "neighbours-and-developing-countries":
    "Neighbours, developing", "hotspot-issues": "Hotspot issues",
    "public-foundation": "Public foundation", "closing": "Closing",
}
#: One colour per event kind (Okabe-Ito and Tableau, distinguishable with colour blindness).
KIND_COLOURS = {
    "visit": "#0072B2", "summit": "#D55E00", "talks": "#009E73", "meeting": "#CC79A7",
    "forum": "#E69F00", "dialogue": "#56B4E9", "video-meeting": "#8C564B", "call": "#7F7F7F",
    "speech": "#BCBD22", "letter": "#17BECF", "article": "#332288",
}
#: The event fields the pictures use (a writer keeps only these of each event).
PICTURE_FIELDS = ("id", "start_date", "end_date", "section", "kind", "title", "country",
                  "participants")
#: The timeline's rows: the UN M49 region of the event's foreign counterparts.
ROWS = ("Africa", "Americas", "Asia", "Europe", "Oceania", "Several regions",
        "No foreign country")


def pictures(events: Iterable[dict[str, Any]], meetings: Iterable[tuple] = (),
             countries: dict[str, str | None] | None = None) -> dict[str, bytes]:
    """The README's pictures, by path in the repository; ``meetings`` are the rows of the
    meetings table (event, counterpart, date, kind, mode, name, capacity, country, region, ...),
    ``countries`` each actor's country, by actor id."""
    events = sorted(events, key=lambda e: e["id"])
    meetings = sorted(meetings)
    return {f"{PICTURE_DIR}/timeline.svg": timeline_svg(events, countries).encode(),
            f"{PICTURE_DIR}/map.svg": map_svg(events).encode(),
            f"{PICTURE_DIR}/counterparts.svg": counterparts_svg(meetings).encode(),
            f"{PICTURE_DIR}/meetings-by-month.svg": months_svg(meetings).encode()}


def counterparts_svg(meetings: list[tuple]) -> str:
    """A world map of the countries whose leaders Xi met or called in 2023, shaded by the
    number of meetings, talks and calls, with a legend."""
    events: dict[str, set[str]] = collections.defaultdict(set)
    for row in meetings:
        if row[7]:
            events[row[7]].add(row[0])
    counts = collections.Counter({code: len(ids) for code, ids in events.items()})
    total = len({row[0] for row in meetings})
    return world_map(counts, "counterparts", "meeting",
                      f"World map of the {len(counts)} countries whose leaders Xi met or called "
                      f"in 2023, shaded by the number of meetings, talks and calls",
                      f"Whom Xi met or called in 2023: {total} meetings, talks and calls, "
                      f"with leaders of {len(counts)} countries (heads of international "
                      "organisations not shown).", legend=True)


def months_svg(meetings: list[tuple]) -> str:
    """Meetings, talks and calls of 2023 per month, stacked by kind (an event with two
    counterparts counts once)."""
    counts: dict[tuple[int, str], set[str]] = collections.defaultdict(set)
    for row in meetings:
        if row[2]:
            counts[(int(row[2][5:7]), row[3])].add(row[0])
    kinds = {kind: KIND_COLOURS[kind] for kind in MEETING_KINDS}
    width, height, left, bottom, top_pad = 720, 260, 40, 40, 40
    y: float
    per_month = {m: sum(len(ids) for (month, _), ids in counts.items() if month == m)
                 for m in range(1, 13)}
    top = max(per_month.values(), default=1) or 1
    scale = (height - bottom - top_pad) / top
    bar = (width - left - 20) / 12
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 30}" '
           f'width="{width}" height="{height + 30}" role="img" aria-labelledby="months-title" '
           f'{FONT} font-size="12">',
           '<title id="months-title">Meetings, talks and calls of Xi Jinping with foreign '
           'leaders per month of 2023, by kind</title>',
           f'<rect width="{width}" height="{height + 30}" fill="#ffffff"/>']
    legend_x = left
    for kind, colour in kinds.items():
        label = kind.replace("-", " ")
        out.append(f'<rect x="{legend_x}" y="12" width="12" height="12" fill="{colour}"/>'
                   f'<text x="{legend_x + 16}" y="22" fill="#1a1a1a">{label}</text>')
        legend_x += 24 + 7 * len(label)
    base = height - bottom
    for month in range(1, 13):
        x = left + (month - 1) * bar
        y = base
        for kind, colour in kinds.items():
            n = len(counts.get((month, kind), ()))
            if n:
                h = n * scale
                y -= h
                out.append(f'<rect x="{x + 4:.1f}" y="{y:.1f}" width="{bar - 8:.1f}" '
                           f'height="{h:.1f}" fill="{colour}"><title>'
                           f'{calendar.month_name[month]}: {n} {kind.replace("-", " ")}'
                           f'{"s" * (n != 1 and kind != "talks")}</title></rect>')
        out.append(f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                   f'fill="#1a1a1a">{per_month[month] or ""}</text>'
                   f'<text x="{x + bar / 2:.1f}" y="{base + 16}" text-anchor="middle" '
                   f'fill="#1a1a1a">{calendar.month_abbr[month]}</text>')
    out.append(f'<line x1="{left}" y1="{base}" x2="{width - 20}" y2="{base}" '
               'stroke="#1a1a1a" stroke-width="1"/>')
    out.append(f'<text x="{left}" y="{height + 20}" fill="#1a1a1a">Meetings, talks and calls '
               f'that took place in 2023 ({len({row[0] for row in meetings})} in all; an event '
               "with two counterparts counts once), by kind.</text>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def the_year(events: list[dict[str, Any]]) -> int:
    """The year the pictures show: the one in which most events began."""
    years = collections.Counter(e["start_date"][:4] for e in events if e.get("start_date"))
    return int(max(years, key=lambda y: (years[y], y))) if years else 2023


def of_the_year(events: list[dict[str, Any]], year: int) -> list[dict[str, Any]]:
    """The events that began in ``year``: the one rule every picture draws by."""
    return [e for e in events if (e.get("start_date") or "").startswith(f"{year}-")]


def row_of(event: dict[str, Any], countries: dict[str, str | None]) -> str:
    """The event's row in the timeline: the region of its foreign participants' countries."""
    places = regions()
    found = {places[code].region for p in event.get("participants") or ()
             if (code := countries.get(p["actor"])) and code != "CN" and code in places}
    found.discard(None)
    if len(found) > 1:
        return "Several regions"
    return str(found.pop()) if found else "No foreign country"


def _mark(event: dict[str, Any], body: str, link: bool, label: str) -> str:
    title = f"<title>{escape(label)}</title>"
    if link:
        return f'<a href="#{event["id"]}" aria-label={quoteattr(label)}>{title}{body}</a>'
    return f"<g>{title}{body}</g>"


class _Lanes:
    """The lanes of one row of the timeline: each mark goes to the first lane (lowest
    number) whose last mark ends more than 3 units before it starts. Marks come in order of
    their start, so a lane once free stays free for every later mark: heaps make this
    first fit O(n log n)."""

    def __init__(self) -> None:
        self.count = 0
        self.free: list[int] = []  # lane numbers
        self.busy: list[tuple[float, int]] = []  # (where its last mark ends, lane number)

    def place(self, start: float, end: float) -> int:
        while self.busy and self.busy[0][0] + 3 < start:
            heapq.heappush(self.free, heapq.heappop(self.busy)[1])
        if self.free:
            lane = heapq.heappop(self.free)
        else:
            lane, self.count = self.count, self.count + 1
        heapq.heappush(self.busy, (end, lane))
        return lane


def timeline_svg(events: list[dict[str, Any]], countries: dict[str, str | None] | None = None,
                 link: bool = False) -> str:
    """The year's events on a time axis, one row per region of the foreign counterparts
    (``countries``: each actor's country), coloured by kind; the months and the legend at
    the top, the months again at the bottom."""
    year = the_year(events)
    dated = sorted(of_the_year(events, year), key=lambda e: (e["start_date"], e["id"]))
    outside = len(events) - len(dated)
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    left, right, width = 150, 20, 960
    span = width - left - right

    def x_of(day: datetime.date) -> float:
        return left + span * (day - first).days / ((last - first).days + 1)

    @functools.cache  # a year has few days, and many events may share one
    def x_from(start: str) -> float:
        return x_of(datetime.date.fromisoformat(start))

    @functools.cache
    def x_after(end: str) -> float:
        return x_of(min(datetime.date.fromisoformat(end), last) + datetime.timedelta(days=1))

    rows: dict[str, _Lanes] = {}
    placed: list[tuple[dict[str, Any], str, int, float, float]] = []
    for event in dated:
        x0 = x_from(event["start_date"])
        x1 = x_after(event.get("end_date") or event["start_date"])
        row = row_of(event, countries or {})
        lane = rows.setdefault(row, _Lanes()).place(x0, max(x1, x0 + 10))
        placed.append((event, row, lane, x0, x1))
    present = {e["kind"] for e in dated}
    kinds = [k for k in KIND_COLOURS if k in present]
    legend_rows = math.ceil(len(kinds) / 7)
    top, lane_height, gap = 64 + 20 * legend_rows, 14, 14
    offsets, y = {}, top
    for row in (r for r in ROWS if r in rows):
        offsets[row] = y
        y += rows[row].count * lane_height + gap
    axis = y
    height = axis + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="{role(link)}" '
           'aria-labelledby="timeline-title" '
           f'{FONT} font-size="12">',
           f'<title id="timeline-title">Timeline of the {len(dated)} events of China\'s '
           f'head-of-state diplomacy that began in {year}, by the region of the foreign '
           'counterparts</title>',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="{left}" y="20" font-size="15" font-weight="600" fill="#1a1a1a">'
           f'Head-of-state diplomacy, {year}: {len(dated)} events, by the counterparts\' '
           'region</text>']
    for i, kind in enumerate(kinds):
        lx, ly = left + (i % 7) * 110, 42 + 20 * (i // 7)
        out.append(f'<circle cx="{lx + 5}" cy="{ly - 4}" r="5" fill="{KIND_COLOURS[kind]}" '
                   f'stroke="#1a1a1a" stroke-width="0.6"/><text x="{lx + 14}" y="{ly}" '
                   f'fill="#1a1a1a">{kind}</text>')
    for month in range(1, 13):
        mx = x_of(datetime.date(year, month, 1))
        out.append(f'<line x1="{mx:.1f}" y1="{top - 10}" x2="{mx:.1f}" y2="{axis}" '
                   f'stroke="#d0d0d0"/>')
        for ty in (top - 14, axis + 14):
            out.append(f'<text x="{mx + 3:.1f}" y="{ty}" fill="#333333">'
                       f'{datetime.date(year, month, 1):%b}</text>')
    for row, ry in offsets.items():
        out.append(f'<text x="{left - 8}" y="{ry + 10}" text-anchor="end" fill="#1a1a1a">'
                   f'{escape(row)}</text>')
        out.append(f'<line x1="{left}" y1="{ry - gap / 2:.1f}" x2="{width - right}" '
                   f'y2="{ry - gap / 2:.1f}" stroke="#eeeeee"/>')
    for event, row, lane, x0, x1 in placed:
        cy = offsets[row] + lane * lane_height + 6
        colour = KIND_COLOURS.get(event["kind"], "#333333")
        label = f"{event['start_date']}: {event['title']} ({event['kind']})"
        if x1 - x0 > 8:
            body = (f'<rect x="{x0:.1f}" y="{cy - 5}" width="{x1 - x0:.1f}" height="10" rx="5" '
                    f'fill="{colour}" stroke="#1a1a1a" stroke-width="0.6"/>')
        else:
            body = (f'<circle cx="{(x0 + x1) / 2:.1f}" cy="{cy}" r="5" fill="{colour}" '
                    f'stroke="#1a1a1a" stroke-width="0.6"/>')
        out.append(_mark(event, body, link, label))
    out.append(f'<text x="{left}" y="{axis + 32}" fill="#555555">Events that began in {year}'
               + (f" ({outside} other not shown)" if outside else "")
               + "; a row is the UN M49 region of the foreign participants.</text>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def places(events: list[dict[str, Any]]) -> collections.Counter:
    """How many events took place in each country (ISO alpha-2)."""
    return collections.Counter(e["country"] for e in events if e.get("country"))


def map_svg(events: list[dict[str, Any]], link: bool = False) -> str:
    """A world map: the countries where the year's events took place, shaded and marked by
    count (the events that began in the year, as the timeline draws them)."""
    year = the_year(events)
    dated = of_the_year(events, year)
    counts = places(dated)
    unplaced = sum(1 for e in dated if not e.get("country"))
    outside = len(events) - len(dated)
    return world_map(counts, "map", "event",
                      f"World map of where {sum(counts.values())} events of {year} took place, "
                      f"in {len(counts)} countries",
                      f"Where the events that began in {year} took place: "
                      f"{sum(counts.values())} events in {len(counts)} countries; {unplaced} "
                      "were virtual or by letter"
                      + (f"; {outside} of other years or undated not counted." if outside
                         else "."), link)
