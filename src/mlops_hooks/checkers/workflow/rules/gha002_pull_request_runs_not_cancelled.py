"""GHA002: a pull-request workflow's concurrency does not cancel superseded runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.workflow.base import WorkflowRule
from mlops_hooks.checkers.workflow.expressions import is_expression, literal_bool
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.workflow.model import Concurrency, Workflow

SUGGESTION = "set `cancel-in-progress: true`"
MIXED_SUGGESTION = (
    "set `cancel-in-progress: ${{ github.event_name == 'pull_request' }}`"
    " (this workflow also releases or deploys)"
)


class PullRequestRunsNotCancelled(WorkflowRule):
    """A pull-request workflow's `concurrency` does not cancel superseded runs.

    ## What it does
    Flags the `concurrency` of a workflow triggered by `pull_request` (or
    `pull_request_target`) that is a bare group string, has no `cancel-in-progress`, or sets
    it to `false`. The workflow-level setting is checked when there is one, else each job's
    (a job that deploys to an environment may queue on purpose). An expression for
    `cancel-in-progress` is a deliberate choice and passes.

    ## Why is this bad?
    A group without cancellation only queues: after a new push to a pull request, the run for
    the superseded commit keeps its runners to the end, and the new one waits for it.
    """

    code = "GHA002"
    name = "pull-request-runs-not-cancelled"
    examples = (
        Good(
            "on: pull_request\nconcurrency:\n  group: ${{ github.workflow }}-${{ github.ref }}\n"
            "  cancel-in-progress: true\n"
        ),
        Good(
            "on: [pull_request, release]\nconcurrency:\n  group: ${{ github.ref }}\n"
            "  cancel-in-progress: ${{ github.event_name == 'pull_request' }}\n"
        ),
        Good("on: push\nconcurrency: ${{ github.workflow }}-${{ github.ref }}\n"),
        Bad(
            "on: pull_request\nconcurrency: ${{ github.workflow }}-${{ github.ref }}\n",
            span=(2, 14, 2, 54),
            message="the workflow-level `concurrency` is a bare group, so a superseded"
            " pull-request run keeps running and the new one waits; set"
            " `cancel-in-progress: true`",
        ),
        Bad(
            "on: [pull_request]\nconcurrency:\n  group: ${{ github.ref }}\n",
            span=(2, 1, 2, 12),
            message="the workflow-level `concurrency` has no `cancel-in-progress`, so a superseded"
            " pull-request run keeps running and the new one waits; set"
            " `cancel-in-progress: true`",
        ),
        Bad(
            "on:\n  pull_request:\n  release:\nconcurrency:\n  group: ${{ github.ref }}\n"
            "  cancel-in-progress: false\n",
            span=(6, 23, 6, 28),
            message="the workflow-level `concurrency` has `cancel-in-progress: false`, so a"
            " superseded pull-request run keeps running and the new one waits; set"
            " `cancel-in-progress: ${{ github.event_name == 'pull_request' }}` (this workflow"
            " also releases or deploys)",
        ),
        Bad(
            "on: pull_request\njobs:\n  test:\n    concurrency:\n      group: t-${{ github.ref }}\n"
            "      cancel-in-progress: no\n    runs-on: x\n  deploy:\n    environment: preview\n"
            "    concurrency: preview\n    runs-on: x\n",
            span=(6, 27, 6, 29),
            message="the `concurrency` of job 'test' has `cancel-in-progress: no`, so a superseded"
            " pull-request run keeps running and the new one waits; set `cancel-in-progress: true`",
        ),
    )

    def check_workflow(self, workflow: Workflow) -> None:
        if not workflow.pull_request:
            return
        if workflow.concurrency is not None:
            blocks = [workflow.concurrency]
        else:
            blocks = [
                job.concurrency
                for job in workflow.jobs
                if job.concurrency is not None and job.environment is None
            ]
        mixed = bool(workflow.release_reasons())
        for block in blocks:
            self._check(block, MIXED_SUGGESTION if mixed and block.job is None else SUGGESTION)

    def _check(self, block: Concurrency, suggestion: str) -> None:
        if block.value.is_null:
            return
        consequence = "so a superseded pull-request run keeps running and the new one waits"
        if block.is_bare:
            self.report(
                block.value.span,
                f"{block.label} is a bare group, {consequence}; {suggestion}",
            )
            return
        cancel = block.cancel_in_progress
        if cancel is None:
            self.report(
                block.key.span,
                f"{block.label} has no `cancel-in-progress`, {consequence}; {suggestion}",
            )
        elif not is_expression(cancel) and literal_bool(cancel) is not True:
            self.report(
                cancel.span,
                f"{block.label} has `cancel-in-progress: {cancel.value}`, {consequence};"
                f" {suggestion}",
            )
