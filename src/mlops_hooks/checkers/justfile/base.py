"""The base class of justfile rules, with graded hooks: file, recipe, include."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from mlops_hooks.rule import Rule

if TYPE_CHECKING:
    from mlops_hooks.checkers.justfile.model import JustfileModel
    from mlops_hooks.project.justfile.types import Include, RecipeInfo


class JustfileRule(Rule):
    """A justfile rule overrides the hooks it needs; the checker calls only those.

    Hooks see only what belongs to the file being checked (its recipes, its statements), so
    a finding is reported on the file it is about whatever subset of files a run is given.
    Cross-file facts (every recipe of the tree, the root's first recipe) are on
    ``model.index``.
    """

    kind: ClassVar[str] = "justfile"

    def check_file(self, model: JustfileModel) -> None:
        """Called once per file."""

    def check_recipe(self, recipe: RecipeInfo, model: JustfileModel) -> None:
        """Called once per recipe written in this file, in line order (only when just parsed
        the tree)."""

    def check_include(self, include: Include, model: JustfileModel) -> None:
        """Called once per ``import``/``mod`` statement written in this file."""
