"""The data held to the review's own words. Records are found through the review's text
(their mentions), not by id, so that these tests check what the review says."""

from __future__ import annotations

import datetime

import pytest

import dipdata
from dipdata.models import Aggregate, Event, Outcome, Position

REVIEW = "mfa-2023-12-29-mao-ning-cnr"


@pytest.fixture(scope="module")
def data():
    return dipdata.load()


def quoting(data, words: str, kind: type | None = None) -> list:
    """The records with a mention whose quote holds ``words``."""
    found = []
    for table in ("events", "actors", "outcomes", "positions", "aggregates"):
        for record in getattr(data, table):
            if any(words in m.quote for m in record.mentions):
                if kind is None or isinstance(record, kind):
                    found.append(record)
    assert found, f"no record quotes {words!r}"
    return found


def one(data, words: str, kind: type) -> object:
    found = quoting(data, words, kind)
    assert len(found) == 1, [r.id for r in found]
    return found[0]


# Continents of the countries that the review's trips can be in (ISO 3166-1 alpha-2).
CONTINENT = {"RU": "Europe", "ZA": "Africa", "US": "America", "VN": "Asia"}


def test_trips_cover_asia_africa_europe_and_america(data):
    trips = one(data, "visited Asia, Africa, Europe and America", Aggregate)
    visits = [data.events[e] for e in trips.examples]
    assert [(v.id, v.kind, CONTINENT[v.country]) for v in visits] == [
        ("xi-state-visit-russia-2023", "visit", "Europe"),
        ("xi-state-visit-south-africa-2023", "visit", "Africa"),
        ("xi-visit-united-states-2023", "visit", "America"),
        ("xi-state-visit-vietnam-2023", "visit", "Asia"),
    ]
    assert {visit.id: sorted((a.id, role) for a, role in data.participants(visit)
                             if role in ("host", "guest")) for visit in visits} == {
        "xi-state-visit-russia-2023": [("vladimir-putin", "host"), ("xi-jinping", "guest")],
        "xi-state-visit-south-africa-2023": [("cyril-ramaphosa", "host"),
                                             ("xi-jinping", "guest")],
        "xi-visit-united-states-2023": [("joe-biden", "host"), ("xi-jinping", "guest")],
        "xi-state-visit-vietnam-2023": [("nguyen-phu-trong", "host"), ("vo-van-thuong", "host"),
                                        ("xi-jinping", "guest")],
    }


def test_the_first_trip_abroad_was_to_russia(data):
    russia = one(data, "kicked off with President Xi Jinping’s visit to Russia", Event)
    assert russia.country == "RU" and russia.kind == "visit"
    trips = one(data, "visited Asia, Africa, Europe and America", Aggregate)
    starts = sorted((data.events[e].start_date, e) for e in trips.examples)
    assert starts[0][1] == russia.id


def test_the_brics_summit_is_the_15th_in_johannesburg(data):
    summit = one(data, "the 15th BRICS Summit", Event)
    assert (summit.title, summit.kind) == ("15th BRICS Summit", "summit")
    assert (summit.city, summit.country) == ("Johannesburg", "ZA")
    expansion = one(data, "BRICS expansion", Outcome)
    assert expansion.event == summit.id
    assert sorted(expansion.countries) == ["AE", "AR", "EG", "ET", "IR", "SA"]


def test_the_forum_is_the_third_and_its_steps_are_eight(data):
    forum = one(data, "chaired the Third Belt and Road Forum", Event)
    assert (forum.title, forum.kind, forum.city) == (
        "Third Belt and Road Forum for International Cooperation", "forum", "Beijing")
    steps = one(data, "eight major steps", Outcome)
    assert len(steps.items) == 8
    # announced in Xi's keynote speech, which was part of the forum
    assert steps.event == "xi-keynote-speech-brf-2023-10-18"
    assert data.parent(steps.event) == forum


def test_central_asia_summit_in_xian_chaired_by_xi(data):
    summit = one(data, "President Xi chaired the China-Central Asia Summit", Event)
    assert summit.city == "Xi'an"
    assert sorted((a.id, a.country, role) for a, role in data.participants(summit)) == [
        ("emomali-rahmon", "TJ", "participant"), ("kassym-jomart-tokayev", "KZ", "participant"),
        ("sadyr-japarov", "KG", "participant"), ("serdar-berdimuhamedov", "TM", "participant"),
        ("shavkat-mirziyoyev", "UZ", "participant"), ("xi-jinping", "CN", "chair")]


def test_china_africa_dialogue_co_chaired_with_south_africa(data):
    dialogue = one(data, "China-Africa Leaders’ Dialogue", Event)
    co_chairs = {a.country for a, role in data.participants(dialogue) if role == "co-chair"}
    assert co_chairs == {"CN", "ZA"} and dialogue.country == "ZA"


def test_hanoi_visit_and_its_community(data):
    visit = one(data, "In Hanoi", Event)
    assert (visit.city, visit.country, visit.kind) == ("Hanoi", "VN", "visit")
    statement = one(data, "community with a shared future that carries strategic significance",
                    Outcome)
    assert (statement.event, statement.countries) == (visit.id, ["CN", "VN"])


def test_summit_place_holds_the_fact_and_the_mention_the_review_words(data):
    summit, = [e for e in quoting(data, "the China-US summit meeting in San Francisco", Event)
               if e.kind == "summit"]
    assert summit.city == "Woodside" and summit.country == "US"
    assert "San Francisco" in summit.notes


def test_ceasefire_and_two_state_solution_at_the_brics_meeting(data):
    position = one(data, "he called for an immediate ceasefire", Position)
    assert [demand.split(",")[0] for demand in position.demands] == [
        "The parties to the conflict must end hostilities and achieve a ceasefire immediately",
        "Humanitarian corridors must be kept secure and unimpeded",
        "The collective punishment of people in Gaza in the form of forced transfer or water",
        "The international community must act with practical measures to prevent the conflict "
        "from spilling over and endangering stability in the Middle East as a whole",
        "Implement the two-state solution",
        "Convene at an early date a more authoritative international peace conference to build "
        "international consensus for peace and work toward an early solution to the question "
        "of Palestine that is comprehensive"]
    meeting = data.events[position.occasion]
    assert meeting.mode == "virtual" and meeting.start_date == position.date


def test_earlier_this_year_meetings_with_kissinger_and_gates(data):
    for name in ("Henry Kissinger", "Bill Gates"):
        meeting = next(r for r in quoting(data, name, Event))
        assert meeting.start_date < datetime.date(2023, 11, 14) and meeting.city == "Beijing"
    friends = one(data, "several other US friends", Aggregate)
    assert friends.examples == ["xi-meets-schumer-senate-delegation-2023-10-09",
                                "xi-meets-gavin-newsom-2023-10-25"]


def test_aggregates_are_not_events_and_list_real_examples(data):
    for aggregate in data.aggregates:
        assert aggregate.id not in data.events
        assert len(aggregate.examples) >= 1, aggregate.id
        for example in aggregate.examples:
            data.record(example)  # raises KeyError for an example that is no record


def test_every_fact_record_cites_a_readout_besides_the_review(data):
    for table in ("events", "actors", "outcomes", "positions", "aggregates"):
        for record in getattr(data, table):
            assert set(record.sources) - {REVIEW}, record.id


def test_every_event_is_in_2023_or_says_why_not(data):
    outside = [event for event in data.events
               if event.start_date and event.start_date.year != 2023]
    assert [event.id for event in outside] == ["xi-mbs-talks-2022-12-08"]
    assert "2022" in (outside[0].notes or "")


def test_every_sentence_reaches_a_record(data):
    assert len(data.sentences) == 33
    assert [s.number for s in data.sentences if not data.records_in(s)] == []
