"""GHA002: a pull-request workflow's concurrency does not cancel superseded runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.workflow.base import WorkflowRule
from mlops_hooks.checkers.workflow.deploys import deploys
from mlops_hooks.checkers.workflow.expressions import PER_RUN, is_expression, literal_bool, mentions
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

    ## What changed
    Since 0.2.0 (held-out field trial) a workflow that deploys and gives every run one shared
    group is left alone: cancelling its pull-request runs would cancel the deployment in that
    group, and queueing behind one another is the point (a lock around terraform's state).
    """

    code = "GHA002"
    name = "pull-request-runs-not-cancelled"
    examples = (
        # A lock around shared state: every run queues, none is cancelled.
        Good(
            "on:\n  pull_request:\n  push:\n    branches: [main]\n"
            "concurrency:\n  group: terraform-state\n"
            "  cancel-in-progress: false\njobs:\n  apply:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - run: terraform apply -auto-approve\n"
        ),
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
        locks = deploys(workflow)
        for block in blocks:
            if locks and block.job is None and _shared(block):
                # One group for every run of a workflow that deploys: cancelling pull-request
                # runs would cancel the deployment running in the same group. Queueing is
                # deliberate (a lock around shared state, e.g. terraform's).
                continue
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


def _shared(block: Concurrency) -> bool:
    """A group without a per-run value (a literal, or only `github.workflow`)."""
    group = block.group
    text = group.value if group is not None else ""
    return not any(mentions(text, name) for name in PER_RUN)
