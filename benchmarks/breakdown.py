"""Where the time of a load or a validation goes, by kind of work.

    python benchmarks/breakdown.py validate ROOT       # dipdata validate, workers off
    python benchmarks/breakdown.py validate-full ROOT  # dipdata validate --full
    python benchmarks/breakdown.py load [PATH]         # dipdata.load()
    python benchmarks/breakdown.py timeline ROOT       # dipdata validate as run, by phase
    python benchmarks/breakdown.py steps ROOT          # each step of checking one record

Prints JSON: {"total": seconds, "parts": {kind: seconds}}. The first three profile (cProfile)
a run in this one process (no forked children), so that every part is seen; in a real run
the per-record parts are split across the cores, and the schemas made (or the generated
files hashed) beside them. ``timeline`` runs validate as the command does (workers and all)
and times its phases by the clock, in the parent; ``steps`` times each step of checking a
record, by the clock, over every record in this process (parts in microseconds per record).
"""

from __future__ import annotations

import cProfile
import json
import pstats
import sys
import time

START = time.perf_counter()

#: kind of work -> functions (file name ending, function name) whose time counts for it;
#: "cum" counts a function with what it calls, "own" without.
KINDS = [
    ("imports", "cum", [("<frozen importlib._bootstrap>", "_find_and_load")]),
    ("generating the JSON Schemas (pydantic)", "cum", [("package.py", "generated_schemas")]),
    ("listing and reading record files", "own",
     [("~", "<built-in method posix.open>"), ("~", "<built-in method posix.read>"),
      ("~", "<built-in method posix.close>"), ("~", "<built-in method posix.scandir>"),
      ("~", "<method 'decode' of 'bytes' objects>"), ("records.py", "discover"),
      ("records.py", "_classify"), ("records.py", "read")]),
    ("parsing JSON", "own", [("~", "<built-in function loads>"), ("~", "<orjson.loads>")]),
    ("schema checks (jsonschema-rs)", "cum",
     [("shape.py", "check_shape"), ("~", "<built-in method validator_for>")]),
    ("rules within records", "cum", [("rules.py", "check_record")]),
    ("rules across records", "cum",
     [("links.py", "__init__"), ("links.py", "check"), ("links.py", "note"),
      ("links.py", "finish"), ("links.py", "check_coverage")]),
    ("making the package (CSV, JSON, hashes)", "cum",
     [("writer.py", "add"), ("writer.py", "finish"), ("writer.py", "__init__")]),
    ("comparing with the committed files", "cum", [("package.py", "stale_files")]),
    ("hashing the inputs (build lock)", "cum",
     [("~", "<built-in function openssl_sha256>"), ("lock.py", "inputs_digest"),
      ("lock.py", "code_digest")]),
    ("making typed records", "cum", [("loader.py", "_construct"),
                                     ("~", "<method 'model_validate' of 'pydantic")]),
]


def breakdown(profile: cProfile.Profile, total: float) -> dict[str, float]:
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    parts: dict[str, float] = {}
    for kind, how, functions in KINDS:
        seconds = 0.0
        for (filename, _, name), (_, _, own, cumulative, _) in stats.items():
            for suffix, wanted in functions:
                if (suffix == "~" and name.startswith(wanted.rstrip(">"))) or \
                        (filename.endswith(suffix) and name == wanted):
                    seconds += cumulative if how == "cum" else own
        parts[kind] = seconds
    # Imports made while generating the schemas (pydantic and the models) count as imports.
    generating = "generating the JSON Schemas (pydantic)"
    for (filename, _, name), (_, _, _, _, callers) in stats.items():
        if name == "_find_and_load":
            for (caller_file, _, caller), timing in callers.items():
                if caller_file.endswith("package.py") and caller == "generated_schemas":
                    parts[generating] -= timing[3]
    parts["other"] = max(0.0, total - sum(parts.values()))
    return parts


def timeline(root: str) -> dict[str, float]:
    """Wall time of each phase of `dipdata validate` (the parent's view; workers included)."""
    from pathlib import Path

    import dipdata.check.validate
    from dipdata.check import links
    from dipdata.make import package
    from dipdata.base import parallel
    from dipdata.check import records

    marks: dict[str, float] = {"imports": time.perf_counter()}

    def timed(owner: object, name: str, phase: str) -> None:
        function = getattr(owner, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            marks.setdefault(f"{phase} start", time.perf_counter())
            try:
                return function(*args, **kwargs)
            finally:
                marks[f"{phase} end"] = time.perf_counter()

        setattr(owner, name, wrapper)

    timed(records, "discover", "listing record files")
    timed(dipdata.check.validate, "Links", "indexing ids and references")
    timed(dipdata.check.validate, "_merge_run", "checking records (workers)")
    timed(dipdata.check.validate, "inputs_digest", "hashing the inputs")
    timed(links.Links, "finish", "rules across all records")
    started = time.perf_counter()
    ordered_map = parallel.ordered_map

    def spread(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        marks["checking records (workers) start"] = time.perf_counter()
        return ordered_map(*args, **kwargs)

    parallel.ordered_map = spread
    report = package.check(Path(root))
    ended = time.perf_counter()
    assert report.valid, report.render()
    phases = ["listing record files", "indexing ids and references",
              "checking records (workers)", "hashing the inputs", "rules across all records"]
    parts = {"imports": marks["imports"] - START}
    parts["reading the build lock and the schemas"] = \
        marks["listing record files start"] - started
    last = started
    for phase in phases:  # (no workers below validate.PARALLEL_FROM records)
        if f"{phase} end" in marks:
            parts[phase] = marks[f"{phase} end"] - marks[f"{phase} start"]
            last = marks[f"{phase} end"]
    parts["reporting"] = ended - last
    parts["other (between phases)"] = (ended - START) - sum(parts.values())
    return parts


def steps(root: str) -> dict[str, float]:
    """Microseconds per record of each step of checking every record, in this process."""
    from pathlib import Path

    import jsonschema_rs

    import dipdata.check.validate as checking
    from dipdata.check import links
    from dipdata.check import records
    from dipdata.check import rules
    from dipdata.check import shape

    path = Path(root)
    files, _ = records.discover(path, records.TABLES)
    schemas = checking.load_schemas(path)
    validators = {table: jsonschema_rs.validator_for(schema, validate_formats=True)
                  for table, schema in schemas.items()}
    from dipdata.base.problems import Report
    from dipdata.check.texts import read_texts

    texts = read_texts(path, checking.read_review(path), Report())
    linking = links.Links(files, schemas)
    sentence_of: dict = {}
    names = ["reading (open, read, sha256, parse, repeated keys)", "schema checks",
             "rules within the record", "references", "facts for the rules across records",
             "letting the record go"]
    spent = [0.0] * len(names)
    clock = time.perf_counter
    for record in files:
        a = clock()
        records.read(path, record)
        b = clock()
        shape.check_shape(record, validators[record.table], schemas[record.table])
        c = clock()
        rules.check_record(record, texts, sentence_of)
        d = clock()
        linking.check(record, urls=False)
        e = clock()
        linking.note(record)
        f = clock()
        record.release()
        g = clock()
        for index, (begin, end) in enumerate(((a, b), (b, c), (c, d), (d, e), (e, f), (f, g))):
            spent[index] += end - begin
    return {name: 1e6 * seconds / len(files) for name, seconds in zip(names, spent)}


def main() -> None:
    what, *args = sys.argv[1:]
    if what in ("timeline", "steps"):
        import gc

        if what == "steps":
            gc.disable()  # as while validate checks records
        parts = timeline(args[0]) if what == "timeline" else steps(args[0])
        print(json.dumps({"total": sum(parts.values()), "parts": parts}))
        return
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    if what in ("validate", "validate-full"):
        from pathlib import Path

        import dipdata.check.validate
        from dipdata.make import package
        from dipdata.base import parallel

        dipdata.check.validate.PARALLEL_FROM = 1 << 62  # everything in this process
        parallel.can_fork = lambda: False

        report = package.check(Path(args[0]), full=what == "validate-full")
        assert report.valid, report.render()
    else:
        import dipdata

        dataset = dipdata.load(args[0] if args else None)
        len(dataset.events)
    profile.disable()
    total = time.perf_counter() - start
    print(json.dumps({"total": total, "parts": breakdown(profile, total)}))


if __name__ == "__main__":
    main()
