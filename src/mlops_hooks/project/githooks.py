"""Which git hooks the project's task runner installs, and with which hook types.

Read from the justfile tree's recipe bodies (parsed by ``just --dump``, see
:mod:`mlops_hooks.project.justfile.index`); nothing is executed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mlops_hooks.shell import Word, logical_lines, split

if TYPE_CHECKING:
    from mlops_hooks.project import Project

#: Commands that are pre-commit (or its drop-in replacement prek) when followed by ``install``.
_CLIENTS = ("pre-commit", "prek", "pre_commit")


@dataclass(frozen=True)
class InstallRecipe:
    """A justfile recipe that runs ``pre-commit install`` and the hook types it names."""

    recipe: str
    hook_types: frozenset[str]


def justfile_installs(project: Project) -> tuple[InstallRecipe, ...] | None:
    """The recipes of the project's justfile that run ``pre-commit install`` (None without a
    justfile). When just cannot parse the tree, the files' indented lines are read instead."""
    return project.cached("githooks.justfile-installs", _load_installs)


def _load_installs(project: Project) -> tuple[InstallRecipe, ...] | None:
    from mlops_hooks.project.justfile.index import justfile_index

    index = justfile_index(project)
    if index is None:
        return None
    found: list[InstallRecipe] = []
    if index.loaded:
        for name, recipe in sorted(index.recipes.items()):
            types = install_hook_types(recipe.body.splitlines())
            if types is not None:
                found.append(InstallRecipe(name, types))
    else:
        for path, tree in sorted(index.files.items()):
            lines = tree.source.text.splitlines()
            body = [line for line in lines if line[:1] in (" ", "\t")]
            types = install_hook_types(body)
            if types is not None:
                found.append(InstallRecipe(path, types))
    return tuple(found)


def install_hook_types(lines: Iterable[str]) -> frozenset[str] | None:
    """The ``--hook-type``/``-t`` values of every ``pre-commit install`` in ``lines`` (an
    empty set for a bare ``pre-commit install``); None when no line runs it."""
    found: set[str] | None = None
    for line in logical_lines(lines):
        # just's `@` (quiet) and `-` (ignore errors) prefixes are not part of the command.
        text = line.text.strip().lstrip("@-")
        for command in split(text, templates=True):
            words = command.words
            for start, word in enumerate(words[:-1]):
                name = word.text.rsplit("/", 1)[-1]
                if name not in _CLIENTS or words[start + 1].text != "install":
                    continue
                found = set() if found is None else found
                found |= _types_after(words[start + 2 :])
    return None if found is None else frozenset(found)


def _types_after(words: Sequence[Word]) -> set[str]:
    types: set[str] = set()
    expect = False
    for word in words:
        value = word.text
        if expect:
            types.add(value)
            expect = False
        elif value in ("-t", "--hook-type"):
            expect = True
        elif value.startswith("--hook-type="):
            types.add(value.split("=", 1)[1])
        elif value.startswith("-t") and not value.startswith("--") and len(value) > 2:
            types.add(value[2:].lstrip("="))
    return types
