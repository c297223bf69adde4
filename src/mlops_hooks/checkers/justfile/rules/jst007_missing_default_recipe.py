"""JST007: the first recipe is not a listing `default`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.justfile.base import JustfileRule
from mlops_hooks.checkers.justfile.model import is_listing, lists_recipes
from mlops_hooks.diagnostics import Span
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.justfile.model import JustfileModel


class MissingDefaultRecipe(JustfileRule):
    """The first recipe is not a listing `default`.

    ## What it does
    Reports, on the root justfile, a tree whose default recipe (the first recipe of the root
    justfile, or the one marked `[default]`) does not list the recipes with `just --list`,
    or has dependencies (a bare `just` would run them). `set default-list` is fine too.

    ## Why is this bad?
    A bare `just` runs the first recipe: whatever comes first, a `clean` or a `deploy`,
    runs when someone types `just` to see what the project offers.
    """

    code = "JST007"
    name = "missing-default-recipe"
    examples = (
        Good("# list the tasks\ndefault:\n    @just --list\nclean:\n    rm -rf dist\n"),
        Good("clean:\n    rm -rf dist\n\n[default]\nhelp:\n    {{ just_executable() }} -l\n"),
        Good("set default-list\n\nclean:\n    rm -rf dist\n"),
        Bad(
            "# remove build artifacts\nclean:\n    rm -rf dist\n\ndefault:\n    @just --list\n",
            span=(2, 1, 2, 6),
            message="a bare `just` runs `clean`, the first recipe: put a `default` recipe"
            " that runs `just --list` first",
        ),
        Bad(
            "default: clean\n    @just --list\nclean:\n    rm -rf dist\n",
            span=(1, 1, 1, 8),
            message="a bare `just` runs `default`, which depends on `clean`: make the default"
            " recipe only run `just --list`",
        ),
        Bad(
            "import 'tasks/clean.just'\n",
            files={"tasks/clean.just": "clean:\n    rm -rf dist\n"},
            span=(1, 1, 1, 1),
            message="the root justfile has no recipe of its own, so a bare `just` fails: add a"
            " `default` recipe that runs `just --list`",
        ),
    )

    def check_file(self, model: JustfileModel) -> None:
        index = model.index
        if not model.is_root or index is None or not index.loaded:
            return
        if index.settings.get("default_list"):
            return
        first = index.recipes.get(index.first) if index.first else None
        if first is None:
            self.report(
                Span.point(1, 1),
                "the root justfile has no recipe of its own, so a bare `just` fails: add a"
                " `default` recipe that runs `just --list`",
            )
            return
        if is_listing(first):
            return
        span = first.name_span if first.path == model.source.relpath else None
        if first.dependencies and lists_recipes(first.body):
            deps = ", ".join(f"`{d.recipe}`" for d in first.dependencies)
            message = (
                f"a bare `just` runs `{first.name}`, which depends on {deps}: make the default"
                " recipe only run `just --list`"
            )
        else:
            message = (
                f"a bare `just` runs `{first.name}`, the first recipe: put a `default` recipe"
                " that runs `just --list` first"
            )
        self.report(span or Span.point(1, 1), message)
