"""JST008: a check task that `just check` does not run."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from mlops_hooks.checkers.justfile.base import JustfileRule
from mlops_hooks.checkers.justfile.model import just_calls
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.justfile.model import JustfileModel
    from mlops_hooks.project import Project
    from mlops_hooks.project.justfile.types import JustfileIndex, RecipeInfo


class CheckSkipsTask(JustfileRule):
    """A check task that `just check` does not run.

    ## What it does
    Reports a public recipe of the root module in group `check`, or named `check-*`, that the
    `check` recipe does not reach through its dependencies (transitively, before or after
    its body) or through a `just <recipe>` line of a body it reaches. A recipe that a step of
    the repository's workflows runs by name (`run: uv run just check-audit`), or that such a
    recipe reaches, is not skipped: CI runs it on its own. A recipe whose every command is
    already run, with more options, by a recipe that `check` or such a workflow step reaches
    (a coverage run `uv run pytest --cov=src tests` covers `uv run pytest tests`) is covered.
    Reported at the skipped recipe's name, in the file that defines it.

    ## Why is this bad?
    CI runs `just check`. A `check-type` or `check-security` that was added but never wired
    into `check` looks like part of the gate and is silently skipped: the types drift, the
    vulnerable dependency ships.

    ## What changed
    Since 0.2.0 a recipe whose commands a recipe that `check` reaches already runs (the same
    command with more options) is covered (field trial F17). A recipe that a workflow step
    of the repository runs by name is not reported: CI runs it, nothing is silently skipped;
    keeping a slow or network-bound check (a dependency audit) out of the local `check` is
    the project's choice (second held-out check, H2). The two combine: a recipe whose commands
    a recipe CI runs already runs with more options (`check-test`, when a workflow runs `just
    test` and `test` runs the coverage run) is covered too (third held-out check, H5).
    Since 0.2.0 (fourth held-out check, H9): `python -m pytest` is read as `pytest`, lines
    continued with `\\` as one command, and two runs that CI reaches with the pytest markers
    `E` and `not E` together cover the run without a marker.
    """

    code = "JST008"
    name = "check-skips-task"
    examples = (
        # The coverage run is the test run, with more options.
        Good(
            "check: check-coverage\ncheck-coverage:\n    uv run pytest --cov=src tests\n"
            "check-test:\n    uv run pytest tests\n"
        ),
        Good(
            "[group('check')]\ncheck: check-code (check-test 'fast')\n    just check-type\n"
            "check-code: _lint\n    echo\n_lint:\n    echo\ncheck-test mode:\n    echo\n"
            "[group('check')]\ncheck-type:\n    echo\n[group('check')]\n_check-slow:\n    echo\n"
            "\n[group('check')]\ncheck-all: check\n    echo more\n"
        ),
        # CI runs the audit as its own step.
        Good(
            "check: check-code\ncheck-code:\n    echo\ncheck-audit:\n    uv run pip-audit\n",
            files={
                ".github/workflows/check.yml": "on: pull_request\njobs:\n  checks:\n"
                "    runs-on: ubuntu-latest\n    steps:\n      - run: uv run just check\n"
                "      - run: uv run just check-audit\n"
            },
        ),
        Bad(
            "import 'tasks/check.just'\n",
            files={
                "tasks/check.just": "# run every check\n[group('check')]\n"
                "check: check-code\n\n[group('check')]\ncheck-code:\n    echo\n\n"
                "# type-check the code\n[group('check')]\ncheck-type:\n    uv run mypy src\n"
            },
            path="justfile",
            span=(11, 1, 11, 11),
            message="`just check` does not run `check-type`: add it to the dependencies of"
            " `check` (tasks/check.just:3)",
        ),
        Bad(
            "check: check-code\ncheck-code:\n    echo\n[group('check')]\naudit:\n"
            "    uv run pip-audit\n",
            span=(5, 1, 5, 6),
            message="`just check` does not run `audit` (group `check`): add it to the"
            " dependencies of `check` (justfile:1)",
        ),
    )

    def check_recipe(self, recipe: RecipeInfo, model: JustfileModel) -> None:
        index = model.index
        if index is None or recipe.module or recipe.private or recipe.name_span is None:
            return
        check = index.resolve("check")
        if check is None or check.name == recipe.name or check.module:
            return
        in_group = "check" in recipe.groups
        if not in_group and not recipe.name.startswith("check-"):
            return
        reached = _reached(index, check)
        if recipe.name in reached or _reaches(index, recipe, check):
            return
        ci = self.project.cached("jst008-ci", lambda p: _run_by_workflows(p, index))
        if recipe.name in ci:
            return
        # What CI runs counts as much as what `check` reaches: a coverage run that only a
        # workflow's `just test` reaches still runs the plain test run's suite.
        covering = reached | ci
        if _runs_nothing_new(recipe, [index.recipes[n] for n in covering if n in index.recipes]):
            return
        why = " (group `check`)" if in_group and not recipe.name.startswith("check-") else ""
        self.report(
            recipe.name_span,
            f"`just check` does not run `{recipe.name}`{why}: add it to the dependencies of"
            f" `check` ({check.path}:{check.line})",
        )


def _edges(index: JustfileIndex, recipe: RecipeInfo) -> list[RecipeInfo]:
    names = [d.recipe for d in recipe.dependencies] + just_calls(recipe.body)
    return [r for r in (index.resolve(n) for n in names) if r is not None]


def _reached(index: JustfileIndex, start: RecipeInfo) -> set[str]:
    seen: set[str] = set()
    stack = [start]
    while stack:
        for target in _edges(index, stack.pop()):
            if target.name not in seen:
                seen.add(target.name)
                stack.append(target)
    return seen


def _run_by_workflows(project: Project, index: JustfileIndex) -> frozenset[str]:
    """The recipes that lines of the repository's workflows run by name (`uv run just
    check-audit`), and everything those reach."""
    from mlops_hooks.project.uvrun import workflow_recipes

    names: set[str] = set()
    for name in workflow_recipes(project):
        target = index.resolve(name)
        if target is not None:
            names |= {target.name, *_reached(index, target)}
    return frozenset(names)


def _reaches(index: JustfileIndex, recipe: RecipeInfo, check: RecipeInfo) -> bool:
    """An aggregate above `check` (``check-all: check lint``) is not skipped by it."""
    return check.name in _reached(index, recipe)


#: A command: its words that are not options, and the pytest ``-m`` marker expression.
Command = tuple[frozenset[str], str | None]


def _commands(body: str) -> list[Command]:
    """Each command of a body (lines continued with ``\\`` joined; recipe line prefixes
    `@` and `-` dropped; blank and comment lines skipped) as the set of its words that are
    not options, ``python -m X`` read as ``X``, and the value of its ``-m`` marker option."""
    lines: list[str] = []
    pending = ""
    for line in body.splitlines():
        text = line.strip()
        if text.endswith("\\"):
            pending += text[:-1] + " "
            continue
        lines.append(pending + text)
        pending = ""
    if pending:
        lines.append(pending)
    found: list[Command] = []
    for line in lines:
        text = line.strip().lstrip("@-").strip()
        if not text or text.startswith("#"):
            continue
        try:
            words = shlex.split(text)
        except ValueError:
            words = text.split()
        marker = None
        kept: list[str] = []
        index = 0
        while index < len(words):
            word = words[index]
            following = words[index + 1] if index + 1 < len(words) else None
            if word in ("python", "python3") and following == "-m":
                index += 2  # `python -m pytest` runs `pytest`
                continue
            if word == "-m" and following is not None and kept:
                marker = " ".join(following.split())
                index += 2
                continue
            if not word.startswith("-"):
                kept.append(word)
            index += 1
        found.append((frozenset(kept), marker))
    return found


def _covered(command: Command, theirs: list[Command]) -> bool:
    """Whether reached commands run ``command``: the same words (maybe more options) and
    the same marker or none, or two runs whose markers are ``E`` and ``not E`` (the
    suite split in two tiers)."""
    words, marker = command
    markers = {m for w, m in theirs if w == words}
    if None in markers or marker in markers:
        return True
    return marker is None and any(f"not {m}" in markers for m in markers if m is not None)


def _runs_nothing_new(recipe: RecipeInfo, reached: list[RecipeInfo]) -> bool:
    """Whether each command of ``recipe`` is run by reached recipes: the same words, and
    maybe more options (``uv run pytest --cov=src tests`` runs ``uv run pytest tests``), or
    the same run split by pytest markers (``-m db`` and ``-m 'not db'``)."""
    mine = _commands(recipe.body)
    if not mine or recipe.dependencies:
        return False
    theirs = [command for other in reached for command in _commands(other.body)]
    return all(_covered(command, theirs) for command in mine)
