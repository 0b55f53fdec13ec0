"""The build lock, `build.lock`: what the generated files were made from.

`dipdata build` writes it: a digest of the inputs (every record file, the review's text,
`pyproject.toml`, `CHANGELOG.md`), a digest of the code that made the files (dipdata's own
files, and the versions of Python and of the libraries whose output lands in them), and the
size and sha256 of every generated file. When all three match what is on disk, the generated
files are what the records produce, so `dipdata validate` checks every record and rule but
does not make the files again to compare them; when anything differs, or there is no lock,
it does (as `dipdata build --check` always does).

The lock records a build; it is not a product: it is never reported stale, and a build
rewrites it whenever it differs.
"""

from __future__ import annotations

import functools
import hashlib
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

import orjson

from ..base.paths import CHANGELOG, LOCK, SOURCE_DIR
from .records import RecordFile
from ..model.source import REVIEW_ID

#: Libraries whose output lands in the generated files (the JSON writer, country names,
#: the JSON Schemas).
LIBRARIES = ("orjson", "pycountry", "pydantic", "pydantic-core")
#: What the generated files are made from, besides the records (and the texts of the review,
#: every `source/*.txt`, by name: :func:`other_inputs`).
OTHER_INPUTS = ("pyproject.toml", CHANGELOG, f"{SOURCE_DIR}/{REVIEW_ID}.txt")


def other_inputs(root: Path) -> list[str]:
    """:data:`OTHER_INPUTS`, then the other texts of the review in `source/`, by name."""
    texts = sorted(f"{SOURCE_DIR}/{p.name}" for p in (root / SOURCE_DIR).glob("*.txt"))
    return [*OTHER_INPUTS, *(t for t in texts if t not in OTHER_INPUTS)]
_ABOUT = ("Written by `dipdata build`: digests of the inputs and of the code the generated "
          "files were made from, and every generated file's size and sha256. Do not edit.")


@dataclass(frozen=True)
class Lock:
    code: str
    inputs: str
    files: dict[str, tuple[int, str]]


def read_lock(root: Path) -> Lock | None:
    """The repository's build lock; None when there is none or it cannot be read."""
    try:
        data = orjson.loads((root / LOCK).read_bytes())
        files = {path: (int(entry["bytes"]), _hex(entry["hash"]))
                 for path, entry in data["files"].items()}
        return Lock(str(data["code"]), str(data["inputs"]), files)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _hex(digest: str) -> str:
    algorithm, _, value = digest.partition(":")
    if algorithm != "sha256":
        raise ValueError(f"not a sha256 digest: {digest}")
    return value


def lock_bytes(inputs: str, files: dict[str, tuple[int, str]]) -> bytes:
    """The lock's text, for inputs with this digest and these generated files."""
    data = {"about": _ABOUT, "code": code_digest(), "inputs": inputs,
            "files": {path: {"bytes": size, "hash": f"sha256:{digest}"}
                      for path, (size, digest) in sorted(files.items())}}
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the code that makes the generated files: every file of the dipdata
    package (but the data package a wheel carries), and the versions of Python and
    :data:`LIBRARIES`."""
    digest = hashlib.sha256()
    digest.update(f"python {sys.version_info[0]}.{sys.version_info[1]}\0".encode())
    for library in LIBRARIES:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{library} {version}\0".encode())
    package = Path(str(resources.files("dipdata")))
    for path in sorted(package.rglob("*")):
        parts = path.relative_to(package).parts
        if path.is_file() and "__pycache__" not in parts and parts[0] != "datapackage":
            digest.update(f"{'/'.join(parts)}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return f"sha256:{digest.hexdigest()}"


def listing(records: Iterable[RecordFile]) -> str | None:
    """The records' lines of the inputs' listing (in the form of SHA256SUMS: ``<sha256>
    <path>``), in the order given; None when a record could not be read."""
    lines = []
    for record in records:
        if not record.digest:
            return None
        lines.append(f"{record.digest.hex()}  {record.path}\n")
    return "".join(lines)


def inputs_digest(root: Path, records_listing: str | None) -> str | None:
    """The sha256 of the listing of every input: the records' lines (:func:`listing`, in id
    order), then :func:`other_inputs` (a missing one as ``-``); None without the records'."""
    if records_listing is None:
        return None
    lines = [records_listing]
    for name in other_inputs(root):
        try:
            lines.append(f"{hashlib.sha256((root / name).read_bytes()).hexdigest()}  {name}\n")
        except OSError:
            lines.append(f"-  {name}\n")
    return "sha256:" + hashlib.sha256("".join(lines).encode()).hexdigest()
