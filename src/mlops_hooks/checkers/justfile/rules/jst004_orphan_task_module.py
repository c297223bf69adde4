"""JST004: a `tasks/*.just` file that no justfile imports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.justfile.base import JustfileRule
from mlops_hooks.checkers.justfile.model import Role
from mlops_hooks.config import glob_match
from mlops_hooks.diagnostics import Span
from mlops_hooks.rule import Bad, Good, option, options

if TYPE_CHECKING:
    from mlops_hooks.checkers.justfile.model import JustfileModel


@options
class Options:
    """Options of orphan-task-module."""

    module_globs: list[str] = option(
        default=["tasks/**/*.just"],
        doc="Where task modules live (globs relative to the project root, `**` spans "
        "directories); a `*.just` file there must be imported by the justfile tree.",
    )


class OrphanTaskModule(JustfileRule):
    """A `tasks/*.just` file that no justfile imports.

    ## What it does
    Reports, on the file itself, a `*.just` file under `tasks/` (option `module-globs`) that
    neither the root justfile nor any file it imports loads with `import` or `mod`.

    ## Why is this bad?
    Its recipes look like part of the project but `just` does not know them: `just --list`
    does not show them and CI never runs them. Usually an `import` line was forgotten, or the
    file was left behind when its tasks moved.

    ## Options
    `module-globs`: where task modules live.
    """

    code = "JST004"
    name = "orphan-task-module"
    Options = Options
    examples = (
        Good(
            "import 'check.just'\n",
            path="tasks/all.just",
            files={"justfile": "import 'tasks/all.just'\n", "tasks/check.just": "c:\n  echo\n"},
        ),
        Good("build:\n  docker build .\n", path="docs/snippet.just", files={"justfile": ""}),
        Bad(
            "# build the image\nbuild:\n  docker build .\n",
            path="tasks/docker.just",
            files={"justfile": "import 'tasks/check.just'\n", "tasks/check.just": ""},
            span=(1, 1, 1, 1),
            message="tasks/docker.just is not imported by the justfile: add"
            " `import 'tasks/docker.just'` to it, or delete this file",
        ),
        Bad(
            "build:\n  docker build .\n",
            path="tasks/docker.just",
            span=(1, 1, 1, 1),
            message="tasks/docker.just is not imported by any justfile: the project has no"
            " justfile",
        ),
    )

    def check_file(self, model: JustfileModel) -> None:
        relpath = model.source.relpath
        if model.role is not Role.DETACHED or not relpath.endswith(".just"):
            return
        if not any(glob_match(glob, relpath) for glob in self.options.module_globs):
            return
        index = model.index
        if index is None:
            message = f"{relpath} is not imported by any justfile: the project has no justfile"
        elif not index.complete:
            return  # reading the tree stopped on an error: this file may belong to it
        else:
            message = (
                f"{relpath} is not imported by the {index.path}: add `import '{relpath}'` to"
                " it, or delete this file"
            )
        self.report(Span.point(1, 1), message)
