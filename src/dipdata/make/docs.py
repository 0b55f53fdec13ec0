"""The README's generated section: what is in the dataset, and the data dictionary."""

from __future__ import annotations

import collections

from .tables import Table

BEGIN = "<!-- BEGIN GENERATED: dataset (dipdata build writes this; do not edit) -->"
END = "<!-- END GENERATED: dataset -->"


def dataset_section(tables: dict[str, Table], counts: dict[str, int],
                    kinds: dict[str, collections.Counter]) -> str:
    """Markdown: rows by table (and by kind), then every table's fields."""
    lines = ["### What is in the dataset", "", "| table | rows | by kind |", "| --- | ---: | --- |"]
    for name in tables:
        by_kind = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.get(name, {}).items()))
        lines.append(f"| `{name}` | {counts[name]} | {by_kind} |")
    lines += ["", "### Data dictionary", "",
              "Every table is `datapackage/data/<table>.csv`; the curated tables are also "
              "`datapackage/data/<table>.json`, described by `schema/<table>.schema.json`.", ""]
    for name, table in tables.items():
        lines += [f"#### `{name}`", "", table.description, "",
                  "| field | type | required | description |", "| --- | --- | --- | --- |"]
        for field in table.schema["fields"]:
            constraints = field.get("constraints", {})
            description = field.get("description", "").replace("\n", " ").replace("|", "\\|")
            enum = constraints.get("enum")
            if enum and field["name"] in ("country",):
                description += " (ISO 3166-1 alpha-2)"
            elif enum:
                description += " One of: " + ", ".join(f"`{value}`" for value in enum) + "."
            for key in table.schema.get("foreignKeys", []):
                if key["fields"] == [field["name"]]:
                    target = key["reference"].get("resource") or name
                    description += f" References `{target}.{key['reference']['fields'][0]}`."
            required = "yes" if constraints.get("required") else ""
            lines.append(f"| `{field['name']}` | {field['type']} | {required} | "
                         f"{description.strip()} |")
        lines.append("")
    return "\n".join(lines)


def replace_section(readme: str, section: str) -> str:
    """The README with its generated section replaced (or the README unchanged without markers)."""
    start, end = readme.find(BEGIN), readme.find(END)
    if start < 0 or end < start:
        return readme
    return readme[:start + len(BEGIN)] + "\n" + section + "\n" + readme[end:]
