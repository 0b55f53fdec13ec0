"""The release's other forms of the data: the SQLite database with its Datasette metadata,
the Parquet tables (zipped) and the explorer (zipped), beside the data package zip.

Each is made from the data package of the commit being released, and is deterministic:
the same package gives the same bytes.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..base.paths import PACKAGE_DIR


#: The database's name: its file is `dipdata.sqlite`, which Datasette serves at `/dipdata`.
DATABASE = "dipdata"


def extra_artifacts(tree: Path, staging: Path, version: str,
                    zip_bytes: Callable[[dict[str, bytes]], bytes]) -> list[Path]:
    """Write `dipdata-<version>-sqlite.zip` (the database as `dipdata.sqlite`, so Datasette
    serves it at `/dipdata`, with its Datasette metadata), `dipdata-<version>-parquet.zip`
    and `dipdata-<version>-site.zip` into ``staging``; returns their paths. ``zip_bytes``
    makes a reproducible zip of named files."""
    from ..base.archives import ReleaseError

    try:
        import pyarrow  # noqa: F401
        import sqlite_utils  # noqa: F401

        from .exports import datasette_metadata, parquet_files, write_sqlite
        from ..use.loader import load
        from ..views.site import site_files
    except ImportError as error:
        raise ReleaseError(f"building a release needs the release extra ({error.name} is "
                           'missing): pip install "dipdata[release]"') from None
    package = tree / PACKAGE_DIR
    name = f"dipdata-{version}"
    with tempfile.TemporaryDirectory(prefix="dipdata-sqlite-") as scratch:
        database = write_sqlite(package, Path(scratch) / f"{DATABASE}.sqlite")
        metadata = json.dumps(datasette_metadata(package, DATABASE), indent=2, sort_keys=True,
                              ensure_ascii=False) + "\n"
        sqlite = {f"{DATABASE}.sqlite": database.read_bytes(),
                  "metadata.json": metadata.encode()}
    written = []
    for suffix, files in (("sqlite", sqlite), ("parquet", parquet_files(package)),
                          ("site", site_files(load(package)))):
        written.append(staging / f"{name}-{suffix}.zip")
        written[-1].write_bytes(zip_bytes({f"{name}-{suffix}/{path}": data
                                           for path, data in files.items()}))
    return written
