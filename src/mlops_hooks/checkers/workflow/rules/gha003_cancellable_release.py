"""GHA003: a release or deploy workflow can cancel itself half way."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.workflow.base import WorkflowRule
from mlops_hooks.checkers.workflow.deploys import deploying_hits
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
    (`push: tags:`) or by `deployment`, or in one that deploys or publishes: a job with
    `environment:`, or a job whose steps do (the publish steps of GHA006, and deploy
    commands and actions: `terraform apply`, `kubectl apply`, `helm upgrade`,
    `gcloud run deploy`, `aws lambda update-function-code`, `mkdocs gh-deploy`,
    `actions/deploy-pages`...; local actions are followed; on a self-hosted runner, a
    Compose stack started in the background, `docker compose up -d`, that the job does not
    take down again). It is flagged at workflow level,
    on any job of a release workflow, on the deploying jobs otherwise, when it is true in a
    run in which the deploying step runs (pull-request runs, preview builds, left out).
    An expression passes when it is false (or undecidable) for the events that release or
    deploy, like `${{ github.event_name == 'pull_request' }}`; one that is true for them,
    like `${{ github.event_name == 'release' }}` or `${{ true }}`, is flagged.

    ## Why is this bad?
    A second release, an edited release note or the next push to `main` cancels the run
    that is publishing: a package half uploaded, a tag without its image, a deployment
    stopped between two steps.

    ## What changed
    Stack-aware rules (issue 16): a workflow deploys or publishes by what its steps do, not
    only by its trigger or an `environment:`; a push-to-main image publish that shares a
    cancelling group with pull requests is now a cancellable release. Since the sixth
    held-out check (H16) a job on a self-hosted runner that leaves a Compose stack running
    (`docker compose up -d`, no `docker compose down`) deploys: the runner is the server, and
    a cancelled run can stop between building the images and restarting the stack.
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
        Good(
            "on:\n  push:\n    branches: [main]\n  pull_request:\nconcurrency:\n"
            "  group: ${{ github.workflow }}-${{ github.event.pull_request.number ||"
            " github.ref }}\n"
            "  cancel-in-progress: ${{ github.event_name == 'pull_request' }}\njobs:\n  image:\n"
            "    steps:\n      - uses: docker/build-push-action@v6\n        with:\n"
            "          push: ${{ github.event_name == 'push' }}\n"
        ),
        Bad(
            "on:\n  push:\n    branches: [main]\n  pull_request:\nconcurrency:\n  group: ci\n"
            "  cancel-in-progress: true\njobs:\n  image:\n    steps:\n"
            "      - uses: docker/build-push-action@v6\n        with:\n"
            "          push: ${{ github.event_name == 'push' }}\n",
            span=(7, 23, 7, 27),
            message="`cancel-in-progress` is true in a workflow that releases or deploys (job"
            " 'image' pushes an image with `docker/build-push-action` (`push` is true)): a newer"
            " run kills it half way (a partial upload, a tag without its image, a half-done"
            " deployment); set it to `false`",
        ),
        Bad(
            "on: push\njobs:\n  infra:\n    concurrency:\n      group: infra\n"
            "      cancel-in-progress: true\n    steps:\n"
            "      - run: terraform -chdir=infra apply -auto-approve\n",
            span=(6, 27, 6, 31),
        ),
        Bad(
            "on:\n  push:\n    tags: ['v*']\nconcurrency:\n  group: ${{ github.ref }}\n"
            "  cancel-in-progress: ${{ github.event_name == 'push' }}\n",
            span=(6, 23, 6, 57),
        ),
    )

    def check_workflow(self, workflow: Workflow) -> None:
        reasons = workflow.release_reasons()
        steps = _step_contexts(workflow)
        for job_id, (how, _) in steps.items():
            reasons.append(f"job {job_id!r} {how}")
        if not reasons:
            return
        deploy_jobs = workflow.deploy_jobs()
        released = _release_contexts(workflow)
        blocks: list[tuple[Concurrency, list[Context]]] = []
        if workflow.concurrency is not None:
            deploying = [c for job in deploy_jobs for c in _job_contexts(workflow, job)]
            deploying += [c for _, contexts in steps.values() for c in contexts]
            blocks.append((workflow.concurrency, released + deploying))
        for job in workflow.jobs:
            if job.concurrency is None:
                continue
            own = list(steps[job.id][1]) if job.id in steps else []
            if job.environment is not None:
                own += _job_contexts(workflow, job)
            if released or own:
                blocks.append((job.concurrency, released + own))
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


def _step_contexts(workflow: Workflow) -> dict[str, tuple[str, list[Context]]]:
    """Jobs whose steps deploy or publish: how (the first such step), and the runs in which
    they do, pull requests left out (preview builds) unless pull requests are all there is."""
    found: dict[str, tuple[str, list[Context]]] = {}
    only_pull_requests = all(event in PULL_REQUEST_EVENTS for event in workflow.triggers)
    for job in workflow.jobs:
        for hit in deploying_hits(workflow, job):
            contexts = [
                c
                for c in hit.contexts
                if only_pull_requests or c.get("github.event_name") not in PULL_REQUEST_EVENTS
            ]
            how, known = found.get(job.id, (hit.describe(), []))
            found[job.id] = (how, known + contexts)
    return found


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
