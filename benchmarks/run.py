"""Run dipdata's performance comparisons as whole processes and write benchmarks/README.md.

    python benchmarks/run.py                      # sizes 10k and 100k, 5 runs each
    python benchmarks/run.py --sizes 1000 --runs 3 --out /tmp/results.md

Each command is timed as a whole process (median of --runs), with its peak memory (maximum
resident set size). The comparisons are side by side in one run, so ratios hold on any
machine; the targets are those of the performance issue.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
FRICTIONLESS = str(Path(sys.executable).with_name("frictionless"))

FRICTIONLESS_LOAD = """
from frictionless import Package
package = Package("datapackage/datapackage.json")
for resource in package.resources:
    if resource.tabular:
        resource.read_rows()
"""
JSON_LOAD = """
import json
for table in ("sources", "actors", "events", "outcomes", "positions", "aggregates", "commentary"):
    with open(f"datapackage/data/{table}.json", "rb") as handle:
        json.load(handle)
"""
ORJSON_FLOOR = """
import os, sys, orjson
for table in os.scandir(os.path.join(sys.argv[1], "records")):
    for entry in os.scandir(table.path):
        with open(entry.path, "rb") as handle:
            orjson.loads(handle.read())
"""


def measure(command: list[str], cwd: Path, runs: int) -> tuple[float, float]:
    """Median wall time (s) and the largest peak memory (MB) of a command over ``runs``."""
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"benchmark command failed: {' '.join(command)}")
        peaks.append(usage.ru_maxrss / 1024)
    return statistics.median(times), max(peaks)


def planted_faults_found(repo: Path) -> tuple[set[str], set[str]]:
    """The event ids each validator reports a problem for: (dipdata, frictionless)."""
    ours = subprocess.run([PYTHON, "-m", "dipdata", "--root", str(repo), "validate",
                           "--format", "json"], capture_output=True, text=True)
    found = {p["record"] for p in json.loads(ours.stdout)["problems"]
             if p["path"].startswith("records/events/")}
    theirs = subprocess.run([FRICTIONLESS, "validate", "--json",
                             str(repo / "datapackage/datapackage.json")],
                            capture_output=True, text=True)
    report = json.loads(theirs.stdout)
    flagged = set()
    for task in report.get("tasks", []):
        if task.get("name") in ("events", "participants"):
            for error in task.get("errors", []):
                if error.get("cells"):
                    flagged.add(error["cells"][0])
    return found, flagged


def versions() -> str:
    names = ("dipdata", "frictionless", "pydantic", "jsonschema-rs", "orjson")
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join([f"Python {platform.python_version()}"] + found)


def cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def run(sizes: list[int], runs: int, out: Path) -> bool:
    lines = [
        "# Benchmarks",
        "",
        "Produced by `python benchmarks/run.py` (rerun it to check on your machine). Whole "
        f"processes, median of {runs} runs, peak memory as maximum resident set size.",
        "",
        f"- Date: {datetime.date.today().isoformat()}",
        f"- Machine: {cpu()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        f"- Versions: {versions()}",
        "",
    ]
    results: list[tuple[str, str, bool]] = []

    load, load_mem = measure([PYTHON, "-c", "import dipdata; dipdata.load()"], ROOT, runs)
    frictionless_load, frictionless_load_mem = measure([PYTHON, "-c", FRICTIONLESS_LOAD],
                                                       ROOT, runs)
    json_load, _ = measure([PYTHON, "-c", JSON_LOAD], ROOT, runs)
    validate, validate_mem = measure([PYTHON, "-m", "dipdata", "validate"], ROOT, runs)
    frictionless_validate, _ = measure(
        [FRICTIONLESS, "validate", "datapackage/datapackage.json"], ROOT, runs)
    lines += [
        "## The real dataset",
        "",
        "| command | time (s) | peak memory (MB) |",
        "| --- | ---: | ---: |",
        f"| `python -c 'import dipdata; dipdata.load()'` | {load:.3f} | {load_mem:.0f} |",
        f"| frictionless: `Package(...)` and `read_rows()` of every resource | "
        f"{frictionless_load:.3f} | {frictionless_load_mem:.0f} |",
        f"| `json.load` of every JSON resource | {json_load:.3f} | |",
        f"| `dipdata validate` | {validate:.3f} | {validate_mem:.0f} |",
        f"| `frictionless validate datapackage/datapackage.json` | {frictionless_validate:.3f} | |",
        "",
    ]
    results += [
        ("load at most 0.5x frictionless", f"{load / frictionless_load:.2f}x",
         load <= 0.5 * frictionless_load),
        ("load at most 8x json.load", f"{load / json_load:.1f}x", load <= 8 * json_load),
        ("validate at most 1.0x frictionless validate", f"{validate / frictionless_validate:.2f}x",
         validate <= frictionless_validate),
    ]

    lines += ["## Generated repositories", "",
              "| events | records | dipdata validate (s) | MB | frictionless validate (s) | MB |"
              " orjson floor (s) | dipdata build (s) |",
              "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    timings: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="dipdata-bench-") as scratch:
        for size in sizes:
            repo = Path(scratch) / f"repo-{size}"
            generate(repo, size, seed=1, faults=0.0)
            records = sum(1 for _ in (repo / "records").rglob("*.json"))
            ours, ours_mem = measure([PYTHON, "-m", "dipdata", "--root", str(repo), "validate"],
                                     ROOT, runs)
            theirs, theirs_mem = measure(
                [FRICTIONLESS, "validate", str(repo / "datapackage/datapackage.json")], ROOT, runs)
            floor, _ = measure([PYTHON, "-c", ORJSON_FLOOR, str(repo)], ROOT, runs)
            built, _ = measure([PYTHON, "-m", "dipdata", "--root", str(repo), "build"], ROOT, runs)
            timings[size] = ours
            lines.append(f"| {size} | {records} | {ours:.2f} | {ours_mem:.0f} | {theirs:.2f} | "
                         f"{theirs_mem:.0f} | {floor:.2f} | {built:.2f} |")
            results += [
                (f"{size}: validate at least 5x faster than frictionless",
                 f"{theirs / ours:.1f}x", theirs >= 5 * ours),
                (f"{size}: lower peak memory than frictionless",
                 f"{ours_mem:.0f} vs {theirs_mem:.0f} MB", ours_mem < theirs_mem),
                (f"{size}: within 4x of the orjson parse floor", f"{ours / floor:.1f}x",
                 ours <= 4 * floor),
                (f"{size}: build within 2x of validate", f"{built / ours:.2f}x",
                 built <= 2 * ours),
            ]

            faulty = Path(scratch) / f"faulty-{size}"
            planted = generate(faulty, size, seed=2, faults=max(0.001, 8 / size))
            wanted = {record for ids in planted.values() for record in ids}
            found, flagged = planted_faults_found(faulty)
            results.append((f"{size}: both validators find the {len(wanted)} planted faults",
                            f"dipdata {len(found & wanted)}, frictionless {len(flagged & wanted)}",
                            found == wanted == flagged))
            shutil.rmtree(faulty)
            shutil.rmtree(repo)
    if len(sizes) >= 2:
        small, large = sorted(sizes)[-2:]
        allowed = 1.1 * large / small
        results.append((f"linear: {large} takes at most {allowed:.0f}x the time of {small}",
                        f"{timings[large] / timings[small]:.1f}x",
                        timings[large] <= allowed * timings[small]))

    lines += ["", "## Targets", "", "| target | measured | |", "| --- | --- | --- |"]
    lines += [f"| {name} | {value} | {verdict(ok)} |" for name, value, ok in results]
    out.write_text("\n".join(lines) + "\n", "utf-8")
    print("\n".join(lines))
    return all(ok for _, _, ok in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000",
                        help="events per generated repository, comma-separated")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "README.md")
    args = parser.parse_args()
    ok = run([int(size) for size in args.sizes.split(",")], args.runs, args.out)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
