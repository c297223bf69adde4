"""GHA005: a concurrency group on `github.head_ref` with runs where it is empty."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.workflow.base import WorkflowRule
from mlops_hooks.checkers.workflow.expressions import mentions
from mlops_hooks.checkers.workflow.model import PULL_REQUEST_EVENTS
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.workflow.model import Workflow

HEAD_REF = "github.head_ref"
#: Values that tell runs apart on every event: a group with one of them needs no fallback.
ALWAYS_SET = ("github.ref", "github.ref_name", "github.run_id", "github.sha", "github.run_number")


class HeadRefWithoutFallback(WorkflowRule):
    """A concurrency group uses `github.head_ref` in runs where it is empty.

    ## What it does
    Flags a concurrency group (workflow-level or a job's) that reads `github.head_ref` with
    no value that is set on every event (`github.ref`, `github.run_id`...), in a workflow
    that also runs on events other than pull requests (`push`, `schedule`,
    `workflow_dispatch`...). `github.head_ref` is only set for `pull_request` and
    `pull_request_target`.

    ## Why is this bad?
    On those other events the group has an empty part: every push, every scheduled run and
    every manual run falls in one group, and they cancel or replace each other.
    """

    code = "GHA005"
    name = "head-ref-without-fallback"
    examples = (
        Good(
            "on: [pull_request, push]\nconcurrency:\n"
            "  group: ${{ github.workflow }}-${{ github.head_ref || github.run_id }}\n"
            "  cancel-in-progress: true\n"
        ),
        Good("on: pull_request\nconcurrency: ${{ github.workflow }}-${{ github.head_ref }}\n"),
        Good("on: workflow_call\nconcurrency: ${{ github.workflow }}-${{ github.head_ref }}\n"),
        Bad(
            "on: [pull_request, push]\nconcurrency:\n"
            "  group: ${{ github.workflow }}-${{ github.head_ref }}\n"
            "  cancel-in-progress: true\n",
            span=(3, 37, 3, 52),
            message="`github.head_ref` is empty for push runs, so they all share one"
            " concurrency group; use `github.head_ref || github.run_id`",
        ),
        Bad(
            "on:\n  pull_request:\n  schedule:\n    - cron: '0 3 * * *'\n  workflow_dispatch:\n"
            "jobs:\n  test:\n    concurrency: tests-${{ github.HEAD_REF }}\n    runs-on: x\n",
            span=(8, 28, 8, 43),
            message="`github.head_ref` is empty for schedule, workflow_dispatch runs, so they"
            " all share one concurrency group; use `github.head_ref || github.run_id`",
        ),
    )

    def check_workflow(self, workflow: Workflow) -> None:
        # A called workflow sees its caller's event: nothing to say about `workflow_call`.
        others = [e for e in workflow.events if e not in PULL_REQUEST_EVENTS | {"workflow_call"}]
        if not others:
            return
        for block in workflow.concurrencies():
            group = block.group
            if group is None or not mentions(group.value, HEAD_REF):
                continue
            if any(mentions(group.value, name) for name in ALWAYS_SET):
                continue
            self.report(
                group.find(HEAD_REF, ignore_case=True) or group.span,
                f"`{HEAD_REF}` is empty for {', '.join(others)} runs, so they all share one"
                f" concurrency group; use `{HEAD_REF} || github.run_id`",
            )
