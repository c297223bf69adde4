"""JST002: the root justfile defines its recipes itself instead of importing modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.justfile.base import JustfileRule
from mlops_hooks.rule import Bad, Good, option, options

if TYPE_CHECKING:
    from mlops_hooks.checkers.justfile.model import JustfileModel


@options
class Options:
    """Options of flat-justfile."""

    max_root_recipes: int = option(
        default=3,
        doc="How many recipes the root justfile may define itself (`default` is not "
        "counted); the rest belong in imported `tasks/*.just` files.",
    )


class FlatJustfile(JustfileRule):
    """The root justfile defines its recipes itself instead of importing `tasks/*.just`.

    ## What it does
    Reports a root justfile that defines more than `max-root-recipes` recipes itself
    (`default` is not counted), once, at the first recipe over the limit.

    ## Why is this bad?
    A flat justfile grows into hundreds of lines where the check, package, docker and
    MLflow tasks are mixed; one `tasks/<topic>.just` file per topic, imported by a short
    root justfile, keeps each topic reviewable and reusable across projects.

    ## Options
    `max-root-recipes`: how many recipes the root justfile may define itself.
    """

    code = "JST002"
    name = "flat-justfile"
    Options = Options
    examples = (
        Good(
            "default:\n    @just --list\nimport 'tasks/all.just'\ncheck:\n    uv run pytest\n",
            files={"tasks/all.just": "a:\n  echo\nb:\n  echo\nc:\n  echo\nd:\n  echo\n"},
        ),
        Bad(
            "default:\n    @just --list\ncheck:\n    uv run ruff check\ntest:\n    uv run pytest\n"
            "package:\n    uv build\nclean:\n    rm -rf dist\n",
            span=(9, 1, 9, 6),
            message="the root justfile defines 4 recipes itself (more than 3, `default` not"
            " counted): move them into tasks/*.just files and `import` them",
        ),
        Bad(
            "check:\n    uv run ruff check\n\n@test:\n    uv run pytest\n",
            options={"max-root-recipes": 1},
            span=(4, 2, 4, 6),
            message="the root justfile defines 2 recipes itself (more than 1, `default` not"
            " counted): move them into tasks/*.just files and `import` them",
        ),
    )

    def check_file(self, model: JustfileModel) -> None:
        if not model.is_root:
            return
        own = [r.name_span for r in model.recipes() if r.name != "default" and r.name_span]
        limit = self.options.max_root_recipes
        if len(own) > limit:
            self.report(
                own[max(limit, 0)],
                f"the root justfile defines {len(own)} recipes itself (more than {limit},"
                " `default` not counted): move them into tasks/*.just files and `import` them",
            )
