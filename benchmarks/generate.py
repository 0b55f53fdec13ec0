"""Generate a synthetic dipdata repository of realistic shape, with planted faults.

    python benchmarks/generate.py OUT --events 10000 --seed 1 --faults 0.001

Events carry participants and mentions; actors, sources and the review's text come along.
Faults are planted in records *and* in the package built from them (written without
validation), so that `dipdata validate` and `frictionless validate` can be compared on them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
from pathlib import Path

from dipdata.models import RECORD_MODELS
from dipdata.make.package import PACKAGE_DIR, build, generated_schemas
from dipdata.make.writer import PackageWriter
from dipdata.model.source import REVIEW_ID, REVIEW_TEXT, SOURCE_DIR, read_review, sentences

ROOT = Path(__file__).resolve().parent.parent
KINDS = ["visit", "summit", "talks", "meeting", "forum", "dialogue", "call", "speech"]
COUNTRIES = ["CN", "RU", "US", "FR", "ZA", "VN", "KZ", "BR", "IN", "EG", "SA", "IR"]
#: fault -> (what it changes, what both validators report it as)
FAULTS = ("impossible-date", "bad-country", "dangling-actor", "missing-title")


def generate(out: Path, events: int, seed: int = 1, faults: float = 0.0) -> dict[str, list[str]]:
    """Write the repository; returns the planted faults as {fault: [record ids]}."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    for table in RECORD_MODELS:
        (out / "records" / table).mkdir(parents=True)
    (out / SOURCE_DIR).mkdir()
    shutil.copy2(ROOT / SOURCE_DIR / f"{REVIEW_ID}.txt", out / SOURCE_DIR)
    shutil.copytree(ROOT / "schema", out / "schema")
    # The package's metadata (project URLs, release date) comes from these.
    for name in ("pyproject.toml", "CHANGELOG.md"):
        shutil.copy2(ROOT / name, out / name)
    text = read_review(out)
    numbered = sentences(text)

    records: dict[str, list[dict]] = {table: [] for table in RECORD_MODELS}
    records["sources"].append(json.loads(
        (ROOT / "records/sources" / f"{REVIEW_ID}.json").read_text("utf-8")))
    # The English text of the review, which the mentions quote (no translation here).
    records["texts"].append({
        "id": REVIEW_TEXT, "source": REVIEW_ID, "language": "en", "complete": True,
        "sha256": hashlib.sha256((out / SOURCE_DIR / f"{REVIEW_ID}.txt").read_bytes()).hexdigest()})
    source_ids = [f"source-{i:06d}" for i in range(max(1, events // 20))]
    for number, source_id in enumerate(source_ids):
        records["sources"].append({
            "id": source_id, "kind": "readout", "title": f"Readout number {number}",
            "publisher": "Ministry of Foreign Affairs of the People's Republic of China",
            "url": f"https://www.example.org/readouts/{number}.html",
            "published": f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "language": "en"})
    actor_ids = [f"actor-{i:06d}" for i in range(max(3, events // 10))]
    for number, actor_id in enumerate(actor_ids):
        records["actors"].append({
            "id": actor_id, "name": f"Actor Number {number}", "kind": "person",
            "title": "Minister of Foreign Affairs", "country": rng.choice(COUNTRIES),
            "wikidata": None, "sources": [rng.choice(source_ids)]})
    for number in range(events):
        sentence = numbered[number % len(numbered)]
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        records["events"].append({
            "id": f"event-{number:07d}", "kind": rng.choice(KINDS),
            "title": f"Meeting number {number} between two leaders",
            "start_date": f"2023-{month:02d}-{day:02d}", "end_date": f"2023-{month:02d}-{day:02d}",
            "date_precision": "day", "city": "Beijing", "country": rng.choice(COUNTRIES),
            "venue": "Great Hall of the People", "mode": "in-person", "part_of": None,
            "section": sentence.section, "summary": "The two sides exchanged views on relations.",
            "plover_event": "CONSULT", "plover_mode": "visit",
            "participants": [{"actor": a, "role": r, "capacity": "Minister of Foreign Affairs"}
                             for a, r in
                             zip(rng.sample(actor_ids, 3), ("host", "guest", "participant"), strict=True)],
            "sources": sorted(rng.sample(source_ids, min(2, len(source_ids)))),
            "mentions": [{"quote": sentence.text, "start": sentence.start, "end": sentence.end}],
        })

    planted: dict[str, list[str]] = {fault: [] for fault in FAULTS}
    for event in rng.sample(records["events"], int(events * faults)):
        fault = FAULTS[len(sum(planted.values(), [])) % len(FAULTS)]
        planted[fault].append(event["id"])
        if fault == "impossible-date":
            event["start_date"] = event["end_date"] = "2023-02-30"
        elif fault == "bad-country":
            event["country"] = "XX"
        elif fault == "dangling-actor":
            event["participants"][0]["actor"] = "actor-missing"
        elif fault == "missing-title":
            event["title"] = None

    for table, rows in records.items():
        for record in rows:
            path = out / "records" / table / f"{record['id']}.json"
            path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", "utf-8")

    # The package, made from the records as they are (faults included), without validation,
    # so that frictionless finds the faults in the tables too. The pictures are drawn from the
    # events without a planted fault (an impossible date cannot be placed on a timeline).
    writer = PackageWriter(out, generated_schemas(), out / PACKAGE_DIR)
    sentence_of = {(REVIEW_TEXT, s.start, s.end): s.number for s in numbered}
    everything = sorted((record["id"], table, record) for table, rows in records.items()
                        for record in rows)
    for _, table, record in everything:
        writer.add(table, record, sentence_of)
    faulty = {record_id for ids in planted.values() for record_id in ids}
    writer.events = [event for event in writer.events if event["id"] not in faulty]
    for name, data in writer.finish(numbered).items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    if not any(planted.values()):  # as committed: with the build lock that `dipdata build` writes
        built = build(out)
        if not built.report.valid or built.changed != ["build.lock"]:
            raise SystemExit(f"the generated repository does not build as expected: {built}")
    return planted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--faults", type=float, default=0.0,
                        help="share of events with a planted fault (default 0)")
    args = parser.parse_args()
    planted = generate(args.out, args.events, args.seed, args.faults)
    print(json.dumps(planted, indent=2))


if __name__ == "__main__":
    main()
