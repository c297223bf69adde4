"""GHA006: a workflow publishes on every push to a branch."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from mlops_hooks.checkers.workflow.base import WorkflowRule
from mlops_hooks.checkers.workflow.deploys import (
    PUBLISHING_ACTIONS,
    PUBLISHING_COMMANDS,
    PUSH_INPUT_ACTIONS,
    Context,
    Recogniser,
)
from mlops_hooks.checkers.workflow.model import _ref_context
from mlops_hooks.lazyre import lazy
from mlops_hooks.rule import Bad, Good, option, options

if TYPE_CHECKING:
    from mlops_hooks.checkers.workflow.deploys import Hit
    from mlops_hooks.checkers.workflow.model import Job, Trigger, Workflow

_GLOB_CHARS = frozenset("*?[]!+")
#: An `if:` test of the ref against one branch: `github.ref_name == 'main'`,
#: `'refs/heads/main' != github.ref` (the name or full ref in group 1 or 2).
_REF_TEST = lazy(
    r"github\.ref(?:_name)?\s*[!=]=\s*'([^']*)'|'([^']*)'\s*[!=]=\s*github\.ref(?:_name)?\b"
)
#: Any other reading of the ref in an `if:`.
_REF_READ = lazy(r"github\.(?:ref|ref_name|head_ref|base_ref)\b")
#: A branch no `if:` names: stands for every branch the tests leave out.
_OTHER_BRANCH = "\x00another branch"
#: Words of a workflow's name that declare it deploys: every push it runs on is meant to ship.
_DEPLOY_WORDS = frozenset({"deploy", "deploys", "deployment", "deployments", "delivery"})
#: Commands that push an image (the push-input actions do too): a registry keeps every tag.
IMAGE_COMMANDS = frozenset({"docker push", "docker image push"})
_SETUP = (
    "on:\n  push:\n    branches: [main]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - uses: actions/checkout@v5\n"
)


class PublishOnEveryPush(WorkflowRule):
    """A workflow publishes on every push to a branch.

    ## What it does
    Flags a step that publishes (`pypa/gh-action-pypi-publish`, `uv publish`,
    `twine upload`, `docker/build-push-action` with `push: true`, `docker push`...) in a
    workflow triggered by pushes to branches, unless the step's or its job's `if:` rules out
    branch pushes (`if: startsWith(github.ref, 'refs/tags/')`) or depends on what another
    job or step computed (`if: needs.release.outputs.created`, the release-please pattern:
    the step publishes when a release was cut, not on every push). Local actions
    (`uses: ./.github/actions/x`) and reusable workflows (`uses: ./.github/workflows/x.yml`)
    are followed. The message names the branches the step really runs on: those of the
    push filter, or, when the filter allows more (`**`, or no filter), the branches the
    job's and steps' `if:`s let through when they test the ref only for equality
    (`github.ref_name == 'main'`, `github.ref == 'refs/heads/develop'`).

    A workflow that declares continuous deployment is not reported for the images it pushes
    (`docker/build-push-action`, `docker push`...), only for what it publishes to a package
    index. It declares it by its name (`name:`, or the file name when there is none): a word
    `deploy`, `deployment` or `delivery` (`Continuous Deployment`, `Docker build & deploy`),
    or `CD` without `CI` (`CD-Deploy`, `cd.yml`; `CI/CD` names any pipeline and declares
    nothing).

    ## Why is this bad?
    Every merge becomes a release: versions that nobody tagged, packages that cannot be
    re-published (PyPI refuses a version twice, so the next merge fails), images overwritten
    without a changelog. A release or a tag push is a decision; a push to `main` is not.

    ## Options
    `publishing-actions` and `push-input-actions` name actions (`owner/repo`, no `@ref`);
    `publishing-commands` are commands as typed, matched at the start of a shell command
    (after `sudo`, `VAR=value`, or a runner such as `uv run`).

    ## What changed
    Stack-aware rules (issue 16): a publish step or job gated by an `if:` that reads another
    job's or step's outputs is no longer reported, and the message names only the branches
    the job's and step's `if:` let it run on (`on every push to main`, not every branch of
    the trigger). Since 0.2.0 a workflow whose name declares continuous deployment is not
    reported for pushing images: shipping every push is what it says it does, and a registry
    takes the next push's image; a package index still refuses a version twice, so publishing
    a package there is still reported (issue 16: continuous-deployment workflows). Since the
    sixth held-out check the message names the branches an `if:` allows also when the push
    filter is a pattern (`**`) or absent (H17: "on every push to **" for a job that runs on
    `develop` and `master` only); the findings are the same.
    """

    code = "GHA006"
    name = "publish-on-every-push"

    @options
    class Options:
        publishing_actions: tuple[str, ...] = option(
            default=PUBLISHING_ACTIONS,
            doc="Actions that always publish.",
        )
        push_input_actions: tuple[str, ...] = option(
            default=PUSH_INPUT_ACTIONS,
            doc="Actions that publish when their `push` input is true.",
        )
        publishing_commands: tuple[str, ...] = option(
            default=PUBLISHING_COMMANDS,
            doc="Shell commands that publish.",
        )

    examples = (
        Good(
            "on:\n  release:\n    types: [published]\njobs:\n  publish:\n"
            "    runs-on: ubuntu-latest\n    steps:\n      - run: uv publish\n"
        ),
        Good(
            _SETUP + "      - run: uv publish\n        if: startsWith(github.ref, 'refs/tags/')\n"
        ),
        Good(_SETUP + "      - run: echo uv publish\n"),
        Good(
            "on:\n  push:\n    branches: [main]\njobs:\n  release:\n    runs-on: x\n"
            "    outputs:\n      created: ${{ steps.rp.outputs.release_created }}\n"
            "    steps:\n      - id: rp\n        uses: googleapis/release-please-action@v4\n"
            "  publish:\n    needs: release\n    if: needs.release.outputs.created\n"
            "    runs-on: x\n    steps:\n      - run: uv publish\n"
        ),
        # The workflow declares continuous deployment: every push's image is meant to ship.
        Good(
            "name: Continuous Deployment\n"
            + _SETUP
            + "      - uses: docker/build-push-action@v6\n        with:\n          push: true\n"
        ),
        Bad(
            _SETUP
            + "      - run: |\n          uv build\n          uv run --frozen twine upload dist/*\n",
            span=(11, 27, 11, 39),
            message="publishes with `twine upload` on every push to main: publish on a"
            " `release` or a tag push instead",
        ),
        Bad(
            _SETUP + "      - uses: docker/build-push-action@v6\n        with:\n"
            "          push: ${{ github.event_name != 'pull_request' }}\n",
            span=(11, 17, 11, 59),
            message="pushes an image with `docker/build-push-action` (`push` is true) on every"
            " push to main: publish on a `release` or a tag push instead",
        ),
        Bad(
            "on:\n  push:\n    branches: [main, develop]\njobs:\n  publish:\n"
            "    if: github.ref == 'refs/heads/main'\n    runs-on: x\n    steps:\n"
            "      - run: docker push ghcr.io/acme/bikes\n",
            span=(9, 14, 9, 25),
            message="publishes with `docker push` on every push to main: publish on a"
            " `release` or a tag push instead",
        ),
        Bad(
            _SETUP + "      - uses: ./.github/actions/release\n",
            files={
                ".github/actions/release/action.yml": "runs:\n  using: composite\n  steps:\n"
                "    - uses: pypa/gh-action-pypi-publish@release/v1\n"
            },
            span=(9, 15, 9, 40),
            message="`./.github/actions/release` publishes with `pypa/gh-action-pypi-publish`"
            " on every push to main: publish on a `release` or a tag push instead",
        ),
        # A package index refuses a version twice, continuous deployment or not.
        Bad(
            "name: Deploy\n" + _SETUP + "      - run: docker push ghcr.io/acme/bikes\n"
            "      - run: uv publish\n",
            span=(11, 14, 11, 24),
            message="publishes with `uv publish` on every push to main: publish on a"
            " `release` or a tag push instead",
        ),
    )

    def check_workflow(self, workflow: Workflow) -> None:
        push = workflow.triggers.get("push")
        if workflow.is_action or push is None or not push.on_branches:
            return
        push_input_actions = self.options.push_input_actions
        commands = self.options.publishing_commands
        name = workflow.name or PurePosixPath(self.source.relpath).stem
        if declares_deployment(name):
            push_input_actions = ()  # images: shipping every push is the declared intent
            commands = tuple(c for c in commands if c not in IMAGE_COMMANDS)
        recogniser = Recogniser(
            self.options.publishing_actions,
            push_input_actions,
            commands,
            skip_computed=True,
        )
        contexts = _branch_contexts(push)
        for job in workflow.jobs:
            for hit in recogniser.job(workflow, job, contexts):
                where = _branches(push, hit.contexts or tuple(contexts))
                if not hit.chain and not all(c.get("github.ref_name") for c in contexts):
                    where = _guarded_branches(workflow, job, push, recogniser, hit) or where
                self.report(
                    hit.span,
                    f"{hit.describe()} on every push to {where}: publish on a `release` or a"
                    " tag push instead",
                )


def declares_deployment(name: str) -> bool:
    """Whether a workflow's name says it deploys on the pushes it runs on: a word
    `deploy`/`deployment`/`delivery`, or `CD` without `CI` (`CI/CD` names any pipeline)."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    if any(word in _DEPLOY_WORDS for word in words):
        return True
    return "cd" in words and "ci" not in words


def _branch_contexts(push: Trigger) -> list[Context]:
    """One context per branch the push filter names (when they are plain names), else the
    trigger's own branch context."""
    branches = push.filter("branches") or []
    if (
        branches
        and not push.filter("branches-ignore")
        and not any(_GLOB_CHARS & set(b) for b in branches)
    ):
        return [_ref_context("push", "branch", branch) for branch in branches]
    return [c for c in push.contexts() if c.get("github.ref_type") == "branch"]


def _guarded_branches(
    workflow: Workflow, job: Job, push: Trigger, recogniser: Recogniser, hit: Hit
) -> str | None:
    """The branches a step runs on when the push filter allows more (`**`, or none) but the
    job's and steps' `if:`s test the ref only for equality with branch names
    (`github.ref_name == 'main' || github.ref == 'refs/heads/develop'`): those of the named
    branches on which the step still runs, if it runs on no other."""
    if push.filter("branches-ignore"):
        return None
    guards = [job.condition, *(step.condition for step in job.steps)]
    names: list[str] = []
    for guard in guards:
        if guard is None or not guard.is_scalar:
            continue
        for match in _REF_TEST.finditer(guard.value):
            value = match.group(1) if match.group(1) is not None else match.group(2)
            if not value.startswith("refs/") or value.startswith("refs/heads/"):
                names.append(value.removeprefix("refs/heads/"))
        if _REF_READ.search(_REF_TEST.sub("", guard.value)):
            return None  # the ref is read another way too (`startsWith(github.ref, ...)`)
    filters = push.filter("branches")
    names = [n for n in dict.fromkeys(names) if not filters or any(_glob(f, n) for f in filters)]
    if not names:
        return None
    contexts = [_ref_context("push", "branch", n) for n in (*names, _OTHER_BRANCH)]
    again = [h for h in recogniser.job(workflow, job, contexts) if h.span == hit.span]
    running = [c.get("github.ref_name") for c in again[0].contexts] if again else []
    if not running or _OTHER_BRANCH in running:
        return None
    return ", ".join(str(n) for n in running)


def _glob(pattern: str, name: str) -> bool:
    """Whether a branch filter pattern matches ``name`` (`*` within a path segment, `**`
    across them, `?` one character; other filter characters match themselves)."""
    regex = re.escape(pattern).replace(r"\*\*", ".*").replace(r"\*", "[^/]*").replace(r"\?", ".")
    return re.fullmatch(regex, name) is not None


def _branches(push: Trigger, contexts: list[Context] | tuple[Context, ...]) -> str:
    names = [c.get("github.ref_name") for c in contexts]
    if names and all(isinstance(n, str) for n in names):
        return ", ".join(dict.fromkeys(str(n) for n in names))
    branches = push.filter("branches")
    if branches and not push.filter("branches-ignore"):
        return ", ".join(branches)
    return "any branch"
