"""dipdata.load(): typed records, lookups and navigation; DataFrames; the installed wheel."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import dipdata
from dipdata.use.loader import load
from dipdata.models import Event

from .conftest import ROOT

PACKAGE = ROOT / "datapackage"


def _json(table):
    return json.loads((PACKAGE / "data" / f"{table}.json").read_text("utf-8"))


def test_load_gives_typed_records_of_every_table():
    dataset = dipdata.load()
    for table in ("events", "actors", "outcomes", "positions", "sources", "aggregates",
                  "commentary"):
        assert sorted(r.id for r in getattr(dataset, table)) == sorted(
            r["id"] for r in _json(table)), table
    event = next(e for e in dataset.events if e.start_date)
    assert isinstance(event, Event) and isinstance(event.start_date, datetime.date)
    assert dataset.version == dipdata.__version__


def test_lookup_and_navigation_follow_the_records():
    dataset = dipdata.load()
    for raw in _json("events"):
        event = dataset.events[raw["id"]]
        assert [(a.id, role) for a, role in dataset.participants(event)] == [
            (p["actor"], p["role"]) for p in raw["participants"]]
        parent = dataset.parent(event)
        assert (parent.id if parent else None) == raw["part_of"]
        assert [part.id for part in dataset.parts(event)] == [other["id"] for other in sorted(
            (o for o in _json("events") if o["part_of"] == raw["id"]),
            key=lambda o: (o["start_date"] is None, o["start_date"] or "", o["id"]))]
        assert [o.id for o in dataset.outcomes_of(event)] == sorted(
            o["id"] for o in _json("outcomes") if o["event"] == raw["id"])
        assert [p.id for p in dataset.positions_of(event)] == sorted(
            p["id"] for p in _json("positions") if p["occasion"] == raw["id"])


def test_navigation_of_the_russia_visit():
    """The README's example, with its values written out by hand."""
    data = dipdata.load()
    visit = data.events["xi-state-visit-russia-2023"]
    assert visit.start_date == datetime.date(2023, 3, 20)
    assert [(actor.name, role) for actor, role in data.participants(visit)] == [
        ("Vladimir Putin", "host"), ("Xi Jinping", "guest")]
    assert [part.id for part in data.parts(visit)] == [  # by date, then id
        "xi-article-rossiyskaya-gazeta-2023-03-20", "xi-putin-meeting-2023-03-20",
        "xi-mishustin-meeting-2023-03-21", "xi-putin-talks-2023-03-21"]
    assert data.parent("xi-putin-talks-2023-03-21") == visit
    assert data.parent(visit) is None
    assert [o.id for o in data.outcomes_of("xi-putin-talks-2023-03-21")] == [
        "cn-ru-economic-cooperation-plan-2030", "cn-ru-joint-statement-new-era-2023"]
    assert [s.id for s in data.sources_of(visit)] == [
        "chinadailyhk-2023-03-17-xi-state-visit-russia",
        "sputnik-2023-03-17-xi-state-visit-russia-announced",
        "herald-2023-03-20-xi-arrives-moscow", "tass-2023-03-22-xi-leaves-russia",
        "rferl-2023-03-21-xi-second-day-talks-moscow"]
    assert [(s.number, m.quote) for s, m in data.mentions_of(visit)] == [
        (6, "This year’s head-of-state overseas visits kicked off with President Xi Jinping’s "
            "visit to Russia.")]
    assert [r.id for r in data.records_in(16)] == ["third-belt-and-road-forum-2023",
                                                   "brf-2023-eight-major-steps"]
    assert [p.id for p in data.positions_of("xi-meets-madbouly-2023-10-19")] == [
        "xi-position-palestine-madbouly-2023-10-19"]
    assert data.record("xi-putin-talks-2023-03-21") == data.events["xi-putin-talks-2023-03-21"]


def test_mentions_lead_to_sentences_and_back():
    dataset = dipdata.load()
    for sentence in dataset.sentences:
        records = dataset.records_in(sentence)
        assert len(records) >= 1, f"sentence {sentence.number} reaches no record"
        for record in records:
            assert sentence.number in {s.number for s, _ in dataset.mentions_of(record)}
    for record in dataset.events:
        for sentence, mention in dataset.mentions_of(record):
            assert dataset.text[mention.start:mention.end] == mention.quote
            assert sentence.start <= mention.start and mention.end <= sentence.end


def test_load_reads_a_folder_and_a_zip(tmp_path):
    archive = tmp_path / "release.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in PACKAGE.rglob("*"):
            if path.is_file():
                zf.write(path, "dipdata-release/" + path.relative_to(PACKAGE).as_posix())
    from_zip, from_folder = load(archive), load(PACKAGE)
    assert [e.model_dump() for e in from_zip.events] == [e.model_dump() for e in from_folder.events]
    assert len(from_folder.events) == len(_json("events"))


def test_to_pandas_is_typed():
    frame = dipdata.to_pandas("events")
    assert len(frame) == len(_json("events"))
    assert str(frame["start_date"].dtype).startswith("datetime64")
    assert str(frame["id"].dtype) == "string"
    mentions = dipdata.to_pandas("mentions")
    assert str(mentions["start_offset"].dtype) == "Int64"
    with pytest.raises(KeyError):
        dipdata.to_pandas("nope")


def test_to_polars_is_typed():
    import polars as pl

    frame = dipdata.to_polars("events")
    assert frame.height == len(_json("events"))
    assert frame.schema["start_date"] == pl.Date and frame.schema["id"] == pl.Utf8


def test_import_stays_light():
    code = ("import sys, dipdata; heavy = [m for m in ('frictionless', 'pandas', 'polars', "
            "'pydantic', 'jsonschema') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_python_m_dipdata_works_like_the_command():
    out = subprocess.run([sys.executable, "-m", "dipdata", "--version"], capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == f"dipdata {dipdata.__version__}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out),
                    str(ROOT)],
                   check=True, capture_output=True)
    return next(out.glob("dipdata-*.whl"))


def test_the_wheel_ships_the_package_and_loads_from_a_zipped_install(wheel, tmp_path):
    names = zipfile.ZipFile(wheel).namelist()
    assert "dipdata/datapackage/datapackage.json" in names
    assert "dipdata/py.typed" in names
    # A wheel on sys.path is a zipped install: the data must load from inside the zip.
    code = ("import dipdata, datetime; d = dipdata.load(); "
            "assert 'zip' in type(__import__('importlib.resources').resources.files('dipdata')).__module__ "
            "or str(dipdata.__file__).endswith('.py'); "
            "e = next(iter(d.events)); print(len(d.events), type(e.start_date).__name__, dipdata.__file__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(wheel), "PATH": "/usr/bin:/bin"}, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    count, date_type, location = out.stdout.split()
    assert int(count) == len(_json("events")) and date_type == "date"
    assert str(wheel) in location


def test_shipped_records_equal_validated_ones():
    """The shipped package is loaded without validating again; prove nothing is lost."""
    from dipdata.use.loader import _load, package_root

    fast, checked = dipdata.load(), _load(package_root(), trusted=False)
    for table in ("events", "actors", "outcomes", "positions", "sources", "aggregates",
                  "commentary"):
        assert [r.model_dump() for r in getattr(fast, table)] == \
            [r.model_dump() for r in getattr(checked, table)], table


def test_the_wheel_installs_in_a_fresh_environment_and_loads(wheel, tmp_path):
    """As a new user would: a fresh virtual environment, pip install of the built wheel, one
    line of Python. Dependencies come from this test environment (through a .pth file), so
    the test needs no network; dipdata itself comes only from the wheel."""
    import site
    import venv

    fresh = tmp_path / "fresh"
    venv.create(fresh, with_pip=False)
    python = fresh / "bin" / "python"
    packages = Path(subprocess.run([str(python), "-c", "import sysconfig; "
                                    "print(sysconfig.get_paths()['purelib'])"],
                                   capture_output=True, text=True, check=True).stdout.strip())
    (packages / "test-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", "--no-index", str(wheel)], check=True, capture_output=True)
    code = ("import dipdata; d = dipdata.load(); e = d.events['xi-state-visit-russia-2023']; "
            "print(len(d.events), e.start_date.isoformat(), dipdata.__file__)")
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    count, start, location = out.stdout.split()
    assert int(count) == len(_json("events")) and start == "2023-03-20"
    assert location.startswith(str(fresh))
    command = subprocess.run([str(fresh / "bin" / "dipdata"), "--version"], capture_output=True,
                             text=True, cwd=tmp_path)
    assert command.stdout.strip() == f"dipdata {dipdata.__version__}"


def test_load_refuses_hostile_archives(tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("pkg/datapackage.json", "{}")
        zf.writestr("pkg/data/events.json", b"\0" * 5_000_000)
    with pytest.raises(ValueError, match="zip bomb"):
        load(bomb)
    escape = tmp_path / "escape.zip"
    with zipfile.ZipFile(escape, "w") as zf:
        zf.writestr("../datapackage.json", "{}")
    with pytest.raises(ValueError, match="climbs out"):
        load(escape)
    assert not (tmp_path.parent / "datapackage.json").exists()


def test_events_of_an_actor_and_sources_of_a_record():
    dataset = dipdata.load()
    for actor in dataset.actors:
        expected = sorted((raw["id"], p["role"]) for raw in _json("events")
                          for p in raw["participants"] if p["actor"] == actor.id)
        assert sorted((e.id, role) for e, role in dataset.events_of(actor)) == expected
    for raw in _json("outcomes"):
        assert [s.id for s in dataset.sources_of(raw["id"])] == raw["sources"]
