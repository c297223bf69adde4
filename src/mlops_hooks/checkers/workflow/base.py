"""The base class of workflow rules, with graded hooks: workflow, job, step."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from mlops_hooks.rule import Rule

if TYPE_CHECKING:
    from mlops_hooks.checkers.workflow.model import Job, Step, Workflow


class WorkflowRule(Rule):
    """A workflow rule overrides the hooks it needs; the checker calls only those.

    Local composite actions (``.github/actions/*/action.yml``) are checked too: their model
    is a :class:`~mlops_hooks.checkers.workflow.model.Workflow` with ``is_action`` set, no
    triggers and no jobs, so ``check_workflow`` sees them and ``check_step`` sees their steps
    (with ``step.job`` None).
    """

    kind: ClassVar[str] = "workflow"

    def check_workflow(self, workflow: Workflow) -> None:
        """Called once per file."""

    def check_job(self, job: Job) -> None:
        """Called once per job, in order."""

    def check_step(self, step: Step) -> None:
        """Called once per step (each job's, then a composite action's), in order."""
