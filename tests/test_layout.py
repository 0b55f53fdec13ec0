"""The house: no import circle between the package's modules (lazy imports inside functions
included), and no module much over 300 lines, so each keeps one job."""

from __future__ import annotations

import ast

from .conftest import ROOT

SOURCE = ROOT / "src" / "dipdata"
MODULES = sorted(p.stem for p in SOURCE.glob("*.py"))


def imports_of(module: str) -> set[str]:
    tree = ast.parse((SOURCE / f"{module}.py").read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:  # from . import x
                found.update(alias.name for alias in node.names if alias.name in MODULES)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dipdata."):
            found.add(node.module.split(".")[1])
    # `from . import __version__` names the package itself, which defines nothing else
    return found & set(MODULES) - {"__init__", module}


def test_no_import_circle():
    graph = {module: imports_of(module) for module in MODULES if module != "__init__"}
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


def test_validation_never_needs_the_writers():
    lower = ("records", "shape", "rules", "links", "validate", "source", "problems", "paths")
    higher = {"writer", "package", "release", "cli", "site", "exports", "archive", "diff"}
    for module in lower:
        assert imports_of(module) & higher == set(), module


def test_no_module_is_over_about_300_lines():
    sizes = {p.name: len(p.read_text("utf-8").splitlines()) for p in SOURCE.glob("*.py")}
    assert {name: size for name, size in sizes.items() if size > 320} == {}
