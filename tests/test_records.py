"""Strict reading of record files: each bad file gets one precise line, exit 1, no traceback."""

from __future__ import annotations

import json

import pytest

from .conftest import run, tree_digest
from .test_validate import PLANTED, good_event

GOOD = json.dumps(good_event(), indent=2)

BAD_FILES = {
    "trailing-comma": (GOOD.replace('China"\n    }', 'China",\n    }'),
                       "21:64: invalid-json: planted-event: trailing comma is not allowed"),
    "bom": (b"\xef\xbb\xbf" + GOOD.encode(),
            "1:1: bom: planted-event: starts with a byte order mark (U+FEFF); save as UTF-8 "
            "without BOM"),
    "utf-16": (GOOD.encode("utf-16"),
               "1:1: not-utf8: planted-event: is UTF-16 (it starts with a UTF-16 byte order "
               "mark); save as UTF-8"),
    "latin-1": (GOOD.replace("A planted meeting", "Réunion").encode("latin-1"),
                "4:14: not-utf8: planted-event: byte 0xE9 at offset 61 is not UTF-8 "
                "(Latin-1 or UTF-16?); save as UTF-8"),
    "nan": (GOOD.replace('"2023-05-18",\n  "end_date"', 'NaN,\n  "end_date"'),
            "5:17: invalid-json: planted-event: NaN is not a JSON number"),
    "infinity": (GOOD.replace('"date_precision": "day"', '"date_precision": -Infinity'),
                 "7:21: invalid-json: planted-event: -Infinity is not a JSON number"),
    "shallow-list": (GOOD.replace('"venue": null', '"venue": ' + "[" * 20 + "]" * 20),
                     "10:3: wrong-type: planted-event venue: must be a string or null, not a "
                     "list"),
    "very-deep": ("[" * 5000 + "]" * 5000,
                  "1:1026: too-deep: planted-event: nested too deeply to be a record"),
    # deeper than the limit (64) yet within what the parser reads: the reader's own problem
    "deep-300": ("[" * 300 + "]" * 300,
                 "1:65: too-deep: planted-event: nested too deeply to be a record"),
    "deep-in-a-field": (GOOD.replace('"venue": null', '"venue": ' + "[" * 70 + "]" * 70),
                        # the record's own brace is level 1: the 64th bracket is level 65
                        "10:75: too-deep: planted-event: nested too deeply to be a record"),
    "huge-integer": (GOOD.replace('"venue": null', '"venue": 123456789012345678901234567890'),
                     "10:12: number-too-large: planted-event: a number this long cannot be "
                     "read exactly (whole numbers are at most 64 bits); write it as a string "
                     "if it is a code"),
    "not-an-object": ("[]", "1:1: wrong-type: planted-event: must be an object, not a list"),
    "empty": ("", "1:1: invalid-json: planted-event: Input is a zero-length, empty document"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file(repo, capsys, case):
    content, expected = BAD_FILES[case]
    path = repo / PLANTED
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = tree_digest(repo)
    code, out, err = run(capsys, "--root", str(repo), "validate", PLANTED)
    assert (code, out) == (1, f"{PLANTED}:{expected}\n")
    assert "Traceback" not in err and tree_digest(repo) == before
