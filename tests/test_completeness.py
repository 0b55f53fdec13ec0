"""Exhaustive aggregates hold exactly the records their rule gives, and the year's count of
meetings and calls agrees with the official tally.

The official tally: Foreign Minister Wang Yi, address at the Symposium on the International
Situation and China's Foreign Relations, Beijing, 9 January 2024 (the source record
`reciyi-2024-01-09-wang-yi-symposium-2023-review`): in 2023 President Xi "chaired two
home-ground events, attended three multilateral summits, made four important overseas visits
and held more than 100 meetings and phone calls".
"""

from __future__ import annotations

import json

import pytest

from .conftest import ROOT

EVENTS = {e["id"]: e for e in (json.loads(p.read_text("utf-8"))
                               for p in (ROOT / "records" / "events").glob("*.json"))}
AGGREGATES = {a["id"]: a for a in (json.loads(p.read_text("utf-8"))
                                   for p in (ROOT / "records" / "aggregates").glob("*.json"))}
OUTCOMES = {o["id"]: o for o in (json.loads(p.read_text("utf-8"))
                                 for p in (ROOT / "records" / "outcomes").glob("*.json"))}
POSITIONS = {o["id"]: o for o in (json.loads(p.read_text("utf-8"))
                                  for p in (ROOT / "records" / "positions").glob("*.json"))}
TALLY_SOURCE = "reciyi-2024-01-09-wang-yi-symposium-2023-review"


def in_2023(event: dict) -> bool:
    return (event["start_date"] or "").startswith("2023-")


def xi_with_another(event: dict) -> bool:
    actors = {p["actor"] for p in event["participants"]}
    return "xi-jinping" in actors and len(actors) > 1


def with_foreign_leaders(event: dict) -> bool:
    # The review counts the meetings with Kissinger, Gates and "several other US friends" in
    # its fourth part (public foundation), not among the leaders received or met.
    return xi_with_another(event) and event["section"] != "public-foundation"


def leaders_received() -> list[str]:
    """Occasions in China on which Xi received foreign leaders: not part of another event."""
    return sorted(i for i, e in EVENTS.items() if in_2023(e) and e["country"] == "CN"
                  and e["part_of"] is None and e["kind"] != "letter" and with_foreign_leaders(e))


def meetings_and_calls() -> list[str]:
    return sorted(i for i, e in EVENTS.items() if in_2023(e) and with_foreign_leaders(e)
                  and e["kind"] in ("meeting", "talks", "call", "video-meeting", "summit",
                                    "dialogue"))


def ukraine_communication() -> list[str]:
    """Occasions of a position on the Ukraine crisis on which Xi spoke with another leader."""
    return sorted({p["occasion"] for p in POSITIONS.values() if p["issue"] == "ukraine-crisis"
                   and xi_with_another(EVENTS[p["occasion"]])})


def palestine_positions() -> list[str]:
    """Positions stated on the Palestinian-Israeli conflict since its outbreak on 7 October."""
    return sorted(i for i, p in POSITIONS.items() if p["issue"] == "palestinian-israeli-conflict"
                  and p["date"] >= "2023-10-07" and p.get("statement", "stated") == "stated")


def joint_documents() -> list[str]:
    kinds = ("joint-statement", "joint-declaration", "joint-communique", "action-plan",
             "declaration", "chairs-statement")
    return sorted(i for i, o in OUTCOMES.items() if o["kind"] in kinds)


def relationship_upgrades() -> list[str]:
    return sorted(i for i, o in OUTCOMES.items()
                  if o.get("relationship_change") in ("established", "upgraded"))


def test_aggregates_say_whether_they_are_exhaustive():
    assert {i: a["exhaustive"] for i, a in AGGREGATES.items()} == {
        "home-ground-events-2023": True,
        "joint-documents-2023": True,
        "leaders-received-in-china-2023": True,
        "letters-to-friends-2023": False,
        "meetings-and-calls-2023": True,
        "overseas-visits-2023": True,
        "palestine-position-occasions-2023": True,
        "relationship-upgrades-2023": True,
        "several-other-us-friends-2023": False,
        "ukraine-communication-2023": True,
    }


@pytest.mark.parametrize("aggregate,rule", [
    ("leaders-received-in-china-2023", leaders_received),
    ("meetings-and-calls-2023", meetings_and_calls),
    ("ukraine-communication-2023", ukraine_communication),
    ("palestine-position-occasions-2023", palestine_positions),
    ("joint-documents-2023", joint_documents),
    ("relationship-upgrades-2023", relationship_upgrades),
])
def test_exhaustive_aggregate_lists_every_record_its_rule_gives(aggregate, rule):
    listed = AGGREGATES[aggregate]["examples"]
    expected = rule()
    assert sorted(listed) == listed
    assert {"missing": sorted(set(expected) - set(listed)),
            "extra": sorted(set(listed) - set(expected))} == {"missing": [], "extra": []}


def test_the_four_overseas_visits_are_the_trips_abroad():
    trips = sorted(i for i, e in EVENTS.items() if in_2023(e) and e["kind"] == "visit"
                   and e["country"] not in ("CN", None) and "xi-jinping" in
                   {p["actor"] for p in e["participants"]} and e["part_of"] is None)
    assert trips == sorted(AGGREGATES["overseas-visits-2023"]["examples"]) == [
        "xi-state-visit-russia-2023", "xi-state-visit-south-africa-2023",
        "xi-state-visit-vietnam-2023", "xi-visit-united-states-2023"]


def test_the_two_home_ground_events():
    assert sorted(AGGREGATES["home-ground-events-2023"]["examples"]) == [
        "china-central-asia-summit-2023", "third-belt-and-road-forum-2023"]


def test_the_count_of_meetings_and_calls_agrees_with_the_official_tally():
    counted = [i for i in meetings_and_calls()
               if EVENTS[i]["kind"] in ("meeting", "talks", "call", "video-meeting")]
    assert len(counted) > 100  # "more than 100 meetings and phone calls"
    assert len(counted) < 150  # and not a different order of magnitude
    for aggregate in ("meetings-and-calls-2023", "overseas-visits-2023",
                      "home-ground-events-2023"):
        assert TALLY_SOURCE in AGGREGATES[aggregate]["sources"]


def test_every_foreign_leaders_visit_to_china_has_its_talks_or_meeting():
    visits = [e for e in EVENTS.values() if e["kind"] == "visit" and e["country"] == "CN"]
    parts = {e["part_of"] for e in EVENTS.values()}
    assert [v["id"] for v in visits if v["id"] not in parts] == []


def test_the_counts_in_the_aggregates_prose_are_their_lists_lengths():
    """Counts written in prose ("118 events, of which 112") follow the lists."""
    meetings = AGGREGATES["meetings-and-calls-2023"]
    calls = [i for i in meetings["examples"]
             if EVENTS[i]["kind"] in ("meeting", "talks", "call", "video-meeting")]
    assert f"{len(meetings['examples'])} events, of which {len(calls)}" in meetings["summary"]
    assert f"It holds {len(calls)} meetings, talks and calls and " \
        f"{len(meetings['examples']) - len(calls)} summits" in meetings["notes"]
    received = AGGREGATES["leaders-received-in-china-2023"]
    assert f"records {len(received['examples'])} such occasions" in received["summary"]
    for name in ("ukraine-communication-2023", "palestine-position-occasions-2023"):
        aggregate = AGGREGATES[name]
        assert f"records {len(aggregate['examples'])} such occasions" in aggregate["summary"]
    for name in ("joint-documents-2023",):
        aggregate = AGGREGATES[name]
        assert f": {len(aggregate['examples'])} documents." in aggregate["summary"]
    assert f": {len(AGGREGATES['relationship-upgrades-2023']['examples'])} outcomes," in \
        AGGREGATES["relationship-upgrades-2023"]["summary"]


def test_the_february_meeting_with_the_king_of_cambodia_is_counted():
    """Found missing by an independent check: 24 February 2023, Diaoyutai, Beijing."""
    event = EVENTS["xi-norodom-sihamoni-meeting-2023-02-24"]
    assert (event["start_date"], event["city"], event["venue"]) == (
        "2023-02-24", "Beijing", "Diaoyutai State Guesthouse")
    assert {"xi-jinping", "norodom-sihamoni"} <= {p["actor"] for p in event["participants"]}
    assert "xi-norodom-sihamoni-meeting-2023-02-24" in \
        AGGREGATES["meetings-and-calls-2023"]["examples"]


def test_one_position_per_occasion_and_issue():
    pairs = [(p["occasion"], p["issue"]) for p in POSITIONS.values()]
    assert sorted(pair for pair in set(pairs) if pairs.count(pair) > 1) == []


def test_every_country_has_the_ministrys_chinese_name_read_in_a_cited_page():
    """The curated short Chinese names: each occurs in the words it was read in (NFKC, as
    some copies write full-width brackets as ASCII), each is simplified Chinese, and where
    the words are an event's Chinese headline the page is the one that event cites for it."""
    import csv
    import unicodedata

    import opencc

    from dipdata.model.regions import chinese_names

    names = chinese_names()
    used = {row["code"] for row in csv.DictReader(
        (ROOT / "datapackage" / "data" / "countries.csv").open(encoding="utf-8"))}
    assert used <= set(names), sorted(used - set(names))
    events = [json.loads(p.read_text("utf-8")) for p in (ROOT / "records" / "events").glob("*.json")]
    sources = {json.loads(p.read_text("utf-8"))["id"]: json.loads(p.read_text("utf-8"))["url"]
               for p in (ROOT / "records" / "sources").glob("*.json")}
    headlines: dict[str, set[str]] = {}  # two meetings can share a headline
    for event in events:
        if event.get("title_zh"):
            headlines.setdefault(event["title_zh"], set()).add(sources[event["title_zh_source"]])
    simplified = opencc.OpenCC("t2s")
    for code, name in names.items():
        def plain(text: str) -> str:
            return unicodedata.normalize("NFKC", text)
        assert plain(name.name_zh) in plain(name.words), code
        assert simplified.convert(name.name_zh) == name.name_zh, code
        assert name.url.startswith(("http://", "https://")), code
        if name.words in headlines:
            assert name.url in headlines[name.words], code
    # Hand-checked: the ministry's forms that differ from the UN's.
    assert (names["RU"].name_zh, names["KR"].name_zh, names["CD"].name_zh, names["MN"].name_zh,
            names["AE"].name_zh) == ("俄罗斯", "韩国", "刚果（金）", "蒙古国", "阿联酋")


def test_every_english_mention_with_a_chinese_sentence_has_its_chinese_words():
    """Where the English sentence of a mention is aligned to the Chinese original, the record
    quotes the Chinese words too, inside a sentence it is aligned to."""
    import dipdata

    data = dipdata.load()
    english = data.texts["review-2023-en"]
    assert english.translation_of == "review-2023-zh"
    aligned: dict[int, set[int]] = {}
    for pair in english.alignment:
        aligned.setdefault(pair.sentence, set()).add(pair.original)
    # Hand-read: the Chinese text stops after part three's heading (English sentence 19), and
    # its copy has no headline (English sentence 1).
    assert set(aligned) == set(range(2, 20))
    missing, quoted = [], 0
    for table in ("events", "actors", "outcomes", "positions", "aggregates", "commentary"):
        for record in getattr(data, table):
            chinese = {s.number for s, _ in data.mentions_of(record, "review-2023-zh")}
            for sentence, mention in data.mentions_of(record):
                if sentence.number in aligned:
                    quoted += 1
                    if not chinese & aligned[sentence.number]:
                        missing.append((record.id, sentence.number, mention.quote))
    assert missing == []
    assert quoted == 40
