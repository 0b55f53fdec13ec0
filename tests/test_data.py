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
    assert all(v.kind == "visit" and v.country != "CN" for v in visits)
    assert {CONTINENT[v.country] for v in visits} == {"Asia", "Africa", "Europe", "America"}
    for visit in visits:
        assert ("xi-jinping", "guest") in {(a.id, role) for a, role in data.participants(visit)}


def test_the_first_trip_abroad_was_to_russia(data):
    russia = one(data, "kicked off with President Xi Jinping’s visit to Russia", Event)
    assert russia.country == "RU" and russia.kind == "visit"
    trips = one(data, "visited Asia, Africa, Europe and America", Aggregate)
    starts = sorted((data.events[e].start_date, e) for e in trips.examples)
    assert starts[0][1] == russia.id


def test_the_brics_summit_is_the_15th_in_johannesburg(data):
    summit = one(data, "the 15th BRICS Summit", Event)
    assert "15th" in summit.title and summit.kind == "summit"
    assert (summit.city, summit.country) == ("Johannesburg", "ZA")
    expansion = one(data, "BRICS expansion", Outcome)
    assert expansion.event == summit.id
    assert sorted(expansion.countries) == ["AE", "AR", "EG", "ET", "IR", "SA"]


def test_the_forum_is_the_third_and_its_steps_are_eight(data):
    forum = one(data, "chaired the Third Belt and Road Forum", Event)
    assert "Third" in forum.title and forum.kind == "forum" and forum.city == "Beijing"
    steps = one(data, "eight major steps", Outcome)
    assert len(steps.items) == 8
    assert steps.event == forum.id or data.events[steps.event].part_of == forum.id


def test_central_asia_summit_in_xian_chaired_by_xi(data):
    summit = one(data, "President Xi chaired the China-Central Asia Summit", Event)
    assert summit.city == "Xi'an"
    roles = {a.id: role for a, role in data.participants(summit)}
    assert roles["xi-jinping"] == "chair"
    assert sum(1 for a, _ in data.participants(summit) if a.country in
               {"KZ", "KG", "TJ", "TM", "UZ"}) == 5


def test_china_africa_dialogue_co_chaired_with_south_africa(data):
    dialogue = one(data, "China-Africa Leaders’ Dialogue", Event)
    co_chairs = {a.country for a, role in data.participants(dialogue) if role == "co-chair"}
    assert co_chairs == {"CN", "ZA"} and dialogue.country == "ZA"


def test_hanoi_visit_and_its_community(data):
    visit = one(data, "In Hanoi", Event)
    assert (visit.city, visit.country, visit.kind) == ("Hanoi", "VN", "visit")
    statement = one(data, "community with a shared future that carries strategic significance",
                    Outcome)
    assert statement.event == visit.id and "VN" in statement.countries


def test_summit_place_holds_the_fact_and_the_mention_the_review_words(data):
    summit, = [e for e in quoting(data, "the China-US summit meeting in San Francisco", Event)
               if e.kind == "summit"]
    assert summit.city == "Woodside" and summit.country == "US"
    assert "San Francisco" in summit.notes


def test_ceasefire_and_two_state_solution_at_the_brics_meeting(data):
    position = one(data, "he called for an immediate ceasefire", Position)
    demands = " ".join(position.demands).lower()
    assert "ceasefire" in demands and "two-state solution" in demands
    meeting = data.events[position.occasion]
    assert meeting.mode == "virtual" and meeting.start_date == position.date


def test_earlier_this_year_meetings_with_kissinger_and_gates(data):
    for name in ("Henry Kissinger", "Bill Gates"):
        meeting = next(r for r in quoting(data, name, Event))
        assert meeting.start_date < datetime.date(2023, 11, 14) and meeting.city == "Beijing"
    friends = one(data, "several other US friends", Aggregate)
    assert friends.examples


def test_aggregates_are_not_events_and_list_real_examples(data):
    for aggregate in data.aggregates:
        assert aggregate.id not in data.events and aggregate.examples
        for example in aggregate.examples:
            data.record(example)


def test_every_fact_record_cites_a_readout_besides_the_review(data):
    for table in ("events", "actors", "outcomes", "positions", "aggregates"):
        for record in getattr(data, table):
            assert set(record.sources) - {REVIEW}, record.id


def test_every_event_is_in_2023_or_says_why_not(data):
    for event in data.events:
        if event.start_date and event.start_date.year != 2023:
            assert event.notes and str(event.start_date.year) in event.notes, event.id


def test_every_sentence_reaches_a_record(data):
    assert len(data.sentences) == 33
    for sentence in data.sentences:
        assert data.records_in(sentence), sentence.number
