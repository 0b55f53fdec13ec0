"""The explorer's page, on a tiny dataset made in the test: the review's sentences as buttons
naming their records (in English and in the Chinese original), the filters' options and
their order, the meetings table, the records' sections, the embedded JSON-LD and the
page's frame, each written out by hand."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from dipdata.model import typed
from dipdata.model.source import Sentence
from dipdata.use.loader import Dataset
from dipdata.views import site
from dipdata.views.site import _ranges, both, page

#: The English review: five sentences in four sections.
TEXT = "Review. What & why? Xi visited Russia. Putin hosted him. Peace."
MAJOR = "major-country-relations"
SENTENCES = [Sentence(1, "heading", 0, 7, "Review."),
             Sentence(2, "question", 8, 19, "What & why?"),
             Sentence(3, MAJOR, 20, 38, "Xi visited Russia."),
             Sentence(4, MAJOR, 39, 56, "Putin hosted him."),
             Sentence(5, "closing", 57, 63, "Peace.")]
#: The Chinese original as far as it could be read: one paragraph, two sentences.
ZH_WORDS = "习近平访问俄罗斯。普京接待了他。\n"


def mention(start: int, end: int, text: str = "review-2023-en") -> dict:
    return {"quote": "x", "start": start, "end": end, "in_text": text}


def event(record_id: str, kind: str, start: str | None, people: list[str], **fields) -> dict:
    return {"id": record_id, "kind": kind, "title": record_id.title(), "start_date": start,
            "end_date": None, "date_precision": "day", "mode": "in-person",
            "section": MAJOR, "summary": "S.", "plover_event": "CONSULT",
            "participants": [{"actor": a, "role": "participant"} for a in people],
            "sources": ["readout-a"], "mentions": [], **fields}


def actor(record_id: str, kind: str = "person", **fields) -> dict:
    return {"id": record_id, "name": record_id.replace("-", " ").title(), "kind": kind,
            "sources": ["readout-a"], "mentions": [], **fields}


TABLES = {
    "sources": [
        {"id": "readout-a", "kind": "readout", "title": "A", "publisher": "MFA",
         "url": "https://example.org/a", "published": "2023-03-05", "language": "en"},
        {"id": "report-b", "kind": "report", "title": "B", "publisher": "Wire",
         "url": "https://example.org/b", "published": None, "language": "zh-Hans"}],
    "texts": [
        {"id": "review-2023-en", "source": "readout-a", "language": "en", "sha256": "0" * 64,
         "complete": True, "translation_of": "review-2023-zh",
         "alignment": [{"sentence": 3, "original": 1}, {"sentence": 4, "original": 2}]},
        {"id": "review-2023-zh", "source": "report-b", "language": "zh-Hans",
         "sha256": "1" * 64, "complete": False, "first_section": MAJOR}],
    "actors": [
        actor("xi-jinping", country="CN"),
        actor("vladimir-putin", country="RU"),
        actor("olaf-scholz", country="DE"),
        actor("emmanuel-macron", country="FR"),
        actor("lula", country="BR"),
        actor("aq-envoy", country="AQ"),  # Antarctica: a country in no UN region
        actor("united-nations", kind="organisation")],
    "events": [
        event("visit-russia", "visit", "2023-03-20", ["xi-jinping", "vladimir-putin"],
              country="RU", mentions=[mention(20, 38), mention(0, 9, "review-2023-zh")]),
        event("talks-moscow", "talks", "2023-03-21", ["xi-jinping", "vladimir-putin"],
              city="Moscow", country="RU", part_of="visit-russia",
              mentions=[mention(39, 50), mention(0, 3, "review-2023-zh")]),
        event("call-europe", "call", "2023-01-05", ["xi-jinping", "olaf-scholz",
                                                    "emmanuel-macron"], section="closing",
              mode="phone"),
        event("a-meeting-paris", "meeting", "2023-09-01", ["xi-jinping", "lula",
                                                          "united-nations", "aq-envoy"],
              section="hotspot-issues", city="Paris & Nice", country="FR"),
        event("letter-lula", "letter", "2023-06-01", ["xi-jinping", "lula"], mode="written",
              mentions=[mention(44, 50)])],
    "outcomes": [
        {"id": "statement-kz", "kind": "joint-statement", "title": "Statement",
         "date": "2023-03-21", "event": "visit-russia", "summary": "Signed.", "items": [],
         "countries": ["KZ", "DE"], "organisations": [], "sources": ["readout-a"],
         "mentions": [mention(57, 63)]}],
    "positions": [],
    "aggregates": [],
    "commentary": [{"id": "comment-a", "reason": "Framing.", "mentions": [mention(20, 22)]}],
}


def dataset(**changes) -> Dataset:
    tables = {**TABLES, **changes}
    return Dataset(tables, SENTENCES, TEXT, "1.2.3", make=typed.maker,
                   words={"review-2023-zh": ZH_WORDS})


@pytest.fixture
def html() -> str:
    """The page of the tiny dataset, made anew for each test (mutmut ties the code a test
    runs to the test only when the test itself runs it)."""
    return page(dataset())


def section(html: str, anchor: str) -> str:
    """The page's top-level <section id=anchor>."""
    found = re.search(rf'<section id="{anchor}" .*?</section>(?=<section id=|</main>)', html,
                      re.S)
    assert found, anchor
    return found.group()


def skeleton(html: str) -> str:
    """The page with each picture as `<svg/>` and each record's card as `<article id/>`."""
    html = re.sub(r"<svg .*?</svg>\n", "<svg/>", html, flags=re.S)
    return re.sub(r'<article class="record" id="([^"]+)".*?</article>', r"<\1/>", html,
                  flags=re.S)


def bilingual(english: str, chinese: str) -> str:
    return f'<span class="en">{english}</span><span class="zh" lang="zh-Hans">{chinese}</span>'


# --- the words of both languages -------------------------------------------------------------

def test_words_in_both_languages_or_english_alone():
    assert both("Map") == bilingual("Map", "地图")
    assert both("Kind") == bilingual("Kind", "类别")
    assert both("A & B", "甲<乙>") == bilingual("A &amp; B", "甲&lt;乙&gt;")
    assert both("Not translated") == "Not translated"
    assert both("<Empty> Chinese", "") == "&lt;Empty&gt; Chinese"


@pytest.mark.parametrize(("numbers", "said"), [
    ([], ""), ([4], "4"), ([1, 2], "1–2"), ([1, 3, 4, 5], "1、3–5"),
    ([2, 4, 6], "2、4、6"), ([7, 8, 10, 11, 12, 20], "7–8、10–12、20"),
])
def test_runs_of_sentence_numbers(numbers, said):
    assert _ranges(numbers) == said


# --- the review ---------------------------------------------------------------------------------

def button(anchor: str, number: int, records: str, hint: str, words: str) -> str:
    return (f'<button type="button" class="sentence" id="{anchor}" data-number="{number}" '
            f'data-records="{records}" aria-pressed="false" aria-controls="selected" '
            f'title="{hint}">{words}</button>')


ENGLISH = (
    '<div class="review-text en">'
    '<h3>Heading</h3><p><span class="sentence" id="sentence-1">Review.</span></p>'
    '<h3>The question</h3><p><span class="sentence" id="sentence-2">What &amp; why?</span></p>'
    "<h3>Major countries</h3><p>"
    + button("sentence-3", 3, "visit-russia comment-a", "Sentence 3: 2 records",
             "Xi visited Russia.") + " "
    + button("sentence-4", 4, "talks-moscow letter-lula", "Sentence 4: 2 records",
             "Putin hosted him.") + "</p>"
    "<h3>Closing</h3><p>"
    + button("sentence-5", 5, "statement-kz", "Sentence 5: 1 record", "Peace.") + "</p></div>")
CHINESE = (
    '<div class="review-text zh" lang="zh-Hans"><h3>一、大国关系</h3><p>'
    + button("zh-sentence-1", 1, "visit-russia talks-moscow", "第1句：2条记录", "习近平访问俄罗斯。")
    + '<span class="sentence" id="zh-sentence-2">普京接待了他。</span></p>'
    '<p class="hint">英文第1–2、5句的中文原文未能读取或没有对应的句子（见 texts 表的说明）。</p></div>')
SELECTED = ('<div id="selected" role="region" aria-label="Records of a sentence" '
            f'aria-live="polite"><h3>{bilingual("Records of a sentence", "一句话涉及的记录")}</h3>'
            f'<p>{bilingual("No sentence chosen yet.", "尚未选择句子。")}</p></div>')


def review(texts: str) -> str:
    return ('<section id="review" aria-labelledby="review-heading">'
            f'<h2 id="review-heading">{bilingual("The review", "答问原文")}</h2>'
            '<p class="hint">' + bilingual(
                "The spokesperson's review of the year, sentence by sentence. Choose a "
                "sentence (click, or Tab and Enter) to list the records it speaks of.",
                "外交部发言人对这一年的回顾，逐句列出。选择一句（点击，或按 Tab 再按 Enter）即可列出它涉及的记录。")
            + f'</p><div class="review-layout">{texts}{SELECTED}</div></section>')


def test_each_sentence_names_its_records_in_english_and_chinese(html):
    """A sentence with records is a button naming them (in the package's order of tables),
    one without is plain text; a paragraph per section; the Chinese says which English
    sentences have no original."""
    assert section(html, "review") == review(ENGLISH + CHINESE)


def test_without_an_original_only_the_english():
    assert section(page(dataset(texts=[])), "review") == review(ENGLISH)


def test_an_original_for_every_sentence_needs_no_hint():
    texts = [{**TABLES["texts"][0], "alignment": [
        {"sentence": n, "original": 1 + (n > 3)} for n in range(1, 6)]}, TABLES["texts"][1]]
    found = section(page(dataset(texts=texts)), "review")
    assert found == review(ENGLISH + CHINESE.replace(
        '<p class="hint">英文第1–2、5句的中文原文未能读取或没有对应的句子（见 texts 表的说明）。</p>', ""))


# --- the rest of the page ------------------------------------------------------------------------

NAV = " ".join(f'<a href="#{anchor}">{bilingual(en, zh)}</a>' for anchor, en, zh in (
    ("review", "Review", "答问"), ("timeline", "Timeline", "时间线"), ("map", "Map", "地图"),
    ("meetings", "Whom Xi met", "会见对象"), ("records", "Records", "记录")))
HEAD = (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>dipdata explorer: China's head-of-state diplomacy in 2023</title>"
    '<link rel="icon" href="data:,"><link rel="stylesheet" href="explorer.css">{jsonld}</head>'
    '<body><a class="skip" href="#records">Skip to the records</a>'
    "<header><h1>China's head-of-state diplomacy in 2023</h1>"
    "<p>dipdata 1.2.3: 5 events, 1 outcomes, 0 positions, 0 summary statements, 7 actors, "
    "1 commentary, 2 sources. Every record rests on official readouts and is linked to the "
    "words of the review that speak of it.</p>"
    f'<nav aria-label="Parts of the page">{NAV} <button type="button" id="language" '
    'aria-pressed="false" lang="zh-Hans">中文</button></nav></header><main>')
PICTURES = (
    '<section id="timeline" aria-labelledby="timeline-heading">'
    f'<h2 id="timeline-heading">{bilingual("Timeline", "时间线")}</h2>'
    '<p class="hint">Each mark is an event, in the row of its foreign counterparts\' region, '
    "coloured by kind; choose one to open it. On a narrow screen the picture scrolls "
    'sideways.</p><div class="picture"><svg/></div></section>'
    '<section id="map" aria-labelledby="map-heading">'
    f'<h2 id="map-heading">{bilingual("Map", "地图")}</h2>'
    '<p class="hint">Where the events took place; choose a marker to list that country\'s '
    'records.</p><div class="picture"><svg/></div></section>')
FOOT = ("</main><footer><p>Data: CC BY 4.0, the dipdata contributors. Country shapes: "
        "Natural Earth (public domain), via world-atlas (ISC). Made by "
        "<code>dipdata site</code>; it works offline.</p></footer>"
        '<script src="explorer.js"></script></body></html>\n')


def row(event: str, counterpart: str, region: str, cells: list[str]) -> str:
    """A row of the meetings table; its second cell links to the event."""
    cells[1] = f'<a href="#{event}">{cells[1]}</a>'
    return (f'<tr data-event="{event}" data-counterpart="{counterpart}" data-region="{region}" '
            f'data-kind="{cells[4]}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")


MEETINGS = (
    '<section id="meetings" aria-labelledby="meetings-heading">'
    f'<h2 id="meetings-heading">{bilingual("Whom Xi met", "会见对象")}</h2>'
    '<p class="hint">Every meeting, talks, call and video meeting of 2023 with a foreign '
    "counterpart, one row per counterpart; the filters below choose the rows too. Sort by a "
    "column's heading.</p><p>"
    '<button type="button" id="download-meetings">Download the rows shown as CSV</button> '
    '<output id="meetings-shown" aria-live="polite"></output></p>'
    '<div class="table-scroll"><table id="meetings-table"><thead><tr>'
    + "".join(f'<th scope="col"><button type="button" data-column="{i}">{h}</button></th>'
              for i, h in enumerate(("Date", "Counterpart", "Country", "Region", "Kind",
                                     "City")))
    + "</tr></thead><tbody>"
    # by date, then event, then counterpart; Antarctica is in no region, the United Nations
    # has no country
    + row("call-europe", "FR", "Europe",
          ["2023-01-05", "Emmanuel Macron", "France", "Europe", "call", ""])
    + row("call-europe", "DE", "Europe",
          ["2023-01-05", "Olaf Scholz", "Germany", "Europe", "call", ""])
    + row("talks-moscow", "RU", "Europe",
          ["2023-03-21", "Vladimir Putin", "Russian Federation", "Europe", "talks", "Moscow"])
    + row("a-meeting-paris", "AQ", "",
          ["2023-09-01", "Aq Envoy", "Antarctica", "", "meeting", "Paris &amp; Nice"])
    + row("a-meeting-paris", "BR", "Americas",
          ["2023-09-01", "Lula", "Brazil", "Americas", "meeting", "Paris &amp; Nice"])
    + row("a-meeting-paris", "", "",
          ["2023-09-01", "United Nations", "", "", "meeting", "Paris &amp; Nice"])
    + "</tbody></table></div></section>")


def options(name: str, values: list[tuple[str, str]]) -> str:
    return f'<select name="{name}">' + "".join(
        f'<option value="{v}">{label}</option>' for v, label in values) + "</select>"


def kinds(groups: dict[str, list[str]]) -> str:
    return '<select name="kind"><option value="">Any kind</option>' + "".join(
        f'<optgroup label="{g}">' + "".join(f'<option value="{k}">{k}</option>' for k in ks)
        + "</optgroup>" for g, ks in groups.items()) + "</select>"


FILTERS = (
    '<form id="filters" role="search" aria-label="Filter the records">'
    # the review's sections in the review's order, not the alphabet's
    f'<label>{bilingual("Section", "部分")} ' + options("section", [
        ("", "Any section"), (MAJOR, "Major countries"), ("hotspot-issues", "Hotspot issues"),
        ("closing", "Closing")]) + "</label>"
    # by table, each table's kinds in the alphabet's order
    f'<label>{bilingual("Kind", "类别")} ' + kinds({
        "Events": ["call", "letter", "meeting", "talks", "visit"],
        "Outcomes": ["joint-statement"], "Actors": ["organisation", "person"],
        "Sources": ["readout", "report"]}) + "</label>"
    # countries by name (France before Germany), China never a counterpart
    f'<label>{bilingual("Counterpart&#x27;s country", "对方国家")} ' + options("counterpart", [
        ("", "Any country"), ("AQ", "Antarctica"), ("BR", "Brazil"), ("FR", "France"), ("DE", "Germany"),
        ("KZ", "Kazakhstan"), ("RU", "Russian Federation")]) + "</label>"
    f'<label>{bilingual("Counterpart&#x27;s region", "对方地区")} ' + options("region", [
        ("", "Any region"), ("Americas", "Americas"), ("Asia", "Asia"),
        ("Europe", "Europe")]) + "</label>"
    f'<label>{bilingual("Where it took place", "举行地点")} ' + options("country", [
        ("", "Any place"), ("AQ", "Antarctica"), ("BR", "Brazil"), ("CN", "China"), ("FR", "France"),
        ("DE", "Germany"), ("KZ", "Kazakhstan"), ("RU", "Russian Federation")]) + "</label>"
    f'<label>{bilingual("Search", "搜索")} <input type="search" name="q" '
    'placeholder="words in a record, 中文也可" autocomplete="off"></label>'
    f'<button type="reset">{bilingual("Clear", "清除")}</button>'
    '<output id="shown" aria-live="polite"></output></form>')


def table(name: str, english: str, chinese: str, ids: list[str]) -> str:
    return (f'<section class="table" id="{name}" aria-labelledby="{name}-heading">'
            f'<h3 id="{name}-heading">{bilingual(english, chinese)} '
            f'<span class="count">({len(ids)})</span></h3>'
            + "".join(f"<{i}/>" for i in ids) + "</section>")


RECORDS = (
    '<section id="records" aria-labelledby="records-heading">'
    f'<h2 id="records-heading">{bilingual("The records", "记录")}</h2>' + FILTERS
    # events by date (undated last), the other tables in the package's order
    + table("events", "Events", "事件", ["call-europe", "visit-russia", "talks-moscow",
                                          "letter-lula", "a-meeting-paris"])
    + table("outcomes", "Outcomes", "成果", ["statement-kz"])
    + table("positions", "Positions", "立场", [])
    + table("aggregates", "Summary statements", "概括性表述", [])
    + table("actors", "Actors", "人物与组织", ["xi-jinping", "vladimir-putin", "olaf-scholz",
                                              "emmanuel-macron", "lula", "aq-envoy",
                                              "united-nations"])
    + table("commentary", "Commentary", "评注", ["comment-a"])
    + table("sources", "Sources", "来源", ["readout-a", "report-b"]) + "</section>")


def test_the_whole_page_around_its_pictures_and_cards(html):
    assert skeleton(html) == (HEAD.format(jsonld="") + review(ENGLISH + CHINESE) + PICTURES
                              + MEETINGS + RECORDS + FOOT)


def test_the_pictures_link_each_mark_to_its_record(html):
    """The timeline's rows are the counterparts' regions, each event a link; the map's
    markers link to the records (their country is chosen by the page's script)."""
    timeline, map_ = section(html, "timeline"), section(html, "map")
    assert re.findall(r'<a href="#([^"]+)"', timeline) == [
        "call-europe", "visit-russia", "talks-moscow", "letter-lula", "a-meeting-paris"]
    assert re.findall(r'text-anchor="end" fill="#1a1a1a">([^<]+)</text>', timeline) == [
        "Americas", "Europe"]
    assert 'role="group"' in timeline and 'role="group"' in map_
    assert map_.count('<a href="#events"') == 2


def test_the_json_ld_is_embedded_sorted_and_cannot_close_its_script():
    data = dataset()
    data.jsonld = {"name": "dipdata </script><b>", "@type": "Dataset", "alternateName": "外交"}
    head = page(data).split("</head>")[0]
    assert head.endswith(
        '<link rel="stylesheet" href="explorer.css"><script type="application/ld+json">'
        '{"@type": "Dataset", "alternateName": "外交", "name": "dipdata \\u003c/script>'
        '\\u003cb>"}</script>')


def test_a_record_id_that_is_also_an_id_of_the_page_is_refused():
    """Two records named like parts of the page: both named, in the alphabet's order."""
    actors = [*TABLES["actors"], actor("timeline"), actor("map")]
    with pytest.raises(ValueError) as refused:
        page(dataset(actors=actors))
    assert str(refused.value) == ("the explorer would hold these ids more than once: "
                                  "['map', 'timeline']")


def test_the_site_is_the_page_and_its_two_assets():
    files = site.site_files(dataset())
    assert sorted(files) == ["explorer.css", "explorer.js", "index.html"]
    shipped = resources.files("dipdata") / "data"
    assert files["explorer.css"] == (shipped / "explorer.css").read_bytes()
    assert files["explorer.js"] == (shipped / "explorer.js").read_bytes()
    assert files["explorer.css"] != files["explorer.js"]
    index = files["index.html"].decode("utf-8")
    assert index.startswith("<!doctype html>\n") and index.endswith(FOOT)
    assert "普京接待了他。" in index


def test_write_site_writes_the_files_of_the_package_under_root(tmp_path, monkeypatch):
    from dipdata.use import loader

    read = []
    monkeypatch.setattr(loader, "load", lambda path: read.append(path) or dataset())
    out = tmp_path / "new" / "site"
    said = site.write_site(str(tmp_path / "repo"), str(out))
    assert read == [tmp_path / "repo" / "datapackage"]
    assert said == f"wrote the explorer (3 files) to {out}; open {out / 'index.html'}"
    assert sorted(p.name for p in out.iterdir()) == ["explorer.css", "explorer.js",
                                                     "index.html"]
    index = (out / "index.html").read_text("utf-8")
    assert index.startswith("<!doctype html>\n") and "<p>dipdata 1.2.3: 5 events," in index
    shipped = resources.files("dipdata") / "data" / "explorer.js"
    (out / "explorer.js").write_text("old", "utf-8")
    site.write_site(tmp_path / "repo", out)  # again, into the folder it made
    assert (out / "explorer.js").read_bytes() == shipped.read_bytes()


def test_a_section_without_a_name_is_headed_by_its_id():
    sentences = [*SENTENCES[:4], Sentence(5, "epilogue", 57, 63, "Peace.")]
    data = Dataset(TABLES, sentences, TEXT, "1.2.3", make=typed.maker,
                   words={"review-2023-zh": ZH_WORDS})
    assert "</p><h3>epilogue</h3><p><button" in section(page(data), "review")
