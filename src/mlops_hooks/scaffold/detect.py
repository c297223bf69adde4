"""What an existing project already uses, so that ``init`` never adds a parallel one.

``init`` in a living repository must not add a second hook manager beside husky or lefthook,
a justfile beside a Makefile, a second CI workflow, or a PyPI publish workflow for a project
that never publishes. This module looks at file names (and reads ``pyproject.toml`` and the
workflows as text); nothing is executed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlops_hooks.config import MAX_TOML_SIZE
from mlops_hooks.lazyre import lazy
from mlops_hooks.safeio import read_file

#: Hook managers, by the files that configure them (first match wins).
HOOK_MANAGERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pre-commit", (".pre-commit-config.yaml", ".pre-commit-config.yml")),
    (
        "lefthook",
        (
            "lefthook.yml",
            "lefthook.yaml",
            ".lefthook.yml",
            ".lefthook.yaml",
            "lefthook.toml",
            "lefthook.json",
        ),
    ),
    ("husky", (".husky",)),
)
#: Task runners other than just, by their files.
TASK_RUNNERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("make", ("Makefile", "makefile", "GNUmakefile")),
    ("invoke", ("tasks.py",)),
    ("nox", ("noxfile.py",)),
    ("tox", ("tox.ini",)),
)
#: CI systems other than GitHub Actions.
OTHER_CI = (".gitlab-ci.yml", ".circleci", "azure-pipelines.yml", "Jenkinsfile", ".travis.yml")
_PUBLISHES = lazy(r"pypa/gh-action-pypi-publish|\buv publish\b|\btwine upload\b|poetry publish")
_PRIVATE = "Private :: Do Not Upload"


@dataclass(frozen=True)
class Uses:
    """What the project already uses (file names relative to the project root)."""

    hook_manager: str | None = None
    hook_file: str | None = None
    task_runner: str | None = None
    task_file: str | None = None
    workflows: tuple[str, ...] = ()
    other_ci: str | None = None
    publishes: bool = False
    #: Why ``publishes`` is what it is, for the message.
    publish_reason: str = ""


def _first(root: Path, table: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[str, str] | None:
    for tool, names in table:
        for name in names:
            if (root / name).exists():
                return tool, name
    return None


def detect(root: Path, pyproject: dict[str, Any]) -> Uses:
    """What ``root`` uses; ``pyproject`` is its parsed ``pyproject.toml`` ({} when absent)."""
    hooks = _first(root, HOOK_MANAGERS)
    runner = None
    if not any(p.name.lower() in ("justfile", ".justfile") for p in _entries(root)):
        runner = _first(root, TASK_RUNNERS)
        tool = pyproject.get("tool")
        if runner is None and isinstance(tool, dict) and isinstance(tool.get("tox"), dict):
            runner = ("tox", "pyproject.toml")
    workflows_dir = root / ".github" / "workflows"
    workflows = tuple(
        sorted(
            f".github/workflows/{p.name}"
            for p in _entries(workflows_dir)
            if p.suffix in (".yml", ".yaml") and p.is_file()
        )
    )
    other_ci = next((name for name in OTHER_CI if (root / name).exists()), None)
    publishes, reason = _publishes(root, pyproject, workflows)
    return Uses(
        hook_manager=hooks[0] if hooks else None,
        hook_file=hooks[1] if hooks else None,
        task_runner=runner[0] if runner else None,
        task_file=runner[1] if runner else None,
        workflows=workflows,
        other_ci=other_ci,
        publishes=publishes,
        publish_reason=reason,
    )


def _entries(directory: Path) -> list[Path]:
    try:
        return sorted(directory.iterdir())
    except OSError:
        return []


def _publishes(
    root: Path, pyproject: dict[str, Any], workflows: tuple[str, ...]
) -> tuple[bool, str]:
    """Whether the project publishes to PyPI: a workflow that uploads, else a
    ``[build-system]`` without the ``Private :: Do Not Upload`` classifier."""
    for workflow in workflows:
        try:
            raw = read_file(root / workflow, MAX_TOML_SIZE, root.resolve())
        except OSError:
            continue
        text = raw.decode("utf-8", errors="replace")
        if _PUBLISHES.search(text):
            return True, f"{workflow} publishes"
    project = pyproject.get("project")
    classifiers = project.get("classifiers") if isinstance(project, dict) else None
    if isinstance(classifiers, list) and _PRIVATE in classifiers:
        return False, f"pyproject.toml says {_PRIVATE!r}"
    if isinstance(pyproject.get("build-system"), dict):
        return True, "pyproject.toml has a [build-system]"
    return False, "pyproject.toml has no [build-system]"
