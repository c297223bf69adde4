"""What ``pyproject.toml`` (and ruff's own config files) say, read once per run.

Read with :func:`mlops_hooks.config.read_toml` (``tomllib``), only inside the project root;
an unreadable or invalid file configures nothing (other tools report it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mlops_hooks.config import read_toml

if TYPE_CHECKING:
    from mlops_hooks.project import Project


@dataclass(frozen=True)
class PyprojectFacts:
    """What ``pyproject.toml`` (and ruff's own config files) say that the rules use."""

    has_bandit_table: bool = False
    ruff_fix: bool = False


def pyproject_facts(project: Project) -> PyprojectFacts:
    """The facts of the project's ``pyproject.toml``, loaded once per run."""
    return project.cached("pyproject", _load_facts)


def _read_toml(project: Project, name: str) -> dict[str, Any] | None:
    path = project.root / name
    if not os.path.lexists(path):
        return None
    try:
        data = read_toml(path, project.root)
    except (OSError, ValueError):
        # An unreadable or invalid file configures nothing; other tools report it.
        return None
    return data


def _load_facts(project: Project) -> PyprojectFacts:
    pyproject = _read_toml(project, "pyproject.toml") or {}
    tool = pyproject.get("tool")
    tool = tool if isinstance(tool, dict) else {}
    # ruff reads the first of .ruff.toml, ruff.toml and pyproject.toml's [tool.ruff].
    ruff: Any = None
    for name in (".ruff.toml", "ruff.toml"):
        ruff = _read_toml(project, name)
        if ruff is not None:
            break
    if ruff is None:
        ruff = tool.get("ruff")
    return PyprojectFacts(
        has_bandit_table=isinstance(tool.get("bandit"), dict),
        ruff_fix=isinstance(ruff, dict) and ruff.get("fix") is True,
    )
