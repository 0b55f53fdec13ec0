"""Run dipdata's performance comparisons as whole processes and write benchmarks/README.md.

    python benchmarks/run.py                      # the real dataset, then 10k and 100k events
    python benchmarks/run.py --sizes 1000 --runs 3 --out /tmp/results.md

Every command is a whole process, run once untimed, with its memory sampled, and then --runs
times (--large-runs at 100,000 events and more), timed, side by side with what it is compared
with: the commands of a comparison take turns, in an order that rotates each round, so that a
busy moment of the machine falls on both. Reported: the median wall time, the spread
(lowest-highest), and the peak memory: the largest sum of the proportional set sizes of the
process and its children (workers share pages with their parent), and never less than the
peak resident set size of any one of them, sampled every 20 ms in the untimed run (each
sample reads the system's page accounting, which takes the benchmark up to half a core: it
would slow what it measures). Each target must be met with 25% headroom:
a value at most 75% of an upper limit, or at least 125% of a lower one; the table says plainly
which are not. Exit status 1 when a target is missed.
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
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
FRICTIONLESS = str(Path(sys.executable).with_name("frictionless"))
HEADROOM = 0.75
LARGE = 100_000

FRICTIONLESS_LOAD = """
import sys
from frictionless import Package
package = Package(sys.argv[1])
for resource in package.resources:
    if resource.tabular:
        resource.read_rows()
"""
JSON_LOAD = """
import json, sys
for table in ("sources", "actors", "events", "outcomes", "positions", "aggregates", "commentary"):
    with open(f"{sys.argv[1]}/data/{table}.json", "rb") as handle:
        json.load(handle)
"""
DIPDATA_LOAD = "import sys, dipdata; dipdata.load(sys.argv[1] if len(sys.argv) > 1 else None)"
ORJSON_FLOOR = """
import os, sys, orjson
for table in os.scandir(os.path.join(sys.argv[1], "records")):
    for entry in os.scandir(table.path):
        with open(entry.path, "rb") as handle:
            orjson.loads(handle.read())
"""


def environment() -> dict[str, str]:
    """The commands' environment: this checkout's dipdata first on the path, and bytecode
    cached as Python does by default (a sandbox may turn that off)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"),
                                                      env.get("PYTHONPATH")]))
    return env


def _tree_memory(pid: int) -> tuple[int, int]:
    """Memory of a process and its descendants, in bytes: the sum of their proportional set
    sizes (a page shared by n of them counts 1/n for each), and the largest peak resident
    set size (VmHWM) of any one of them; (0, 0) once they are gone."""
    total, highest, stack = 0, 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup", "rb") as handle:
                for line in handle:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
            with open(f"/proc/{current}/status", "rb") as handle:
                for line in handle:
                    if line.startswith(b"VmHWM:"):
                        highest = max(highest, int(line.split()[1]) * 1024)
                        break
            with open(f"/proc/{current}/task/{current}/children") as handle:
                stack += [int(child) for child in handle.read().split()]
        except (OSError, ValueError):
            continue
    return total, highest


def run_once(command: list[str], cwd: Path, sample: bool = False) -> tuple[float, float]:
    """Wall time (s) and, with ``sample``, peak memory (MB; otherwise 0) of one run of a
    command. (The maximum resident set size the system reports for a child when it ends is
    no use here: Linux counts in it the memory of this process, which the child was forked
    from before it ran the command.)"""
    peak = [0]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=environment())
    done = threading.Event()

    def sample_memory() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], *_tree_memory(process.pid))

    sampler = threading.Thread(target=sample_memory, daemon=True)
    if sample and Path("/proc").is_dir():
        sampler.start()
    _, status = os.waitpid(process.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    if sampler.is_alive():
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(command)}")
    return elapsed, peak[0] / 2**20


@dataclass
class Sample:
    times: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def peak(self) -> float:
        return max(self.peaks)

    def __str__(self) -> str:
        return f"{self.median:.3f} ({min(self.times):.3f}-{max(self.times):.3f})"


def compare(commands: dict[str, list[str]], cwd: Path, runs: int) -> dict[str, Sample]:
    """Each command run ``runs`` times, taking turns with the others, after an untimed run
    of each that samples its memory."""
    names = list(commands)
    samples = {name: Sample() for name in names}
    for name in names:
        samples[name].peaks.append(run_once(commands[name], cwd, sample=True)[1])
    for round_ in range(runs):
        for name in names[round_ % len(names):] + names[:round_ % len(names)]:
            seconds, peak = run_once(commands[name], cwd)
            samples[name].times.append(seconds)
            samples[name].peaks.append(peak)
    return samples


def planted_faults_found(repo: Path) -> tuple[set[str], set[str]]:
    """The event ids each validator reports a problem for: (dipdata, frictionless)."""
    ours = subprocess.run([PYTHON, "-m", "dipdata", "--root", str(repo), "validate",
                           "--format", "json"], capture_output=True, text=True,
                          env=environment())
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
    names = ("frictionless", "pydantic", "jsonschema-rs", "orjson")
    init = (ROOT / "src/dipdata/__init__.py").read_text("utf-8")
    found = [f"dipdata {init.split('__version__ = ', 1)[1].split()[0].strip(chr(34))}"]
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


class Targets:
    """Targets and their verdicts, with the headroom the issue asks for."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []
        self.missed = 0

    def at_most(self, name: str, value: float, limit: float, unit: str = "x") -> None:
        self._add(name, value, limit, value <= HEADROOM * limit, value <= limit,
                  f"at most {HEADROOM * limit:.2f}{unit}", unit)

    def at_least(self, name: str, value: float, limit: float, unit: str = "x") -> None:
        self._add(name, value, limit, value >= limit / HEADROOM, value >= limit,
                  f"at least {limit / HEADROOM:.2f}{unit}", unit)

    def exact(self, name: str, measured: str, ok: bool) -> None:
        self.missed += not ok
        self.rows.append((name, measured, "", "met" if ok else "**not met**"))

    def _add(self, name: str, value: float, limit: float, with_headroom: bool, within: bool,
             wanted: str, unit: str) -> None:
        if with_headroom:
            verdict = "met"
        else:
            self.missed += 1
            verdict = ("**not met**: within the limit, but without the 25% headroom" if within
                       else "**not met**")
        self.rows.append((name, f"{value:.2f}{unit}", wanted, verdict))

    def lines(self) -> list[str]:
        return (["| target | measured | needed (with 25% headroom) | |",
                 "| --- | ---: | ---: | --- |"]
                + [f"| {name} | {value} | {wanted} | {verdict} |"
                   for name, value, wanted, verdict in self.rows])


def breakdown(what: str, *args: str, digits: int = 3, in_order: bool = False) -> list[str]:
    """Rows of the profile breakdown (benchmarks/breakdown.py) of one command: the largest
    parts first, or every part in the order of the run."""
    out = subprocess.run([PYTHON, str(Path(__file__).with_name("breakdown.py")), what, *args],
                         capture_output=True, text=True, env=environment(), cwd=ROOT)
    if out.returncode != 0:
        return [f"| (profiling failed: {out.stderr.strip().splitlines()[-1:]}) | | |"]
    result = json.loads(out.stdout)
    total = result["total"]
    parts = list(result["parts"].items())
    if not in_order:
        parts = [(kind, seconds) for kind, seconds in sorted(parts, key=lambda kv: -kv[1])
                 if seconds >= 0.0005]
    return [f"| {kind} | {seconds:.{digits}f} | {100 * seconds / total:.0f}% |"
            for kind, seconds in parts]


def dataset_rows(label: str, path: Path, root_args: list[str], floor_root: Path | None,
                 runs: int, targets: Targets, cwd: Path) -> dict[str, Sample]:
    """Load and validate comparisons on one dataset; returns the samples."""
    package = path / "datapackage"
    loads = compare({
        "dipdata.load()": [PYTHON, "-c", DIPDATA_LOAD] + ([] if floor_root is None
                                                          else [str(package)]),
        "json.load": [PYTHON, "-c", JSON_LOAD, str(package)],
        "frictionless": [PYTHON, "-c", FRICTIONLESS_LOAD, str(package / "datapackage.json")],
    }, cwd, runs)
    validates = {
        "dipdata validate": [PYTHON, "-m", "dipdata", *root_args, "validate"],
        "dipdata validate --full": [PYTHON, "-m", "dipdata", *root_args, "validate", "--full"],
        "frictionless validate": [FRICTIONLESS, "validate", str(package / "datapackage.json")],
    }
    if floor_root is not None:
        validates["orjson floor"] = [PYTHON, "-c", ORJSON_FLOOR, str(floor_root)]
    checks = compare(validates, cwd, runs)
    load, json_load, their_load = (loads[k] for k in loads)
    ours, theirs = checks["dipdata validate"], checks["frictionless validate"]
    targets.at_most(f"{label}: cold load vs json.load", load.median / json_load.median, 6)
    targets.at_most(f"{label}: cold load vs frictionless", load.median / their_load.median, 0.4)
    targets.at_most(f"{label}: validate vs frictionless validate",
                    ours.median / theirs.median, 0.5)
    return {**loads, **checks}


def run(sizes: list[int], runs: int, large_runs: int, out: Path) -> bool:
    lines = [
        "# Benchmarks",
        "",
        f"Produced by `python benchmarks/run.py` on {datetime.date.today().isoformat()} "
        "(rerun it to check on your machine; it is not run in CI).",
        "",
        f"- Machine: {cpu()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}; other work was running on it at the same time",
        f"- Versions: {versions()}",
        "- Method: " + " ".join(__doc__.split("\n\n", 2)[2].split()),
        "",
        "`dipdata validate` checks every record and rule, and that every generated file is "
        "current: when the build lock matches the records, the code and the generated files "
        "on disk (all hashed), by that; otherwise it makes every generated file (the CSV and "
        "JSON of the package included, hashed, not written) and compares it with the "
        "committed one. `dipdata validate --full` (and `dipdata build --check`, which CI and "
        "releases run) always makes and compares every file; it is measured beside, without "
        "targets of its own.",
        "",
        "| dataset | command | time (s): median (lowest-highest) | peak memory (MB) |",
        "| --- | --- | ---: | ---: |",
    ]
    targets = Targets()
    real = dataset_rows("real dataset", ROOT, [], None, runs, targets, ROOT)
    lines += [f"| real | {name} | {sample} | {sample.peak:.0f} |" for name, sample in real.items()]
    timings: dict[int, float] = {}
    floors: dict[int, float] = {}
    summary = ["| events | records | dipdata validate (s) | MB | frictionless validate (s) | MB |"
               " orjson floor (s) | dipdata faster by |",
               "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    profile: list[str] = []
    profile_full: list[str] = []
    phases: list[str] = []
    steps: list[str] = []
    with tempfile.TemporaryDirectory(prefix="dipdata-bench-") as scratch:
        for size in sizes:
            repo = Path(scratch) / f"repo-{size}"
            generate(repo, size, seed=1, faults=0.0)
            records = sum(1 for _ in (repo / "records").rglob("*.json"))
            samples = dataset_rows(f"{size} events", repo, ["--root", str(repo)], repo,
                                   large_runs if size >= LARGE else runs,
                                   targets, ROOT)
            lines += [f"| {size} events ({records} records) | {name} | {sample} | "
                      f"{sample.peak:.0f} |" for name, sample in samples.items()]
            ours, theirs = samples["dipdata validate"], samples["frictionless validate"]
            floor = samples["orjson floor"]
            timings[size], floors[size] = ours.median, floor.median
            summary.append(f"| {size} | {records} | {ours.median:.2f} | {ours.peak:.0f} | "
                           f"{theirs.median:.2f} | {theirs.peak:.0f} | {floor.median:.2f} | "
                           f"{theirs.median / ours.median:.1f}x |")
            if size == max(sizes):
                profile = breakdown("validate", str(repo))
                profile_full = breakdown("validate-full", str(repo))
                phases = breakdown("timeline", str(repo), in_order=True)
                steps = breakdown("steps", str(repo), digits=1, in_order=True)
            if size == max(sizes):
                targets.at_least(f"{size} events: validate faster than frictionless validate",
                                 theirs.median / ours.median, 8)
                targets.at_most(f"{size} events: validate vs the orjson parse floor",
                                ours.median / floor.median, 3)
                targets.at_most(f"{size} events: peak memory vs frictionless validate",
                                ours.peak / theirs.peak, 1)
            shutil.rmtree(repo)

            faulty = Path(scratch) / f"faulty-{size}"
            planted = generate(faulty, size, seed=2, faults=max(0.001, 8 / size))
            wanted = {record for ids in planted.values() for record in ids}
            found, flagged = planted_faults_found(faulty)
            targets.exact(f"{size} events: both validators find the {len(wanted)} planted faults",
                          f"dipdata {len(found & wanted)}, frictionless {len(flagged & wanted)}",
                          found == wanted == flagged)
            shutil.rmtree(faulty)
    if len(sizes) >= 2:
        small, large = sorted(sizes)[-2:]
        targets.at_most(f"linear: validate at {large} vs at {small} events "
                        f"(limit 1.1 x {large // small}; the orjson floor grew "
                        f"{floors[large] / floors[small]:.1f}x)",
                        timings[large] / timings[small], 1.1 * large / small)

    lines += ["", "## Generated repositories", "", *summary]
    lines += ["", "## Targets", "", *targets.lines(), ""]
    lines += ["## Where the time goes", "",
              "Each section says how it was timed: by the clock (a real run by phase, or each "
              "step of checking a record over every record), or by cProfile, in one run in "
              "one process (no workers; the schemas generated in it): cProfile's own cost "
              "inflates work done in many small calls, so there the shares, not the seconds, "
              "are the point.", ""]
    for label, args in [("`dipdata.load()` (the shipped package), cProfile", ["load"]),
                        ("`dipdata validate` on the repository, cProfile",
                         ["validate", str(ROOT)])]:
        lines += [f"### {label}", "", "| part | s | share |", "| --- | ---: | ---: |",
                  *breakdown(*args), ""]
    if profile:
        lines += [f"### `dipdata validate` at {max(sizes)} events, as run: wall time by phase",
                  "", "Timed by the clock in the command's own process (workers and all; one "
                  "run). The records are checked by forked workers, one per core; the rest "
                  "runs in the one process.", "",
                  "| phase | s | share |", "| --- | ---: | ---: |", *phases, ""]
        lines += [f"### Checking one record, at {max(sizes)} events", "",
                  "Microseconds per record of each step, timed by the clock over every record "
                  "in one process (each worker does these steps for its share).", "",
                  "| step | µs per record | share |", "| --- | ---: | ---: |", *steps, ""]
        lines += [f"### `dipdata validate` at {max(sizes)} events, cProfile", "",
                  "| part | s | share |", "| --- | ---: | ---: |", *profile, ""]
        lines += [f"### `dipdata validate --full` at {max(sizes)} events, cProfile", "",
                  "| part | s | share |", "| --- | ---: | ---: |", *profile_full, ""]
    out.write_text("\n".join(lines) + "\n", "utf-8")
    print("\n".join(lines))
    return targets.missed == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000",
                        help="events per generated repository, comma-separated")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--large-runs", type=int, default=3,
                        help=f"runs at {LARGE} events and more")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "README.md")
    args = parser.parse_args()
    ok = run([int(size) for size in args.sizes.split(",")], args.runs, args.large_runs, args.out)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
