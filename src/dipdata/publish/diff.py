"""What changed between two releases, and the version bump the change needs (the Data
Package Version recipe: major for removed records or fields and changed types, minor for new
records or fields, patch for corrections)."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..base.archives import ReleaseError, opened
from .versions import bump_of, resolve


@dataclass
class TableDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict)


@dataclass
class Diff:
    old_version: str
    new_version: str
    tables: dict[str, TableDiff]
    fields_added: list[str]
    fields_removed: list[str]
    fields_retyped: list[str]

    @property
    def required_bump(self) -> str:
        """The smallest bump the change needs (Data Package Version recipe)."""
        if self.fields_removed or self.fields_retyped or any(t.removed for t in self.tables.values()):
            return "major"
        if self.fields_added or any(t.added for t in self.tables.values()):
            return "minor"
        if any(t.changed for t in self.tables.values()):
            return "patch"
        return "none"

    def as_json(self) -> dict[str, Any]:
        return {
            "old_version": self.old_version, "new_version": self.new_version,
            "required_bump": self.required_bump,
            "fields": {"added": self.fields_added, "removed": self.fields_removed,
                       "retyped": self.fields_retyped},
            "tables": {name: {"added": t.added, "removed": t.removed,
                              "changed": {rid: {f: {"old": o, "new": n}
                                                for f, (o, n) in changes.items()}
                                          for rid, changes in t.changed.items()}}
                       for name, t in self.tables.items()},
        }

    def as_text(self) -> str:
        lines = [f"dipdata {self.old_version} -> {self.new_version}"]
        for kind, names in (("added", self.fields_added), ("removed", self.fields_removed),
                            ("retyped", self.fields_retyped)):
            for name in names:
                lines.append(f"field {kind}: {name}")
        for name, table in self.tables.items():
            if not (table.added or table.removed or table.changed):
                continue
            lines.append(f"{name}: {len(table.added)} added, {len(table.removed)} removed, "
                         f"{len(table.changed)} changed")
            lines += [f"  + {rid}" for rid in table.added]
            lines += [f"  - {rid}" for rid in table.removed]
            for rid, changes in table.changed.items():
                lines.append(f"  ~ {rid}")
                for name_, (old, new) in changes.items():
                    lines.append(f"      {name_}: {json.dumps(old, ensure_ascii=False)} -> "
                                 f"{json.dumps(new, ensure_ascii=False)}")
        actual = bump_of(self.old_version, self.new_version)
        lines.append(f"required bump: {self.required_bump} (the versions differ by: {actual})")
        return "\n".join(lines)


def _load_tables(package: Path) -> tuple[str, dict[str, dict[str, dict]], dict[str, dict]]:
    try:
        return _read_tables(package)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ReleaseError(f"{package} is not a readable dipdata package: {error}") from None


def _read_tables(package: Path) -> tuple[str, dict[str, dict[str, dict]], dict[str, dict]]:
    descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
    tables, fields = {}, {}
    for resource in descriptor["resources"]:
        if resource.get("format") == "json" and resource["name"].endswith("-json"):
            table = resource["name"][: -len("-json")]
            records = json.loads((package / resource["path"]).read_text("utf-8"))
            tables[table] = {r["id"]: r for r in records}
        if resource.get("format") == "csv":
            for spec in resource["schema"]["fields"]:
                fields[f"{resource['name']}.{spec['name']}"] = spec["type"]
    return descriptor["version"], tables, fields


def diff(old: Path | str, new: Path | str, root: Path | str = ".") -> Diff:
    """What changed between two releases: zips, package folders, or versions (git tags such
    as ``v0.1.0`` or ``0.1.0``, and any git revision, read from the repository at ``root``)."""
    with tempfile.TemporaryDirectory(prefix="dipdata-diff-") as scratch:
        old_path = resolve(Path(root), str(old), Path(scratch) / "old")
        new_path = resolve(Path(root), str(new), Path(scratch) / "new")
        with opened(old_path) as old_dir, opened(new_path) as new_dir:
            old_version, old_tables, old_fields = _load_tables(old_dir)
            new_version, new_tables, new_fields = _load_tables(new_dir)
    tables = {}
    for name in sorted(set(old_tables) | set(new_tables)):
        before, after = old_tables.get(name, {}), new_tables.get(name, {})
        result = TableDiff(added=sorted(set(after) - set(before)),
                           removed=sorted(set(before) - set(after)))
        for rid in sorted(set(before) & set(after)):
            changes = {key: (before[rid].get(key), after[rid].get(key))
                       for key in sorted(set(before[rid]) | set(after[rid]))
                       if before[rid].get(key) != after[rid].get(key)}
            if changes:
                result.changed[rid] = changes
        tables[name] = result
    return Diff(old_version, new_version, tables,
                fields_added=sorted(set(new_fields) - set(old_fields)),
                fields_removed=sorted(set(old_fields) - set(new_fields)),
                fields_retyped=sorted(k for k in set(old_fields) & set(new_fields)
                                      if old_fields[k] != new_fields[k]))
