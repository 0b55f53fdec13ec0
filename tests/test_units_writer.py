"""The package writer on a tiny repository and tiny schemas made in the test: the CSV bytes
(header, quoting, LF line ends, booleans as true/false, nulls as empty cells), the JSON
resources, the tables made across records (meetings, countries), the descriptor, the small
generated files, and the same bytes whether written, only hashed, or made in pieces and
merged. Expected values written by hand."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from dipdata import __version__
from dipdata.make.writer import PackageWriter, _Stream, list_schema
from dipdata.model.source import REVIEW_ID, Sentence

S = "https://json-schema.org/draft/2020-12/schema"
TEXT = {"type": "string"}
NULLABLE = {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None}


def schema(table: str, properties: dict, required: tuple = ("id",)) -> dict:
    return {"$schema": S, "$id": f"https://example.org/{table}", "title": table[:-1].title(),
            "description": f"The {table}.", "type": "object", "required": list(required),
            "properties": {"$schema": TEXT, "id": TEXT, **properties}}


SCHEMAS = {
    "sources": schema("sources", {
        "title": TEXT, "url": NULLABLE, "publisher": NULLABLE, "notes": NULLABLE,
        "ok": {"anyOf": [{"type": "boolean"}, {"type": "null"}], "default": None}},
        ("id", "title")),
    "actors": schema("actors", {"name": TEXT, "country": NULLABLE}),
    "events": schema("events", {
        **{name: NULLABLE for name in ("start_date", "end_date", "city", "country", "part_of",
                                       "sidelines_of")},
        "kind": TEXT, "mode": TEXT, "section": TEXT, "title": TEXT,
        "participants": {"type": "array", "items": {"type": "object", "properties": {
            "actor": TEXT, "role": TEXT, "capacity": TEXT}}},
        "mentions": {"type": "array", "default": [], "items": {"type": "object", "properties": {
            "in_text": TEXT, "start": {"type": "integer"}, "end": {"type": "integer"},
            "quote": TEXT}}}}),
    "outcomes": schema("outcomes", {"relationship_country": NULLABLE, "countries": {
        "type": "array", "items": TEXT, "description": "Countries."}}),
    "positions": schema("positions", {"notes": NULLABLE}),
}
REVIEW = b"Hello. World.\n"
ZH = "你好。".encode()
#: (table, record) in id order, across tables
RECORDS = [
    ("sources", {"$schema": "../../schema/sources.schema.json", "id": "a-source",
                 "title": 'Say "hi", twice\nnow', "url": "https://example.org/a",
                 "publisher": "P", "ok": True}),  # a hint, and `notes` left out
    ("events", {"id": "b-talks", "kind": "talks", "mode": "in-person",
                "start_date": "2023-04-06", "end_date": "2023-04-06", "city": "Beijing",
                "country": "CN", "part_of": None, "sidelines_of": "z-summit",
                "section": "major-country-relations", "title": "Talks",
                "participants": [
                    {"actor": "xi-jinping", "role": "host", "capacity": "President"},
                    {"actor": "c-macron", "role": "guest", "capacity": "President of France"}],
                "mentions": [{"start": 0, "end": 6, "quote": "Hello."},
                             {"in_text": "review-zh", "start": 0, "end": 3, "quote": "你好。"}]}),
    ("actors", {"id": "c-macron", "name": "Emmanuel Macron", "country": "FR"}),
    ("outcomes", {"id": "d-outcome", "relationship_country": "DE", "countries": ["KE", "FR"]}),
    ("sources", {"id": REVIEW_ID, "title": "The review", "url": "https://example.org/r",
                 "publisher": "The MFA", "ok": False, "notes": "n, with a comma"}),
    ("sources", {"id": "n-source", "title": "N"}),  # every field but two left out
    ("actors", {"id": "xi-jinping", "name": "Xi Jinping", "country": "CN"}),
]
SENTENCE_OF = {("review-2023-en", 0, 6): 1, ("review-zh", 0, 3): 1}
SENTENCES = [Sentence(1, "opening", 0, 6, "Hello."), Sentence(2, "closing", 7, 13, "World."),
             Sentence(1, "opening", 0, 3, "你好。", "review-zh")]
README = "# Tiny\n\n<!-- BEGIN GENERATED: dataset (dipdata build writes this; do not edit) " \
         "-->\nold\n<!-- END GENERATED: dataset -->\n"

CSV = {
    "actors": "id,name,country\nc-macron,Emmanuel Macron,FR\nxi-jinping,Xi Jinping,CN\n",
    "countries": "code,name,name_zh,name_zh_url,name_zh_un,m49,region,sub_region\n"
    "CN,China,中国,https://wb.beijing.gov.cn/home/index/wsjx/202312/t20231231_3521481.html,"
    "中国,156,Asia,Eastern Asia\n"
    "DE,Germany,德国,https://tv.cctv.com/2023/11/03/VIDEoh2rGCzzMhmBeFz2jr3x231103.shtml,德国,"
    "276,Europe,Western Europe\n"
    "FR,France,法国,http://big5.china.com.cn/gate/big5/xitheory.china.com.cn/2023-11/21/"
    "content_116828397.htm,法国,250,Europe,Western Europe\n"
    "KE,Kenya,肯尼亚,https://tv.cctv.com/2023/10/19/VIDEoswjDoNvKIhXGau1HpEF231019.shtml,"
    "肯尼亚,404,Africa,Sub-Saharan Africa\n",
    "events": "id,start_date,end_date,city,country,part_of,sidelines_of,kind,mode,section,"
    "title\nb-talks,2023-04-06,2023-04-06,Beijing,CN,,z-summit,talks,in-person,"
    "major-country-relations,Talks\n",
    "meetings": "event,counterpart,date,kind,mode,counterpart_name,capacity,country,region,"
    "sub_region,city,venue_country,occasion\nb-talks,c-macron,2023-04-06,talks,in-person,"
    "Emmanuel Macron,President of France,FR,Europe,Western Europe,Beijing,CN,z-summit\n",
    "mentions": "record,sentence,in_text,start_offset,end_offset,quote\n"
    "b-talks,1,review-2023-en,0,6,Hello.\nb-talks,1,review-zh,0,3,你好。\n",
    "outcome_countries": "outcome,country\nd-outcome,FR\nd-outcome,KE\n",
    "outcomes": "id,relationship_country\nd-outcome,DE\n",
    "participants": "event,actor,role,capacity\nb-talks,c-macron,guest,President of France\n"
    "b-talks,xi-jinping,host,President\n",
    "positions": "id,notes\n",
    "records": "id,table_name\na-source,sources\nb-talks,events\nc-macron,actors\n"
    "d-outcome,outcomes\nmfa-2023-12-29-mao-ning-cnr,sources\nn-source,sources\n"
    "xi-jinping,actors\n",
    "sentences": "number,section,start_offset,end_offset,text,in_text\n"
    "1,opening,0,6,Hello.,review-2023-en\n2,closing,7,13,World.,review-2023-en\n"
    "1,opening,0,3,你好。,review-zh\n",
    "sources": 'id,title,url,publisher,ok,notes\na-source,"Say ""hi"", twice\nnow",'
    "https://example.org/a,P,true,\n"
    'mfa-2023-12-29-mao-ning-cnr,The review,https://example.org/r,The MFA,false,'
    '"n, with a comma"\nn-source,N,,,,\n',
}
SOURCES_JSON = """[
  {
    "id": "a-source",
    "notes": null,
    "ok": true,
    "publisher": "P",
    "title": "Say \\"hi\\", twice\\nnow",
    "url": "https://example.org/a"
  },
  {
    "id": "mfa-2023-12-29-mao-ning-cnr",
    "notes": "n, with a comma",
    "ok": false,
    "publisher": "The MFA",
    "title": "The review",
    "url": "https://example.org/r"
  },
  {
    "id": "n-source",
    "notes": null,
    "ok": null,
    "publisher": null,
    "title": "N",
    "url": null
  }
]
"""


def tiny_root(folder: Path) -> Path:
    """The files a writer reads: addresses, a changelog, the review, one other text, a README."""
    for name in ("source", "records/texts", "records/sources"):
        (folder / name).mkdir(parents=True)
    (folder / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[project.urls]\nHomepage = "https://example.org/home/"\n'
        'Repository = "https://example.org/repo"\n', "utf-8")
    (folder / "source" / f"{REVIEW_ID}.txt").write_bytes(REVIEW)
    (folder / "source/src-zh.txt").write_bytes(ZH)
    (folder / "records/texts/review-2023-en.json").write_text(json.dumps(
        {"id": "review-2023-en", "source": REVIEW_ID}), "utf-8")
    (folder / "records/texts/review-zh.json").write_text(json.dumps(
        {"id": "review-zh", "source": "src-zh", "language": "zh-Hans", "complete": True}),
        "utf-8")
    (folder / "records/sources/src-zh.json").write_text(json.dumps(
        {"id": "src-zh", "title": "Chinese copy", "publisher": "Xinhua",
         "url": "https://example.org/zh"}), "utf-8")
    (folder / "README.md").write_text(README, "utf-8")
    return folder


def made(tmp_path: Path, how: str) -> tuple[dict[str, bytes], dict[str, bytes], PackageWriter]:
    """(the streamed files as written, the small files, the writer), made ``how``: whole,
    hashed only (nothing written), or in pieces merged in order."""
    root = tiny_root(tmp_path / "repo")
    out = None if how == "hashed" else tmp_path / "out"
    writer = PackageWriter(root, SCHEMAS, out)
    if how == "pieces":
        piece = writer.piece()
        parts = []
        for at, (table, record) in enumerate(RECORDS):
            piece.add(table, record, SENTENCE_OF)
            if at in (0, 2):  # three pieces: one record, two, the rest
                parts.append(piece.take())
        parts.append(piece.take())
        for part in parts:
            writer.merge(part)
    else:
        for table, record in RECORDS:
            writer.add(table, record, SENTENCE_OF)
    small = writer.finish(SENTENCES)
    written = {} if out is None else {
        p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    return written, small, writer


def stats(data: bytes) -> tuple[int, str]:
    return len(data), hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("how", ["whole", "pieces"])
def test_the_tables_bytes(tmp_path, how):
    written, _, writer = made(tmp_path, how)
    assert sorted(written) == sorted([f"data/{t}.csv" for t in CSV] +
                                     [f"data/{t}.json" for t in SCHEMAS])
    for table, text in CSV.items():
        assert written[f"data/{table}.csv"].decode() == text, table
    assert written["data/sources.json"].decode() == SOURCES_JSON
    assert written["data/positions.json"] == b"[]\n"
    events = json.loads(written["data/events.json"])
    assert [m["in_text"] for m in events[0]["mentions"]] == ["review-2023-en", "review-zh"]
    assert "$schema" not in json.loads(written["data/sources.json"])[0]
    assert json.loads(written["data/outcomes.json"]) == [
        {"id": "d-outcome", "relationship_country": "DE", "countries": ["KE", "FR"]}]
    assert writer.generated() == {f"datapackage/{path}": stats(data)
                                  for path, data in written.items()}


@pytest.mark.parametrize("how", ["whole", "hashed", "pieces"])
def test_the_same_files_whether_written_hashed_or_merged(tmp_path, how):
    _, small, writer = made(tmp_path, how)
    assert writer.generated()["datapackage/data/sources.csv"] == stats(CSV["sources"].encode())
    assert writer.generated()["datapackage/data/sources.json"] == stats(SOURCES_JSON.encode())
    assert (tmp_path / "out").exists() == (how != "hashed")
    assert sorted(small) == [
        ".zenodo.json", "CITATION.bib", "CITATION.cff", "README.md",
        "datapackage/datapackage.json", "datapackage/dataset.jsonld",
        "datapackage/schema/actors.schema.json", "datapackage/schema/events.schema.json",
        "datapackage/schema/outcomes.schema.json", "datapackage/schema/positions.schema.json",
        "datapackage/schema/sources.schema.json",
        f"datapackage/source/{REVIEW_ID}.txt", "datapackage/source/src-zh.txt",
        "pictures/counterparts.svg", "pictures/map.svg", "pictures/meetings-by-month.svg",
        "pictures/timeline.svg",
        "schema/actors.schema.json", "schema/events.schema.json", "schema/outcomes.schema.json",
        "schema/positions.schema.json", "schema/sources.schema.json"]
    assert small[f"datapackage/source/{REVIEW_ID}.txt"] == REVIEW
    assert small["datapackage/source/src-zh.txt"] == ZH
    assert json.loads(small["schema/sources.schema.json"]) == SCHEMAS["sources"]
    assert small["schema/positions.schema.json"].startswith(b'{\n  "$schema": ')
    assert json.loads(small["datapackage/schema/positions.schema.json"]) == {
        "$schema": S, "$id": "https://example.org/positions:list",
        "title": "A list of Position records", "type": "array",
        "items": {"title": "Position", "description": "The positions.", "type": "object",
                  "required": ["id"], "properties": SCHEMAS["positions"]["properties"]}}
    # the pictures draw the one meeting, with France
    assert "<title>France: 1 meeting</title>" in small["pictures/counterparts.svg"].decode()
    timeline = small["pictures/timeline.svg"].decode()  # its one event, in Macron's region
    assert "<g><title>2023-04-06: Talks (talks)</title>" in timeline
    assert '<text x="142" y="94" text-anchor="end" fill="#1a1a1a">Europe</text>' in timeline
    readme = small["README.md"].decode()
    for row in ("| `events` | 1 | talks 1 |", "| `sources` | 3 |  |", "| `records` | 7 |  |",
                "| `meetings` | 1 |  |", "| `countries` | 4 |  |", "| `sentences` | 3 |  |",
                "| `mentions` | 2 |  |", "| `positions` | 0 |  |"):
        assert row in readme.splitlines()
    assert readme.startswith("# Tiny\n\n<!-- BEGIN GENERATED") and "old" not in readme.splitlines()


@pytest.mark.parametrize("how", ["whole", "pieces"])
def test_the_descriptor(tmp_path, how):
    _, small, _ = made(tmp_path, how)
    descriptor = json.loads(small["datapackage/datapackage.json"])
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert descriptor["version"] == __version__ and descriptor["id"] == "https://example.org/home/"
    assert [license["name"] for license in descriptor["licenses"]] == ["CC-BY-4.0"]
    assert descriptor["sources"] == [{"title": "The review", "path": "https://example.org/r"}]
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert list(resources) == [
        "actors", "countries", "events", "meetings", "mentions", "outcome_countries",
        "outcomes", "participants", "positions", "records", "sentences", "sources",
        "sources-json", "actors-json", "events-json", "outcomes-json", "positions-json",
        "review-text", "text-review-zh"]
    size, digest = stats(CSV["outcome_countries"].encode())
    assert resources["outcome_countries"] == {
        "name": "outcome_countries", "path": "data/outcome_countries.csv", "type": "table",
        "title": "Outcome countries", "description": "Countries.", "format": "csv",
        "mediatype": "text/csv", "encoding": "utf-8",
        "dialect": {"header": True, "delimiter": ",", "lineTerminator": "\n",
                    "quoteChar": '"', "doubleQuote": True},
        "schema": resources["outcome_countries"]["schema"],  # (the tables' own rules)
        "bytes": size, "hash": f"sha256:{digest}"}
    assert resources["sources"]["schema"]["fields"][4] == {"name": "ok", "type": "boolean"}
    size, digest = stats(SOURCES_JSON.encode())
    assert resources["sources-json"] == {
        "name": "sources-json", "path": "data/sources.json",
        "title": "Sources (records as curated)",
        "description": "The sources records as curated, nested lists included: a JSON array "
                       "described by the JSON Schema schema/sources.schema.json.",
        "format": "json", "mediatype": "application/json", "encoding": "utf-8",
        "jsonSchema": "schema/sources.schema.json", "bytes": size, "hash": f"sha256:{digest}"}
    assert resources["positions-json"]["bytes"] == 3  # "[]\n"
    assert resources["review-text"]["title"] == "The review"
    assert resources["review-text"]["licenses"][0]["title"].startswith("Copyright The MFA;")
    assert (resources["review-text"]["bytes"], resources["text-review-zh"]["bytes"]) == (14, 9)
    assert resources["text-review-zh"]["path"] == "source/src-zh.txt"
    assert "type" not in resources["sources-json"] and "type" not in resources["review-text"]
    jsonld = json.loads(small["datapackage/dataset.jsonld"])
    assert jsonld["distribution"][4] == {
        "@type": "DataDownload", "name": "actors", "encodingFormat": "text/csv",
        "contentUrl": f"https://example.org/repo/raw/v{__version__}/datapackage/data/actors.csv",
        "contentSize": f"{len(CSV['actors'].encode())} B"}
    cff = small["CITATION.cff"].decode().splitlines()
    assert cff[4:6] == ['title: "China\'s head-of-state diplomacy in 2023"',
                        f"version: {__version__}"]
    assert "  url = {https://example.org/home/},\n" in small["CITATION.bib"].decode()
    zenodo = json.loads(small[".zenodo.json"])
    assert zenodo["related_identifiers"][1]["identifier"] == "https://example.org/r"


def test_without_the_reviews_record_its_id_names_it(tmp_path):
    root = tiny_root(tmp_path / "repo")
    (root / "README.md").unlink()
    (root / "records/texts/review-zh.json").unlink()
    writer = PackageWriter(root, SCHEMAS, None)
    small = writer.finish([])
    descriptor = json.loads(small["datapackage/datapackage.json"])
    assert descriptor["sources"] == [{"title": REVIEW_ID, "path": ""}]
    review = descriptor["resources"][-1]
    assert (review["name"], review["title"]) == ("review-text", REVIEW_ID)
    assert review["licenses"][0]["title"] == ("Copyright its publisher; included for "
                                              "verification of quotes only.")
    assert "README.md" not in small and "datapackage/source/src-zh.txt" not in small
    sizes = writer.generated()
    assert sizes["datapackage/data/sources.json"] == stats(b"[]\n")
    assert sizes["datapackage/data/sources.csv"] == stats(b"id,title,url,publisher,ok,notes\n")


def test_rows_are_written_every_2048_records(tmp_path):
    root = tiny_root(tmp_path / "repo")
    writer = PackageWriter(root, SCHEMAS, None)
    header = len("id,notes\n")
    for number in range(2047):
        writer.add("positions", {"id": f"p{number:04}"}, {})
    assert writer.streams["data/positions.csv"].size == header  # gathered, not written
    writer.add("positions", {"id": "p2047"}, {})
    rows = len("p0000,\n") * 2048
    assert writer.streams["data/positions.csv"].size == header + rows
    assert writer.streams["data/records.csv"].size == len("id,table_name\n") + \
        len("p0000,positions\n") * 2048


def test_a_piece_of_more_than_2048_records_is_merged_whole(tmp_path):
    root = tiny_root(tmp_path / "repo")
    writer = PackageWriter(root, SCHEMAS, tmp_path / "out")

    def event(name: str, kind: str) -> dict:  # a hint, and the mentions (default []) left out
        return {"$schema": "x", "id": name, "kind": kind, "mode": "phone",
                "section": "closing", "title": name, "participants": []}

    for name, kind in (("e1", "call"), ("e2", "call"), ("e3", "talks")):
        writer.add("events", event(name, kind), {})
    piece = writer.piece()
    piece.add("events", event("e4", "call"), {})
    for number in range(2049):
        piece.add("positions", {"id": f"p{number:04}"}, {})
    writer.merge(piece.take())
    readme = writer.finish([])["README.md"].decode().splitlines()
    assert writer.generated()["datapackage/data/positions.csv"] == stats(
        b"id,notes\n" + b"".join(b"p%04d,\n" % number for number in range(2049)))
    json_items = b",\n".join(b'  {\n    "id": "p%04d",\n    "notes": null\n  }' % number
                             for number in range(2049))
    assert writer.generated()["datapackage/data/positions.json"] == stats(
        b"[\n" + json_items + b"\n]\n")
    for row in ("| `events` | 4 | call 3, talks 1 |", "| `positions` | 2049 |  |",
                "| `records` | 2053 |  |"):
        assert row in readme
    events = json.loads((tmp_path / "out/data/events.json").read_bytes())
    assert [(e["id"], e["mentions"], e["start_date"]) for e in events] == [
        ("e1", [], None), ("e2", [], None), ("e3", [], None), ("e4", [], None)]


def test_a_stream_writes_in_large_chunks(tmp_path):
    path = tmp_path / "a" / "b" / "file.csv"
    stream = _Stream(path)
    stream.write(b"x" * (_Stream.CHUNK - 1))
    assert path.read_bytes() == b"" and stream.size == _Stream.CHUNK - 1
    stream.write(b"y")  # a chunk gathered: written
    assert path.read_bytes() == b"x" * (_Stream.CHUNK - 1) + b"y"
    stream.write(b"z" * (_Stream.CHUNK - 1))  # gathered from nothing again
    assert path.stat().st_size == _Stream.CHUNK
    stream.close()
    stream.close()  # closing twice is harmless
    assert path.stat().st_size == 2 * _Stream.CHUNK - 1 == stream.size
    assert stream.digest.hexdigest() == hashlib.sha256(
        b"x" * (_Stream.CHUNK - 1) + b"y" + b"z" * (_Stream.CHUNK - 1)).hexdigest()
    again = _Stream(path)  # the folder is there: fine
    again.write(b"new")
    again.close()
    assert path.read_bytes() == b"new"
    assert _Stream.CHUNK == 1 << 20


def test_list_schema_moves_definitions_to_the_top():
    record = {"$schema": S, "$id": "https://example.org/e", "title": "Event",
              "type": "object", "properties": {"p": {"$ref": "#/$defs/P"}},
              "$defs": {"P": {"type": "string"}}}
    assert list_schema(record) == {
        "$schema": S, "$id": "https://example.org/e:list", "title": "A list of Event records",
        "type": "array",
        "items": {"title": "Event", "type": "object", "properties": {"p": {"$ref": "#/$defs/P"}}},
        "$defs": {"P": {"type": "string"}}}
    assert list_schema({"$schema": S, "$id": "x", "type": "object"}) == {
        "$schema": S, "$id": "x:list", "title": "A list of records records", "type": "array",
        "items": {"type": "object"}}
