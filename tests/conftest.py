"""Shared fixtures: a private copy of the repository to plant faults in."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import settings

from dipdata.cli import main
from dipdata.publish.release import release

# CI runs the property tests with a fixed seed, so that a landing never depends on luck;
# locally each run explores new examples.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("records", "source", "schema", "datapackage", "pictures", "README.md", "CITATION.cff",
          "CITATION.bib", ".zenodo.json",
          "build.lock", "pyproject.toml", "CHANGELOG.md")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the repository's data, generated files included."""
    target = tmp_path / "repo"
    target.mkdir()
    for name in COPIED:
        source = ROOT / name
        if not source.exists():
            continue
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    return target


def read_record(repo: Path, table: str, record_id: str) -> dict:
    return json.loads((repo / "records" / table / f"{record_id}.json").read_text("utf-8"))


def write_record(repo: Path, table: str, record: dict, name: str | None = None) -> Path:
    path = repo / "records" / table / f"{name or record['id']}.json"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return path


def tree_digest(root: Path) -> str:
    """A digest of every file's path and bytes under root: proves nothing was written."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def run(capsys, *args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    """Run the CLI in-process, from ``cwd`` (default: the folder given with --root, as a
    user standing in the repository would); returns (exit code, stdout, stderr)."""
    if cwd is None and "--root" in args:
        cwd = Path(args[args.index("--root") + 1])
    before = Path.cwd()
    os.chdir(cwd or before)
    try:
        code = main(list(args))
    except SystemExit as exit:  # argparse usage errors
        code = exit.code
    finally:
        os.chdir(before)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def copy_checkout(target: Path, untracked: bool = False) -> Path:
    """The repository's tracked files (and its untracked, unignored ones) copied to
    ``target``, as a clean clone would hold them."""
    import subprocess

    listed = ["ls-files", "-co", "--exclude-standard"] if untracked else ["ls-files"]
    names = subprocess.run(["git", "-C", str(ROOT), *listed], capture_output=True,
                           text=True, check=True).stdout.split()
    for name in names:
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


@pytest.fixture(scope="session")
def source_tree(tmp_path_factory) -> Path:
    """A copy of the committed repository's files, with git, as a release would see it."""
    target = copy_checkout(tmp_path_factory.mktemp("checkout") / "dipdata", untracked=True)
    commit_all(target)
    return target


def commit_all(target: Path) -> None:
    """Make ``target`` a git repository whose one commit holds all its files."""
    git = ["git", "-C", str(target), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "release"], check=True)


@pytest.fixture(scope="session")
def artifacts(source_tree, tmp_path_factory) -> tuple[Path, Path]:
    first, second = tmp_path_factory.mktemp("one"), tmp_path_factory.mktemp("two")
    release(source_tree, first, previous=source_tree / "datapackage")
    release(source_tree, second, previous=source_tree / "datapackage")
    return first, second


@pytest.fixture(scope="session")
def release_folder(artifacts) -> Path:
    """The artifacts of one release of the committed repository (shared: copy to change)."""
    return artifacts[0]

#: How many records the repository holds: the count success messages give.
RECORDS = sum(1 for _ in (ROOT / "records").glob("*/*.json"))


@pytest.fixture
def ten_second_deadline():
    """No test waits more than 10 seconds: a child or a pipe that never answers fails the
    test (and a mutant of the worker pool cannot hang mutation testing)."""
    import signal

    def expire(*_):
        raise TimeoutError("more than 10 seconds")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


_NOT_A_MUTANT = ("", "stats", "fail", "list_all_tests", "mutant_generation")


@pytest.fixture(scope="session", autouse=True)
def _a_mutant_ends_only_its_own_run():
    """Under mutmut, each mutant's run is its own process group, and a run that ends itself
    midway (``os._exit`` or SIGTERM in the test process) fails: a mutant of
    ``base/parallel.py`` that signals its group (pid 0) or runs a child's part in the test
    process then ends only its own run, and cannot pass for a survivor. Processes left in
    the group are ended with it. Nothing changes outside mutmut."""
    if os.environ.get("MUTANT_UNDER_TEST", "") in _NOT_A_MUTANT:
        yield
        return
    import signal

    me, real_exit = os.getpid(), os._exit
    if os.getpgrp() != me:
        os.setpgid(0, 0)

    def guarded_exit(status: int) -> None:
        real_exit(status if os.getpid() != me else 1)

    previous = signal.signal(signal.SIGTERM, lambda *_: real_exit(1))
    os._exit = guarded_exit  # type: ignore[assignment]
    try:
        yield
    finally:
        os._exit = real_exit
        signal.signal(signal.SIGTERM, previous)
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and int(entry.name) != me:
                try:
                    group = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[2])
                    if group == me:
                        os.kill(int(entry.name), signal.SIGKILL)
                except (OSError, ValueError, IndexError):
                    pass
