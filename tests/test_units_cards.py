"""The explorer's record cards, on a tiny dataset made in the test: the dates as a reader
says them (one day, ranges within a month, across months and years, months, years), the
order of the cards, and what each card shows and links to, written out by hand."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from dipdata.model import typed
from dipdata.model.source import Sentence
from dipdata.use.loader import Dataset
from dipdata.views import cards
from dipdata.views.cards import card, counterparts_of, countries_of, ordered, region_of, when

D = datetime.date

# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "end", "precision", "said"), [
    (None, None, "day", "date not confirmed"),
    (None, D(2023, 3, 22), "day", "date not confirmed"),
    (None, None, "year", "date not confirmed"),
    # one day: no leading zero, the month in words
    (D(2023, 3, 1), None, "day", "1 March 2023"),
    (D(2023, 3, 20), D(2023, 3, 20), "day", "20 March 2023"),
    # a range within a month, across months, across years (an en dash, spaced between dates)
    (D(2023, 3, 20), D(2023, 3, 22), "day", "20–22 March 2023"),
    (D(2023, 3, 30), D(2023, 4, 2), "day", "30 March 2023 – 2 April 2023"),
    (D(2023, 3, 20), D(2024, 3, 22), "day", "20 March 2023 – 22 March 2024"),
    (D(2023, 12, 31), D(2024, 1, 1), "day", "31 December 2023 – 1 January 2024"),
    # known to the month: one month, or a span of months
    (D(2023, 3, 1), None, "month", "March 2023"),
    (D(2023, 3, 1), D(2023, 3, 31), "month", "March 2023"),
    (D(2023, 3, 1), D(2023, 5, 31), "month", "March 2023 – May 2023"),
    (D(2023, 3, 1), D(2024, 3, 31), "month", "March 2023 – March 2024"),
    # known to the year
    (D(2023, 1, 1), D(2023, 12, 31), "year", "2023"),
    (D(2023, 1, 1), None, "year", "2023"),
])
def test_dates_as_a_reader_says_them(start, end, precision, said):
    assert when(start, end, precision) == said


def test_dates_are_days_unless_said_otherwise():
    assert when(D(2023, 5, 9), D(2023, 5, 10)) == "9–10 May 2023"
    assert when(D(2023, 5, 9), None) == "9 May 2023"


# --- a tiny dataset ----------------------------------------------------------------------------

TEXT = "Xi visited Russia. Putin hosted him."
SENTENCES = [Sentence(1, "major-country-relations", 0, 18, "Xi visited Russia."),
             Sentence(2, "major-country-relations", 19, 36, "Putin hosted him.")]
SIXTY = "abcdefghi " * 5 + "abcdefghi"  # 59 characters, then one more
LONG = "abcdefghi " * 6 + "abcdefghi"  # 69 characters: cut after its fifth word


def event(record_id: str, title: str, start: str | None, **fields) -> dict:
    return {"id": record_id, "kind": "talks", "title": title, "start_date": start,
            "end_date": None, "date_precision": "day", "mode": "in-person",
            "section": "major-country-relations", "summary": f"{title}.",
            "plover_event": "CONSULT", "participants": [], "sources": ["readout-a"],
            "mentions": [], **fields}


def actor(record_id: str, name: str, **fields) -> dict:
    return {"id": record_id, "name": name, "kind": "person", "sources": ["readout-a"],
            "mentions": [], **fields}


TABLES = {
    "sources": [
        {"id": "readout-a", "kind": "readout", "title": "Xi & Putin <talks>", "publisher": "MFA",
         "url": "https://example.org/a?x=1&y=2", "published": "2023-03-05", "language": "en"},
        {"id": "report-b", "kind": "report", "title": "Report B", "publisher": "Wire",
         "url": "http://example.org/b", "published": None, "language": "zh-Hans"},
    ],
    "actors": [
        actor("emmanuel-macron", "Emmanuel Macron", country="FR"),
        actor("united-nations", "United Nations", kind="organisation"),
        actor("vladimir-putin", "Vladimir Putin", name_zh="弗拉基米尔·普京", name_zh_short="普京",
              title="President of Russia", country="RU"),
        actor("xi-jinping", "Xi Jinping", name_zh="习近平", title="President of China",
              country="CN", wikidata="Q15031"),
    ],
    "events": [
        event("call-macron", "Call with Macron <video>", "2023-01-05", kind="call", mode="phone",
              plover_mode="phone",
              participants=[{"actor": "xi-jinping", "role": "participant"},
                            {"actor": "emmanuel-macron", "role": "counterpart",
                             "capacity": "President of France"}]),
        event("dinner-moscow", "Dinner", "2023-03-21", venue="Palace & Hall", country="RU",
              sidelines_of="visit-russia", plover_mode="third-party"),
        event("talks-moscow", "Talks in Moscow", "2023-03-21", city="Moscow", country="RU",
              part_of="visit-russia"),
        event("undated-letter", "A letter", None, kind="letter", mode="written"),
        event("visit-russia", "State visit to Russia", "2023-03-20", kind="visit",
              title_zh="国事访问", end_date="2023-03-22", city="Moscow", country="RU",
              venue="Kremlin", summary="Xi visited & talked.", plover_mode="visit",
              participants=[{"actor": "xi-jinping", "role": "guest",
                             "capacity": "President of China"},
                            {"actor": "vladimir-putin", "role": "host"},
                            {"actor": "united-nations", "role": "participant"}],
              sources=["readout-a", "report-b"], notes="A <note>.",
              mentions=[{"quote": "Xi visited Russia", "start": 0, "end": 17}]),
    ],
    "outcomes": [
        {"id": "agreement-b", "kind": "agreement", "title": "Agreement B", "date": None,
         "event": "call-macron", "summary": "Agreed.", "items": [], "countries": [],
         "organisations": [], "sources": ["readout-a"], "mentions": []},
        {"id": "joint-statement-russia", "kind": "joint-statement", "title": "Joint statement",
         "date": "2023-03-21", "event": "visit-russia", "summary": "Signed.",
         "items": ["Item <1>", "Item 2"], "countries": ["RU", "KZ"],
         "organisations": ["SCO", "BRICS"], "relationship": "comprehensive partnership",
         "relationship_change": "upgraded", "relationship_country": "FR",
         "premier_hosted": True, "sources": ["readout-a"], "mentions": []},
    ],
    "positions": [
        {"id": "macron-ukraine", "issue": "ukraine-crisis", "statement": "views-exchanged",
         "stance": None, "demands": [], "actor": "emmanuel-macron", "occasion": "call-macron",
         "date": None, "sources": ["readout-a"], "mentions": []},
        {"id": "putin-ukraine", "issue": "ukraine-crisis", "stance": "Talks & peace.",
         "demands": ["Stop <now>", "Talk"], "actor": "vladimir-putin",
         "occasion": "visit-russia", "outcome": "joint-statement-russia", "date": "2023-03-21",
         "sources": ["readout-a"], "mentions": []},
    ],
    "aggregates": [
        {"id": "friends-2023", "title": "Friends", "summary": "Some.", "section": "closing",
         "exhaustive": False, "basis": "Examples <only>.", "examples": [],
         "sources": ["readout-a"], "mentions": []},
        {"id": "meetings-2023", "title": "Meetings", "summary": "All.", "section": "closing",
         "exhaustive": True, "basis": "Counted.", "examples": ["visit-russia", "call-macron"],
         "sources": ["readout-a"], "mentions": []},
    ],
    "commentary": [
        {"id": "comment-long", "reason": "Too long.",
         "mentions": [{"quote": LONG, "start": 19, "end": 36}]},
        {"id": "comment-sixty", "reason": "Sixty.",
         "mentions": [{"quote": SIXTY + "x", "start": 19, "end": 36}]},
        {"id": "comment-short", "reason": "No single <event>.",
         "mentions": [{"quote": "Putin hosted him", "start": 19, "end": 35},
                      {"quote": "Xi", "start": 0, "end": 2}]},
    ],
}


@pytest.fixture(scope="module")
def data() -> Dataset:
    return Dataset(TABLES, SENTENCES, TEXT, "1.0.0", make=typed.maker)


def rows(data: Dataset, table: str, record_id: str) -> tuple[str, dict[str, str]]:
    title, found = cards._fields(data, table, data.record(record_id))
    return title, dict(found)


# --- the order of the cards ----------------------------------------------------------------

def test_events_in_date_order_ties_by_id_undated_last(data):
    assert [e.id for e in ordered(data, "events")] == [
        "call-macron", "visit-russia", "dinner-moscow", "talks-moscow", "undated-letter"]


def test_the_other_tables_keep_the_package_order_of_ids(data):
    assert [r.id for r in ordered(data, "actors")] == [
        "emmanuel-macron", "united-nations", "vladimir-putin", "xi-jinping"]
    assert [r.id for r in ordered(data, "commentary")] == [
        "comment-long", "comment-sixty", "comment-short"]


def test_an_undated_event_sorts_after_any_date():
    late = SimpleNamespace(id="a", start_date=D(9999, 12, 30))
    undated = SimpleNamespace(id="b", start_date=None)
    early = SimpleNamespace(id="c", start_date=D(1900, 1, 1))
    data = SimpleNamespace(events=[undated, late, early])
    assert [e.id for e in ordered(data, "events")] == ["c", "a", "b"]


# --- what each card says -------------------------------------------------------------------

def test_an_event_with_everything(data):
    title, found = rows(data, "events", "visit-russia")
    assert title == "State visit to Russia"
    assert found == {
        "In Chinese": '<span lang="zh-Hans">国事访问</span>',
        "When": "20–22 March 2023",
        "Where": "Kremlin, Moscow, Russian Federation",
        "Mode": "in-person",
        "Part of": "",
        "Parts": '<ul><li><a href="#talks-moscow">Talks in Moscow</a></li></ul>',
        "On the sidelines of": "",
        "On its sidelines": '<ul><li><a href="#dinner-moscow">Dinner</a></li></ul>',
        "Participants": '<ul><li><a href="#xi-jinping">Xi Jinping</a> — guest '
                        "(President of China)</li>"
                        '<li><a href="#vladimir-putin">Vladimir Putin</a> — host</li>'
                        '<li><a href="#united-nations">United Nations</a> — participant</li>'
                        "</ul>",
        "Outcomes": '<ul><li><a href="#joint-statement-russia">Joint statement</a></li></ul>',
        "Positions": '<ul><li><a href="#putin-ukraine">The Ukraine crisis, 21 March 2023</a>'
                     "</li></ul>",
        "Summary": "Xi visited &amp; talked.",
        "PLOVER": "CONSULT (mode visit: one side visits the other, who hosts)",
    }


def test_events_with_less(data):
    title, found = rows(data, "events", "talks-moscow")
    assert (found["Where"], found["When"], found["PLOVER"]) == (
        "Moscow, Russian Federation", "21 March 2023", "CONSULT")
    assert found["Part of"] == '<a href="#visit-russia">State visit to Russia</a>'
    assert found["Parts"] == found["On its sidelines"] == found["Participants"] == ""
    assert found["In Chinese"] == found["Outcomes"] == found["Positions"] == ""

    _, found = rows(data, "events", "dinner-moscow")
    assert found["Where"] == "Palace &amp; Hall, Russian Federation"
    assert found["On the sidelines of"] == '<a href="#visit-russia">State visit to Russia</a>'
    assert found["PLOVER"] == "CONSULT (mode third-party: hosted by a third party)"

    title, found = rows(data, "events", "call-macron")
    assert title == "Call with Macron &lt;video&gt;"
    assert (found["Where"], found["When"], found["Mode"]) == (
        "no place (phone)", "5 January 2023", "phone")
    assert found["Participants"] == (
        '<ul><li><a href="#xi-jinping">Xi Jinping</a> — participant</li>'
        '<li><a href="#emmanuel-macron">Emmanuel Macron</a> — counterpart '
        "(President of France)</li></ul>")
    assert found["PLOVER"] == "CONSULT (mode phone: by any remote medium: phone, video or letter)"
    assert found["Positions"] == '<ul><li><a href="#macron-ukraine">The Ukraine crisis</a></li></ul>'
    assert found["Outcomes"] == '<ul><li><a href="#agreement-b">Agreement B</a></li></ul>'

    _, found = rows(data, "events", "undated-letter")
    assert (found["When"], found["Where"]) == ("date not confirmed", "no place (written)")


def test_a_place_of_a_city_or_a_country_alone(data):
    letter = data.events["undated-letter"]
    assert dict(cards._event(data, letter.model_copy(update={"city": "Bishkek"}))[1])[
        "Where"] == "Bishkek"
    assert dict(cards._event(data, letter.model_copy(update={"country": "KZ"}))[1])[
        "Where"] == "Kazakhstan"


def test_an_event_known_to_the_month_or_year_says_so(data):
    letter = data.events["undated-letter"]
    april = letter.model_copy(update={"start_date": D(2023, 4, 1), "end_date": D(2023, 4, 30),
                                      "date_precision": "month"})
    assert dict(cards._event(data, april)[1])["When"] == "April 2023"
    year = april.model_copy(update={"end_date": D(2023, 12, 31), "date_precision": "year"})
    assert dict(cards._event(data, year)[1])["When"] == "2023"


def test_an_outcome(data):
    title, found = rows(data, "outcomes", "joint-statement-russia")
    assert title == "Joint statement"
    assert found == {
        "Date": "21 March 2023",
        "Event": '<a href="#visit-russia">State visit to Russia</a>',
        "Summary": "Signed.",
        "Items": "<ol><li>Item &lt;1&gt;</li><li>Item 2</li></ol>",
        "Countries": "Russian Federation, Kazakhstan",
        "Organisations": "SCO, BRICS",
        "Relationship": "comprehensive partnership (upgraded, France)",
        "Talks held by": "the Premier, while the President met the visitor",
    }
    assert rows(data, "outcomes", "agreement-b")[1] == {
        "Date": "date not confirmed", "Event": '<a href="#call-macron">Call with Macron '
                                               "&lt;video&gt;</a>",
        "Summary": "Agreed.", "Items": "", "Countries": "", "Organisations": "",
        "Relationship": "", "Talks held by": ""}


def test_a_position(data):
    title, found = rows(data, "positions", "putin-ukraine")
    assert title == "The Ukraine crisis"
    assert found == {
        "Stance": "Talks &amp; peace.",
        "Stated by": '<a href="#vladimir-putin">Vladimir Putin</a>',
        "Occasion": '<a href="#visit-russia">State visit to Russia</a>',
        "In": '<a href="#joint-statement-russia">Joint statement</a>',
        "Date": "21 March 2023",
        "Demands": "<ul><li>Stop &lt;now&gt;</li><li>Talk</li></ul>",
    }
    assert rows(data, "positions", "macron-ukraine")[1] == {
        "Stance": "views were exchanged; the sources give no substance",
        "Stated by": '<a href="#emmanuel-macron">Emmanuel Macron</a>',
        "Occasion": '<a href="#call-macron">Call with Macron &lt;video&gt;</a>',
        "In": "", "Date": "", "Demands": ""}


def test_an_aggregate(data):
    assert rows(data, "aggregates", "meetings-2023") == ("Meetings", {
        "Summary": "All.",
        "Examples": 'every record it covers<ul><li><a href="#visit-russia">State visit to '
                    'Russia</a></li><li><a href="#call-macron">Call with Macron &lt;video&gt;'
                    "</a></li></ul>",
        "Basis": "Counted."})
    assert rows(data, "aggregates", "friends-2023") == ("Friends", {
        "Summary": "Some.", "Examples": "verified examples", "Basis": "Examples &lt;only&gt;."})


def test_an_actor(data):
    assert rows(data, "actors", "vladimir-putin") == ("Vladimir Putin", {
        "In Chinese": '<span lang="zh-Hans">弗拉基米尔·普京 / 普京</span>',
        "Title": "President of Russia",
        "Country": "Russian Federation",
        "Wikidata": "",
        "Events": '<ul><li><a href="#visit-russia">State visit to Russia</a> — host</li></ul>'})
    assert rows(data, "actors", "xi-jinping") == ("Xi Jinping", {
        "In Chinese": '<span lang="zh-Hans">习近平</span>',
        "Title": "President of China",
        "Country": "China",
        "Wikidata": '<a href="https://www.wikidata.org/wiki/Q15031" rel="noopener noreferrer">'
                    "Q15031</a>",
        "Events": '<ul><li><a href="#call-macron">Call with Macron &lt;video&gt;</a> — '
                  'participant</li><li><a href="#visit-russia">State visit to Russia</a> — '
                  "guest</li></ul>"})
    assert rows(data, "actors", "united-nations")[1] == {
        "In Chinese": "", "Title": "", "Country": "", "Wikidata": "",
        "Events": '<ul><li><a href="#visit-russia">State visit to Russia</a> — participant'
                  "</li></ul>"}


def test_commentary_is_titled_by_its_first_quote_cut_at_a_word(data):
    assert rows(data, "commentary", "comment-short") == (
        "Commentary on “Putin hosted him”", {"Why no record": "No single &lt;event&gt;."})
    # sixty characters are kept whole; beyond, the first 57 are cut back to a space
    assert rows(data, "commentary", "comment-sixty")[0] == f"Commentary on “{SIXTY}x”"
    assert rows(data, "commentary", "comment-long")[0] == (
        "Commentary on “abcdefghi abcdefghi abcdefghi abcdefghi abcdefghi…”")
    sixty_one = data.commentary["comment-sixty"].model_copy(update={"mentions": [
        data.commentary["comment-sixty"].mentions[0].model_copy(update={"quote": SIXTY + "xy"})]})
    assert cards._fields(data, "commentary", sixty_one)[0] == (
        "Commentary on “abcdefghi abcdefghi abcdefghi abcdefghi abcdefghi…”")


def test_a_quote_is_cut_at_a_space_never_inside_a_non_breaking_one(data):
    # 10 000 000 written with non-breaking spaces, from index 50; the cut at 57 falls inside
    quote = "abcdefghi " * 4 + "xxxxxxxxx 10\u00a0000\u00a0000 more words"
    assert quote[49] == " " and quote[52] == quote[56] == "\u00a0" and len(quote) == 71
    short = data.commentary["comment-short"]
    made = short.model_copy(update={"mentions": [
        short.mentions[0].model_copy(update={"quote": quote})]})
    assert cards._fields(data, "commentary", made)[0] == (
        "Commentary on “abcdefghi abcdefghi abcdefghi abcdefghi xxxxxxxxx…”")


def test_a_source(data):
    assert rows(data, "sources", "readout-a") == ("Xi &amp; Putin &lt;talks&gt;", {
        "Published": '<a href="https://example.org/a?x=1&amp;y=2" rel="noopener noreferrer">'
                     "MFA</a>, 5 March 2023",
        "Language": "en",
        # every record citing it, in the explorer's order of tables
        "Cited by": "<ul>" + "".join(f'<li><a href="#{i}">{label}</a></li>' for i, label in [
            ("call-macron", "Call with Macron &lt;video&gt;"), ("dinner-moscow", "Dinner"),
            ("talks-moscow", "Talks in Moscow"), ("undated-letter", "A letter"),
            ("visit-russia", "State visit to Russia"), ("agreement-b", "Agreement B"),
            ("joint-statement-russia", "Joint statement"),
            ("macron-ukraine", "The Ukraine crisis"),
            ("putin-ukraine", "The Ukraine crisis, 21 March 2023"),
            ("friends-2023", "Friends"), ("meetings-2023", "Meetings"),
            ("emmanuel-macron", "Emmanuel Macron"), ("united-nations", "United Nations"),
            ("vladimir-putin", "Vladimir Putin"), ("xi-jinping", "Xi Jinping")]) + "</ul>"})


def test_links_name_records_by_name_title_issue_or_id(data):
    assert cards._link(data, "xi-jinping") == '<a href="#xi-jinping">Xi Jinping</a>'
    assert cards._link(data, "report-b") == '<a href="#report-b">Report B</a>'
    assert cards._link(data, "putin-ukraine") == (
        '<a href="#putin-ukraine">The Ukraine crisis, 21 March 2023</a>')
    assert cards._link(data, "macron-ukraine") == (
        '<a href="#macron-ukraine">The Ukraine crisis</a>')
    assert cards._link(data, "comment-short") == '<a href="#comment-short">comment-short</a>'
    assert cards._links(data, []) == ""


# --- the whole card ------------------------------------------------------------------------

def test_the_card_of_a_source(data):
    assert card(data, "sources", data.record("report-b")) == (
        '<article class="record" id="report-b" tabindex="-1" data-table="sources" '
        'data-kind="report" data-section="" data-country="" data-counterpart="" '
        'data-region="">'
        '<details><summary><h4>Report B</h4> <span class="badges"><span class="badge">source'
        '</span> <span class="badge">report</span></span></summary>'
        '<p class="permalink"><a class="anchor" href="#report-b">Link to this record</a> '
        "<code>report-b</code></p>"
        '<dl><dt>Published</dt><dd><a href="http://example.org/b" rel="noopener noreferrer">'
        "Wire</a></dd><dt>Language</dt><dd>zh-Hans</dd>"
        '<dt>Cited by</dt><dd><ul><li><a href="#visit-russia">State visit to Russia</a></li>'
        "</ul></dd></dl></details></article>")


def test_the_card_of_an_event_adds_sources_mentions_notes_and_filters(data):
    html = card(data, "events", data.record("visit-russia"))
    assert html.startswith(
        '<article class="record" id="visit-russia" tabindex="-1" data-table="events" '
        'data-kind="visit" data-section="major-country-relations" data-country="RU" '
        'data-counterpart="RU" data-region="Europe">'
        '<details><summary><h4><span class="en">State visit to Russia</span>'
        '<span class="zh" lang="zh-Hans">国事访问</span></h4> <span class="when">'
        '<span class="en">20–22 March 2023</span><span class="zh" lang="zh-Hans">'
        "2023年3月20日至22日</span></span> "
        '<span class="badges"><span class="badge">event</span> <span class="badge">visit</span>'
        '</span></summary><p class="permalink"><a class="anchor" href="#visit-russia">'
        "Link to this record</a> <code>visit-russia</code></p><dl>"
        '<dt>In Chinese</dt><dd><span lang="zh-Hans">国事访问</span></dd>'
        "<dt>When</dt><dd>20–22 March 2023</dd>")
    assert "<dt>Part of</dt>" not in html and "<dt>On the sidelines of</dt>" not in html
    assert html.endswith(
        "<dt>Sources</dt><dd><ul>"
        '<li><a href="https://example.org/a?x=1&amp;y=2" rel="noopener noreferrer">'
        'Xi &amp; Putin &lt;talks&gt;</a> — MFA, 5 March 2023 (<a href="#readout-a">record</a>)'
        "</li>"
        '<li><a href="http://example.org/b" rel="noopener noreferrer">Report B</a> — Wire '
        '(<a href="#report-b">record</a>)</li></ul></dd>'
        '<dt>In the review</dt><dd><ul><li><a href="#sentence-1">Sentence 1</a>: '
        "“Xi visited Russia”</li></ul></dd>"
        "<dt>Notes</dt><dd>A &lt;note&gt;.</dd></dl></details></article>")


def test_the_card_of_commentary_and_its_mentions(data):
    html = card(data, "commentary", data.record("comment-short"))
    assert ('<span class="badges"><span class="badge">commentary</span></span></summary>'
            '<p class="permalink"><a class="anchor" href="#comment-short">Link to this record</a> '
            "<code>comment-short</code></p>") in html
    assert ' data-table="commentary" data-kind="" data-section="" data-country="" ' \
           'data-counterpart="" data-region=""' in html
    assert ('<dt>In the review</dt><dd><ul><li><a href="#sentence-2">Sentence 2</a>: '
            '“Putin hosted him”</li><li><a href="#sentence-1">Sentence 1</a>: “Xi”</li></ul>'
            "</dd></dl></details></article>") in html
    assert "<dt>Sources</dt>" not in html and "<dt>Notes</dt>" not in html


def test_the_card_of_an_outcome_filters_by_its_countries(data):
    html = card(data, "outcomes", data.record("joint-statement-russia"))
    assert (' data-table="outcomes" data-kind="joint-statement" data-section="" '
            'data-country="KZ RU" data-counterpart="FR KZ RU" data-region="Asia Europe">') in html


# --- the filters' countries and regions ----------------------------------------------------

def test_countries_of_a_record(data):
    assert countries_of("outcomes", data.record("joint-statement-russia")) == ["KZ", "RU"]
    assert countries_of("outcomes", data.record("agreement-b")) == []
    assert countries_of("events", data.record("visit-russia")) == ["RU"]
    assert countries_of("events", data.record("undated-letter")) == []
    assert countries_of("actors", data.record("xi-jinping")) == ["CN"]
    assert countries_of("sources", data.record("readout-a")) == []


def test_counterparts_are_the_foreign_countries_met(data):
    # China's own and those of actors without a country are left out
    assert counterparts_of(data, "events", data.record("visit-russia")) == ["RU"]
    assert counterparts_of(data, "events", data.record("call-macron")) == ["FR"]
    assert counterparts_of(data, "events", data.record("undated-letter")) == []
    assert counterparts_of(data, "actors", data.record("vladimir-putin")) == ["RU"]
    assert counterparts_of(data, "actors", data.record("xi-jinping")) == []
    assert counterparts_of(data, "actors", data.record("united-nations")) == []
    assert counterparts_of(data, "outcomes", data.record("joint-statement-russia")) == [
        "FR", "KZ", "RU"]
    assert counterparts_of(data, "outcomes", data.record("agreement-b")) == []
    assert counterparts_of(data, "positions", data.record("macron-ukraine")) == ["FR"]
    assert counterparts_of(data, "positions", data.record("putin-ukraine")) == ["RU"]
    assert counterparts_of(data, "aggregates", data.record("meetings-2023")) == []
    assert counterparts_of(data, "commentary", data.record("comment-short")) == []


def test_regions_of_countries():
    assert (region_of("RU"), region_of("KZ"), region_of("BR"), region_of("ZA")) == (
        "Europe", "Asia", "Americas", "Africa")
    assert region_of("XX") == ""  # not a country


def test_a_region_of_several_words_is_one_filter_value(data, monkeypatch):
    places = {"RU": SimpleNamespace(region="Eastern Europe"), "FR": SimpleNamespace(region=None),
              "KZ": SimpleNamespace(region="Central Asia")}
    monkeypatch.setattr(cards, "regions", lambda: places)
    assert region_of("FR") == ""
    html = card(data, "outcomes", data.record("joint-statement-russia"))
    assert ' data-region="Central_Asia Eastern_Europe">' in html


# --- the card in Chinese as well as English ---------------------------------------------------

@pytest.mark.parametrize(("start", "end", "precision", "said"), [
    (None, None, "day", "日期未确认"),
    (D(2023, 3, 20), None, "day", "2023年3月20日"),
    (D(2023, 3, 20), D(2023, 3, 20), "day", "2023年3月20日"),
    (D(2023, 3, 20), D(2023, 3, 22), "day", "2023年3月20日至22日"),
    (D(2023, 3, 30), D(2023, 4, 2), "day", "2023年3月30日至4月2日"),
    (D(2023, 12, 31), D(2024, 1, 1), "day", "2023年12月31日至2024年1月1日"),
    (D(2023, 3, 1), None, "month", "2023年3月"),
    (D(2023, 3, 1), D(2023, 3, 31), "month", "2023年3月"),
    (D(2023, 3, 1), D(2023, 5, 31), "month", "2023年3月至2023年5月"),
    (D(2023, 12, 1), D(2024, 1, 31), "month", "2023年12月至2024年1月"),
    (D(2023, 1, 1), D(2023, 12, 31), "year", "2023年"),
])
def test_dates_as_a_chinese_reader_writes_them(start, end, precision, said):
    assert cards.when_zh(start, end, precision) == said


def test_chinese_dates_are_days_unless_said_otherwise():
    assert cards.when_zh(D(2023, 5, 9), D(2023, 5, 10)) == "2023年5月9日至10日"


CHINESE = "普京接待了他。习近平访问俄罗斯。"


@pytest.fixture(scope="module")
def bilingual() -> Dataset:
    """The tiny dataset with the review's two texts, a Chinese mention and an untitled page."""
    tables = {**TABLES, "texts": [
        {"id": "review-2023-en", "source": "readout-a", "language": "en", "sha256": "0" * 64,
         "complete": True, "translation_of": "review-2023-zh",
         "alignment": [{"sentence": 1, "original": 2}, {"sentence": 2, "original": 1}]},
        {"id": "review-2023-zh", "source": "report-b", "language": "zh-Hans",
         "sha256": "1" * 64, "complete": False, "first_section": "major-country-relations"}]}
    tables["sources"] = [*TABLES["sources"], {
        "id": "untitled-c", "kind": "report", "title": None, "publisher": "Gazette",
        "url": "https://example.org/c", "published": None, "language": "zh"}]
    visit = next(e for e in TABLES["events"] if e["id"] == "visit-russia")
    tables["events"] = [e for e in TABLES["events"] if e is not visit] + [{
        **visit, "sources": ["readout-a", "untitled-c"],
        "mentions": [*visit["mentions"], {"quote": "访问俄罗斯", "start": 10, "end": 15,
                                          "in_text": "review-2023-zh"}]}]
    return Dataset(tables, SENTENCES, TEXT, "1.0.0", make=typed.maker,
                   words={"review-2023-zh": CHINESE})


def test_a_card_gives_the_words_of_both_texts(bilingual):
    html = card(bilingual, "events", bilingual.record("visit-russia"))
    assert ('<dt>In the review</dt><dd><ul><li><a href="#sentence-1">Sentence 1</a>: “Xi '
            'visited Russia”</li><li class="zh" lang="zh-Hans"><a href="#zh-sentence-2">第2句'
            "</a>：“访问俄罗斯”</li></ul></dd>") in html
    # a record with no Chinese words gives the English only; a dataset without texts too
    assert '<li class="zh"' not in card(bilingual, "commentary",
                                        bilingual.record("comment-short"))
    plain = Dataset(TABLES, SENTENCES, TEXT, "1.0.0", make=typed.maker)
    assert '<li class="zh"' not in card(plain, "events", plain.record("visit-russia"))


def test_a_card_holds_its_title_and_dates_in_both_languages(bilingual):
    html = card(bilingual, "events", bilingual.record("visit-russia"))
    assert ('<summary><h4><span class="en">State visit to Russia</span><span class="zh" '
            'lang="zh-Hans">国事访问</span></h4> <span class="when"><span class="en">20–22 March '
            '2023</span><span class="zh" lang="zh-Hans">2023年3月20日至22日</span></span> ') in html
    putin = card(bilingual, "actors", bilingual.record("vladimir-putin"))
    assert ('<summary><h4><span class="en">Vladimir Putin</span><span class="zh" '
            'lang="zh-Hans">弗拉基米尔·普京</span></h4> <span class="badges">') in putin
    macron = card(bilingual, "actors", bilingual.record("emmanuel-macron"))
    assert "<summary><h4>Emmanuel Macron</h4> <span" in macron  # no Chinese name: English only
    letter = card(bilingual, "events", bilingual.record("undated-letter"))
    assert ('<span class="when"><span class="en">date not confirmed</span><span class="zh" '
            'lang="zh-Hans">日期未确认</span></span>') in letter


def test_a_page_without_a_title_is_named_by_its_publisher(bilingual):
    untitled = bilingual.record("untitled-c")
    assert cards.source_title(untitled) == "Untitled page of Gazette"
    assert cards._link(bilingual, "untitled-c") == (
        '<a href="#untitled-c">Untitled page of Gazette</a>')
    assert "<h4>Untitled page of Gazette</h4>" in card(bilingual, "sources", untitled)
    assert ('<li><a href="https://example.org/c" rel="noopener noreferrer">Untitled page of '
            "Gazette</a> — Gazette (") in card(bilingual, "events", bilingual.record("visit-russia"))
    assert cards.source_title(bilingual.record("report-b")) == "Report B"
