"""GHA006: a workflow publishes on every push to a branch."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from mlops_hooks.checkers.workflow.base import WorkflowRule
from mlops_hooks.checkers.workflow.commands import find_command
from mlops_hooks.checkers.workflow.expressions import (
    Value,
    condition,
    is_expression,
    literal_bool,
    value_truth,
)
from mlops_hooks.rule import Bad, Good, option, options

if TYPE_CHECKING:
    from mlops_hooks.checkers.workflow.model import Step, Trigger, Workflow
    from mlops_hooks.diagnostics import Span
    from mlops_hooks.yamlnodes import YamlNode

Context = dict[str, Value]
#: How deep ``uses: ./...`` is followed (a local action calling a local action...).
MAX_DEPTH = 8
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
    branch pushes (`if: startsWith(github.ref, 'refs/tags/')`). Local actions
    (`uses: ./.github/actions/x`) and reusable workflows (`uses: ./.github/workflows/x.yml`)
    are followed.

    ## Why is this bad?
    Every merge becomes a release: versions that nobody tagged, packages that cannot be
    re-published (PyPI refuses a version twice, so the next merge fails), images overwritten
    without a changelog. A release or a tag push is a decision; a push to `main` is not.

    ## Options
    `publishing-actions` and `push-input-actions` name actions (`owner/repo`, no `@ref`);
    `publishing-commands` are commands as typed, matched at the start of a shell command
    (after `sudo`, `VAR=value`, or a runner such as `uv run`).
    """

    code = "GHA006"
    name = "publish-on-every-push"

    @options
    class Options:
        publishing_actions: tuple[str, ...] = option(
            default=("pypa/gh-action-pypi-publish",),
            doc="Actions that always publish.",
        )
        push_input_actions: tuple[str, ...] = option(
            default=("docker/build-push-action", "docker/bake-action"),
            doc="Actions that publish when their `push` input is true.",
        )
        publishing_commands: tuple[str, ...] = option(
            default=(
                "uv publish",
                "twine upload",
                "docker push",
                "docker image push",
                "poetry publish",
                "hatch publish",
                "flit publish",
            ),
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
            _SETUP + "      - uses: ./.github/actions/release\n",
            files={
                ".github/actions/release/action.yml": "runs:\n  using: composite\n  steps:\n"
                "    - uses: pypa/gh-action-pypi-publish@release/v1\n"
            },
            span=(9, 15, 9, 40),
            message="`./.github/actions/release` publishes with `pypa/gh-action-pypi-publish`"
            " on every push to main: publish on a `release` or a tag push instead",
        ),
    )

    def check_workflow(self, workflow: Workflow) -> None:
        push = workflow.triggers.get("push")
        if workflow.is_action or push is None or not push.on_branches:
            return
        contexts = [c for c in push.contexts() if c.get("github.ref_type") == "branch"]
        suffix = f"on every push to {_branches(push)}: publish on a `release` or a tag push instead"
        for job in workflow.jobs:
            running = _running(job.condition, contexts)
            if not running:
                continue
            uses = job.uses
            if uses is not None and uses.string is not None:
                found = self._local(workflow, uses.string, running, 0)
                if found is not None:
                    self.report(uses.span, f"{_describe(found[0], found[1])} {suffix}")
            for step in job.steps:
                hit = self._step(workflow, step, running, 0)
                if hit is not None:
                    self.report(hit.span, f"{_describe(hit.how, hit.chain)} {suffix}")

    def _step(
        self, workflow: Workflow, step: Step, contexts: list[Context], depth: int
    ) -> _Hit | None:
        """Where and how ``step`` publishes in one of ``contexts``, if it does."""
        contexts = _running(step.condition, contexts)
        action, uses = step.action, step.uses_node
        if not contexts:
            return None
        if action is not None and uses is not None:
            if action in {a.lower() for a in self.options.publishing_actions}:
                return _Hit(uses.span, f"publishes with `{action}`")
            push = step.with_inputs.get("push")
            pushing = {a.lower() for a in self.options.push_input_actions}
            if action in pushing and push is not None and _true(push, contexts):
                return _Hit(push.span, f"pushes an image with `{action}` (`push` is true)")
            found = self._local(workflow, action, contexts, depth)
            if found is not None:
                return _Hit(uses.span, found[0], found[1])
        script = step.run
        if script is None:
            return None
        from mlops_hooks.shell import split

        for command in split(script.text, templates=True):
            for wanted in self.options.publishing_commands:
                words = find_command(command.words, wanted.split())
                if words is not None:
                    span = script.span_of(words[0].start, words[-1].end) or script.node.span
                    return _Hit(span, f"publishes with `{wanted}`")
        return None

    def _local(
        self, workflow: Workflow, ref: str, contexts: list[Context], depth: int
    ) -> tuple[str, tuple[str, ...]] | None:
        """How the local action or reusable workflow ``ref`` publishes, and through which
        local actions (``ref`` first), if it does."""
        target = workflow.local(ref) if depth < MAX_DEPTH else None
        if target is None:
            return None
        for job in target.jobs:
            running = _running(job.condition, contexts)
            for step in job.steps if running else ():
                hit = self._step(target, step, running, depth + 1)
                if hit is not None:
                    return hit.how, (ref, *hit.chain)
        for step in target.action_steps:
            hit = self._step(target, step, contexts, depth + 1)
            if hit is not None:
                return hit.how, (ref, *hit.chain)
        return None


class _Hit(NamedTuple):
    """A publishing step: where to report, how it publishes, through which local refs."""

    span: Span
    how: str
    chain: tuple[str, ...] = ()


def _describe(how: str, chain: tuple[str, ...]) -> str:
    if not chain:
        return how
    through = ", ".join(f"`{ref}`" for ref in chain[1:])
    return f"`{chain[0]}` {how}" + (f" (through {through})" if through else "")


def _branches(push: Trigger) -> str:
    branches = push.filter("branches")
    if branches and not push.filter("branches-ignore"):
        return ", ".join(branches)
    return "any branch"


def _running(guard: YamlNode | None, contexts: Iterable[Context]) -> list[Context]:
    """The contexts in which an ``if:`` may hold."""
    if guard is None or not guard.is_scalar:
        return list(contexts)
    return [c for c in contexts if condition(guard.value, c) is not False]


def _true(node: YamlNode, contexts: list[Context]) -> bool:
    if is_expression(node):
        return any(value_truth(node.value, c) is True for c in contexts)
    return literal_bool(node) is True
