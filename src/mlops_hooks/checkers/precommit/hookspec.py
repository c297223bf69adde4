"""Hook specs as users write them in options: ``"owner/name:hook-id"``.

A spec names a hook by its repository and id: ``"pre-commit/pre-commit-hooks:check-yaml"``.
The repository part is ``owner/name`` or a full URL and matches any host, any case, with or
without ``.git`` (``https://gitlab.com/PyCQA/bandit.git`` is ``pycqa/bandit``); without it
(``"check-yaml"``) the id matches in any repository. Several ids separated by ``|`` are
alternatives. A ``repo: local`` hook with the same id always counts: the tool runs either way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from mlops_hooks.checkers.precommit.model import path_matches, repo_path
from mlops_hooks.lazyre import lazy
from mlops_hooks.records import record
from mlops_hooks.rule import OptionError

if TYPE_CHECKING:
    from mlops_hooks.checkers.precommit.model import Hook

_ID = lazy(r"^[^\s:/|]+$")
#: Ids that replaced an older one: the older id still runs the same hook.
LEGACY_IDS = {"ruff-check": ("ruff",)}
#: Repositories that moved: the former path still serves the same hooks.
FORMER_REPOS = {
    "astral-sh/ruff-pre-commit": ("charliermarsh/ruff-pre-commit",),
    "pylint-dev/pylint": ("pycqa/pylint",),
}
#: The command a hook runs, by id: a `repo: local` hook whose command runs it (under any id:
#: `entry: uv run ruff check --fix`) is that hook. Each is the executable then the words that
#: must follow it.
COMMANDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "ruff-check": (("ruff", "check"),),
    "ruff-format": (("ruff", "format"),),
    "bandit": (("bandit",),),
    "commitizen": (("cz", "check"), ("commitizen", "check")),
    "check-yaml": (("check-yaml",),),
    "trailing-whitespace": (("trailing-whitespace-fixer",),),
    "end-of-file-fixer": (("end-of-file-fixer",),),
    "mypy": (("mypy",),),
    "flake8": (("flake8",),),
    "pylint": (("pylint",),),
}


def runs_command(words: tuple[str, ...], command: tuple[str, ...]) -> bool:
    """Whether the command line ``words`` runs ``command`` (its executable by base name, as
    ``uv run``, ``uvx`` or a path may prefix it, then the words that must follow)."""
    head, rest = command[0], command[1:]
    for index, word in enumerate(words):
        if word.rsplit("/", 1)[-1] == head and words[index + 1 : index + 1 + len(rest)] == rest:
            return True
    return False


@record(frozen=True)
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
        """Whether ``hook`` is this one: the id (or a legacy alias) from the repository (or
        where it was before it moved); a local hook with the id, or whose command runs the
        hook's tool, always is."""
        if hook.repo.is_local:
            if hook.id.value in self.accepted_ids:
                return True
            words = hook.words
            return any(
                runs_command(words, command)
                for name in self.ids
                for command in COMMANDS.get(name, ())
            )
        if hook.id.value not in self.accepted_ids:
            return False
        if not self.repo:
            return True
        paths = (self.repo, *FORMER_REPOS.get(self.repo, ()))
        return hook.repo.is_remote and any(path_matches(hook.repo.path, p) for p in paths)

    def commented_out(self, entries: Iterable[tuple[str, str]]) -> bool:
        """Whether one of the commented-out config ``entries`` (``("id", "commitizen")``,
        ``("repo", URL)``) is this hook: its id (or a legacy alias), or its repository's URL
        (or where it was before it moved)."""
        paths = (self.repo, *FORMER_REPOS.get(self.repo, ())) if self.repo else ()
        for key, value in entries:
            if key == "id" and value in self.accepted_ids:
                return True
            if key == "repo" and any(path_matches(repo_path(value), p) for p in paths):
                return True
        return False


def parse_specs(texts: Iterable[str], option: str) -> tuple[HookSpec, ...]:
    """Parse every spec of an option value."""
    return tuple(HookSpec.parse(text, option) for text in texts)
