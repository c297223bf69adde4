"""GHA003: a release or deploy workflow can cancel itself half way."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.workflow.base import WorkflowRule
from mlops_hooks.checkers.workflow.expressions import (
    Value,
    condition,
    is_expression,
    literal_bool,
    value_truth,
)
from mlops_hooks.checkers.workflow.model import PULL_REQUEST_EVENTS
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.workflow.model import Concurrency, Job, Workflow

Context = dict[str, Value]


class CancellableRelease(WorkflowRule):
    """A release or deploy workflow sets `cancel-in-progress: true`.

    ## What it does
    Flags `cancel-in-progress: true` in a workflow triggered by `release`, by tag pushes
    (`push: tags:`) or by `deployment`, or in one that deploys (a job with `environment:`):
    at workflow level, on any job of a release workflow, on the deploying jobs otherwise.
    An expression passes when it is false (or undecidable) for the events that release or
    deploy, like `${{ github.event_name == 'pull_request' }}`; one that is true for them,
    like `${{ github.event_name == 'release' }}` or `${{ true }}`, is flagged.

    ## Why is this bad?
    A second release, an edited release note or the next push to `main` cancels the run
    that is publishing: a package half uploaded, a tag without its image, a deployment
    stopped between two steps.
    """

    code = "GHA003"
    name = "cancellable-release"
    examples = (
        Good(
            "on:\n  release:\n    types: [published]\nconcurrency:\n"
            "  group: ${{ github.workflow }}-${{ github.ref }}\n  cancel-in-progress: false\n"
        ),
        Good(
            "on: [pull_request, release]\nconcurrency:\n  group: ${{ github.ref }}\n"
            "  cancel-in-progress: ${{ github.event_name == 'pull_request' }}\n"
        ),
        Good(
            "on: [pull_request, push]\nconcurrency:\n  group: ${{ github.ref }}\n"
            "  cancel-in-progress: true\njobs:\n  test:\n    runs-on: x\n"
        ),
        Bad(
            "on:\n  release:\n    types: [published]\nconcurrency:\n"
            "  group: ${{ github.workflow }}-${{ github.ref }}\n  cancel-in-progress: true\n",
            span=(6, 23, 6, 27),
            message="`cancel-in-progress` is true in a workflow that releases or deploys"
            " (triggered by release): a newer run kills it half way (a partial upload, a tag"
            " without its image, a half-done deployment); set it to `false`",
        ),
        Bad(
            "on:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    environment: production\n"
            "    concurrency:\n      group: deploy\n"
            "      cancel-in-progress: ${{ github.ref == 'refs/heads/main' }}\n",
            span=(9, 27, 9, 65),
            message="`cancel-in-progress` is true in a workflow that releases or deploys"
            " (job 'deploy' deploys to 'production'): a newer run kills it half way (a partial"
            " upload, a tag without its image, a half-done deployment); set it to `false`",
        ),
        Bad(
            "on:\n  push:\n    tags: ['v*']\nconcurrency:\n  group: ${{ github.ref }}\n"
            "  cancel-in-progress: ${{ github.event_name == 'push' }}\n",
            span=(6, 23, 6, 57),
        ),
    )

    def check_workflow(self, workflow: Workflow) -> None:
        reasons = workflow.release_reasons()
        if not reasons:
            return
        deploy_jobs = workflow.deploy_jobs()
        released = _release_contexts(workflow)
        blocks: list[tuple[Concurrency, list[Context]]] = []
        if workflow.concurrency is not None:
            deploying = [c for job in deploy_jobs for c in _job_contexts(workflow, job)]
            blocks.append((workflow.concurrency, released + deploying))
        for job in workflow.jobs:
            if job.concurrency is None:
                continue
            if job.environment is not None:
                blocks.append((job.concurrency, released + _job_contexts(workflow, job)))
            elif released:
                blocks.append((job.concurrency, released))
        why = ", ".join(
            reason if reason.startswith("job ") else f"triggered by {reason}" for reason in reasons
        )
        for block, contexts in blocks:
            cancel = block.cancel_in_progress
            if cancel is None or not contexts:
                continue
            if is_expression(cancel):
                flagged = any(value_truth(cancel.value, context) is True for context in contexts)
            else:
                flagged = literal_bool(cancel) is True
            if flagged:
                self.report(
                    cancel.span,
                    f"`cancel-in-progress` is true in a workflow that releases or deploys ({why}):"
                    " a newer run kills it half way (a partial upload, a tag without its image, a"
                    " half-done deployment); set it to `false`",
                )


def _release_contexts(workflow: Workflow) -> list[Context]:
    """The runs that release: ``release``, tag pushes and ``deployment`` events."""
    contexts: list[Context] = []
    for event, trigger in workflow.triggers.items():
        if event in ("release", "deployment"):
            contexts += trigger.contexts()
        elif event == "push" and trigger.has_filter("tags", "tags-ignore"):
            contexts += [c for c in trigger.contexts() if c.get("github.ref_type") == "tag"]
    return contexts


def _job_contexts(workflow: Workflow, job: Job) -> list[Context]:
    """The runs in which a deploying job may run: every trigger but pull requests (preview
    deployments), unless pull requests are all there is; less those its `if:` rules out."""
    triggers = [t for e, t in workflow.triggers.items() if e not in PULL_REQUEST_EVENTS]
    triggers = triggers or list(workflow.triggers.values())
    contexts = [c for trigger in triggers for c in trigger.contexts()]
    guard = job.condition
    if guard is None or not guard.is_scalar:
        return contexts
    return [c for c in contexts if condition(guard.value, c) is not False]
