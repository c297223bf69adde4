"""The base class of pre-commit config rules, with graded hooks: config, repo, hook."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from mlops_hooks.rule import Rule

if TYPE_CHECKING:
    from mlops_hooks.checkers.precommit.model import Hook, PrecommitConfig, Repo


class PrecommitRule(Rule):
    """A pre-commit config rule overrides the hooks it needs; the checker calls only those."""

    kind: ClassVar[str] = "precommit"

    def check_config(self, config: PrecommitConfig) -> None:
        """Called once per file."""

    def check_repo(self, repo: Repo) -> None:
        """Called once per entry of ``repos``, in order."""

    def check_hook(self, hook: Hook) -> None:
        """Called once per hook, in the order pre-commit runs them."""
