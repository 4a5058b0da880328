"""The layers stay visible: every import of the application points one way, with no cycle.

Reads the code (every import, function-local ones too) without running it:
  app -> blueprints -> broadsheet.web -> the domain (broadsheet) -> models, extensions
  app -> broadsheet.cli, importers -> the domain
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOP_MODULES = ("app", "extensions", "models")
PACKAGES = ("broadsheet", "blueprints", "importers")
# The story page, with its comment section, is rendered by the comment views too (a no-JS
# form with errors shows the whole page) and by the newsroom's preview: the one piece
# blueprints share.
SHARED_BLUEPRINT_MODULES = {"blueprints.articles.page", "blueprints.comments.section"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def application_files() -> list[Path]:
    files = [ROOT / f"{name}.py" for name in TOP_MODULES]
    for package in PACKAGES:
        files += sorted((ROOT / package).rglob("*.py"))
    return files


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The application modules a file imports, resolved to the deepest module named."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            # `from pkg import module` names a module; `from module import function` does not.
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    # A package imports its __init__ when any submodule is imported: that is not an edge.
    return {t for t in found if not name.startswith(t + ".")}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    files = application_files()
    modules = {module_name(f) for f in files}
    return {module_name(f): imports_of(f, modules) for f in files}


def layer(module: str) -> str:
    for prefix in ("broadsheet.web", "broadsheet.cli", "broadsheet.demo"):
        if module == prefix or module.startswith(prefix + "."):
            return prefix
    return module.split(".")[0]


# What each layer may import (besides itself and third-party code).
ALLOWED = {
    "app": {
        "blueprints",
        "broadsheet",
        "broadsheet.web",
        "broadsheet.cli",
        "importers",
        "extensions",
        "models",
    },
    "blueprints": {"broadsheet", "broadsheet.web", "extensions", "models"},
    "broadsheet.cli": {"broadsheet", "broadsheet.demo", "extensions", "models"},
    "importers": {"broadsheet", "extensions", "models"},
    "broadsheet.web": {"broadsheet", "extensions", "models"},
    "broadsheet.demo": {"broadsheet", "extensions", "models"},
    "broadsheet": {"extensions", "models"},
    "models": {"broadsheet", "extensions"},
    "extensions": set(),
}


def test_the_import_graph_sees_the_application(graph):
    assert {"app", "models", "broadsheet.discussion", "blueprints.comments.views"} <= set(graph)
    assert "broadsheet.discussion" in graph["blueprints.comments.views"]
    assert "blueprints.articles.page" in graph["blueprints.comments.views"]


def test_no_module_imports_against_the_layers(graph):
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if layer(target) != layer(module) and layer(target) not in ALLOWED[layer(module)]
    )
    assert wrong == []


def test_models_take_only_the_clock_from_the_domain(graph):
    assert {t for t in graph["models"] if t.startswith("broadsheet")} == {"broadsheet.clock"}


def test_blueprints_do_not_reach_into_each_other(graph):
    crossing = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if module.startswith("blueprints.")
        for target in targets
        if target.startswith("blueprints.")
        and target.split(".")[1] != module.split(".")[1]
        and target not in SHARED_BLUEPRINT_MODULES
    )
    assert crossing == []


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_there_are_no_import_cycles(graph):
    cycle = find_cycle(graph)
    assert cycle is None, " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle_hidden_in_a_function():
    # The discussion -> notifications -> mail -> privacy -> discussion loop of old.
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
