"""GHA009: packages or images are published, but never on a release or a tag."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, NamedTuple

from mlops_hooks.checkers.workflow.base import WorkflowRule
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.workflow.deploys import Hit
    from mlops_hooks.checkers.workflow.model import Workflow
    from mlops_hooks.diagnostics import Span
    from mlops_hooks.project import Project

_JOB = (
    "jobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v5\n"
    "      - run: uv build\n      - run: uv publish\n"
)


#: How the publishing steps' descriptions begin (the others deploy or release).
_PUBLISHING = ("publishes", "pushes an image")


class Verdict(NamedTuple):
    """Where the repository's one finding goes, and what it says."""

    path: str
    span: Span
    message: str


class PublishWithoutRelease(WorkflowRule):
    """Packages or images are published, but never on a release or a tag.

    ## What it does
    Reports, once per repository, a workflow step that publishes (the publishing steps of
    GHA006: `uv publish`, `twine upload`, `pypa/gh-action-pypi-publish`, `docker push`,
    `docker/build-push-action` with `push: true`...) when no workflow of the repository
    publishes on a `release` or a tag push. Reported at the first publishing step of a
    workflow triggered some other way (`workflow_dispatch`, `schedule`, `workflow_run`).
    Workflows that publish on every push to a branch are GHA006's, and not reported again;
    a workflow that cuts the release itself (`gh release create`, `cz bump`,
    `semantic-release`) publishes on a release; one that deploys (`kubectl apply`,
    `gcloud run deploy`...) pushes its image to deploy it, not to release it.

    ## Why is this bad?
    A release (or a tag) is the decision that a version ships: it names the commit, carries
    the changelog and fixes the version number. Publishing from a manual or scheduled run
    ships whatever the default branch holds at that moment, under a version nobody tagged,
    and the published artifact cannot be traced back to a release.
    """

    code = "GHA009"
    name = "publish-without-release"
    examples: ClassVar[tuple[Good | Bad, ...]] = (
        # Cutting the release in the same manual workflow is a release.
        Good("on: workflow_dispatch\n" + _JOB + "      - run: gh release create v1.0.0\n"),
        Good("on:\n  release:\n    types: [published]\n" + _JOB),
        Good("on:\n  push:\n    tags: ['v*']\n" + _JOB),
        # A manual re-run beside the release workflow is fine: releases publish already.
        Good(
            "on: workflow_dispatch\n" + _JOB,
            files={".github/workflows/release.yml": "on:\n  release:\n" + _JOB},
        ),
        Bad(
            "on: workflow_dispatch\n" + _JOB,
            span=(8, 14, 8, 24),
            message="publishes with `uv publish` in a workflow triggered by workflow_dispatch,"
            " and no workflow publishes on a release or a tag: publish from a workflow"
            " triggered by `release` (or a tag push)",
        ),
    )

    def check_workflow(self, workflow: Workflow) -> None:
        if workflow.is_action:
            return
        # The finding goes to a candidate: a workflow that is not one is never reported,
        # whatever the others do, and the repository's other workflows are not read for it
        # (a one-file run reads only that file).
        if not isinstance(_classify(workflow), Candidate):
            return
        verdict = self.project.cached("gha009", _verdict)
        if verdict is not None and verdict.path == workflow.source.relpath:
            self.report(verdict.span, verdict.message)


class Candidate(NamedTuple):
    """A workflow that publishes, triggered neither by a release nor on branch pushes: its
    first publishing step."""

    hit: Hit


#: What a workflow says about the repository's releases (see :func:`_classify`).
RELEASES = "releases"


def _classify(workflow: Workflow) -> Candidate | str | None:
    """``RELEASES`` when the workflow publishes on a release or a tag, or cuts the release
    itself (then no workflow is reported); a :class:`Candidate` when it publishes some other
    way; None when it has nothing to say (it does not publish, it only deploys, its callers
    decide when it runs, or it publishes on every push, GHA006's). Computed once per
    workflow."""
    if "gha009" not in workflow.memo:
        workflow.memo["gha009"] = _classified(workflow)
    found: Candidate | str | None = workflow.memo["gha009"]
    return found


def _classified(workflow: Workflow) -> Candidate | str | None:
    from mlops_hooks.checkers.workflow.deploys import deploying_hits

    if workflow.reusable_only:
        return None  # its callers decide when it runs
    hits = _publishing(workflow)
    if any(_on_release(hit) for hit in hits):
        return RELEASES
    others = [h for h in deploying_hits(workflow) if not h.how.startswith(_PUBLISHING)]
    if any(h.how.startswith("releases") for h in others):
        return RELEASES  # the workflow cuts the release itself (`gh release create`...)
    if others:
        return None  # an image pushed to be deployed: a deployment, not a release
    push = workflow.triggers.get("push")
    if hits and not (push is not None and push.on_branches):  # else GHA006's
        return Candidate(hits[0])
    return None


def _verdict(project: Project) -> Verdict | None:
    from mlops_hooks.checkers.workflow.model import root_workflows

    candidates: list[tuple[Workflow, Hit]] = []
    for workflow in root_workflows(project):
        found = _classify(workflow)
        if found == RELEASES:
            return None
        if isinstance(found, Candidate):
            candidates.append((workflow, found.hit))
    if not candidates:
        return None
    workflow, hit = candidates[0]
    events = ", ".join(workflow.events)
    return Verdict(
        workflow.source.relpath,
        hit.span,
        f"{hit.describe()} in a workflow triggered by {events}, and no workflow publishes on"
        " a release or a tag: publish from a workflow triggered by `release` (or a tag push)",
    )


def _publishing(workflow: Workflow) -> list[Hit]:
    from mlops_hooks.checkers.workflow.deploys import Recogniser

    recogniser = Recogniser()  # publishing steps only, as GHA006 knows them
    contexts = [c for trigger in workflow.triggers.values() for c in trigger.contexts()]
    return [hit for job in workflow.jobs for hit in recogniser.job(workflow, job, contexts)]


def _on_release(hit: Hit) -> bool:
    for context in hit.contexts:
        event = context.get("github.event_name")
        ref = context.get("github.ref")
        if event == "release" or str(ref).startswith("refs/tags/"):
            return True
        if context.get("github.ref_type") == "tag":
            return True
    return False
