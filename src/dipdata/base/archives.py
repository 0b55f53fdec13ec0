"""Opening release zips and package folders safely, and the sha256 of a file."""

from __future__ import annotations

import hashlib
import re
import stat
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Any


CHECKSUMS = "SHA256SUMS"
MAX_MEMBERS = 2_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, per member


class ReleaseError(Exception):
    """A release, verification or diff that cannot go on; the message says why."""


def _check_member(info: zipfile.ZipInfo, seen: set[str]) -> None:
    name = info.filename
    path = PurePosixPath(name)
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or "\\" in name:
        raise ReleaseError(f"refused: member {name!r} has an absolute path")
    if ".." in path.parts:
        raise ReleaseError(f"refused: member {name!r} climbs out of the archive with '..'")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise ReleaseError(f"refused: member {name!r} is a symbolic link")
    if name in seen:
        raise ReleaseError(f"refused: member {name!r} appears twice")
    seen.add(name)
    if info.file_size > MAX_MEMBER_BYTES:
        raise ReleaseError(f"refused: member {name!r} is {info.file_size} bytes, over the "
                           f"{MAX_MEMBER_BYTES}-byte limit")
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
        raise ReleaseError(f"refused: member {name!r} expands {info.file_size // info.compress_size}"
                           f" times, over the limit of {MAX_RATIO} (a zip bomb?)")


def extract_safely(archive: Path, target: Path) -> None:
    """Extract a zip into ``target``, refusing anything that could escape or explode."""
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            if len(members) > MAX_MEMBERS:
                raise ReleaseError(f"refused: {len(members)} members, over the limit of "
                                   f"{MAX_MEMBERS}")
            seen: set[str] = set()
            for info in members:
                _check_member(info, seen)
            if sum(info.file_size for info in members) > MAX_TOTAL_BYTES:
                raise ReleaseError("refused: the archive expands beyond "
                                   f"{MAX_TOTAL_BYTES} bytes")
            for info in members:
                destination = target.joinpath(*PurePosixPath(info.filename).parts)
                if info.is_dir():
                    destination.mkdir(parents=True, exist_ok=True)
                    continue
                destination.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as source, open(destination, "wb") as sink:
                    written = 0
                    while chunk := source.read(1 << 16):
                        written += len(chunk)
                        if written > info.file_size:  # the header lied about the size
                            raise ReleaseError(f"refused: member {info.filename!r} is larger "
                                               "than its header says")
                        sink.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error, ValueError,
            NotImplementedError) as error:
        raise ReleaseError(f"{archive.name} is not a readable zip archive ({error}): it is "
                           "damaged or was changed") from None


def package_dir(folder: Path) -> Path:
    """The data package in a folder: the folder itself when it holds `datapackage.json`, or
    the one folder inside it that does (as in a zip that wraps its files in a folder)."""
    if (folder / "datapackage.json").is_file():
        return folder
    inner = [p for p in folder.iterdir() if not p.name.startswith(".")]
    if len(inner) == 1 and (inner[0] / "datapackage.json").is_file():
        return inner[0]
    raise ReleaseError(f"{folder} is not a data package: it has no datapackage.json")


class opened:
    """A context manager giving the package folder of a zip (extracted safely) or a folder."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._temporary: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> Path:
        if self.path.is_dir():
            if (self.path / "datapackage.json").is_file():
                return self.path
            raise ReleaseError(f"{self.path} is not a data package folder: it has no "
                               "datapackage.json")
        if not self.path.is_file():
            raise ReleaseError(f"{self.path} does not exist")
        with open(self.path, "rb") as handle:
            is_zip = handle.read(2) == b"PK"
        if not is_zip:
            raise ReleaseError(f"{self.path} is neither a release zip nor a data package "
                               "folder")
        self._temporary = temporary = tempfile.TemporaryDirectory(prefix="dipdata-")
        extract_safely(self.path, Path(temporary.name))
        try:
            return package_dir(Path(temporary.name))
        except ReleaseError:
            temporary.cleanup()
            raise ReleaseError(f"{self.path.name} holds no datapackage.json at its root") \
                from None

    def __exit__(self, *exc: Any) -> None:
        if self._temporary is not None:
            self._temporary.cleanup()



def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
