"""The python checker's modules import without a cycle, and each one imports alone."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import mlops_hooks.checkers.python as package

PACKAGE = "mlops_hooks.checkers.python"
ROOT = Path(package.__file__).parent
MODULES = sorted(
    f"{PACKAGE}.{path.relative_to(ROOT).with_suffix('').as_posix().replace('/', '.')}"
    for path in ROOT.rglob("*.py")
    if path.name != "__init__.py"
)


def _imports(module: str) -> set[str]:
    """The package's modules that ``module`` imports anywhere (also lazily, also only for type
    checking: a cycle there is a cycle in the design)."""
    path = ROOT.joinpath(*module.removeprefix(PACKAGE + ".").split(".")).with_suffix(".py")
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found.update(name for name in names if name in MODULES)
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph``, or ``None``."""
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state:
                found = visit(target, [*path, target])
                if found:
                    return found
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return None


def test_the_graph_sees_the_model_imports() -> None:
    # The check below is only as good as the graph: the walk does import the model.
    assert f"{PACKAGE}.model" in _imports(f"{PACKAGE}.walk")
    assert f"{PACKAGE}.evaluate" in _imports(f"{PACKAGE}.model")


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle() -> None:
    graph = {module: _imports(module) for module in MODULES}
    assert _cycle(graph) is None


@pytest.mark.parametrize("module", [m for m in MODULES if ".rules." not in m] + [PACKAGE])
def test_each_module_imports_alone(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
