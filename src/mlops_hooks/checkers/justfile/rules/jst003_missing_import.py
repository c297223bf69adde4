"""JST003: an `import` or `mod` whose file does not exist (or is outside the project)."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from mlops_hooks.checkers.justfile.base import JustfileRule
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.justfile.model import JustfileModel
    from mlops_hooks.project.justfile.types import Include


class MissingImport(JustfileRule):
    """An `import` or `mod` whose file does not exist.

    ## What it does
    Reports `import 'path'`, `mod name 'path'` and `mod name` statements whose file does not
    exist, at the path (or module name). `import?` and `mod?` are optional and exempt. Also
    reports any statement, optional or not, whose path resolves outside the project (`../`,
    an absolute path, `~`, a symbolic link): such a file is never read.

    The rest of the tree is still parsed (as if the statement were optional), so the other
    rules keep working.

    ## Why is this bad?
    just refuses to run any recipe of a justfile with a missing import: one renamed or
    forgotten `tasks/*.just` file breaks every task, in CI too. A justfile that imports files
    from outside the repository behaves differently on every machine.
    """

    code = "JST003"
    name = "missing-import"
    examples = (
        Good(
            "import 'tasks/check.just'\nimport? 'local.just'\nmod? private\n",
            files={"tasks/check.just": "check:\n    uv run pytest\n"},
        ),
        Bad(
            "import 'tasks/check.just'\nimport \"tasks/docker.just\"\n",
            files={"tasks/check.just": "check:\n    uv run pytest\n"},
            span=(2, 8, 2, 27),
            message="import of tasks/docker.just, which does not exist: create it, fix the"
            " path, or use `import?` for an optional file",
        ),
        Bad(
            "mod docker\n",
            span=(1, 5, 1, 11),
            message="module `docker` has no file (docker.just, docker/mod.just or"
            " docker/justfile): create one or use `mod?`",
        ),
        Bad(
            "import? '../../../etc/passwd'\n",
            span=(1, 9, 1, 30),
            message="import of '../../../etc/passwd' points outside the project; it is not"
            " read: keep imported files in the repository",
        ),
    )

    def check_include(self, include: Include, model: JustfileModel) -> None:
        keyword = "import" if include.keyword == "import" else "module"
        if include.outside:
            self.report(
                include.span,
                f"{keyword} of {include.literal!r} points outside the project; it is not read:"
                " keep imported files in the repository",
            )
        elif include.missing and not include.optional:
            self.report(include.span, _missing_message(include, model))


def _missing_message(include: Include, model: JustfileModel) -> str:
    if include.literal is None:
        name = include.name or ""
        folder = model.source.relpath.rpartition("/")[0]
        prefix = f"{folder}/{name}" if folder else name
        return (
            f"module `{name}` has no file ({prefix}.just, {prefix}/mod.just or"
            f" {prefix}/justfile): create one or use `mod?`"
        )
    folder = model.source.relpath.rpartition("/")[0]
    shown = posixpath.normpath(posixpath.join(folder, include.literal))
    if include.keyword == "mod":
        return (
            f"module `{include.name}` loads {shown}, which does not exist: create it, fix the"
            " path, or use `mod?` for an optional module"
        )
    return (
        f"import of {shown}, which does not exist: create it, fix the path, or use `import?`"
        " for an optional file"
    )
