"""JST001: a core task (`check`, `package`, `clean`, `install`) is not defined."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.justfile.base import JustfileRule
from mlops_hooks.diagnostics import Span
from mlops_hooks.rule import Bad, Good, option, options

if TYPE_CHECKING:
    from mlops_hooks.checkers.justfile.model import JustfileModel

_CORE = ("check", "package", "clean", "install")
_DEFINED = (
    "# list the tasks\ndefault:\n    @just --list\n\n"
    "import 'tasks/core.just'\nimport 'tasks/install.just'\n",
    {
        "tasks/core.just": "check:\n    uv run ruff check\npackage:\n    uv build --wheel\n"
        "clean:\n    rm -rf dist\n",
        "tasks/install.just": "install:\n    uv sync --all-groups\n",
    },
)


@options
class Options:
    """Options of missing-core-task."""

    required_tasks: list[str] = option(
        default=list(_CORE),
        doc="The recipes every project defines (in the root justfile or an imported "
        "file; an alias counts). Module recipes (`mod`) do not count: `just check` must "
        "work as is.",
    )


class MissingCoreTask(JustfileRule):
    """A core task (`check`, `package`, `clean`, `install`) is not defined.

    ## What it does
    Reports each task of `required-tasks` that is neither a recipe nor an alias of the root
    justfile or the files it imports, once per missing task, on the root justfile. `package`
    is not required from a project that builds no distribution (`tool.uv.package = false` in
    `pyproject.toml`). When recipes named after the task exist under a longer name
    (`clean-build`, `install-hooks`), the message says how to give them the core name: an
    alias to the one recipe (`alias clean := clean-build`), or a recipe depending on them all
    (`clean: clean-build clean-constraints`).

    ## Why is this bad?
    The same four verbs work in every project: CI runs `just check`, the release job runs
    `just package`, a newcomer runs `just install`. A project without them needs its own
    README, its own CI script and its own muscle memory.

    ## Options
    `required-tasks`: the recipes every project defines.

    ## What changed
    Since 0.2.0 a project that builds no distribution is not asked for `package` (field
    trial F15). Since 0.2.0 the message names the recipes that do the task under a longer
    name (`<task>-...`) and the alias or recipe that gives them the core name: the task is
    still missing (`just clean` fails), but the fix is one line (issue 16).
    """

    code = "JST001"
    name = "missing-core-task"
    Options = Options
    examples = (
        Good(
            "# list the tasks\ndefault:\n    @just --list\n# run the checks\ncheck:\n"
            "    uv run pytest\n# remove caches\nclean:\n    rm -rf .pytest_cache\n"
            "# install the environment\ninstall:\n    uv sync\n",
            files={"pyproject.toml": '[project]\nname = "app"\n\n[tool.uv]\npackage = false\n'},
        ),
        Good(_DEFINED[0], files=_DEFINED[1]),
        Good(
            "alias check := ci\nci:\n    uv run pytest\n",
            options={"required-tasks": ["check"]},
        ),
        Bad(
            "# list the tasks\ndefault:\n    @just --list\n\ntest:\n    uv run pytest\n",
            span=(1, 1, 1, 1),
            spans=((1, 1, 1, 1), (1, 1, 1, 1), (1, 1, 1, 1)),
            message="core task `check` is not defined: add a recipe named `check` (for"
            " example in tasks/check.just, imported by the justfile)",
        ),
        # The task exists under a longer name: the message gives the one-line fix.
        Bad(
            "check:\n    uv run pytest\nclean-build:\n    rm -rf dist\n",
            options={"required-tasks": ["check", "clean"]},
            span=(1, 1, 1, 1),
            message="core task `clean` is not defined, but `clean-build` is: add"
            " `alias clean := clean-build` to the justfile",
        ),
        Bad(
            "check:\n    uv run pytest\nclean-build:\n    rm -rf dist\n"
            "clean-venv:\n    rm -rf .venv\n",
            options={"required-tasks": ["check", "clean"]},
            span=(1, 1, 1, 1),
            message="core task `clean` is not defined, but `clean-build` and `clean-venv` are:"
            " add a recipe `clean: clean-build clean-venv` to the justfile",
        ),
        Bad(
            "mod docker\ncheck:\n    uv run pytest\n",
            files={"docker/mod.just": "package:\n    docker build .\n"},
            options={"required-tasks": ["check", "package"]},
            span=(1, 1, 1, 1),
            message="core task `package` is not defined: add a recipe named `package` (for"
            " example in tasks/package.just, imported by the justfile)",
        ),
    )

    def check_file(self, model: JustfileModel) -> None:
        index = model.index
        if not model.is_root or index is None or not index.loaded:
            return
        defined = {n for n in (*index.recipes, *index.aliases) if "::" not in n}
        builds = self.project.pyproject.builds_package
        for task in self.options.required_tasks:
            if task == "package" and not builds:
                continue  # nothing to package: an application or a template, not a library
            if task not in defined:
                self.report(Span.point(1, 1), _message(task, defined))


def _message(task: str, defined: set[str]) -> str:
    """What to do: give the recipes that do the task under a longer name (``clean-build``)
    the core name, else add the recipe."""
    longer = sorted(n for n in defined if n.startswith((f"{task}-", f"{task}_")))
    if len(longer) == 1:
        return (
            f"core task `{task}` is not defined, but `{longer[0]}` is: add"
            f" `alias {task} := {longer[0]}` to the justfile"
        )
    if longer:
        names = ", ".join(f"`{n}`" for n in longer[:-1]) + f" and `{longer[-1]}`"
        return (
            f"core task `{task}` is not defined, but {names} are: add a recipe"
            f" `{task}: {' '.join(longer)}` to the justfile"
        )
    return (
        f"core task `{task}` is not defined: add a recipe named `{task}` (for"
        f" example in tasks/{task}.just, imported by the justfile)"
    )
