"""justfile checker: just's own parser (``just --dump --dump-format json``), never evaluating.

Handles the root ``justfile`` (any case) or ``.justfile``, ``*.just`` modules, and justfiles
loaded by ``mod`` from subdirectories. The whole tree is parsed once per run (see
:mod:`mlops_hooks.project.justfile.index`); each file is checked against its place in it
(see :mod:`mlops_hooks.checkers.justfile.model` for which file a finding belongs to).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from mlops_hooks.checkers import Checker, Level
from mlops_hooks.checkers.justfile.base import JustfileRule

if TYPE_CHECKING:
    from mlops_hooks.checkers.justfile.model import JustfileModel
    from mlops_hooks.project import Project
    from mlops_hooks.rule import Rule
    from mlops_hooks.source import SourceFile


def is_justfile(relpath: str) -> bool:
    """``justfile`` (any case), ``.justfile`` (any case) or ``*.just``."""
    name = relpath.rsplit("/", 1)[-1]
    return name.lower() in ("justfile", ".justfile") or name.endswith(".just")


class JustfileChecker(Checker):
    """Checks each justfile of the tree against the tree parsed once by just."""

    kind: ClassVar[str] = "justfile"
    title: ClassVar[str] = "justfile"
    description: ClassVar[str] = "justfile and the tasks/*.just modules it imports"
    files: ClassVar[str] = "`justfile`, `.justfile`, `*.just`"
    example_path: ClassVar[str] = "justfile"
    fence: ClassVar[str] = "just"
    rule_base: ClassVar[type] = JustfileRule
    levels: ClassVar[tuple[Level, ...]] = (
        Level("check_file"),
        Level("check_include", "includes", with_model=True),
        Level("check_recipe", "recipes", with_model=True),
    )
    hook_id: ClassVar[str] = "mlops-justfile"
    hook_files: ClassVar[str] = r"(^|/)(?i:\.?justfile)$|\.just$"
    # JST009 also reads where workflows and hooks run `uv run just`, and the dependency groups.
    facts: ClassVar[tuple[str, ...]] = ("justfile", "uv-run-just", "pyproject")
    # A finding on the root (a missing core task, the default recipe) or on a module (an
    # orphan, a check that `check` skips) depends on the other files of the tree: the hook
    # checks the whole repository whenever one of them changes.
    cross_file: ClassVar[bool] = True

    def matches(self, relpath: str) -> bool:
        return is_justfile(relpath)

    def parse(self, source: SourceFile, project: Project, rules: Sequence[Rule]) -> JustfileModel:
        from mlops_hooks.checkers.justfile.model import build

        return build(source, project)

    def comment_placement(self, source: SourceFile) -> str:
        # A comment line above a recipe would become its doc comment (`just --list` shows it).
        return "end"


CHECKER = JustfileChecker()
