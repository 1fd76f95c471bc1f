"""The packages import one way: calendar and the message catalogue at the bottom, then the
data model, the compiled rules, the engine, what reads the engine, and the command line
on top; and no two modules import each other (directly or around a cycle)."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

SRC = Path(__file__).resolve().parents[1] / "src" / "asylum_sim"

LAYERS = {
    "calendar": 0, "i18n": 0,
    "model": 1,
    "rules": 2,
    "engine": 3,
    "analysis": 4, "render": 4, "whatif": 4, "eventlog": 4, "expect": 4, "docs": 4,
    "api": 5,
    "cli": 6, "__main__": 6,
}
"""A module may import from its own layer or below, never from above."""


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Modules of the package imported at run time (not those under TYPE_CHECKING);
    ``from package import submodule`` imports the submodule."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
            and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("asylum_sim"):
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    found.add(sub if sub in modules else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("asylum_sim"))
    return found


def _graph() -> nx.DiGraph:
    modules = {_module(p): p for p in SRC.rglob("*.py")}
    graph = nx.DiGraph()
    for name, path in modules.items():
        graph.add_node(name)
        for target in _imports(path, set(modules)):
            if target in modules and target != name:
                graph.add_edge(name, target)
    return graph


def _layer(module: str) -> int:
    part = module.split(".")[1] if "." in module else "__init__"
    return LAYERS.get(part, 6)


def test_no_module_imports_a_higher_layer() -> None:
    wrong = [(a, b) for a, b in _graph().edges if _layer(b) > _layer(a)
             and b != "asylum_sim"]
    assert wrong == []


def test_no_import_cycles() -> None:
    cycles = list(nx.simple_cycles(_graph()))
    assert cycles == []
