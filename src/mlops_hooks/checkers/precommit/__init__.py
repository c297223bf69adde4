"""pre-commit config checker: ``.pre-commit-config.yaml`` parsed into YAML nodes with exact marks.

Routing: a file named ``.pre-commit-config.yaml`` (what pre-commit reads) or
``.pre-commit-config.yml`` (what prek also reads) at any depth. pre-commit itself reads only
the one at the root of the repository, but prek's workspaces and sub-projects (a directory with
its own ``pyproject.toml``) have their own; a fixture that should not be checked is excluded
with ``exclude``. Rules that look at other files (the justfile's install recipe, the
``[tool.bandit]`` table) read them from the file's project root.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from mlops_hooks.checkers import Checker, Level
from mlops_hooks.checkers.precommit.base import PrecommitRule
from mlops_hooks.comments import yaml_anchors

if TYPE_CHECKING:
    from mlops_hooks.checkers.precommit.model import PrecommitConfig
    from mlops_hooks.project import Project
    from mlops_hooks.rule import Rule
    from mlops_hooks.source import SourceFile

CONFIG_NAMES = (".pre-commit-config.yaml", ".pre-commit-config.yml")


def is_precommit_config(relpath: str) -> bool:
    """Whether ``relpath`` is the project's pre-commit config: at the project root, by name
    (case-sensitive, as git). pre-commit reads only the config at the top of the repository;
    one in a subdirectory (course material, a template, an example) configures nothing."""
    return relpath in CONFIG_NAMES


class PrecommitChecker(Checker):
    """Parses each pre-commit config once and runs the rules on the config, repos and hooks."""

    kind: ClassVar[str] = "precommit"
    title: ClassVar[str] = "pre-commit config"
    description: ClassVar[str] = "pre-commit configs"
    files: ClassVar[str] = "`.pre-commit-config.yaml`"
    example_path: ClassVar[str] = ".pre-commit-config.yaml"
    fence: ClassVar[str] = "yaml"
    rule_base: ClassVar[type] = PrecommitRule
    levels: ClassVar[tuple[Level, ...]] = (
        Level("check_config"),
        Level("check_repo", "repos"),
        Level("check_hook", "distinct_hooks"),
    )
    hook_id: ClassVar[str] = "mlops-pre-commit-config"
    hook_files: ClassVar[str] = r"(^|/)\.pre-commit-config\.ya?ml$"
    # The findings also depend on the tasks that install the git hooks (PCC002),
    # pyproject.toml (PCC001, PCC005) and ruff's config (PCC004): the hook runs when any of
    # them changes, over the whole repository.
    facts: ClassVar[tuple[str, ...]] = ("justfile", "pyproject", "git-hook-installs")
    cross_file: ClassVar[bool] = True
    repository_root_only: ClassVar[bool] = True

    def matches(self, relpath: str) -> bool:
        return is_precommit_config(relpath)

    def parse(self, source: SourceFile, project: Project, rules: Sequence[Rule]) -> PrecommitConfig:
        from mlops_hooks.checkers.precommit.model import parse

        return parse(source)

    def suppression_anchors(self, source: SourceFile) -> dict[int, int]:
        # A block scalar's lines are text: they are covered from the scalar's key.
        return yaml_anchors(source)


CHECKER = PrecommitChecker()
