"""The bytes of generated files: CSV rows and JSON values, written the same way everywhere."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import orjson

#: The CSV tables' Table Dialect (v2): its defaults but for the line terminator, LF.
CSV_DIALECT = {"header": True, "delimiter": ",", "lineTerminator": "\n", "quoteChar": '"',
               "doubleQuote": True}


def csv_bytes(rows: list[Any]) -> bytes:
    """Rows as CSV (None as an empty cell), LF line ends."""
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    data = text.getvalue()
    if "\r" in data:  # csv quotes only the terminator's characters: a lone CR would go bare
        text = io.StringIO()
        plain = csv.writer(text, lineterminator="\n")
        quoted = csv.writer(text, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
        for row in rows:
            carries_cr = any(isinstance(cell, str) and "\r" in cell for cell in row)
            (quoted if carries_cr else plain).writerow(row)
        data = text.getvalue()
    return data.encode()


#: Characters a reader cannot see that orjson writes as they are (C1 controls, bidirectional
#: and zero-width marks, the BOM, line and paragraph separators): written as JSON escapes in
#: the small JSON files, whose patterns name them, so the bytes show what a pattern means.
_INVISIBLE = re.compile("[\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064"
                        "\u2066-\u2069\ufeff]")


def json_bytes(value: Any) -> bytes:
    text = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
    return _INVISIBLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text).encode() + b"\n"
