"""No two modules of the package import each other, through any path, counting the
imports inside functions too (a lazy import hides a cycle, it does not remove it)."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "wirescope"


def _module(path: Path) -> str:
    parts = ("wirescope", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts).removesuffix(".__init__")


def _imports() -> dict[str, set[str]]:
    paths = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # "from wirescope.x import y": module x, or its submodule y.
                deps.add(node.module)
                deps.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                deps.update(alias.name for alias in node.names)
        graph[name] = {d for d in deps if d in paths and d != name}
    return graph


def test_the_graph_is_read() -> None:
    graph = _imports()
    assert "wirescope.record.models" in graph["wirescope.record.serialize"]
    assert "wirescope.extract.quotes" in graph["wirescope.pipeline.build"]


def test_no_import_cycles() -> None:
    try:
        TopologicalSorter(_imports()).prepare()
    except CycleError as exc:
        raise AssertionError(f"import cycle: {' -> '.join(exc.args[1])}") from None
