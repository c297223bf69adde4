"""The architecture's import boundaries, read from the source with ``ast`` (nothing imported).

A checker package may import the core, ``shell.py`` and ``project/``, never another checker
package; the project-facts layer and the core never import a checker package (the registry
finds checkers by walking ``checkers/``, by name).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "mlops_hooks"
CHECKERS = SRC / "checkers"
KINDS = sorted(p.name for p in CHECKERS.iterdir() if (p / "__init__.py").is_file())


def imported_modules(path: Path, text: str | None = None) -> list[tuple[int, str]]:
    """Every module ``path`` (or ``text`` as if it were at ``path``) imports (``from x import
    y`` gives ``x`` and ``x.y``), with its line; relative imports resolved against the file's
    package."""
    package = ["mlops_hooks", *path.relative_to(SRC).parent.parts]
    source = path.read_text(encoding="utf-8") if text is None else text
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source, str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package[: len(package) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.append((node.lineno, base))
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
    return found


def checker_kind(module: str) -> str | None:
    """The checker package a module belongs to (``mlops_hooks.checkers.<kind>...``)."""
    parts = module.split(".")
    if parts[:2] == ["mlops_hooks", "checkers"] and len(parts) > 2 and parts[2] in KINDS:
        return parts[2]
    return None


@pytest.mark.parametrize("kind", KINDS)
def test_no_checker_package_imports_another(kind: str) -> None:
    crossings = [
        f"{path.relative_to(SRC)}:{line} imports {module}"
        for path in sorted((CHECKERS / kind).rglob("*.py"))
        for line, module in imported_modules(path)
        if checker_kind(module) not in (None, kind)
    ]
    assert crossings == []


def test_the_project_layer_imports_no_checker() -> None:
    crossings = [
        f"{path.relative_to(SRC)}:{line} imports {module}"
        for path in sorted((SRC / "project").rglob("*.py"))
        for line, module in imported_modules(path)
        if module.startswith("mlops_hooks.checkers")
    ]
    assert crossings == []


def test_the_scanner_sees_every_form_of_import() -> None:
    # Guards the guard: a crossing written in any form is found (nothing is written to src).
    probe = SRC / "checkers" / "workflow" / "rules" / "probe.py"
    source = (
        "import mlops_hooks.checkers.justfile.model\n"
        "from mlops_hooks.checkers import precommit\n"
        "from ...justfile import model\n"
        "if TYPE_CHECKING:\n    from mlops_hooks.checkers.python.uri import Piece\n"
        "def f():\n    from ..model import Step\n"
    )
    kinds = [checker_kind(module) for _, module in imported_modules(probe, source)]
    assert [k for k in kinds if k not in (None, "workflow")] == [
        "justfile",
        "precommit",
        "justfile",
        "justfile",
        "python",
        "python",
    ]
