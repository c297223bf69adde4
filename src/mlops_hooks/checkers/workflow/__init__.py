"""GitHub Actions checker: workflows (and local composite actions) as YAML nodes with marks.

Routes ``.github/workflows/*.yml|*.yaml`` and local actions ``.github/actions/**/action.yml``
(paths relative to the project root). Local actions are routed so that a broken one is
reported (GHA000) and so that step-level rules see their ``run:`` steps; the trigger and
concurrency rules have nothing to say about them (an action has no ``on``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from mlops_hooks.checkers import Checker, Level
from mlops_hooks.checkers.workflow.base import WorkflowRule
from mlops_hooks.comments import yaml_anchors
from mlops_hooks.lazyre import lazy

if TYPE_CHECKING:
    from mlops_hooks.checkers.workflow.model import Workflow
    from mlops_hooks.project import Project
    from mlops_hooks.rule import Rule
    from mlops_hooks.source import SourceFile

_WORKFLOW = lazy(r"^\.github/workflows/[^/]+\.ya?ml$")
_ACTION = lazy(r"^\.github/actions/(?:[^/]+/)+action\.ya?ml$")


def is_workflow_path(relpath: str) -> bool:
    """A workflow file: directly in ``.github/workflows`` (GitHub ignores subdirectories)."""
    return _WORKFLOW.match(relpath) is not None


def is_local_action_path(relpath: str) -> bool:
    """A local action's metadata file under ``.github/actions/``."""
    return _ACTION.match(relpath) is not None


class WorkflowChecker(Checker):
    """Parses each workflow once and runs the workflow rules on it, its jobs and steps."""

    kind: ClassVar[str] = "workflow"
    title: ClassVar[str] = "GitHub Actions workflow"
    description: ClassVar[str] = "GitHub Actions workflows"
    files: ClassVar[str] = "`.github/workflows/*.yml`, `.github/actions/*/action.yml`"
    example_path: ClassVar[str] = ".github/workflows/check.yml"
    fence: ClassVar[str] = "yaml"
    rule_base: ClassVar[type] = WorkflowRule
    levels: ClassVar[tuple[Level, ...]] = (
        Level("check_workflow"),
        Level("check_job", "jobs"),
        Level("check_step", "steps"),
    )
    hook_id: ClassVar[str] = "mlops-workflows"
    # Workflows and local actions, plus the justfile and its modules: a workflow's
    # `just <recipe>` steps are checked against the justfile's recipes (GHA007), so the hook
    # checks the whole repository when any of them changes.
    hook_files: ClassVar[str] = (
        r"(^|/)\.github/workflows/[^/]+\.ya?ml$|(^|/)\.github/actions/.+/action\.ya?ml$"
    )
    facts: ClassVar[tuple[str, ...]] = ("justfile",)
    cross_file: ClassVar[bool] = True
    repository_root_only: ClassVar[bool] = True

    def matches(self, relpath: str) -> bool:
        return is_workflow_path(relpath) or is_local_action_path(relpath)

    def parse(self, source: SourceFile, project: Project, rules: Sequence[Rule]) -> Workflow:
        from mlops_hooks.checkers.workflow.model import parse_once

        # Shared with the cross-file rules, which read every workflow of the repository.
        return parse_once(source, project, is_action=is_local_action_path(source.relpath))

    def suppression_anchors(self, source: SourceFile) -> dict[int, int]:
        # A block scalar's lines are text: they are covered from the scalar's key.
        return yaml_anchors(source)


CHECKER = WorkflowChecker()
