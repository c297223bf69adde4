"""JST005: a public recipe without a doc comment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.justfile.base import JustfileRule
from mlops_hooks.checkers.justfile.model import is_listing
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.justfile.model import JustfileModel
    from mlops_hooks.project.justfile.types import RecipeInfo


class UndocumentedRecipe(JustfileRule):
    """A public recipe without a doc comment.

    ## What it does
    Reports a public recipe (not `_`-prefixed, not `[private]`) that has neither a doc
    comment (a `#` comment directly above it, attributes in between allowed) nor a
    `[doc('...')]` attribute, at the recipe's name, in the file that defines it. A `default`
    recipe that only lists the recipes (`@just --list`, the one JST007 asks for) needs no
    doc: `just --list` shows it, and what it does is its name.

    ## Why is this bad?
    `just --list` is the project's task menu; a recipe without a doc shows as a bare name,
    and the next person has to read its body to learn what `just deploy` does.

    ## What changed
    Since 0.2.0 a listing `default` recipe is not reported (field trial F16).
    """

    code = "JST005"
    name = "undocumented-recipe"
    examples = (
        Good("default:\n    @just --list\n\n# run the tests\ntest:\n    uv run pytest\n"),
        Good(
            "# build the wheel\n[group('package')]\npackage:\n    uv build\n"
            "[doc('remove build artifacts')]\nclean:\n    rm -rf dist\n"
            "[private]\nhelper:\n    echo\n_internal:\n    echo\n"
        ),
        Bad(
            "[group('package')]\npackage:\n    uv build --wheel\n",
            span=(2, 1, 2, 8),
            message="recipe `package` has no doc comment: add a `# ...` line above it so"
            " `just --list` says what it does",
        ),
        Bad(
            "# lint\ncheck:\n  echo\n\n# this comment is not attached\n\n@format:\n  echo\n",
            span=(7, 2, 7, 8),
            message="recipe `format` has no doc comment: add a `# ...` line above it so"
            " `just --list` says what it does",
        ),
    )

    def check_recipe(self, recipe: RecipeInfo, model: JustfileModel) -> None:
        if recipe.private or recipe.doc or recipe.name_span is None:
            return
        if recipe.name == "default" and is_listing(recipe):
            return
        self.report(
            recipe.name_span,
            f"recipe `{recipe.short_name}` has no doc comment: add a `# ...` line above it so"
            " `just --list` says what it does",
        )
