"""Where the time of a load or a validation goes, by kind of work (cProfile, in one process).

    python benchmarks/breakdown.py validate ROOT       # dipdata validate, workers off
    python benchmarks/breakdown.py validate-full ROOT  # dipdata validate --full
    python benchmarks/breakdown.py load [PATH]       # dipdata.load()

Prints JSON: {"total": seconds, "parts": {kind: seconds}}. The validation runs in this one
process (no forked children), so that every part is seen; in a real run the per-record parts
are split across the cores, and the schemas made (or the generated files hashed) beside them.
"""

from __future__ import annotations

import cProfile
import json
import pstats
import sys
import time

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


def main() -> None:
    what, *args = sys.argv[1:]
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    if what in ("validate", "validate-full"):
        from pathlib import Path

        import dipdata.validate
        from dipdata import package, parallel

        dipdata.validate.PARALLEL_FROM = 1 << 62  # everything in this process
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
