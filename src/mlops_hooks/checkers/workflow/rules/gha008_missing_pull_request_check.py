"""GHA008: no workflow runs the project's check task on pull requests."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, NamedTuple

from mlops_hooks.checkers.workflow.base import WorkflowRule
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.workflow.model import Workflow
    from mlops_hooks.project import Project
    from mlops_hooks.project.justfile.types import JustfileIndex

_JUSTFILE = "# run the checks\ncheck: check-code\n\n# lint\ncheck-code:\n    uv run ruff check\n"
_STEPS = "jobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "
#: Events that run a workflow for a pull request before it is merged.
GATE_EVENTS = ("pull_request", "pull_request_target", "merge_group")
#: How deep `uses: ./...` is followed (a reusable workflow calling a composite action...).
MAX_DEPTH = 4


class Verdict(NamedTuple):
    """Where the repository's one finding goes, and what it says."""

    path: str
    message: str


class MissingPullRequestCheck(WorkflowRule):
    """No workflow runs the project's check task on pull requests.

    ## What it does
    Reports, once per repository, a project whose justfile has a `check` recipe while none of
    its workflows triggered by `pull_request` (or `pull_request_target`, `merge_group`) runs
    any of it: `just check`, `uv run just check`, `uvx --from rust-just just check`, a recipe
    that `check` depends on, or the tools its recipes run (`uv run pytest`, `ruff check`:
    the same gate, written out). Reusable workflows (`uses: ./.github/workflows/x.yml`) and
    local actions are followed. Reported on the `on:` of the first workflow that pull requests
    trigger, else of the first workflow. Silent without workflows, or without a `check`
    recipe (JST001 asks for one).

    ## Why is this bad?
    `just check` is the gate the project wrote down; when no pull-request workflow runs it,
    a pull request is merged with whatever it breaks (lint, types, tests), and the first run
    of the checks is on `main`, after the fact.
    """

    code = "GHA008"
    name = "missing-pull-request-check"
    examples: ClassVar[tuple[Good | Bad, ...]] = (
        Good(
            "on: pull_request\n" + _STEPS + "uv run just check\n",
            files={"justfile": _JUSTFILE},
        ),
        # A recipe that `check` depends on counts, and so does a reusable workflow.
        Good(
            "on: pull_request\njobs:\n  gate:\n    uses: ./.github/workflows/lint.yml\n",
            files={
                "justfile": _JUSTFILE,
                ".github/workflows/lint.yml": "on: workflow_call\n" + _STEPS + "just check-code\n",
            },
        ),
        # No `check` recipe: JST001's business, not this rule's.
        Good("on: push\n" + _STEPS + "uv run pytest\n", files={"justfile": "test:\n    pytest\n"}),
        Bad(
            "on:\n  pull_request:\n" + _STEPS + "uv run pytest\n",
            files={"justfile": _JUSTFILE},
            span=(1, 1, 1, 3),
            message="pull requests run this workflow, but no workflow runs `just check` on"
            " them: add a step `run: uv run just check` so that a pull request is checked"
            " before it is merged",
        ),
        Bad(
            "on:\n  push:\n    branches: [main]\n" + _STEPS + "uv run just check\n",
            files={"justfile": _JUSTFILE},
            span=(1, 1, 1, 3),
            message="no workflow runs on `pull_request`: `just check` runs only after a merge;"
            " trigger a workflow that runs `uv run just check` on `pull_request`",
        ),
    )

    def check_workflow(self, workflow: Workflow) -> None:
        if workflow.is_action or workflow.on_key is None:
            return
        gate = self.project.cached("gha008-gate", _gate)
        if gate is None:
            return
        # A pull-request workflow that runs the gate settles it for the repository: the
        # other workflows are not read (a one-file run of the usual CI workflow reads only it).
        if workflow.has(*GATE_EVENTS) and _runs(workflow, gate, 0):
            return
        verdict = self.project.cached("gha008", _verdict)
        if verdict is not None and verdict.path == workflow.source.relpath:
            self.report(workflow.on_key.span, verdict.message)


class Gate(NamedTuple):
    """The project's check task: the justfile, the recipes `check` runs, their tools."""

    justfile: JustfileIndex
    recipes: frozenset[str]
    tools: frozenset[str]


def _gate(project: Project) -> Gate | None:
    index = project.justfile
    if index is None or not index.loaded or index.resolve("check") is None:
        return None
    recipes = _chain(index, {"check"})
    return Gate(index, recipes, _tools(index, recipes))


def _verdict(project: Project) -> Verdict | None:
    gate = project.cached("gha008-gate", _gate)
    if gate is None:
        return None
    from mlops_hooks.checkers.workflow.model import root_workflows

    workflows = root_workflows(project)
    if not workflows:
        return None
    gated = [w for w in workflows if w.has(*GATE_EVENTS)]
    if any(_runs(w, gate, 0) for w in gated):
        return None
    if gated:
        return Verdict(
            gated[0].source.relpath,
            "pull requests run this workflow, but no workflow runs `just check` on them: add"
            " a step `run: uv run just check` so that a pull request is checked before it is"
            " merged",
        )
    return Verdict(
        workflows[0].source.relpath,
        "no workflow runs on `pull_request`: `just check` runs only after a merge; trigger a"
        " workflow that runs `uv run just check` on `pull_request`",
    )


def _chain(index: JustfileIndex, start: set[str]) -> frozenset[str]:
    """The recipes ``start`` names and everything they run: dependencies, and recipes their
    bodies run with `just NAME` (aliases resolved)."""
    from mlops_hooks.project.justfile.calls import body_invocations, named_recipes

    names: set[str] = set()
    stack = [r for r in (index.resolve(n) for n in start) if r is not None]
    while stack:
        recipe = stack.pop()
        if recipe.name in names:
            continue
        names.add(recipe.name)
        called = [d.recipe for d in recipe.dependencies]
        for invocation in body_invocations(recipe.body):
            words = named_recipes(invocation)
            called += [words[0].text] if words else []
        stack += [r for r in (index.resolve(n) for n in called) if r is not None]
    return frozenset(names)


def _tools(index: JustfileIndex, recipes: frozenset[str]) -> frozenset[str]:
    """The programs the recipes' bodies run (`pytest` of `uv run pytest tests`)."""
    found: set[str] = set()
    for name in recipes:
        recipe = index.recipes.get(name)
        if recipe is not None:
            for line in recipe.body.splitlines():
                found |= _programs(line.strip().lstrip("@-"))
    return frozenset(found - {"just", "echo", "cd", "rm", "mkdir", "cp", "mv", "true"})


#: Runners whose argument is the program that does the work.
_RUNNERS = frozenset({"uv", "uvx", "run", "python", "python3", "-m", "poetry", "pdm", "exec"})


def _programs(text: str) -> set[str]:
    from mlops_hooks.project.justfile.calls import commands

    found = set()
    for words in commands(text):
        names = [w.text for w in words if not w.text.startswith("-") and "=" not in w.text]
        while names and names[0].rsplit("/", 1)[-1] in _RUNNERS:
            names.pop(0)
        if names:
            found.add(names[0].rsplit("/", 1)[-1])
    return found


def _runs(workflow: Workflow, gate: Gate, depth: int) -> bool:
    """Whether a step of the workflow (or of what it calls) runs part of the gate: one of
    its recipes, a recipe that runs one, or one of the tools its recipes run."""
    from mlops_hooks.project.justfile.calls import just_invocations, named_recipes

    index, recipes, tools = gate
    for step in workflow.steps():
        if step.run is not None:
            text = step.run.text
            for invocation in just_invocations(text):
                words = named_recipes(invocation)
                if words and recipes & _chain(index, {words[0].text}):
                    return True
            if tools & _programs(text.replace("\n", " ; ")):
                return True
        uses = step.uses
        if uses and depth < MAX_DEPTH:
            called = workflow.local(uses)
            if called is not None and _runs(called, gate, depth + 1):
                return True
    for job in workflow.jobs:
        node = job.uses
        ref = node.string if node is not None else None
        if ref and depth < MAX_DEPTH:
            called = workflow.local(ref)
            if called is not None and _runs(called, gate, depth + 1):
                return True
    return False
