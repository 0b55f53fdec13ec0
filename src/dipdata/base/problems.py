"""The one shape of a problem, and the report that collects them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import AnyStr


def line_column(text: AnyStr, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset into text (or bytes)."""
    newline = "\n" if isinstance(text, str) else b"\n"
    line = text.count(newline, 0, offset) + 1
    return line, offset - (text.rfind(newline, 0, offset) + 1) + 1


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, located as precisely as possible.

    ``line`` and ``column`` are 1-based; 0 means the problem has no position in a file
    (a whole file, or a rule across records). ``record`` is the record id (or "-"), and
    ``field`` a JSON path inside the record such as ``participants[0].actor`` (or "-").
    """

    path: str
    line: int = 0
    column: int = 0
    code: str = ""
    record: str = "-"
    field: str = "-"
    message: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        subject = " ".join(part for part in (self.record, self.field) if part != "-")
        return f"{where}: {self.code}: {subject + ': ' if subject else ''}{self.message}"

    def github(self) -> str:
        """The problem as a GitHub Actions workflow annotation."""
        subject = " ".join(part for part in (self.record, self.field) if part != "-")
        message = f"{self.code}: {subject + ': ' if subject else ''}{self.message}"
        message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        where = f"file={_escape_property(self.path)}"
        if self.line:
            where += f",line={self.line},col={max(self.column, 1)}"
        return f"::error {where},title={_escape_property(self.code)}::{message}"


def _escape_property(value: str) -> str:
    return (value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            .replace(":", "%3A").replace(",", "%2C"))


@dataclass
class Report:
    """The problems found by a validation or verification, sorted when read; ``subject``
    names what was checked, ``records_checked`` how many records were seen."""

    problems: list[Problem] = field(default_factory=list)
    records_checked: int = 0
    subject: str = ""

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    @property
    def valid(self) -> bool:
        return not self.problems

    def sorted(self) -> list[Problem]:
        return sorted(set(self.problems))

    def render(self, format: str = "text") -> str:
        """The report as text (one line per problem), ``json`` or ``github`` annotations."""
        problems = self.sorted()
        if format == "json":
            return json.dumps({"subject": self.subject, "valid": self.valid,
                               "records": self.records_checked,
                               "problems": [asdict(p) for p in problems]},
                              indent=2, ensure_ascii=False)
        if format == "github":
            return "\n".join(p.github() for p in problems)
        return "\n".join(str(p) for p in problems)

    def summary(self) -> str:
        """One line: valid or not, how many records, how many problems."""
        subject = f"{self.subject}: " if self.subject else ""
        records = f"{self.records_checked} record{'s' if self.records_checked != 1 else ''}"
        if self.valid:
            return f"{subject}valid: {records}, no problems"
        count = len(self.sorted())
        return f"{subject}invalid: {count} problem{'s' if count != 1 else ''} in {records}"
