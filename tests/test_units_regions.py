"""The regions' reference file made from a few countries written in the test (in place of
hdx-python-country's data): its columns, the countries left out, the padded M49 codes and
the order; and where it is written."""

from __future__ import annotations

from hdx.location.country import Country

from dipdata.model import regions

FAKE = {"countries": {
    "RUS": {"ISO 3166-1 Alpha 2-Codes": "RU", "Preferred Term": "Russian Federation",
            "Chinese Short": "俄罗斯", "m49 numerical code": "643", "Region Name": "Europe",
            "Sub-region Name": "Eastern Europe"},
    "AND": {"ISO 3166-1 Alpha 2-Codes": "AD", "Preferred Term": "Andorra",
            "Chinese Short": None, "m49 numerical code": 20, "Region Name": "Europe",
            "Sub-region Name": None},
    "ATA": {"ISO 3166-1 Alpha 2-Codes": "AQ", "Preferred Term": "Antarctica",
            "m49 numerical code": "010", "Region Name": None},  # no M49 region
    "XKX": {"ISO 3166-1 Alpha 2-Codes": None, "Preferred Term": "Kosovo",
            "m49 numerical code": "412", "Region Name": "Europe"},  # no ISO code
    "BES": {"ISO 3166-1 Alpha 2-Codes": "BQ",
            "Preferred Term": "Bonaire, Sint Eustatius and Saba",
            "m49 numerical code": "535", "Region Name": "Americas",
            "Sub-region Name": "Caribbean"},
    "ZZZ": {"ISO 3166-1 Alpha 2-Codes": "ZZ", "m49 numerical code": "9",
            "Region Name": "Oceania"},  # no names at all
}}


def test_the_reference_file_from_the_un_data(monkeypatch):
    asked = []

    def countriesdata(use_live=True):
        asked.append(use_live)
        return FAKE

    monkeypatch.setattr(Country, "countriesdata", staticmethod(countriesdata))
    assert regions.regions_csv() == (
        "code,name,name_zh,m49,region,sub_region\n"
        "AD,Andorra,,020,Europe,\n"
        'BQ,"Bonaire, Sint Eustatius and Saba",,535,Americas,Caribbean\n'
        "RU,Russian Federation,俄罗斯,643,Europe,Eastern Europe\n"
        "ZZ,,,009,Oceania,\n")
    assert asked == [False]  # the data shipped with the library, never fetched


def test_the_file_is_written_into_the_packages_data(monkeypatch, tmp_path):
    (tmp_path / "data").mkdir()
    packages = []

    def files(package):
        packages.append(package)
        return tmp_path

    monkeypatch.setattr(regions.resources, "files", files)
    monkeypatch.setattr(regions, "regions_csv", lambda: "code,name\nRU,Россия\n")
    regions.write_regions()
    assert packages == ["dipdata"]
    assert (tmp_path / "data" / "regions.csv").read_bytes() == "code,name\nRU,Россия\n".encode()
