"""`dipdata new`: a skeleton with a $schema reference that, once filled in, validates."""

from __future__ import annotations

import json

from .conftest import RECORDS, run, tree_digest


def test_new_event_once_filled_in_validates(repo, capsys):
    code, out, _ = run(capsys, "--root", str(repo), "new", "event", "xi-meets-someone-2023-05-01")
    assert code == 0
    path = repo / "records/events/xi-meets-someone-2023-05-01.json"
    assert out.strip().endswith("records/events/xi-meets-someone-2023-05-01.json")
    record = json.loads(path.read_text("utf-8"))
    assert record["$schema"] == "../../schema/events.schema.json"
    assert (path.parent / record["$schema"]).resolve() == (repo / "schema/events.schema.json")
    assert record["id"] == "xi-meets-someone-2023-05-01" and record["title"] is None

    relative = "records/events/xi-meets-someone-2023-05-01.json"
    code, out, _ = run(capsys, "--root", str(repo), "validate", relative)
    assert code == 1 and "missing-value: xi-meets-someone-2023-05-01 title: " in out

    record.update({"kind": "meeting", "title": "Xi Jinping meets someone",
                   "start_date": "2023-05-18", "end_date": "2023-05-18",
                   "part_of": "china-central-asia-summit-2023",
                   "date_precision": "day", "city": "Beijing", "country": "CN",
                   "mode": "in-person", "section": "public-foundation",
                   "summary": "A meeting in Beijing.", "plover_event": "CONSULT",
                   "plover_mode": "visit",
                   "participants": [{"actor": "xi-jinping", "role": "host", "capacity":
                                     "President of the People's Republic of China"}],
                   "sources": ["womenofchina-2022-12-31-xi-new-year-gathering"]})
    path.write_text(json.dumps(record, indent=2), "utf-8")
    code, out, _ = run(capsys, "--root", str(repo), "validate", relative)
    assert (code, out) == (0, f"valid: {RECORDS + 1} records, no problems\n")
    code, _, _ = run(capsys, "--root", str(repo), "build")
    assert code == 0
    built = json.loads((repo / "datapackage/data/events.json").read_text("utf-8"))
    assert "$schema" not in next(r for r in built if r["id"] == record["id"])


def test_new_refuses_bad_tables_ids_and_existing_files(repo, capsys):
    before = tree_digest(repo)
    for args, message in [(["new", "banquet", "x"], "unknown table 'banquet'; use one of: "
                           "sources, texts, actors, events, outcomes, positions, aggregates, commentary"),
                          (["new", "event", "Bad_Id"],
                           "'Bad_Id' is not an id: use lowercase ASCII kebab-case"),
                          (["new", "actor", "xi-jinping"],
                           "the id 'xi-jinping' is taken: records/actors/xi-jinping.json exists"),
                          # ids are unique across tables: an event's id is taken for an actor
                          (["new", "actor", "china-eu-summit-2023"],
                           "the id 'china-eu-summit-2023' is taken: "
                           "records/events/china-eu-summit-2023.json exists")]:
        code, _, err = run(capsys, "--root", str(repo), *args)
        assert (code, err) == (2, f"dipdata: error: {message}\n")
    assert tree_digest(repo) == before


def test_another_text_of_the_review_is_added_as_data(repo, capsys):
    """A new text is a record and a file (no change to the schema): `new text`, its words in
    source/<source id>.txt, its hash; it validates, and the build packages and splits it."""
    import hashlib

    code, out, _ = run(capsys, "--root", str(repo), "new", "text", "review-2023-zh-test")
    assert code == 0 and out.strip().endswith("records/texts/review-2023-zh-test.json")
    source = "163-2023-12-29-mfa-head-of-state-diplomacy-highlights"
    words = "有记者问。\n毛宁表示，今年很好。\n一是促进了大国关系发展。\n".encode()
    (repo / "source" / f"{source}.txt").write_bytes(words)
    path = repo / "records/texts/review-2023-zh-test.json"
    record = json.loads(path.read_text("utf-8"))
    record.update({"source": source, "language": "zh-Hans", "complete": False,
                   "first_section": "question",
                   "sha256": hashlib.sha256(words).hexdigest()})
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False), "utf-8")
    code, out, _ = run(capsys, "--root", str(repo), "validate",
                       "records/texts/review-2023-zh-test.json")
    assert (code, out) == (0, f"valid: {RECORDS + 1} records, no problems\n")
    code, _, _ = run(capsys, "--root", str(repo), "build")
    assert code == 0
    assert (repo / "datapackage/source" / f"{source}.txt").read_bytes() == words
    rows = (repo / "datapackage/data/sentences.csv").read_text("utf-8").splitlines()
    assert [row for row in rows if row.endswith(",review-2023-zh-test")] == [
        "1,question,0,5,有记者问。,review-2023-zh-test",
        "2,opening,6,16,毛宁表示，今年很好。,review-2023-zh-test",
        "3,major-country-relations,17,29,一是促进了大国关系发展。,review-2023-zh-test"]
