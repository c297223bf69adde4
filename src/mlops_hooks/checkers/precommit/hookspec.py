"""Hook specs as users write them in options: ``"owner/name:hook-id"``.

A spec names a hook by its repository and id: ``"pre-commit/pre-commit-hooks:check-yaml"``.
The repository part is ``owner/name`` or a full URL and matches any host, any case, with or
without ``.git`` (``https://gitlab.com/PyCQA/bandit.git`` is ``pycqa/bandit``); without it
(``"check-yaml"``) the id matches in any repository. Several ids separated by ``|`` are
alternatives. A ``repo: local`` hook with the same id always counts: the tool runs either way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mlops_hooks.checkers.precommit.model import path_matches, repo_path
from mlops_hooks.rule import OptionError

if TYPE_CHECKING:
    from mlops_hooks.checkers.precommit.model import Hook

_ID = re.compile(r"^[^\s:/|]+$")
#: Ids that replaced an older one: the older id still runs the same hook.
LEGACY_IDS = {"ruff-check": ("ruff",)}


@dataclass(frozen=True)
class HookSpec:
    """A parsed hook spec: the repository path (``""`` for any) and the accepted ids."""

    text: str
    #: The normalized repository path (``pycqa/bandit``), ``""`` for any repository.
    repo: str
    ids: tuple[str, ...]
    #: The repository as the user wrote it, for messages.
    repo_text: str = ""

    @classmethod
    def parse(cls, text: str, option: str) -> HookSpec:
        """Parse ``text`` (raises :class:`OptionError` naming ``option`` when malformed)."""
        repo, sep, ids = text.strip().rpartition(":")
        if not sep:
            repo, ids = "", text.strip()
        names = tuple(part.strip() for part in ids.split("|"))
        if not names or not all(_ID.match(name) for name in names) or (sep and not repo):
            raise OptionError(
                f"option {option}: {text!r} is not a hook spec like"
                ' "pre-commit/pre-commit-hooks:check-yaml" or "check-yaml"'
            )
        return cls(text.strip(), repo_path(repo), names, repo.strip())

    @property
    def id(self) -> str:
        """The preferred id (the first one)."""
        return self.ids[0]

    @property
    def accepted_ids(self) -> frozenset[str]:
        """The ids that satisfy the spec, legacy aliases included."""
        return frozenset(alias for name in self.ids for alias in (name, *LEGACY_IDS.get(name, ())))

    def matches(self, hook: Hook) -> bool:
        """Whether ``hook`` is this one (a local hook with the id always is)."""
        if hook.id.value not in self.accepted_ids:
            return False
        if hook.repo.is_local or not self.repo:
            return True
        return hook.repo.is_remote and path_matches(hook.repo.path, self.repo)


def parse_specs(texts: Iterable[str], option: str) -> tuple[HookSpec, ...]:
    """Parse every spec of an option value."""
    return tuple(HookSpec.parse(text, option) for text in texts)
