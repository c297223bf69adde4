"""JST006: a public recipe without a `[group(...)]` attribute."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.justfile.base import JustfileRule
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.justfile.model import JustfileModel
    from mlops_hooks.project.justfile.types import RecipeInfo


class UngroupedRecipe(JustfileRule):
    """A public recipe without a `[group(...)]` attribute.

    ## What it does
    Reports a public recipe (not `_`-prefixed, not `[private]`, not `default`) that has no
    `[group('...')]` attribute, at the recipe's name, in the file that defines it.

    ## Why is this bad?
    `just --list` shows grouped recipes under their group (check, package, docker, mlflow);
    ungrouped ones pile up at the top. Groups are also what `check-skips-task` uses to find
    the checks that `just check` must run.
    """

    code = "JST006"
    name = "ungrouped-recipe"
    examples = (
        Good(
            "# list the tasks\ndefault:\n    @just --list\n"
            "# lint the code\n[group('check'), confirm]\ncheck-code:\n    uv run ruff check\n"
            "_helper:\n    echo\n"
        ),
        Bad(
            "# lint the code\ncheck-code:\n    uv run ruff check src\n",
            span=(2, 1, 2, 11),
            message="recipe `check-code` has no group: add `[group('...')]` above it so"
            " `just --list` shows it with its kind of task",
        ),
    )

    def check_recipe(self, recipe: RecipeInfo, model: JustfileModel) -> None:
        if recipe.private or recipe.groups or recipe.name_span is None:
            return
        if recipe.short_name == "default":
            return
        self.report(
            recipe.name_span,
            f"recipe `{recipe.short_name}` has no group: add `[group('...')]` above it so"
            " `just --list` shows it with its kind of task",
        )
