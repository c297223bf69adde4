"""GHA001: a workflow whose runs can pile up has no concurrency."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.workflow.base import WorkflowRule
from mlops_hooks.diagnostics import Edit, Fix, FixSafety, Position
from mlops_hooks.rule import Bad, Good, option, options

if TYPE_CHECKING:
    from mlops_hooks.checkers.workflow.model import Workflow

GROUP = "${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}"
#: Triggers whose superseded runs are worth cancelling (a newer commit replaces them).
CANCELLING = frozenset({"push", "pull_request", "pull_request_target", "merge_group"})
PILING_UP = (
    "push",
    "pull_request",
    "pull_request_target",
    "merge_group",
    "schedule",
    "workflow_dispatch",
    "release",
    "workflow_run",
    "repository_dispatch",
    "deployment",
)


class MissingConcurrency(WorkflowRule):
    """A workflow whose runs can pile up has no `concurrency`.

    ## What it does
    Flags a workflow triggered by events that fire again before a run ends (`push`,
    `pull_request`, `merge_group`, `schedule`, `workflow_dispatch`, `release`...) with no
    workflow-level `concurrency`, unless every job has its own. A reusable workflow
    (`on: workflow_call` alone) is exempt: its caller owns concurrency, and a group built on
    `github.workflow` there is the caller's group, which deadlocks.

    ## Why is this bad?
    Every push starts a full run while the previous ones are still going: runners are busy
    with superseded commits, feedback comes late, and two runs of a deploy can overlap.

    ## Fix safety
    Safe: inserts a workflow-level `concurrency` block right after the `on:` block, in the
    file's own indentation; comments, quotes, line endings and the BOM are kept. The block
    cancels superseded runs of push and pull-request workflows and only queues the runs of
    release and deploy workflows (see GHA003) and of scheduled or manual ones. No fix when a
    job has its own `concurrency` (the new group could equal it and deadlock), when the
    workflow is also `workflow_call`-able, or when the file's root is a flow mapping.

    ## Options
    `triggers`: the events whose runs pile up; other triggers (`issues`, `workflow_call`...)
    do not make a workflow need concurrency.
    """

    code = "GHA001"
    name = "missing-concurrency"
    fix_safety = FixSafety.SAFE

    @options
    class Options:
        triggers: tuple[str, ...] = option(
            default=PILING_UP,
            doc="Events whose runs can pile up and need `concurrency`.",
        )

    examples = (
        Good(
            "on: pull_request\nconcurrency:\n  group: ${{ github.workflow }}-${{ github.ref }}\n"
            "  cancel-in-progress: true\njobs:\n  check:\n    runs-on: ubuntu-latest\n"
        ),
        Good("on: workflow_call\njobs:\n  build:\n    runs-on: ubuntu-latest\n"),
        Good(
            "on: push\njobs:\n  a:\n    concurrency: a-${{ github.ref }}\n    runs-on: x\n"
            "  b:\n    concurrency: b-${{ github.ref }}\n    runs-on: x\n"
        ),
        Good("on: issues\njobs:\n  triage:\n    runs-on: ubuntu-latest\n"),
        Bad(
            "name: check\non:\n  pull_request:\n  push:\n    branches: [main]\n\n"
            "jobs:\n  check:\n    runs-on: ubuntu-latest\n",
            span=(2, 1, 2, 3),
            message="no `concurrency` in a workflow triggered by pull_request, push: superseded"
            " runs pile up; add a workflow-level `concurrency` group",
            fixed="name: check\non:\n  pull_request:\n  push:\n    branches: [main]\n"
            f"concurrency:\n  group: {GROUP}\n  cancel-in-progress: true\n\n"
            "jobs:\n  check:\n    runs-on: ubuntu-latest\n",
        ),
        Bad(
            "on:\n    release:\n        types: [published]  # not on edits\n"
            "jobs:\n    publish:\n        runs-on: ubuntu-latest\n",
            span=(1, 1, 1, 3),
            fixed="on:\n    release:\n        types: [published]  # not on edits\n"
            f"concurrency:\n    group: {GROUP}\n    cancel-in-progress: false\n"
            "jobs:\n    publish:\n        runs-on: ubuntu-latest\n",
        ),
        Bad(
            "jobs:\n  check:\n    runs-on: ubuntu-latest\non: {push: {branches: [main]}}",
            span=(4, 1, 4, 3),
            fixed="jobs:\n  check:\n    runs-on: ubuntu-latest\non: {push: {branches: [main]}}"
            f"\nconcurrency:\n  group: {GROUP}\n  cancel-in-progress: true",
        ),
        Bad(
            "on: push\njobs:\n  a:\n    concurrency: a-${{ github.ref }}\n    runs-on: x\n"
            "  b:\n    runs-on: x\n",
            span=(1, 1, 1, 3),
            message="no workflow-level `concurrency`, and job 'b' has none: superseded runs of"
            " a workflow triggered by push pile up",
        ),
    )

    def check_workflow(self, workflow: Workflow) -> None:
        on_key = workflow.on_key
        if workflow.is_action or on_key is None or workflow.reusable_only:
            return
        piling = [event for event in workflow.events if event in self.options.triggers]
        if not piling:
            return
        if workflow.concurrency is not None and not workflow.concurrency.value.is_null:
            return
        covered = [job for job in workflow.jobs if job.concurrency is not None]
        uncovered = [job.id for job in workflow.jobs if job.concurrency is None]
        if workflow.jobs and not uncovered:
            return
        events = ", ".join(piling)
        if covered:
            names = ", ".join(repr(name) for name in uncovered)
            noun = "job" if len(uncovered) == 1 else "jobs"
            verb = "has" if len(uncovered) == 1 else "have"
            message = (
                f"no workflow-level `concurrency`, and {noun} {names} {verb} none: superseded"
                f" runs of a workflow triggered by {events} pile up"
            )
        else:
            message = (
                f"no `concurrency` in a workflow triggered by {events}: superseded runs pile"
                " up; add a workflow-level `concurrency` group"
            )
        fix = None if covered or workflow.concurrency is not None else self._fix(workflow)
        self.report(on_key.span, message, fix=fix)

    def _fix(self, workflow: Workflow) -> Fix | None:
        on_key, on_value = workflow.on_key, workflow.on
        source = workflow.source
        if (
            on_key is None
            or on_value is None
            or workflow.root.flow
            or workflow.has("workflow_call")
        ):
            return None
        key_start = on_key.start_position
        if source.line(key_start.line)[: key_start.column - 1].strip():
            return None  # not a block mapping key at the start of its line
        last = source.position(max(on_key.end, on_value.end)).line
        # Indented comments right below the block (a commented-out trigger) belong to it.
        while last < source.line_count:
            below = source.line(last + 1)
            indent = len(below) - len(below.lstrip(" "))
            if not below.lstrip(" ").startswith("#") or indent < key_start.column:
                break
            last += 1
        pad = " " * (key_start.column - 1)
        unit = " " * workflow.indent_unit
        cancel = bool(CANCELLING & set(workflow.triggers)) and not workflow.release_reasons()
        block = "\n".join(
            (
                f"{pad}concurrency:",
                f"{pad}{unit}group: {GROUP}",
                f"{pad}{unit}cancel-in-progress: {'true' if cancel else 'false'}",
            )
        )
        if last < source.line_count or source.text.endswith(("\n", "\r")):
            edit = Edit.insert(Position(last + 1, 1), block + "\n")
        else:  # the block ends the file, which has no final line break: keep it that way
            edit = Edit.insert(Position(last, len(source.line(last)) + 1), "\n" + block)
        what = "cancels superseded runs" if cancel else "queues runs (never cancels them)"
        return Fix.safe(edit, message=f"add a workflow-level `concurrency` that {what}")
