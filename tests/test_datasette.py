"""The release's SQLite database served by Datasette, as a reader would run it: at the clean
path `/dipdata`, with its metadata, facets, full-text search and foreign-key labels."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

import dipdata

# one worker makes the shared release and runs every test that reads it
pytestmark = pytest.mark.xdist_group("release")

pytest.importorskip("datasette")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(release_folder, tmp_path_factory):
    """Datasette on 127.0.0.1, serving the unzipped `dipdata-<version>-sqlite.zip` as the
    README says; stopped at the end."""
    folder = tmp_path_factory.mktemp("datasette")
    zipfile.ZipFile(release_folder / f"dipdata-{dipdata.__version__}-sqlite.zip").extractall(folder)
    [inner] = folder.iterdir()
    port = _free_port()
    datasette = shutil.which("datasette") or str(Path(sys.executable).with_name("datasette"))
    server = subprocess.Popen(
        [datasette, "serve", str(inner / "dipdata.sqlite"), "-m", str(inner / "metadata.json"),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):  # at most about 20 s
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=1).read()
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(server.stderr.read().decode()) from None
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_the_database_is_served_at_a_clean_path_with_its_metadata(served):
    assert [d["name"] for d in _get(f"{served}/-/databases.json")] == ["dipdata"]
    table = _get(f"{served}/dipdata/events.json?_shape=objects&id=xi-zelenskyy-call-2023-04-26")
    assert [(r["start_date"], r["kind"], r["mode"]) for r in table["rows"]] == [
        ("2023-04-26", "call", "phone")]
    metadata = _get(f"{served}/-/metadata.json")
    assert metadata["title"] == "China's head-of-state diplomacy in 2023"
    assert "events" in metadata["databases"]["dipdata"]["tables"]


def test_facets_search_and_foreign_key_labels(served):
    facets = _get(f"{served}/dipdata/aggregates.json?_facet=exhaustive&_size=0")
    counts = {f["value"]: f["count"] for f in facets["facet_results"]["exhaustive"]["results"]}
    assert counts == {1: 8, 0: 2}  # eight exhaustive aggregates, two of examples
    found = _get(f"{served}/dipdata/events.json?_search=Zelenskyy&_shape=objects")
    assert "xi-zelenskyy-call-2023-04-26" in [r["id"] for r in found["rows"]]
    labelled = _get(f"{served}/dipdata/participants.json?_labels=on&_shape=objects"
                    "&event=xi-zelenskyy-call-2023-04-26&actor=volodymyr-zelenskyy")
    [row] = labelled["rows"]
    assert row["actor"] == {"value": "volodymyr-zelenskyy", "label": "Volodymyr Zelenskyy"}
