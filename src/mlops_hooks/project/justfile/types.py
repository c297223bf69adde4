"""The value types of the justfile tree: recipes, statements, just's errors and the index.

Plain ``NamedTuple``s and one plain class (not dataclasses: see ``mlops_hooks/diagnostics.py``
on start-up time); nothing here reads a file or runs a process.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from mlops_hooks.diagnostics import Span
    from mlops_hooks.project.justfile.scan import ScannedFile
    from mlops_hooks.source import SourceFile


class Parameter(NamedTuple):
    """A recipe parameter: ``kind`` is ``singular``, ``plus`` (``+x``) or ``star`` (``*x``)."""

    name: str
    kind: str
    default: str | None
    export: bool


class Dependency(NamedTuple):
    """A dependency: the recipe it runs, its arguments as written, and whether it runs after
    the body (``&&``)."""

    recipe: str
    arguments: tuple[str, ...]
    after: bool


class Attribute(NamedTuple):
    """A recipe attribute (``group``, ``private``, ``confirm``, ``doc`` ...) and its arguments."""

    name: str
    arguments: tuple[str, ...]


class RecipeInfo(NamedTuple):
    """One recipe of the tree, with where it is written.

    ``name`` is the full path (``docker::build`` inside module ``docker``). ``path`` is the
    posix path relative to the project root and ``line`` the 1-based header line; both are
    ``""``/``0`` in the rare case the scanner could not find the header (never guessed).
    """

    name: str
    module: str
    path: str
    line: int
    name_span: Span | None
    block_first: int
    body: str
    attributes: tuple[Attribute, ...]
    groups: tuple[str, ...]
    doc: str | None
    dependencies: tuple[Dependency, ...]
    private: bool
    quiet: bool
    shebang: bool
    parameters: tuple[Parameter, ...]

    @property
    def short_name(self) -> str:
        """The name inside its module (``build`` for ``docker::build``)."""
        return self.name.rsplit("::", 1)[-1]


class Include(NamedTuple):
    """An ``import``/``mod`` statement and what it resolves to.

    ``target`` is the resolved file relative to the project root, or None when the file is
    missing (``missing``) or outside the root (``outside``, never read).
    """

    keyword: str
    optional: bool
    name: str | None
    literal: str | None
    path: str
    line: int
    span: Span
    target: str | None
    missing: bool
    outside: bool
    #: Module path of the statement's file ("" for the root module).
    module: str


class JustError(NamedTuple):
    """just's own error (or why just could not run): message, file and 1-based position, and
    for an error of just's parser, the version of the just that gave it (else empty)."""

    message: str
    path: str
    line: int
    column: int
    version: str = ""


class TreeFile(NamedTuple):
    """One file of the tree: its text, what the scanner found, and its module path."""

    path: str
    source: SourceFile
    scanned: ScannedFile
    module: str


class JustfileIndex:
    """The justfile tree of a project: files, statements, recipes and aliases.

    When just fails (``error`` set), ``recipes`` and ``aliases`` are empty: rules that need
    them must not conclude anything (a missing task may be in the part that failed).
    (A plain class, not a dataclass: see ``mlops_hooks/diagnostics.py`` on start-up time.)
    """

    def __init__(
        self,
        path: str,
        files: dict[str, TreeFile] | None = None,
        includes: tuple[Include, ...] = (),
        recipes: dict[str, RecipeInfo] | None = None,
        aliases: dict[str, str] | None = None,
        modules: dict[str, str] | None = None,
        first: str | None = None,
        settings: dict[str, Any] | None = None,
        error: JustError | None = None,
        complete: bool = False,
        unreadable: dict[str, JustError] | None = None,
    ) -> None:
        self.path = path
        self.files: dict[str, TreeFile] = files if files is not None else {}
        self.includes = includes
        self.recipes: dict[str, RecipeInfo] = recipes if recipes is not None else {}
        self.aliases: dict[str, str] = aliases if aliases is not None else {}
        self.modules: dict[str, str] = modules if modules is not None else {}
        #: Name of the root module's first recipe (what a bare ``just`` runs).
        self.first = first
        #: The root module's settings as just dumps them (``dotenv_load``, ``default_list``).
        self.settings: dict[str, Any] = settings if settings is not None else {}
        self.error = error
        #: Whether every file of the tree was read (False when there were too many, so a file
        #: missing from ``files`` may still belong to the tree).
        self.complete = complete
        #: Files of the tree that could not be read (binary, too large), with why.
        self.unreadable: dict[str, JustError] = unreadable if unreadable is not None else {}

    @property
    def loaded(self) -> bool:
        """Whether just parsed the tree (recipes are known)."""
        return self.error is None

    @property
    def names(self) -> frozenset[str]:
        """Every name ``just NAME`` accepts: recipes, aliases and modules (``a::b`` paths)."""
        return frozenset({*self.recipes, *self.aliases, *self.modules})

    def resolve(self, name: str) -> RecipeInfo | None:
        """The recipe ``name`` runs (following an alias), if any."""
        return self.recipes.get(self.aliases.get(name, name))

    def recipes_in(self, path: str) -> Iterator[RecipeInfo]:
        """The recipes written in file ``path``, in line order."""
        found = [r for r in self.recipes.values() if r.path == path]
        return iter(sorted(found, key=lambda r: r.line))

    def includes_in(self, path: str) -> Iterator[Include]:
        """The ``import``/``mod`` statements written in file ``path``."""
        return (i for i in self.includes if i.path == path)
