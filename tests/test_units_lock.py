"""Fast unit tests of the build lock's parts (no repository copy): reading, writing, the
inputs' listing and digest. Expected values are written out by hand."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from dipdata.check.lock import Lock, code_digest, inputs_digest, listing, lock_bytes, read_lock
from dipdata.check.records import RecordFile

A, B = "a" * 64, "b" * 64


def record(path: str, data: bytes | None) -> RecordFile:
    made = RecordFile(Path("/nonexistent"), path, path.split("/")[1])
    if data is not None:
        made.digest = hashlib.sha256(data).digest()
    return made


def test_a_lock_is_read_with_its_sizes_and_hex_digests(tmp_path):
    (tmp_path / "build.lock").write_text(
        '{"about": "x", "code": "sha256:c", "inputs": "sha256:i", "files": {'
        f'"README.md": {{"bytes": 12, "hash": "sha256:{A}"}}, '
        f'"schema/e.json": {{"bytes": 7, "hash": "sha256:{B}"}}}}}}')
    assert read_lock(tmp_path) == Lock("sha256:c", "sha256:i",
                                       {"README.md": (12, A), "schema/e.json": (7, B)})


@pytest.mark.parametrize("text", [
    None, "", "not JSON", "[]", "{}", '{"code": "c", "inputs": "i"}',
    '{"code": "c", "inputs": "i", "files": []}',
    '{"code": "c", "inputs": "i", "files": {"R": 1}}',
    '{"code": "c", "inputs": "i", "files": {"R": {"bytes": 1}}}',
    '{"code": "c", "inputs": "i", "files": {"R": {"bytes": "one", "hash": "sha256:a"}}}',
    '{"code": "c", "inputs": "i", "files": {"R": {"bytes": 1, "hash": "md5:a"}}}',
    '{"code": "c", "inputs": "i", "files": {"R": {"bytes": 1, "hash": "aaaa"}}}',
    '{"code": "c", "inputs": "i", "files": {"R": {"bytes": 1, "hash": 5}}}',
])
def test_an_unreadable_lock_is_none(tmp_path, text):
    if text is not None:
        (tmp_path / "build.lock").write_text(text)
    assert read_lock(tmp_path) is None


def test_a_lock_folder_is_none(tmp_path):
    (tmp_path / "build.lock").mkdir()
    assert read_lock(tmp_path) is None


def test_the_lock_text_sorts_the_files_and_ends_with_a_newline():
    text = lock_bytes("sha256:i", {"z.csv": (3, B), "a.csv": (10, A)})
    assert text == (
        b'{\n  "about": "Written by `dipdata build`: digests of the inputs and of the code the '
        b'generated files were made from, and every generated file\'s size and sha256. Do not '
        b'edit.",\n  "code": "' + code_digest().encode() + b'",\n  "inputs": "sha256:i",\n'
        b'  "files": {\n    "a.csv": {\n      "bytes": 10,\n      "hash": "sha256:' + A.encode()
        + b'"\n    },\n    "z.csv": {\n      "bytes": 3,\n      "hash": "sha256:' + B.encode()
        + b'"\n    }\n  }\n}\n')


def test_what_is_written_reads_back(tmp_path):
    (tmp_path / "build.lock").write_bytes(lock_bytes("sha256:i", {"a.csv": (10, A)}))
    assert read_lock(tmp_path) == Lock(code_digest(), "sha256:i", {"a.csv": (10, A)})


def test_the_listing_has_a_line_per_record_in_order():
    first = record("records/events/b.json", b"{}")
    second = record("records/actors/a.json", b"[]")
    assert listing([first, second]) == (
        "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a  "
        "records/events/b.json\n"
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945  "
        "records/actors/a.json\n")
    assert listing([]) == ""


def test_the_listing_of_an_unread_record_is_none():
    assert listing([record("records/events/b.json", b"{}"),
                    record("records/events/c.json", None)]) is None


def test_the_inputs_digest_adds_the_other_inputs_and_marks_missing_ones(tmp_path):
    (tmp_path / "pyproject.toml").write_bytes(b"x")
    (tmp_path / "CHANGELOG.md").write_bytes(b"")
    records = "0" * 64 + "  records/events/e.json\n"
    expected = (records
                + "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881  "
                  "pyproject.toml\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  "
                  "CHANGELOG.md\n"
                + "-  source/mfa-2023-12-29-mao-ning-cnr.txt\n")
    assert inputs_digest(tmp_path, records) == \
        "sha256:" + hashlib.sha256(expected.encode()).hexdigest()
    assert inputs_digest(tmp_path, None) is None
    assert inputs_digest(tmp_path, "") != inputs_digest(tmp_path, records)
