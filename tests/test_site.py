"""The explorer and the README's pictures: built offline and deterministic, and, in a real
headless Chromium opened from file://, free of console errors and of requests to any other
host, with every event at its deep link and each sentence showing its records."""

from __future__ import annotations

import datetime
import csv
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest

import dipdata
from dipdata.base.paths import PACKAGE_DIR

from .conftest import ROOT, run

PACKAGE = ROOT / PACKAGE_DIR
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from dipdata.views.site import write_site

    out = tmp_path_factory.mktemp("site")
    write_site(ROOT, out)
    return out


def test_the_command_writes_the_explorer(tmp_path, capsys):
    code, out, _ = run(capsys, "--root", str(ROOT), "site", "--out", str(tmp_path / "x"))
    assert code == 0 and "index.html" in out
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == [
        "explorer.css", "explorer.js", "index.html"]


def test_the_explorer_is_deterministic(site, tmp_path):
    from dipdata.views.site import write_site

    write_site(ROOT, tmp_path)
    for path in site.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_nothing_is_loaded_from_another_host(site):
    html = (site / "index.html").read_text("utf-8")
    loaded = re.findall(r'<(?:script|img|iframe|source)[^>]*\ssrc="([^"]*)"', html)
    loaded += re.findall(r'<link[^>]*\shref="([^"]*)"', html)
    assert sorted(loaded) == ["data:,", "explorer.css", "explorer.js"]
    assert "url(" not in (site / "explorer.css").read_text("utf-8")
    script = (site / "explorer.js").read_text("utf-8")
    assert not re.search(r"fetch\(|XMLHttpRequest|import\(|https?:", script)
    assert "@import" not in html
    assert set(re.findall(r"url\(([^)]*)\)", html)) == {"#sphere"}  # only within the page


def test_every_record_has_its_deep_link_and_details(site):
    html = (site / "index.html").read_text("utf-8")
    data = dipdata.load(PACKAGE)
    for table in ("events", "actors", "outcomes", "positions", "aggregates", "commentary",
                  "sources"):
        for record in getattr(data, table):
            assert f'<article class="record" id="{record.id}"' in html, record.id
    visit = html[html.index('id="xi-state-visit-russia-2023"'):]
    visit = visit[:visit.index("</article>")]
    assert "20–22 March 2023" in visit and "Moscow" in visit and "Russia" in visit
    assert '<a href="#vladimir-putin">Vladimir Putin</a> — host' in visit and 'href="#xi-putin-talks-2023-03-21"' in visit
    assert 'href="#sentence-6"' in visit  # the review's words that speak of it
    assert re.search(r'<a href="https?://[^"]+" rel="noopener noreferrer">', visit)


def test_sentences_name_their_records(site):
    html = (site / "index.html").read_text("utf-8")
    button = re.search(r'<button[^>]*id="sentence-14"[^>]*data-records="([^"]*)"', html)
    assert button and button.group(1).split() == ["brics-summit-2023", "brics-expansion-2023"]


def test_readme_pictures_are_current_and_shown():
    from dipdata.make.pictures import pictures

    events = json.loads((PACKAGE / "data" / "events.json").read_text("utf-8"))
    with open(PACKAGE / "data" / "meetings.csv", encoding="utf-8", newline="") as handle:
        rows = [tuple(None if cell == "" else cell for cell in row)
                for row in list(csv.reader(handle))[1:]]
    actors = json.loads((PACKAGE / "data" / "actors.json").read_text("utf-8"))
    countries = {actor["id"]: actor["country"] for actor in actors}
    made = pictures(events, rows, countries)
    assert sorted(made) == ["pictures/counterparts.svg", "pictures/map.svg",
                            "pictures/meetings-by-month.svg", "pictures/timeline.svg"]
    for path, data in made.items():
        assert (ROOT / path).read_bytes() == data, f"{path} is stale: run dipdata build"
        assert data.startswith(b"<svg") and b"http://www.w3.org/2000/svg" in data
    assert pictures(reversed(events), reversed(rows), countries) == made
    readme = (ROOT / "README.md").read_text("utf-8")
    assert '<img src="pictures/timeline.svg"' in readme
    assert '<img src="pictures/map.svg"' in readme
    assert '<img src="pictures/counterparts.svg"' in readme
    assert '<img src="pictures/meetings-by-month.svg"' in readme
    counterparts = made["pictures/counterparts.svg"].decode()
    assert "<title>South Africa: 4 meetings</title>" in counterparts  # read from the records
    assert ">112 meetings, talks and calls" not in counterparts
    assert "112 meetings, talks and calls, with leaders of" in counterparts


def test_the_map_marks_the_countries_of_the_events_of_the_year():
    from dipdata.make.pictures import map_svg

    events = [{"id": "a", "country": "RU", "start_date": "2023-03-20"},
              {"id": "b", "country": "RU", "start_date": "2023-03-21"},
              {"id": "c", "country": "ZA", "start_date": "2023-08-22"},
              {"id": "d", "country": None, "start_date": "2023-06-01"},
              {"id": "e", "country": "SA", "start_date": "2022-12-08"}]
    svg = map_svg(events, link=True)
    assert 'data-country="RU" aria-label="Russia: 2 events"' in svg
    assert 'data-country="ZA" aria-label="South Africa: 1 event"' in svg
    assert 'data-country="SA"' not in svg  # December 2022: not one of the year's
    assert "3 events in 2 countries; 1 were virtual or by letter; 1 of other years" in svg


def test_the_timeline_rows_are_the_counterparts_regions():
    from dipdata.make.pictures import row_of, timeline_svg

    countries = {"xi": "CN", "putin": "RU", "lula": "BR", "guterres": None, "modi": "IN"}

    def event(name, *people, start="2023-05-01"):
        return {"id": name, "kind": "meeting", "title": name, "start_date": start,
                "participants": [{"actor": p} for p in ("xi", *people)]}

    assert row_of(event("a", "putin"), countries) == "Europe"
    assert row_of(event("b", "putin", "lula"), countries) == "Several regions"
    assert row_of(event("c", "guterres"), countries) == "No foreign country"
    assert row_of(event("d"), countries) == "No foreign country"
    assert row_of(event("e", "modi", "unknown-actor"), countries) == "Asia"
    events = [event("a", "putin"), event("f", "lula"), event("g", "putin", start="2022-12-08")]
    svg = timeline_svg(events, countries)
    rows = re.findall(r'text-anchor="end" fill="#1a1a1a">([^<]+)<', svg)
    assert rows == ["Americas", "Europe"]  # in the order of ROWS, only those with events
    assert "2023: 2 events" in svg and "(1 other not shown)" in svg
    assert svg.count(">Jan</text>") == 2  # the months above and below the rows


def test_the_timeline_spans_the_year():
    from dipdata.make.pictures import timeline_svg

    events = [{"id": "x", "kind": "visit", "title": "T", "section": "hotspot-issues",
               "start_date": "2023-07-01", "end_date": "2023-07-31"}]
    svg = timeline_svg(events, link=True)
    assert '<a href="#x" aria-label="2023-07-01: T (visit)">' in svg
    assert "Head-of-state diplomacy, 2023: 1 events" in svg
    assert "other not shown" not in svg
    assert svg.count("<line") >= 12  # a line per month


def test_timeline_marks_take_the_first_free_lane():
    from dipdata.make.pictures import _Lanes

    lanes = _Lanes()
    # (start, end): a lane is free for a mark starting more than 3 after its last end.
    marks = [(0, 10), (5, 20), (14, 30), (20, 25), (24, 40), (34, 36)]
    assert [lanes.place(start, end) for start, end in marks] == [0, 1, 0, 2, 1, 0]
    assert lanes.count == 3


def test_overlapping_events_of_a_section_get_lanes_and_the_rows_grow():
    from dipdata.make.pictures import timeline_svg

    def event(name, start, end):
        return {"id": name, "kind": "visit", "title": name, "section": "opening",
                "start_date": start, "end_date": end}

    one = timeline_svg([event("a", "2023-03-01", "2023-03-10")])
    two = timeline_svg([event("a", "2023-03-01", "2023-03-10"),
                        event("b", "2023-03-05", "2023-03-06")])
    # Below a top of 64 and one legend row of 20 (84): lanes of 14, a gap of 14, the axis, and
    # 40 for the months and the caption: one lane 84+14+14+40 = 152 high; the overlapping
    # second event adds a lane, 14 lower. Left margin 150, 790 px for 365 days: 1 March
    # (day 59) at 150 + 790*59/365 = 277.7, 11 March (day 69) at 299.3.
    assert 'viewBox="0 0 960 152"' in one and 'viewBox="0 0 960 166"' in two
    assert '<rect x="277.7" y="85" width="21.6"' in two  # lane 0: 84 + 6 - 5
    assert 'cy="104" r="5"' in two  # lane 1, two days: a dot, 84 + 14 + 6


# --- In a real browser ---------------------------------------------------------------


def _chromium_or_skip() -> None:
    if os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER):
        return
    if os.environ.get("CI"):
        pytest.fail("CI must run the browser tests: .ci/run installs chromium and "
                    "chromium-driver")
    pytest.skip("chromium and chromedriver are not installed (apt-get install chromium "
                "chromium-driver)")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    _chromium_or_skip()
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--window-size=1280,900",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _requests(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _visible_records(driver) -> set[str]:
    """The ids of the record cards a reader sees (one round trip, not one per card)."""
    return set(driver.execute_script(
        "return Array.from(document.querySelectorAll('article.record'))"
        ".filter(a => a.getClientRects().length > 0"
        " && getComputedStyle(a).visibility !== 'hidden').map(a => a.id);"))


def _in_view(driver, element) -> bool:
    return driver.execute_script(
        "var r = arguments[0].getBoundingClientRect();"
        "return r.height > 0 && r.top >= 0 && r.top < window.innerHeight;", element)


@pytest.fixture(scope="module")
def released_site(tmp_path_factory) -> Path:
    """The explorer as a release carries it: unzipped from `dipdata-<version>-site.zip`."""
    pytest.importorskip("pyarrow")
    from dipdata.publish.bundles import extra_artifacts
    from dipdata.publish.release import _zip_bytes

    moment = datetime.datetime(2023, 12, 29, tzinfo=datetime.timezone.utc)
    staging, out = tmp_path_factory.mktemp("release"), tmp_path_factory.mktemp("unzipped")
    extra_artifacts(ROOT, staging, dipdata.__version__, lambda files: _zip_bytes(files, moment))
    with zipfile.ZipFile(staging / f"dipdata-{dipdata.__version__}-site.zip") as archive:
        archive.extractall(out)
    return out / f"dipdata-{dipdata.__version__}-site"


def test_the_page_opens_without_errors_or_requests_elsewhere(browser, released_site):
    site = released_site
    browser.get_log("browser"), browser.get_log("performance")
    browser.get((site / "index.html").as_uri())
    assert browser.title.startswith("dipdata explorer")
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []
    requests = _requests(browser)
    # Only the page's own files, data: URLs and the browser's internal chrome:// pages.
    assert [url for url in requests
            if url.split(":", 1)[0] not in ("file", "data", "chrome", "about")] == []
    ours = {url.rsplit("/", 1)[-1] for url in requests if url.startswith("file://")}
    assert {"index.html", "explorer.css", "explorer.js"} <= ours
    shown = browser.find_element("id", "shown").text
    assert re.fullmatch(r"(\d+) of \1 records shown", shown)


def test_every_event_is_reachable_by_its_link(browser, released_site):
    from selenium.webdriver.common.by import By

    site = released_site
    url = (site / "index.html").as_uri()
    browser.get(url)
    events = [e.id for e in dipdata.load(PACKAGE).events]
    assert events
    # Followed within the page, each in turn (one round trip for them all): after its
    # hashchange, the record is shown, open, and its first line unobstructed in the viewport.
    failed = browser.execute_async_script("""
        var ids = arguments[0], done = arguments[arguments.length - 1], failed = [];
        function check(i) {
          if (i === ids.length) { done(failed); return; }
          // (the page's own listener, added first, has run when this one runs)
          window.addEventListener("hashchange", function () {
            var record = document.getElementById(ids[i]);
            var line = record && record.getClientRects()[0];
            var hit = line && document.elementFromPoint(line.left + 2, line.top + 8);
            if (!line || record.hidden || !record.querySelector("details").open ||
                line.top < 0 || line.top > window.innerHeight || !record.contains(hit)) {
              failed.push(ids[i]);
            }
            window.setTimeout(function () { check(i + 1); }, 0);
          }, {once: true});
          window.location.hash = ids[i];
        }
        check(0);""", events)
    assert failed == []
    for event in events[::30]:  # and a fresh page opened at the link, every thirtieth
        browser.get("about:blank")
        browser.get(f"{url}#{event}")
        element = browser.find_element(By.ID, event)
        assert element.is_displayed() and _in_view(browser, element), event
    # A deep link to a record the filters hide clears the filters and shows it.
    browser.get(url)
    browser.find_element(By.NAME, "q").send_keys("no record holds these words")
    hidden = browser.find_element(By.ID, "xi-state-visit-russia-2023")
    assert not hidden.is_displayed()
    browser.execute_script("window.location.hash = 'xi-state-visit-russia-2023'")
    assert hidden.is_displayed() and _in_view(browser, hidden)
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_a_click_on_a_sentence_shows_its_records(browser, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get((site / "index.html").as_uri())
    browser.find_element(By.ID, "sentence-14").click()
    panel = browser.find_element(By.ID, "selected")
    links = [a.get_attribute("hash") for a in panel.find_elements(By.TAG_NAME, "a")]
    assert links == ["#brics-summit-2023", "#brics-expansion-2023"]
    assert "Sentence 14 speaks of 2 records" in panel.text
    assert browser.find_element(By.ID, "sentence-14").get_attribute("aria-pressed") == "true"
    # By keyboard: focus another sentence and press Enter.
    sentence = browser.find_element(By.ID, "sentence-6")
    browser.execute_script("arguments[0].focus()", sentence)
    sentence.send_keys(Keys.ENTER)
    assert "xi-state-visit-russia-2023" in [a.get_attribute("hash").lstrip("#") for a in
                                            panel.find_elements(By.TAG_NAME, "a")]


def test_filters_and_search(browser, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select

    browser.get((site / "index.html").as_uri())
    Select(browser.find_element(By.NAME, "country")).select_by_value("RU")
    visible = _visible_records(browser)
    data = dipdata.load(PACKAGE)
    assert {e.id for e in data.events if e.country == "RU"} <= visible
    assert "vladimir-putin" in visible and "brics-summit-2023" not in visible
    Select(browser.find_element(By.NAME, "country")).select_by_value("")
    Select(browser.find_element(By.NAME, "kind")).select_by_value("call")
    visible = _visible_records(browser)
    assert visible == {e.id for e in data.events if e.kind == "call"}
    browser.find_element(By.CSS_SELECTOR, "#filters button[type=reset]").click()
    browser.find_element(By.NAME, "q").send_keys("Johannesburg BRICS")
    visible = _visible_records(browser)
    assert "brics-summit-2023" in visible and "xi-state-visit-russia-2023" not in visible


def test_filters_by_counterpart_country_and_region(browser, site):
    """Choosing France shows Macron's visit, talks and call (they took place in China or by
    phone); choosing Africa shows the June call with Ramaphosa; counts follow the filters."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select

    browser.get((site / "index.html").as_uri())
    Select(browser.find_element(By.NAME, "counterpart")).select_by_value("FR")
    visible = _visible_records(browser)
    assert {"macron-state-visit-china-2023", "xi-macron-talks-2023-04-06",
            "xi-macron-call-2023-11-20", "emmanuel-macron"} <= visible
    assert "xi-zelenskyy-call-2023-04-26" not in visible
    heading = browser.find_element(By.CSS_SELECTOR, "#events-heading .count").text
    events = len(dipdata.load(PACKAGE).events)
    shown = sum(1 for i in visible if i in dipdata.load(PACKAGE).events)
    assert heading == f"({shown} of {events})"
    browser.find_element(By.CSS_SELECTOR, "#filters button[type=reset]").click()
    Select(browser.find_element(By.NAME, "region")).select_by_value("Africa")
    visible = _visible_records(browser)
    assert "xi-ramaphosa-call-2023-06-09" in visible
    assert "xi-macron-talks-2023-04-06" not in visible
    label = browser.find_element(By.XPATH, "//select[@name='country']/..").text
    assert label.startswith("Where it took place")


def test_the_meetings_table_sorts_filters_and_downloads(browser, site):
    """The table of whom Xi met: its rows follow the region filter, sort by a column, and the
    rows shown download as CSV (hand-read: the June call with Ramaphosa is an African row)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select

    browser.get((site / "index.html").as_uri())
    rows = browser.execute_script(
        "return Array.from(document.querySelectorAll('#meetings-table tbody tr'))"
        ".filter(r => !r.hidden).map(r => [r.dataset.event, r.cells[3].textContent]);")
    assert len({event for event, _ in rows}) == 112
    Select(browser.find_element(By.NAME, "region")).select_by_value("Africa")
    shown = browser.execute_script(
        "return Array.from(document.querySelectorAll('#meetings-table tbody tr'))"
        ".filter(r => !r.hidden).map(r => [r.dataset.event, r.cells[3].textContent]);")
    assert ["xi-ramaphosa-call-2023-06-09", "Africa"] in shown
    assert {region for _, region in shown} == {"Africa"}
    browser.find_element(By.CSS_SELECTOR, "#meetings-table button[data-column='2']").click()
    countries = browser.execute_script(
        "return Array.from(document.querySelectorAll('#meetings-table tbody tr'))"
        ".filter(r => !r.hidden).map(r => r.cells[2].textContent);")
    assert countries == sorted(countries) and countries[0] < countries[-1]
    browser.find_element(By.ID, "download-meetings").click()
    href = browser.find_element(By.ID, "meetings-csv").get_attribute("href")
    import urllib.parse

    text = urllib.parse.unquote(href.split(",", 1)[1])
    lines = text.splitlines()
    assert lines[0] == "Date,Counterpart,Country,Region,Kind,City"
    assert len(lines) == 1 + len(shown)
    assert any(line.startswith("2023-06-09,Matamela Cyril Ramaphosa,South Africa,Africa,call")
               for line in lines)


# --- At a desktop's and a phone's width ----------------------------------------------

AXE = ROOT / ".ci" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP, PHONE = (1400, 900, False), (400, 800, True)


def _width(driver, size: tuple[int, int, bool]) -> None:
    """Emulate a screen (a phone: 400 CSS px, touch, mobile viewport); headless Chromium's
    window cannot be made narrower than 500 px."""
    width, height, mobile = size
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


@pytest.fixture
def screen(browser):
    yield lambda size: _width(browser, size)
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _unobstructed(driver, element) -> bool:
    """The element's first line lies in the viewport and nothing (a sticky bar) covers it."""
    return driver.execute_script(
        "var r = arguments[0].getClientRects()[0];"
        "if (!r || r.top < 0 || r.bottom > window.innerHeight) { return false; }"
        "var hit = document.elementFromPoint(r.left + 2, r.top + r.height / 2);"
        "return arguments[0].contains(hit);", element)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1400px", "400px"])
def test_axe_core_finds_no_serious_or_critical_violation(browser, site, screen, size):
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must run axe-core: .ci/run installs it with npm ci --prefix .ci")
        pytest.skip("axe-core is not installed (npm ci --prefix .ci)")
    screen(size)
    browser.get("about:blank")
    browser.get((site / "index.html").as_uri() + "#xi-state-visit-russia-2023")
    # The page as a reader leaves it: a sentence chosen, a column sorted, a download made;
    # on the phone, in Chinese.
    chinese = size == PHONE
    if chinese:
        browser.execute_script("document.getElementById('language').click()")
    for element in ("zh-sentence-10" if chinese else "sentence-14", "download-meetings"):
        browser.execute_script("document.getElementById(arguments[0]).click()", element)
    browser.execute_script("document.querySelector('#meetings-table th button').click()")
    browser.execute_script(AXE.read_text("utf-8"))
    browser.set_script_timeout(120)
    found = browser.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(function (r) {"
        "  done(r.violations.map(function (v) { return [v.id, v.impact,"
        "    v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); })]; })); });")
    if chinese:  # back to English for the tests that follow (the choice is remembered)
        browser.execute_script("document.getElementById('language').click()")
    assert [v for v in found if v[1] in ("serious", "critical")] == []


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1400px", "400px"])
def test_records_are_one_line_until_opened_and_a_deep_link_opens_its_own(
        browser, site, screen, size):
    from selenium.webdriver.common.by import By

    screen(size)
    url = (site / "index.html").as_uri()
    browser.get("about:blank")
    browser.get(url)
    opened = "return Array.from(document.querySelectorAll('article.record details[open]'))" \
             ".map(d => d.parentNode.id);"
    assert browser.execute_script(opened) == []
    line = browser.find_element(By.CSS_SELECTOR, "#xi-state-visit-russia-2023 summary").text
    assert "President Xi Jinping's state visit to Russia" in line and "20–22 March 2023" in line
    assert not browser.find_element(By.CSS_SELECTOR, "#xi-state-visit-russia-2023 dl") \
        .is_displayed()
    for target in ("xi-state-visit-russia-2023", "xi-ramaphosa-call-2023-06-09"):
        browser.get("about:blank")  # a fresh page, not a move within the last one
        browser.get(f"{url}#{target}")
        assert browser.execute_script(opened) == [target]
        heading = browser.find_element(By.CSS_SELECTOR, f"#{target} h4")
        assert _unobstructed(browser, heading), (size, target)
    # Followed within the page, below the sticky filter bar, the same.
    browser.execute_script("window.scrollTo(0, document.body.scrollHeight / 2)")
    browser.execute_script("window.location.hash = 'xi-macron-talks-2023-04-06'")
    heading = browser.find_element(By.CSS_SELECTOR, "#xi-macron-talks-2023-04-06 h4")
    assert _unobstructed(browser, heading)
    assert browser.find_element(By.CSS_SELECTOR, "#xi-macron-talks-2023-04-06 dl").is_displayed()
    # A click on the map's marker for Russia: the events, filtered, their heading in view.
    marker = browser.find_element(By.CSS_SELECTOR, '#map a[data-country="RU"]')
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', "
                           "{bubbles: true, cancelable: true}))", marker)
    assert _unobstructed(browser, browser.find_element(By.ID, "events-heading"))


def test_on_a_phone_records_of_a_sentence_lie_below_it_and_pictures_stay_readable(
        browser, site, screen):
    from selenium.webdriver.common.by import By

    screen(PHONE)
    browser.get((site / "index.html").as_uri())
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 400
    sentence = browser.find_element(By.ID, "sentence-14")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", sentence)
    sentence.click()
    gap, visible = browser.execute_script(
        "var s = document.getElementById('sentence-14').getBoundingClientRect();"
        "var p = document.getElementById('selected').getBoundingClientRect();"
        "return [p.top - s.bottom, p.top < window.innerHeight];")
    assert 0 <= gap < 40 and visible
    links = browser.find_elements(By.CSS_SELECTOR, "#selected a")
    assert [a.get_attribute("hash") for a in links] == ["#brics-summit-2023",
                                                        "#brics-expansion-2023"]
    # Nothing sticks on a phone: the filter bar scrolls away with the page.
    assert browser.execute_script(
        "return getComputedStyle(document.getElementById('filters')).position") == "static"
    # The pictures keep their size and scroll sideways: their words at least 11 px high.
    heights = browser.execute_script(
        "return Array.from(document.querySelectorAll('.picture svg text'))"
        ".map(t => t.getBoundingClientRect().height);")
    assert heights and min(heights) >= 11


def test_the_keyboard_opens_records_sorts_and_chooses(browser, site, screen):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    screen(DESKTOP)
    browser.get((site / "index.html").as_uri())
    summary = browser.find_element(By.CSS_SELECTOR, "#xi-state-visit-russia-2023 summary")
    browser.execute_script("arguments[0].focus()", summary)
    summary.send_keys(Keys.ENTER)
    details = "return document.querySelector('#xi-state-visit-russia-2023 details').open"
    assert browser.execute_script(details) is True
    summary.send_keys(Keys.ENTER)
    assert browser.execute_script(details) is False
    # Tab moves from the summary to the next record's summary (a closed record's links
    # are not in the way).
    summary.send_keys(Keys.TAB)
    focused = browser.execute_script(
        "return document.activeElement.closest('article').id + ' ' + "
        "document.activeElement.tagName")
    assert focused.endswith(" SUMMARY") and not focused.startswith("xi-state-visit-russia")
    sort = browser.find_element(By.CSS_SELECTOR, "#meetings-table button[data-column='1']")
    browser.execute_script("arguments[0].focus()", sort)
    sort.send_keys(Keys.ENTER)
    header = "return arguments[0].parentNode.getAttribute('aria-sort')"
    assert browser.execute_script(header, sort) == "ascending"
    sort.send_keys(Keys.ENTER)
    assert browser.execute_script(header, sort) == "descending"


def test_meetings_per_month_are_stacked_by_kind_and_counted_once():
    from dipdata.make.pictures import months_svg

    # (event, counterpart, date, kind, ...): e1 has two counterparts, so two rows, one event.
    rows = [("e1", "a", "2023-01-05", "meeting"), ("e1", "b", "2023-01-05", "meeting"),
            ("e2", "c", "2023-01-20", "call"), ("e3", "d", "2023-03-02", "talks"),
            ("e4", "e", "2023-03-09", "talks")]
    svg = months_svg(rows)
    assert "<title>January: 1 meeting</title>" in svg
    assert "<title>January: 1 call</title>" in svg
    assert "<title>March: 2 talks</title>" in svg
    assert "February:" not in svg
    assert "(4 in all; an event with two counterparts counts once)" in svg
    # Both months reach the top, 2 events each: 180 px for 2 (260 - 40 - 40), 90 per event;
    # January a bar of 90 for each kind, March one of 180 for its two talks.
    assert svg.count('height="90.0"') == 2 and svg.count('height="180.0"') == 1


def test_chinese_dates_are_written_as_a_chinese_reader_writes_them():
    import datetime

    from dipdata.views.cards import when_zh

    day = datetime.date
    assert when_zh(day(2023, 3, 20), day(2023, 3, 22)) == "2023年3月20日至22日"
    assert when_zh(day(2023, 3, 30), day(2023, 4, 2)) == "2023年3月30日至4月2日"
    assert when_zh(day(2023, 12, 30), day(2024, 1, 2)) == "2023年12月30日至2024年1月2日"
    assert when_zh(day(2023, 6, 9), day(2023, 6, 9)) == "2023年6月9日"
    assert when_zh(day(2023, 3, 1), day(2023, 3, 31), "month") == "2023年3月"
    assert when_zh(day(2023, 3, 1), day(2023, 5, 31), "month") == "2023年3月至2023年5月"
    assert when_zh(day(2023, 1, 1), day(2023, 12, 31), "year") == "2023年"
    assert when_zh(None, None) == "日期未确认"


def test_the_chinese_review_names_its_records_and_says_what_is_missing(site):
    from dipdata.views.site import _ranges

    assert _ranges([1, 20, 21, 22, 23, 25, 33]) == "1、20–23、25、33"
    html = (site / "index.html").read_text("utf-8")
    # Chinese sentence 10 (Johannesburg) speaks of the summit, the dialogue and the expansion.
    button = re.search(r'<button[^>]*id="zh-sentence-10"[^>]*data-records="([^"]*)"', html)
    assert button and {"brics-summit-2023", "brics-expansion-2023",
                       "china-africa-leaders-dialogue-2023"} <= set(button.group(1).split())
    assert "英文第1、20–33句的中文原文未能读取或没有对应的句子" in html


def test_the_language_switch_shows_chinese_keeps_deep_links_and_searches_chinese(
        browser, site, screen):
    from selenium.webdriver.common.by import By

    screen(DESKTOP)
    url = (site / "index.html").as_uri()
    browser.get("about:blank")
    browser.get(f"{url}#xi-lula-talks-2023-04-14")
    browser.execute_script("window.localStorage.clear()")
    browser.get("about:blank")
    browser.get(f"{url}#xi-lula-talks-2023-04-14")
    summary = browser.find_element(By.CSS_SELECTOR, "#xi-lula-talks-2023-04-14 summary")
    assert summary.text.startswith("Xi Jinping holds talks with Brazilian President")
    browser.find_element(By.ID, "language").click()
    assert browser.find_element(By.ID, "language").get_attribute("aria-pressed") == "true"
    assert summary.text.startswith("习近平同巴西总统卢拉举行会谈 2023年4月14日")
    assert browser.find_element(By.ID, "review-heading").text == "答问原文"
    sentence = browser.find_element(By.ID, "zh-sentence-10")
    assert sentence.is_displayed() and not browser.find_element(By.ID, "sentence-14").is_displayed()
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", sentence)
    sentence.click()
    assert browser.find_element(By.CSS_SELECTOR, "#selected h3").text == "第10句涉及4条记录"
    browser.find_element(By.NAME, "q").send_keys("卢拉")
    assert "xi-lula-talks-2023-04-14" in _visible_records(browser)
    assert "xi-putin-talks-2023-03-21" not in _visible_records(browser)
    # The choice stays on the next visit, and a deep link still opens its record.
    browser.get("about:blank")
    browser.get(f"{url}#xi-putin-talks-2023-03-21")
    assert browser.execute_script("return document.documentElement.dataset.language") == "zh"
    heading = browser.find_element(By.CSS_SELECTOR, "#xi-putin-talks-2023-03-21 h4")
    assert heading.text == "习近平同俄罗斯总统普京举行会谈" and _unobstructed(browser, heading)
    browser.find_element(By.ID, "language").click()
    assert heading.text.startswith("Xi Jinping")
