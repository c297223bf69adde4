"""GHA004: pull requests share one concurrency group."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.workflow.base import WorkflowRule
from mlops_hooks.checkers.workflow.deploys import deploys
from mlops_hooks.checkers.workflow.expressions import PER_RUN, literal_bool, mentions
from mlops_hooks.rule import Bad, Good, option, options

if TYPE_CHECKING:
    from mlops_hooks.checkers.workflow.model import Workflow


class SharedConcurrencyGroup(WorkflowRule):
    """A pull-request workflow's concurrency group is shared by every pull request.

    ## What it does
    Flags, in a workflow triggered by `pull_request` (or `pull_request_target`), a
    concurrency group (workflow-level or a job's) that is a literal string, or an expression
    that reads no per-run value: `github.ref`, `github.head_ref`,
    `github.event.pull_request.number`, `github.run_id` (see the option).

    ## Why is this bad?
    A group is a queue with one running and one pending run. With one group for all pull
    requests, a push to one pull request cancels the run of another (with
    `cancel-in-progress`), or replaces its pending run: checks go missing at random.

    ## Options
    `per-run-contexts`: the context values that tell runs apart; a group that reads one of
    them passes.

    ## What changed
    Since 0.2.0 (held-out field trial) a shared group that queues (`cancel-in-progress` false
    or absent) in a workflow that deploys is left alone: it serializes the deployments on
    purpose (a lock around terraform's state).
    """

    code = "GHA004"
    name = "shared-concurrency-group"

    @options
    class Options:
        per_run_contexts: tuple[str, ...] = option(
            default=PER_RUN,
            doc="Context values that make a group per pull request or per run.",
        )

    examples = (
        # A lock around shared state: every run queues, none is cancelled.
        Good(
            "on:\n  pull_request:\n  push:\n    branches: [main]\n"
            "concurrency:\n  group: terraform-state\n"
            "  cancel-in-progress: false\njobs:\n  apply:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - run: terraform apply -auto-approve\n"
        ),
        Good(
            "on: pull_request\nconcurrency:\n"
            "  group: ${{ github.workflow }}-${{ github.event.pull_request.number }}\n"
            "  cancel-in-progress: true\n"
        ),
        Good("on: push\nconcurrency:\n  group: deploy\n  cancel-in-progress: false\n"),
        Good("on: pull_request\nconcurrency: ci-${{ github.head_ref || github.run_id }}\n"),
        Bad(
            "on: pull_request\nconcurrency:\n  group: ${{ github.workflow }}\n"
            "  cancel-in-progress: true\n",
            span=(3, 10, 3, 32),
            message="the workflow-level `concurrency` group reads no per-run value"
            " (github.ref, github.head_ref, github.event.pull_request.number, github.run_id):"
            " every pull request shares it, so one cancels another's run; add"
            " `${{ github.event.pull_request.number || github.ref }}`",
        ),
        Bad(
            "on: [pull_request]\njobs:\n  test:\n    concurrency: tests\n    runs-on: x\n",
            span=(4, 18, 4, 23),
            message="the `concurrency` of job 'test' is the literal group 'tests': every pull"
            " request shares it, so one cancels another's run; add"
            " `${{ github.event.pull_request.number || github.ref }}`",
        ),
    )

    def check_workflow(self, workflow: Workflow) -> None:
        if not workflow.pull_request:
            return
        # A group shared on purpose: runs that deploy (`terraform apply` on a shared state)
        # queue behind one another. Cancelling is GHA003's concern; queueing is the point.
        locks = deploys(workflow)
        advice = "add `${{ github.event.pull_request.number || github.ref }}`"
        consequence = "every pull request shares it, so one cancels another's run"
        for block in workflow.concurrencies():
            group = block.group
            if group is None:
                continue
            cancel = block.cancel_in_progress
            if locks and (cancel is None or literal_bool(cancel) is False):
                continue
            text = group.value
            if "${{" not in text:
                self.report(
                    group.span,
                    f"{block.label} is the literal group {text!r}: {consequence}; {advice}"
                    if block.is_bare
                    else f"{block.label} group is the literal {text!r}: {consequence}; {advice}",
                )
            elif not any(mentions(text, name) for name in self.options.per_run_contexts):
                self.report(
                    group.span,
                    f"{block.label} group reads no per-run value (github.ref, github.head_ref,"
                    " github.event.pull_request.number, github.run_id): "
                    f"{consequence}; {advice}",
                )
