"""The pictures' rules on small inputs: which year they draw, who counts as a counterpart,
the months, the lanes, and their captions. Expected values written by hand."""

from __future__ import annotations

import collections

from dipdata.make.pictures import (
    _Lanes,
    counterparts_svg,
    map_svg,
    months_svg,
    of_the_year,
    the_year,
    timeline_svg,
)
from dipdata.make.worldmap import world_map


def test_the_year_is_the_one_most_events_began_in():
    events = [{"start_date": "2022-12-08"}, {"start_date": "2023-03-20"},
              {"start_date": "2023-11-15"}, {"start_date": None}, {}]
    assert the_year(events) == 2023
    assert the_year([{"start_date": "2022-12-08"}, {"start_date": "2024-01-02"}]) == 2024  # tie
    assert the_year([{"start_date": "2021-05-01"}]) == 2021
    assert the_year([]) == 2023 and the_year([{"start_date": None}]) == 2023


def test_the_years_events_are_those_that_began_in_it():
    events = [{"id": "a", "start_date": "2023-01-01"}, {"id": "b", "start_date": "2022-12-31"},
              {"id": "c", "start_date": None}, {"id": "d"}, {"id": "e", "start_date": "2023-12-31"}]
    assert [e["id"] for e in of_the_year(events, 2023)] == ["a", "e"]


def test_a_lane_is_free_only_more_than_3_after_its_last_mark():
    lanes = _Lanes()
    assert [lanes.place(0, 10), lanes.place(13, 20), lanes.place(24, 30)] == [0, 1, 0]


def row(event: str, date: str | None, kind: str, country: str | None,
        region: str | None) -> tuple:
    return (event, f"{event}-counterpart", date, kind, "in-person", "Name", None, country,
            region, None, None, None, None)


def test_counterparts_are_countries_heads_of_organisations_are_not():
    svg = counterparts_svg([row("e1", "2023-04-06", "talks", "FR", "Europe"),
                            row("e2", "2023-09-22", "meeting", None, None),
                            row("e3", "2023-11-20", "call", "FR", "Europe")])
    assert ("Whom Xi met or called in 2023: 3 meetings, talks and calls, with leaders of 1 "
            "countries (heads of international organisations not shown).") in svg
    assert "<title>France: 2 meetings</title>" in svg


def test_months_count_each_event_once_and_leave_undated_ones_out():
    svg = months_svg([row("e1", "2023-02-01", "call", "FR", "Europe"),
                      row("e2", None, "call", "FR", "Europe")])
    assert "<title>February: 1 call</title>" in svg
    assert "(2 in all; an event with two counterparts counts once)" in svg
    # a month without any shows no number above its (missing) bar: January's centre is
    # 40 + 55/2 (12 bars of 55 in 660), its baseline 260 - 40, the number 4 above
    assert '<text x="67.5" y="216.0" text-anchor="middle" fill="#1a1a1a"></text>' in svg
    empty = months_svg([])
    assert "(0 in all;" in empty and "<rect x=" not in empty.split("</text>", 5)[-1]


def test_the_captions_say_only_what_is_left_out():
    events = [{"id": "a", "kind": "visit", "title": "A", "start_date": "2023-03-20",
               "country": "RU"}]
    assert ("Events that began in 2023; a row is the UN M49 region of the foreign "
            "participants.</text>") in timeline_svg(events)
    assert ("1 events in 1 countries; 0 were virtual or by letter.</text>") in map_svg(events)


def test_a_map_of_nothing_still_has_its_scale():
    svg = world_map(collections.Counter(), "m", "meeting", "Title", "Caption", legend=True)
    # one step of the scale, 1, the largest count there is: the darkest shade
    assert svg.count('width="14" height="14" fill="#084594"') == 1
    assert '<text x="30" ' in svg and ">1</text>" in svg


def test_the_most_common_year_wins_over_the_latest():
    events = [{"start_date": "2023-03-20"}, {"start_date": "2023-05-18"},
              {"start_date": "2024-01-02"}]
    assert the_year(events) == 2023


def test_a_counterpart_is_counted_by_country_even_without_a_region():
    svg = counterparts_svg([row("e1", "2023-04-06", "talks", "FR", None)])
    assert "<title>France: 1 meeting</title>" in svg


def test_linked_pictures_are_groups_plain_ones_images():
    events = [{"id": "a", "kind": "visit", "title": "A", "start_date": "2023-03-20",
               "country": "RU"}]
    for draw in (timeline_svg, map_svg):
        assert ' role="img" ' in draw(events) and ' role="group" ' not in draw(events)
    assert ' role="group" ' in timeline_svg(events, link=True)
    assert ' role="group" ' in map_svg(events, link=True)


def test_every_kind_of_event_has_its_colour_in_the_legend():
    from typing import get_args

    from dipdata.make.pictures import KIND_COLOURS
    from dipdata.model.vocabulary import EventKind

    assert set(KIND_COLOURS) == set(get_args(EventKind))
    assert len(set(KIND_COLOURS.values())) == len(KIND_COLOURS)  # no two kinds alike
    article = [{"id": "a", "kind": "article", "title": "A", "start_date": "2023-03-20"}]
    assert 'fill="#332288"' in timeline_svg(article) and ">article</text>" in timeline_svg(article)
