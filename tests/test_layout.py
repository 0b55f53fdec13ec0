"""The house: modules grouped in wings that show the pipeline, each wing importing only the
wings below it (lazy imports inside functions included), no import circle, no module much
over 300 lines, and few modules at the top."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

SOURCE = ROOT / "src" / "dipdata"

#: The floors, lowest first; a module may import its own wing and the wings below it.
WINGS = ["base", "model", "check", "make", "use", "views", "publish"]
TOP = "top"  # cli.py, the public API and its aliases: may import every wing
RANK = {wing: rank for rank, wing in enumerate(WINGS)} | {TOP: len(WINGS)}


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in SOURCE.rglob("*.py")}


def wing_of(module: str) -> str:
    first = module.split(".")[0]
    return first if first in WINGS else TOP


def resolve(module: str, node: ast.ImportFrom) -> list[str]:
    """The dipdata modules an import statement names (relative or absolute)."""
    if node.level:
        package = module.split(".") if MODULES[module].name == "__init__.py" else module.split(".")[:-1]
        base = package[:len(package) - node.level + 1] if node.level > 1 else package
        target = ".".join([*base, node.module] if node.module else base).strip(".")
    elif (node.module or "").startswith("dipdata"):
        target = node.module.removeprefix("dipdata").strip(".")
    else:
        return []
    names = [f"{target}.{alias.name}".strip(".") for alias in node.names]
    found = [name for name in names if name in MODULES]
    return found or ([target] if target in MODULES else [])


def imports_of(module: str) -> set[str]:
    tree = ast.parse(MODULES[module].read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found.update(resolve(module, node))
    return found - {module, ""}


def test_every_module_is_in_a_wing_or_at_the_top():
    top = sorted(name for name in MODULES if "." not in name and name not in WINGS and name)
    assert top == ["__main__", "cli", "models"]
    assert len(top) + 1 <= 6  # with the package's own __init__
    wings = sorted({name.split(".")[0] for name in MODULES if "." in name})
    assert wings == sorted(WINGS)


def test_every_wing_says_its_job_and_what_it_may_import():
    for wing in WINGS:
        doc = ast.get_docstring(ast.parse((SOURCE / wing / "__init__.py").read_text("utf-8")))
        assert doc, wing
        lower = WINGS[:WINGS.index(wing)]
        assert ("Imports nothing of dipdata's" in doc) if not lower else ("May import" in doc), wing


def test_no_wing_imports_a_higher_one():
    upward = sorted((module, target) for module in MODULES for target in imports_of(module)
                    if target and RANK[wing_of(target)] > RANK[wing_of(module)])
    assert upward == []


def test_the_layer_check_sees_upward_imports(tmp_path):
    """The check itself: a lazy import of a higher wing, relative or absolute, is found."""
    module = "base.problems"
    for line in ("    from ..publish.release import release",
                 "    from dipdata.views import site"):
        node = ast.parse(f"def f():\n{line}\n").body[0].body[0]
        assert isinstance(node, ast.ImportFrom)
        targets = resolve(module, node)
        assert targets and all(RANK[wing_of(t)] > RANK["base"] for t in targets), line


def test_no_import_circle():
    graph = {module: imports_of(module) for module in MODULES if module}
    circles = []

    def visit(module: str, path: list[str]) -> None:
        for target in sorted(graph.get(module, ())):
            if target in path:
                circles.append(path[path.index(target):] + [target])
            else:
                visit(target, path + [target])

    for module in graph:
        visit(module, [module])
    assert circles == []


def test_no_module_is_over_about_300_lines():
    sizes = {name: len(path.read_text("utf-8").splitlines()) for name, path in MODULES.items()}
    assert {name: size for name, size in sizes.items() if size > 320} == {}
