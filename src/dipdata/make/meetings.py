"""Tables derived across records for readers: `meetings` (one row per meeting, talks, call
or video meeting of Xi with a foreign counterpart, with the counterpart's country and region)
and `countries` (every country the data names, with its UN M49 region and Chinese name).

The rule for a meeting is the one of the `meetings-and-calls-2023` aggregate, less its
summits and dialogues: an event of 2023 of kind meeting, talks, call or video-meeting in
which Xi took part with someone of another country (the friends of the review's fourth part
are counted there, not here); a counterpart is a participant who is not Chinese.
"""

from __future__ import annotations

from typing import Any

from ..model.regions import chinese_names, regions

MEETING_KINDS = ("meeting", "talks", "call", "video-meeting")
#: What the writer keeps of each event to make these tables (and of each actor its name and country).
EVENT_FIELDS = ("id", "kind", "mode", "start_date", "city", "country", "part_of",
                "sidelines_of", "section", "participants")
XI = "xi-jinping"


def _column(name: str, kind: str, description: str, required: bool = False) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": kind, "description": description}
    if required:
        field["constraints"] = {"required": True}
    return field


def table_schemas() -> dict[str, tuple[str, dict[str, Any]]]:
    """The two tables' descriptions and Table Schemas."""
    countries = {
        "fields": [
            _column("code", "string", "ISO 3166-1 alpha-2 code.", True),
            _column("name", "string", "Name in English (UN M49).", True),
            _column("name_zh", "string", "Short name in Chinese in the form China's Foreign "
                    "Ministry and Xinhua write it (e.g. 俄罗斯, 刚果（金）), as read in the page at "
                    "name_zh_url; the UN's form where none was read."),
            _column("name_zh_url", "string", "The page where name_zh was read (its headline or "
                    "text); empty where name_zh is the UN's form."),
            _column("name_zh_un", "string", "Short name in Chinese in the UN M49 standard "
                    "(e.g. 俄罗斯联邦), where the UN gives one; it differs from name_zh for some "
                    "countries, and name_zh wins."),
            _column("m49", "string", "UN M49 numeric code.", True),
            _column("region", "string", "UN M49 region (Africa, Americas, Asia, Europe, Oceania)."),
            _column("sub_region", "string", "UN M49 sub-region, e.g. Eastern Africa."),
        ],
        "primaryKey": ["code"]}
    meetings = {
        "fields": [
            _column("event", "string", "Id of the meeting, talks, call or video meeting.", True),
            _column("counterpart", "string", "Id of the foreign counterpart (an actor).", True),
            _column("date", "date", "The day it took place."),
            _column("kind", "string", "meeting, talks, call or video-meeting.", True),
            _column("mode", "string", "In person, virtual (video), phone or written.", True),
            _column("counterpart_name", "string", "The counterpart's name.", True),
            _column("capacity", "string", "The office in which the counterpart took part."),
            _column("country", "string", "The counterpart's country (ISO 3166-1 alpha-2); "
                    "empty for the head of an international organisation."),
            _column("region", "string", "The counterpart country's UN M49 region."),
            _column("sub_region", "string", "The counterpart country's UN M49 sub-region."),
            _column("city", "string", "City where it took place (empty when remote)."),
            _column("venue_country", "string", "Country where it took place."),
            _column("occasion", "string", "Id of the visit, summit or forum of which it was "
                    "part or on whose sidelines it took place, if any."),
        ],
        "primaryKey": ["event", "counterpart"],
        "foreignKeys": [
            {"fields": ["event"], "reference": {"resource": "events", "fields": ["id"]}},
            {"fields": ["counterpart"], "reference": {"resource": "actors", "fields": ["id"]}},
            {"fields": ["country"], "reference": {"resource": "countries", "fields": ["code"]}},
            {"fields": ["occasion"], "reference": {"resource": "events", "fields": ["id"]}},
        ]}
    return {
        "countries": ("Every country the data names, with its UN M49 region and sub-region and "
                      "its Chinese names (the Foreign Ministry's form, read in a cited page, and "
                      "the UN's, through hdx-python-country).",
                      countries),
        "meetings": ("One row per meeting, talks, call or video meeting of Xi Jinping with a "
                     "foreign counterpart in 2023 (two rows for two counterparts), with the "
                     "counterpart's country and region: the table for 'whom did Xi meet'.",
                     meetings),
    }


def is_meeting(event: dict[str, Any]) -> bool:
    actors = {p["actor"] for p in event["participants"]}
    return (event["kind"] in MEETING_KINDS and XI in actors and len(actors) > 1
            and (event["start_date"] or "").startswith("2023-")
            and event["section"] != "public-foundation")


def meeting_rows(events: list[dict[str, Any]], actors: dict[str, tuple[str, str | None]]
                 ) -> list[tuple]:
    """The rows of `meetings`, sorted by (event, counterpart)."""
    places = regions()
    rows = []
    for event in events:
        if not is_meeting(event):
            continue
        for participant in event["participants"]:
            name, country = actors.get(participant["actor"], (participant["actor"], None))
            if participant["actor"] == XI or country == "CN":
                continue
            place = places.get(country or "")
            rows.append((event["id"], participant["actor"], event["start_date"], event["kind"],
                         event["mode"], name, participant.get("capacity"), country,
                         place.region if place else None, place.sub_region if place else None,
                         event["city"], event["country"],
                         event["part_of"] or event.get("sidelines_of")))
    return sorted(rows, key=lambda row: (row[0], row[1]))


def country_rows(codes: set[str]) -> list[tuple]:
    """The rows of `countries`: every code the data uses that the UN classifies."""
    places, names = regions(), chinese_names()
    rows = []
    for code in sorted(codes):
        if code in places:
            place, ministry = places[code], names.get(code)
            rows.append((code, place.name, ministry.name_zh if ministry else place.name_zh,
                         ministry.url if ministry else None, place.name_zh, place.m49,
                         place.region, place.sub_region))
    return rows
