"""GHA001: a workflow whose runs can pile up has no concurrency."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.workflow.base import WorkflowRule
from mlops_hooks.checkers.workflow.deploys import PUSH_INPUT_ACTIONS, deploying_hits
from mlops_hooks.diagnostics import Edit, Fix, FixSafety, Position
from mlops_hooks.rule import Bad, Good, option, options

if TYPE_CHECKING:
    from mlops_hooks.checkers.workflow.model import Trigger, Workflow

GROUP = "${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}"
#: The group when runs of other events (schedule, manual...) would share a ref with pushes:
#: one group per event, and one per manual run (a queued manual run is never replaced).
EVENT_GROUP = (
    "${{ github.workflow }}-${{ github.event_name }}-${{ github.event.pull_request.number"
    " || github.ref }}"
)
DISPATCH_GROUP = (
    "${{ github.workflow }}-${{ github.event_name }}-${{ github.event_name =="
    " 'workflow_dispatch' && github.run_id || github.event.pull_request.number"
    " || github.ref }}"
)
#: Triggers whose superseded runs are worth cancelling (a newer commit replaces them).
CANCELLING = frozenset({"push", "pull_request", "pull_request_target", "merge_group"})
#: Triggers whose runs a cancelling fix never changes the meaning of: a superseded commit of
#: the same pull request (or merge group) has no result anyone reads.
SAFE_TRIGGERS = frozenset({"pull_request", "pull_request_target", "merge_group"})
#: Pull-request activity types after which a newer run supersedes the older one; the others
#: (`opened`, `closed`, `labeled`...) fire once per pull request or per deliberate act.
PILING_PULL_REQUEST_TYPES = frozenset({"synchronize", "edited"})
PILING_UP = (
    "push",
    "pull_request",
    "pull_request_target",
    "merge_group",
    "workflow_run",
    "deployment",
)


class MissingConcurrency(WorkflowRule):
    """A workflow whose runs can pile up has no `concurrency`.

    ## What it does
    Flags a workflow triggered by events after which a newer run supersedes an older one
    (`push`, `pull_request` and `pull_request_target` with their default or `synchronize`/
    `edited` activity types, `merge_group`, `workflow_run`...) with no workflow-level
    `concurrency`, unless every job has its own. A `repository_dispatch` event is a request
    from outside (a webhook, a model-registry event), each with its own payload: like a manual
    run, it supersedes nothing. A reusable workflow (`on: workflow_call` alone)
    is exempt: its caller owns concurrency, and a group built on `github.workflow` there is the
    caller's group, which deadlocks. Manual runs (`workflow_dispatch`), releases, tag pushes,
    schedules and pull requests limited to activity types that fire once per pull request
    (`opened`, `closed`, `labeled`...) supersede nothing: a workflow triggered only by them is
    not flagged. A scheduled run is the run asked for at that time, not a newer version of the
    previous one; a job that outlasts its own schedule is a sizing problem that a group would
    only hide (add `schedule` to `triggers` to flag those workflows anyway). A workflow whose
    jobs only call remote actions that talk to GitHub's API (a labeler, a project-board or a
    merge-conflict bot, `actions/github-script`) is not flagged either: no `run:` step, no
    `actions/checkout`, no local action, reusable workflow, `docker://` action, container,
    service or image build (`docker/build-push-action`), and the workflow neither releases,
    deploys nor publishes. Its runs take seconds and build nothing, so there is nothing to
    pile up or overlap.

    ## Why is this bad?
    Every push starts a full run while the previous ones are still going: runners are busy
    with superseded commits, feedback comes late, and two runs of a deploy can overlap.

    ## Fix safety
    The fix inserts a workflow-level `concurrency` block right after the `on:` block, in the
    file's own indentation; comments, quotes, line endings and the BOM are kept. It is safe
    only for a workflow triggered by pull requests (or merge groups) alone that neither
    deploys nor publishes: the runs it cancels are superseded commits of the same pull
    request, whose results nobody reads. Everywhere else it is unsafe, because it changes
    which runs happen (a push to `main` cancels the run of the commit before it, queued runs
    wait): review it. A workflow that releases, deploys or publishes (by its trigger, an
    `environment:`, or its steps: `terraform apply`, `docker push`, `uv publish`, a Compose
    stack left running by `docker compose up -d` on a self-hosted runner...) is never
    made cancellable: the block cancels its pull-request runs at most
    (`${{ github.event_name == 'pull_request' }}`) and queues the rest. When other events
    share the workflow, the group also holds the event name, and each run of an event that
    supersedes nothing (a manual run, a schedule, an issue event) gets a group of its own
    (`github.run_id`), so that no cancellation and no newer run ever replaces it. No fix when
    a job has its own `concurrency` (the new group could equal it and deadlock), when the
    workflow is also `workflow_call`-able, or when the file's root is a flow mapping.

    ## Options
    `triggers`: the events whose runs pile up; other triggers (`issues`, `workflow_call`...)
    do not make a workflow need concurrency.

    ## What changed
    Fix-safety audit (docs/fix-safety.md): `workflow_dispatch`, `release` and `schedule` are no
    longer in the default `triggers`, and tag-only pushes and pull requests limited to
    once-per-PR activity types no longer count (nor, since the held-out field trial,
    `repository_dispatch`); the fix is unsafe except for pull-request
    workflows, never makes a workflow that deploys or publishes by its steps cancellable (it
    used to insert `cancel-in-progress: true` into a push workflow running `terraform apply`),
    and never cancels or replaces a queued manual run. Since 0.2.0 a workflow that only
    calls remote API actions (see above) is not flagged: its seconds-long runs keep no runner
    busy, give no feedback that could come late and deploy nothing (issue 16: labelers and
    project-board bots). Since the sixth held-out check the fix never makes cancellable a
    job on a self-hosted runner that leaves a Compose stack running (`docker compose up -d`
    without `docker compose down`): it deploys to that machine (H16: a staging deploy that a
    newer push could cut between the build and the restart)."""

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
        Good("on: workflow_dispatch\njobs:\n  train:\n    runs-on: ubuntu-latest\n"),
        Good(
            "on:\n  pull_request:\n    types: [opened, labeled]\njobs:\n  greet:\n"
            "    runs-on: ubuntu-latest\n"
        ),
        # A labeler: one API call per run, nothing checked out or built.
        Good(
            "on:\n  pull_request:\n    types: [opened, synchronize]\njobs:\n  label:\n"
            "    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/labeler@v5\n"
        ),
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
            "on:\n    push:\n        branches: [main]  # every merge\n"
            "jobs:\n    infra:\n        steps:\n            - run: terraform apply -auto-approve\n",
            span=(1, 1, 1, 3),
            fixed="on:\n    push:\n        branches: [main]  # every merge\n"
            f"concurrency:\n    group: {GROUP}\n    cancel-in-progress: false\n"
            "jobs:\n    infra:\n        steps:\n            - run: terraform apply -auto-approve\n",
        ),
        Bad(
            "on: [push, pull_request, workflow_dispatch]\njobs:\n  image:\n    steps:\n"
            "      - run: docker push ghcr.io/acme/bikes\n",
            span=(1, 1, 1, 3),
            fixed="on: [push, pull_request, workflow_dispatch]\n"
            f"concurrency:\n  group: {DISPATCH_GROUP}\n"
            "  cancel-in-progress: ${{ github.event_name == 'pull_request' }}\n"
            "jobs:\n  image:\n    steps:\n      - run: docker push ghcr.io/acme/bikes\n",
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
        piling = [
            event
            for event, trigger in workflow.triggers.items()
            if event in self.options.triggers and _piles_up(trigger)
        ]
        if not piling or _api_only(workflow):
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
        # Comments right below the block that are indented, or whose text is (a commented-out
        # `#    paths:` filter), belong to it.
        while last < source.line_count:
            below = source.line(last + 1)
            indent = len(below) - len(below.lstrip(" "))
            text = below.lstrip(" ")
            nested = indent >= key_start.column or text.startswith(("#  ", "#\t"))
            if not text.startswith("#") or not nested:
                break
            last += 1
        pad = " " * (key_start.column - 1)
        unit = " " * workflow.indent_unit
        group, cancel, safe, what = _settings(workflow, self.options.triggers)
        block = "\n".join(
            (
                f"{pad}concurrency:",
                f"{pad}{unit}group: {group}",
                f"{pad}{unit}cancel-in-progress: {cancel}",
            )
        )
        if last < source.line_count or source.text.endswith(("\n", "\r")):
            edit = Edit.insert(Position(last + 1, 1), block + "\n")
        else:  # the block ends the file, which has no final line break: keep it that way
            edit = Edit.insert(Position(last, len(source.line(last)) + 1), "\n" + block)
        message = f"add a workflow-level `concurrency` that {what}"
        return Fix.safe(edit, message=message) if safe else Fix.unsafe(edit, message=message)


def _api_only(workflow: Workflow) -> bool:
    """Whether every job only calls remote actions that talk to GitHub's API: no `run:`
    step, no checkout of the repository, no local action, reusable workflow, `docker://`
    action, container, service or image build; and the workflow neither releases, deploys
    nor publishes. Such runs take seconds and build nothing: nothing piles up."""
    if not workflow.jobs:
        return False
    for job in workflow.jobs:
        if not job.steps or any(job.get(key) is not None for key in _HEAVY_JOB_KEYS):
            return False
        for step in job.steps:
            action = step.action
            if step.run is not None or action is None or action.startswith(("./", "docker://")):
                return False
            if action == "actions/checkout" or action in PUSH_INPUT_ACTIONS:
                return False
    return not workflow.release_reasons() and not deploying_hits(workflow)


#: Job keys that make a job more than API calls: a reusable workflow, a container, services.
_HEAVY_JOB_KEYS = ("uses", "container", "services")


def _piles_up(trigger: Trigger) -> bool:
    """A pull request limited to activity types that fire once per pull request (`opened`,
    `closed`, `labeled`...) never has a superseded run."""
    if trigger.event == "push":  # a tag push releases a version: a newer one supersedes nothing
        return trigger.on_branches
    if trigger.event not in ("pull_request", "pull_request_target"):
        return True
    types = trigger.filter("types")
    return types is None or bool(PILING_PULL_REQUEST_TYPES & {t.lower() for t in types})


def _group(events: set[str], piling: tuple[str, ...]) -> str:
    """The group: by pull request or ref; with the event name when other events than pushes
    and pull requests share the workflow; one per run for the events whose runs supersede
    nothing (manual runs, issues, schedules...), which a group would otherwise queue and
    replace (GitHub keeps one pending run per group)."""
    if events <= CANCELLING:
        return GROUP
    isolated = sorted(e for e in events if e not in piling and e not in CANCELLING)
    if not isolated:
        return EVENT_GROUP
    test = " || ".join(f"github.event_name == '{event}'" for event in isolated)
    test = f"({test})" if len(isolated) > 1 else test
    return (
        "${{ github.workflow }}-${{ github.event_name }}-${{ "
        f"{test} && github.run_id || github.event.pull_request.number || github.ref }}}}"
    )


def _settings(workflow: Workflow, piling: tuple[str, ...]) -> tuple[str, str, bool, str]:
    """The group, the `cancel-in-progress` value, whether the fix is safe, and what it does.

    A workflow that releases, deploys or publishes (by its trigger, an `environment`, or its
    steps) is never made cancellable: only its pull-request runs may be. Runs of events that
    nothing supersedes (schedule, manual, issues...) get a group each, so that no cancellation
    and no newer run ever reaches them.
    """
    events = set(workflow.triggers)
    deploys = bool(workflow.release_reasons() or deploying_hits(workflow))
    cancelling = sorted(events & CANCELLING)
    if deploys:
        cancelling = [e for e in cancelling if e in ("pull_request", "pull_request_target")]
    group = _group(events, piling)
    safe = not deploys and events <= SAFE_TRIGGERS
    if not cancelling:
        return group, "false", False, "queues runs (never cancels them)"
    if set(cancelling) == events:
        return group, "true", safe, "cancels superseded runs"
    test = " || ".join(f"github.event_name == '{event}'" for event in cancelling)
    names = ", ".join(cancelling)
    return group, f"${{{{ {test} }}}}", False, f"cancels superseded runs of {names} only"
