"""The apps' import graph (issue 15): no two apps import each other at module level beyond
the pairs listed here, and notify ↔ absences stays broken. ``python tests/test_import_graph.py``
prints the cycles (module level, and with function-level imports) and the function-level
imports of Govem modules."""

from __future__ import annotations

import ast
import itertools
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1] / "src" / "govem"

# Pairs still importing each other at module level; each is a task, none may be added.
KNOWN_MODULE_CYCLES = {
    ("absences", "attendance"),
    ("accounts", "people"),
    ("attendance", "payroll"),
    ("people", "schedules"),
}


def _apps() -> set[str]:
    return {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}


def imports() -> list[tuple[str, str, str, int, str]]:
    """(from app, to app, file, line, "module" | "function" | "typing") for every import of
    another app's module outside migrations."""
    apps = _apps()
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if "migrations" in rel.parts or rel.parts[0] not in apps:
            continue
        tree = ast.parse(path.read_text())
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = ["govem", *rel.parts[:-1]][: len(rel.parts) - node.level + 1]
                    module = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    module = node.module or ""
                modules = [module, *(f"{module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            level, parent = "module", parents.get(node)
            while parent is not None:
                if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef):
                    level = "function"
                    break
                if isinstance(parent, ast.If) and "TYPE_CHECKING" in ast.unparse(parent.test):
                    level = "typing"
                    break
                parent = parents.get(parent)
            targets = {m.split(".")[1] for m in modules if m.startswith("govem.") and "." in m}
            for target in sorted(targets & apps - {rel.parts[0]}):
                found.append((rel.parts[0], target, str(rel), node.lineno, level))
    return found


def cycles(levels: set[str]) -> set[tuple[str, str]]:
    edges = {(a, b) for a, b, _file, _line, level in imports() if level in levels}
    return {
        (a, b)
        for a, b in itertools.combinations(sorted(_apps()), 2)
        if (a, b) in edges and (b, a) in edges
    }


def test_no_new_module_level_cycle() -> None:
    assert cycles({"module"}) - KNOWN_MODULE_CYCLES == set()


def test_notify_and_absences_depend_one_way() -> None:
    edges = {(a, b) for a, b, *_rest in imports()}
    assert ("notify", "absences") in edges  # notify tells employees about absences
    assert ("absences", "notify") not in edges  # absences announce through signals


def local_imports_without_reason() -> list[str]:
    """Imports inside a function (Govem's modules and libraries alike) whose block has no
    comment line above it saying why it is not at module level."""
    missing = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        lines = path.read_text().split("\n")
        tree = ast.parse("\n".join(lines))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            body = [
                node for node in ast.walk(function) if isinstance(node, ast.Import | ast.ImportFrom)
            ]
            for node in body:
                above = node.lineno - 2  # the line before, 0-based
                while above >= 0 and lines[above].strip().startswith(("from ", "import ", ")")):
                    above -= 1
                while (
                    above >= 0
                    and not lines[above].strip().startswith("#")
                    and (
                        lines[above].startswith(" " * (node.col_offset + 4))  # a wrapped import
                    )
                ):
                    above -= 1
                if above < 0 or not lines[above].strip().startswith("#"):
                    missing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return missing


def test_every_local_import_says_why() -> None:
    assert local_imports_without_reason() == []


if __name__ == "__main__":
    for name, levels in (
        ("module-level", {"module"}),
        ("with function-level", {"module", "function"}),
    ):
        found = sorted(cycles(levels))
        print(f"{name} two-app cycles: {len(found)}")
        for a, b in found:
            print(f"  {a} <-> {b}")
    local = [row for row in imports() if row[4] == "function"]
    print(f"function-level imports of another app: {len(local)}")
    print(f"function-level imports without a reason: {local_imports_without_reason()}")
    sys.exit(0)
