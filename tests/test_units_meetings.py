"""The meetings and countries tables, made from hand-written events and actors."""

from __future__ import annotations

import json
from pathlib import Path

from dipdata.make.meetings import country_rows, is_meeting, meeting_rows, table_schemas

ROOT = Path(__file__).resolve().parents[1]


def _event(**fields):
    event = {"id": "e", "kind": "talks", "mode": "in-person", "start_date": "2023-05-18",
             "city": "Xi'an", "country": "CN", "part_of": None, "sidelines_of": None,
             "section": "question",
             "participants": [{"actor": "xi-jinping", "role": "host",
                               "capacity": "President of the People's Republic of China"},
                              {"actor": "k", "role": "guest", "capacity": "President"}]}
    return {**event, **fields}


ACTORS = {"xi-jinping": ("Xi Jinping", "CN"), "k": ("Kassym-Jomart Tokayev", "KZ"),
          "p": ("Peng Liyuan", "CN"), "eu": ("Ursula von der Leyen", None)}


def test_a_meeting_is_xi_with_someone_in_2023_of_a_meeting_kind():
    assert is_meeting(_event())
    assert not is_meeting(_event(kind="visit"))
    assert not is_meeting(_event(kind="summit"))
    assert is_meeting(_event(kind="call")) and is_meeting(_event(kind="video-meeting"))
    assert is_meeting(_event(kind="meeting"))
    assert not is_meeting(_event(start_date="2022-12-08"))
    assert not is_meeting(_event(start_date=None))
    assert not is_meeting(_event(section="public-foundation"))
    assert not is_meeting(_event(participants=[{"actor": "xi-jinping", "role": "host"}]))
    assert not is_meeting(_event(participants=[{"actor": "k", "role": "host"},
                                               {"actor": "q", "role": "guest"}]))


def test_one_row_per_foreign_counterpart_with_country_and_region():
    events = [_event(id="b", part_of="visit"),
              _event(id="a", kind="call", mode="phone", city=None, country=None,
                     sidelines_of="forum", participants=[
                         {"actor": "xi-jinping", "role": "counterpart"},
                         {"actor": "p", "role": "host"},
                         {"actor": "eu", "role": "counterpart", "capacity": "President"},
                         {"actor": "k", "role": "counterpart"}]),
              _event(id="c", kind="visit")]
    assert meeting_rows(events, ACTORS) == [
        ("a", "eu", "2023-05-18", "call", "phone", "Ursula von der Leyen", "President", None,
         None, None, None, None, "forum"),
        ("a", "k", "2023-05-18", "call", "phone", "Kassym-Jomart Tokayev", None, "KZ", "Asia",
         "Central Asia", None, None, "forum"),
        ("b", "k", "2023-05-18", "talks", "in-person", "Kassym-Jomart Tokayev", "President",
         "KZ", "Asia", "Central Asia", "Xi'an", "CN", "visit"),
    ]


def test_an_unknown_actor_is_named_by_its_id():
    [row] = meeting_rows([_event(participants=[{"actor": "xi-jinping", "role": "host"},
                                               {"actor": "who", "role": "guest"}])], ACTORS)
    assert row[1] == row[5] == "who" and row[7:10] == (None, None, None)


def test_countries_are_the_codes_used_that_the_un_classifies():
    # name_zh: the ministry's form with the page it was read in (curated), then the UN's form
    beijing = "https://wb.beijing.gov.cn/home/index/wsjx/202312/t20231231_3521481.html"
    kazakhstan = "https://tv.cctv.com/2023/10/17/VIDEGK6T7g5T3AlQ2IqoBHcK231017.shtml"
    assert country_rows({"KZ", "CN", "XK"}) == [
        ("CN", "China", "中国", beijing, "中国", "156", "Asia", "Eastern Asia"),
        ("KZ", "Kazakhstan", "哈萨克斯坦", kazakhstan, "哈萨克斯坦", "398", "Asia", "Central Asia")]
    # Russia: the ministry writes 俄罗斯, the UN 俄罗斯联邦; the ministry's form wins.
    [russia] = country_rows({"RU"})
    assert (russia[2], russia[4]) == ("俄罗斯", "俄罗斯联邦")


def test_a_country_the_ministry_names_not_takes_the_uns_name_and_no_page():
    assert country_rows({"AD"}) == [
        ("AD", "Andorra", "安道尔", None, "安道尔", "020", "Europe", "Southern Europe")]


def test_events_that_are_not_meetings_are_skipped_wherever_they_stand():
    events = [_event(id="a", kind="visit"), _event(id="b"), _event(id="c", kind="summit"),
              _event(id="d", kind="meeting")]
    assert [(row[0], row[1]) for row in meeting_rows(events, ACTORS)] == [("b", "k"), ("d", "k")]


def test_rows_are_sorted_by_event_then_counterpart():
    people = [{"actor": "xi-jinping", "role": "host"}, {"actor": "k", "role": "guest"},
              {"actor": "eu", "role": "guest"}]
    events = [_event(id="b", participants=people), _event(id="a", participants=people,
                                                          start_date="2023-01-02")]
    assert [(row[0], row[1]) for row in meeting_rows(events, ACTORS)] == [
        ("a", "eu"), ("a", "k"), ("b", "eu"), ("b", "k")]


def test_the_tables_schemas_are_those_of_the_committed_package():
    """`meetings` and `countries`: descriptions and Table Schemas as the reviewed descriptor
    has them."""
    descriptor = json.loads((ROOT / "datapackage" / "datapackage.json").read_text("utf-8"))
    committed = {r["name"]: (r["description"], r["schema"]) for r in descriptor["resources"]
                 if r.get("type") == "table"}
    made = table_schemas()
    assert list(made) == ["countries", "meetings"]
    for name, (description, schema) in made.items():
        assert (description, schema) == committed[name], name


def test_the_meetings_columns_say_what_a_row_holds():
    """The column names and keys, written out: one per value of a row of `meeting_rows`."""
    description, schema = table_schemas()["meetings"]
    assert [f["name"] for f in schema["fields"]] == [
        "event", "counterpart", "date", "kind", "mode", "counterpart_name", "capacity",
        "country", "region", "sub_region", "city", "venue_country", "occasion"]
    assert [f["name"] for f in schema["fields"] if f.get("constraints", {}).get("required")] \
        == ["event", "counterpart", "kind", "mode", "counterpart_name"]
    assert {f["type"] for f in schema["fields"] if f["name"] != "date"} == {"string"}
    assert schema["primaryKey"] == ["event", "counterpart"]
    assert description.startswith("One row per meeting, talks, call or video meeting")
    _, countries = table_schemas()["countries"]
    assert [(f["name"], f.get("constraints")) for f in countries["fields"]] == [
        ("code", {"required": True}), ("name", {"required": True}), ("name_zh", None),
        ("name_zh_url", None), ("name_zh_un", None), ("m49", {"required": True}),
        ("region", None), ("sub_region", None)]
    assert countries["primaryKey"] == ["code"] and "foreignKeys" not in countries
