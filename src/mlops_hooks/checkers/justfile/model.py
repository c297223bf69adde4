"""The per-file view of the project's justfile tree that justfile rules see.

The tree (every file, recipe and statement) is parsed once per run by
:func:`mlops_hooks.project.justfile.index.justfile_index`; a :class:`JustfileModel` is one
file's place in it.

Which file a finding belongs to (so that findings are the same whether a run is given one
file, a batch, or the whole repository, as pre-commit may pass any subset):

- a finding about a recipe or a statement is reported on the file where it is written, only
  when that file is the one being checked;
- a finding about the tree as a whole (a missing core task, a flat root, no listing default)
  is reported on the root justfile;
- an orphan module is reported on the orphan file itself;
- just's own error is reported on the file just names; the root justfile also gets one
  ``JST000`` at the ``import``/``mod`` that leads to a broken file, since no rule can check
  the tree until it loads.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING

from mlops_hooks.checkers import ParseError

if TYPE_CHECKING:
    # The index module (subprocess, tempfile, json) is imported only when a justfile is
    # parsed, so rule modules may import this one at start-up.
    from mlops_hooks.project import Project
    from mlops_hooks.project.justfile.types import Include, JustError, JustfileIndex, RecipeInfo
    from mlops_hooks.source import SourceFile


class Role(str, enum.Enum):
    """How a checked file relates to the project's justfile tree."""

    #: The root justfile.
    ROOT = "root"
    #: Imported (or loaded by ``mod``) from the root, directly or not.
    MEMBER = "member"
    #: A ``*.just`` file (or nested justfile) that no justfile of the tree loads.
    DETACHED = "detached"


class JustfileModel:
    """One file of the tree: its source, role and the whole tree's index."""

    __slots__ = ("index", "project", "role", "source")

    def __init__(
        self, source: SourceFile, project: Project, index: JustfileIndex | None, role: Role
    ) -> None:
        self.source = source
        self.project = project
        self.index = index
        self.role = role

    @property
    def is_root(self) -> bool:
        """Whether this is the root justfile."""
        return self.role is Role.ROOT

    @property
    def loaded(self) -> bool:
        """Whether just parsed the tree, so recipes are known."""
        return self.index is not None and self.index.loaded

    def recipes(self) -> Iterator[RecipeInfo]:
        """The recipes written in this file (none when the tree did not load)."""
        if self.index is None or not self.index.loaded:
            return iter(())
        return self.index.recipes_in(self.source.relpath)

    def includes(self) -> Iterator[Include]:
        """The ``import``/``mod`` statements written in this file."""
        if self.index is None:
            return iter(())
        return self.index.includes_in(self.source.relpath)


def build(source: SourceFile, project: Project) -> JustfileModel:
    """The model of ``source``; raises :class:`ParseError` when just cannot parse the tree
    and the error is in this file (or, for the root, in a file it loads)."""
    from mlops_hooks.project.justfile.index import index_for

    index = index_for(project, source)
    relpath = source.relpath
    if index is not None and relpath in index.unreadable:
        unread = index.unreadable[relpath]
        raise ParseError(
            f"just cannot read this file: {unread.message}", unread.line, unread.column
        )
    if index is None or relpath not in index.files:
        return JustfileModel(source, project, index, Role.DETACHED)
    role = Role.ROOT if relpath == index.path else Role.MEMBER
    error = index.error
    if error is not None:
        if error.path in ("", relpath):
            raise ParseError(
                _versioned(f"the justfile: {error.message}", error, project),
                error.line,
                error.column,
            )
        if role is Role.ROOT:
            include = _leading_include(index, error.path)
            line, column = (
                (include.span.start.line, include.span.start.column) if include else (1, 1)
            )
            raise ParseError(
                _versioned(f"{error.path} (line {error.line}): {error.message}", error, project),
                line,
                column,
            )
    return JustfileModel(source, project, index, role)


def _versioned(what: str, error: JustError, project: Project) -> str:
    """``just cannot parse <what>``; when the project's ``uv.lock`` pins another just than
    the one whose parser failed, which version failed and what that means: the project's own
    just was not run, so that it fails is not known (users pin their own just)."""
    from mlops_hooks.project.locks import uv_locked_version

    locked = uv_locked_version(project, "rust-just") if error.version else None
    if locked is None or _release(locked) == _release(error.version):
        return f"just cannot parse {what}"
    if _release(locked) > _release(error.version):
        return (
            f"just {error.version} cannot parse {what} (uv.lock pins just {locked}, newer than"
            " the just mlops-hooks ran, which may accept it: give mlops-hooks that rust-just)"
        )
    return (
        f"just {error.version} cannot parse {what} (uv.lock pins just {locked}, which may"
        " accept it: upgrading just would break it)"
    )


def _release(version: str) -> tuple[int, ...]:
    """The numeric release of a version (``1.43.0`` -> ``(1, 43, 0)``), for ordering."""
    parts = []
    for part in version.split("."):
        digits = "".join(itertools.takewhile(str.isdigit, part))
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def _leading_include(index: JustfileIndex, path: str) -> Include | None:
    """The root's statement through which ``path`` is loaded."""
    parents = {i.target: i for i in index.includes if i.target is not None}
    include = parents.get(path)
    seen: set[str] = set()
    while include is not None and include.path != index.path and include.path not in seen:
        seen.add(include.path)
        include = parents.get(include.path)
    return include


def lists_recipes(body: str) -> bool:
    """Whether a recipe body runs ``just --list`` (``-l``, ``--summary``)."""
    from mlops_hooks.project.justfile.calls import body_invocations

    return any(invocation.lists for invocation in body_invocations(body))


def is_listing(recipe: RecipeInfo) -> bool:
    """Whether the recipe lists the recipes and runs nothing else first (no dependencies)."""
    return not recipe.dependencies and lists_recipes(recipe.body)


def just_calls(body: str) -> list[str]:
    """The recipes a body runs with ``just NAME`` (or ``{{ just_executable() }} NAME``)."""
    from mlops_hooks.project.justfile.calls import body_invocations, named_recipes

    found: list[str] = []
    for invocation in body_invocations(body):
        if invocation.subcommand is None and invocation.justfile is None:
            found.extend(word.text for word in named_recipes(invocation)[:1])
    return found
