"""Dependencies point one way (STYLE.md): an app imports only the apps below it, so the
apps form no cycle. A lower app that must tell a higher one something announces it
through a hook the higher app connects (core/hooks.py, e.g. detentions/hooks.py).

The import graph is read from the source with `ast`: every `import` and `from ... import`
counts, at module level or inside a function; tests/ and migrations/ do not count."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

# Lowest first: an app may import only the apps before it in this list.
LAYERS = [
    "core",
    "accounts",
    "tokens",  # API tokens per device (knox)
    "deadlines",
    "engine",
    "recordals",
    "detentions",
    "campaigns",
    "reports",
    "screening",  # reads recordals, past cases and campaigns' focus
    "portal",  # the holders' and agents' pages over every app's services
    "config",
]
RANK = {name: rank for rank, name in enumerate(LAYERS)}
ROOT = Path(__file__).resolve().parent.parent
NOT_COUNTED = {"tests", "migrations"}  # folders inside an app
PROJECT_TESTS = "tests"  # the project-wide test package beside the apps


@dataclass(frozen=True)
class Import:
    source: str  # the importing app
    target: str  # the imported app
    path: str
    line: int
    statement: str

    def __str__(self):
        return f"{self.path}:{self.line} `{self.statement}`"


def top_level_packages() -> list[str]:
    """The folders beside manage.py that are packages (an app may still lack its
    __init__.py: a layer's folder counts as soon as it exists)."""
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    packages |= {name for name in LAYERS if (ROOT / name).is_dir()}
    return sorted(name for name in packages - {PROJECT_TESTS} if not name.startswith("."))


def _module_of(path: Path) -> list[str]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imported_modules(node: ast.AST, path: Path) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level == 0:
        return [node.module]
    # Relative: resolved from the importing module's package.
    package = _module_of(path)
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
    return [".".join([*base, *([node.module] if node.module else [])])]


def project_imports() -> list[Import]:
    """Every import, in app code, of one top-level project package by another."""
    packages = set(top_level_packages()) | set(LAYERS) | {PROJECT_TESTS}
    found = []
    for app in top_level_packages():
        for path in sorted((ROOT / app).rglob("*.py")):
            inside = path.relative_to(ROOT / app).parts[:-1]
            if NOT_COUNTED & set(inside):
                continue
            source = path.read_text(encoding="utf-8")
            for node in ast.walk(ast.parse(source, filename=str(path))):
                for module in _imported_modules(node, path):
                    target = module.split(".")[0]
                    if target in packages and target != app:
                        statement = " ".join(ast.get_source_segment(source, node).split())
                        found.append(
                            Import(app, target, str(path.relative_to(ROOT)), node.lineno, statement)
                        )
    return found


def test_every_top_level_package_has_a_layer():
    unknown = [name for name in top_level_packages() if name not in RANK]
    assert unknown == [], (
        f"Packages without a layer: {', '.join(unknown)}. Add each to LAYERS in "
        "tests/test_architecture.py at its place (it may import only what is below it)."
    )


def test_the_walk_reads_the_apps():
    # A walk that found nothing would pass every rule below.
    apps = {edge.source for edge in project_imports()}
    assert {"accounts", "detentions", "campaigns", "config"} <= apps


def test_apps_import_only_lower_layers():
    wrong = []
    for edge in project_imports():
        if edge.target not in RANK:
            wrong.append(f"{edge} imports {edge.target}, a package without a layer")
        elif edge.source in RANK and RANK[edge.target] > RANK[edge.source]:
            below = ", ".join(LAYERS[: RANK[edge.source]]) or "no app"
            wrong.append(
                f"{edge}: {edge.source} imports {edge.target}, which is above it "
                f"({edge.source} may import only {below})"
            )
    assert wrong == [], "Imports against the layering (use a hook instead):\n" + "\n".join(wrong)


def test_app_imports_have_no_cycles():
    graph: dict[str, dict[str, Import]] = {}
    for edge in project_imports():
        graph.setdefault(edge.source, {}).setdefault(edge.target, edge)
    cycles = []
    state: dict[str, str] = {}  # app -> "open" while on the path, "done" after

    def visit(app: str, path: list[str]) -> None:
        state[app] = "open"
        for target in sorted(graph.get(app, {})):
            if state.get(target) == "open":
                cycle = [*path[path.index(target) :], target]
                cycles.append(
                    " -> ".join(cycle)
                    + "\n"
                    + "\n".join(f"  {graph[a][b]}" for a, b in pairwise(cycle))
                )
            elif target not in state:
                visit(target, [*path, target])
        state[app] = "done"

    for app in sorted(graph):
        if app not in state:
            visit(app, [app])
    assert cycles == [], "Import cycles between apps:\n" + "\n".join(cycles)
