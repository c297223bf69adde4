"""The project's justfile tree, loaded once per run through just's own parser.

:func:`justfile_index` (also :attr:`mlops_hooks.project.Project.justfile`) finds the root
justfile, reads the files its ``import``/``mod`` statements reach
(:mod:`~mlops_hooks.project.justfile.discovery`: never outside the project root), runs
``just --dump`` on a private copy of them (:mod:`~mlops_hooks.project.justfile.sandbox`:
nothing is evaluated) and turns the dump into a :class:`JustfileIndex`
(:mod:`~mlops_hooks.project.justfile.convert`). Any kind may read it; this module imports
nothing heavy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from mlops_hooks.project.justfile import find_root_justfile
from mlops_hooks.project.justfile.convert import fill
from mlops_hooks.project.justfile.discovery import read_tree, unverified
from mlops_hooks.project.justfile.sandbox import dump, find_just
from mlops_hooks.project.justfile.types import JustError, JustfileIndex

if TYPE_CHECKING:
    from mlops_hooks.project import Project
    from mlops_hooks.source import SourceFile

CACHE_KEY = "justfile-index"


class _Slot:
    """The cached index of a project (mutable, so a fresher one can replace it)."""

    def __init__(self) -> None:
        self.loaded = False
        self.index: JustfileIndex | None = None


def justfile_index(project: Project) -> JustfileIndex | None:
    """The project's justfile tree (None without a root justfile), loaded once per run."""
    slot = project.cached(CACHE_KEY, lambda _: _Slot())
    if not slot.loaded:
        slot.index, slot.loaded = load_index(project), True
    return slot.index


def index_for(project: Project, source: SourceFile) -> JustfileIndex | None:
    """The index as it is with ``source``'s text for its file.

    The cached index serves every file whose text is the one it read. When the engine gives
    other text for a file of the tree (a fix being re-checked, or the file changed since the
    index was loaded), the tree is parsed again with that text; if the text was read from
    disk, the fresher index replaces the cached one for the other files and kinds.
    """
    index = justfile_index(project)
    relpath = source.relpath
    if index is not None:
        tree = index.files.get(relpath)
        if tree is None or tree.source.text == source.text:
            return index
    elif find_root_justfile(project.root) is None or source.raw is None:
        return None
    fresh = load_index(project, {relpath: source})
    if source.raw is not None:
        slot: _Slot = project.cached(CACHE_KEY, lambda _: _Slot())
        slot.index = fresh
    return fresh


def load_index(
    project: Project, overrides: Mapping[str, SourceFile] | None = None
) -> JustfileIndex | None:
    """Read the tree under ``project.root`` and parse it with just (see the module doc);
    ``overrides`` gives the text of some files instead of what is on disk."""
    root_file = find_root_justfile(project.root)
    if root_file is None:
        return None
    relroot = root_file.name
    index = JustfileIndex(path=relroot)
    if not project.contains(root_file):
        index.error = JustError("the justfile is a link to outside the project", relroot, 1, 1)
        return index
    includes, index.complete = read_tree(project, relroot, index, overrides or {})
    index.includes = tuple(includes)
    index.error = index.error or unverified(index)
    if index.error is not None:
        return index
    just = find_just()
    if just is None:
        index.error = JustError(
            "just is not installed: install the rust-just package (pip install rust-just)",
            relroot,
            1,
            1,
        )
        return index
    result = dump(just, index)
    if isinstance(result, JustError):
        index.error = result
        return index
    fill(index, result)
    return index
