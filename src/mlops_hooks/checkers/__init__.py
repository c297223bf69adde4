"""Checkers: one package per kind of file, each owning its parser, model and rules.

A checker package ``checkers/<kind>/`` defines one :class:`Checker` subclass in its
``__init__.py`` (bound to the module-level name ``CHECKER``) and one rule per module under
``rules/``. Adding a kind touches no other kind: the registry finds it by walking this package.
"""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from mlops_hooks.rule import NoOptions
from mlops_hooks.source import SourceFile

if TYPE_CHECKING:
    from mlops_hooks.project import Project
    from mlops_hooks.rule import Rule


R = TypeVar("R")


def overrides(rule: object, base: type, hook: str) -> bool:
    """Whether ``rule`` (an instance or a class) overrides ``base``'s graded hook ``hook``."""
    cls = rule if isinstance(rule, type) else type(rule)
    return getattr(cls, hook) is not getattr(base, hook)


def hooked(rules: Sequence[object], base: type[R], hook: str) -> list[R]:
    """The rules of ``base``'s kind that override ``hook``: a checker calls only those, so a
    rule pays only for the level it works at (file, stage, instruction ...).

    A rule of another kind that lists this kind in ``extra_kinds`` is called when it defines
    ``hook`` (checkers never import each other, so it cannot subclass ``base``)."""
    kind = getattr(base, "kind", None)
    return [
        cast("R", r)
        for r in rules
        if (isinstance(r, base) and overrides(r, base, hook))
        or (
            not isinstance(r, base)
            and kind in getattr(r, "extra_kinds", ())
            and callable(getattr(r, hook, None))
        )
    ]


class ParseError(ValueError):
    """The file cannot be parsed; reported with the kind's ``XXX000`` rule."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class Checker(ABC):
    """Routes files of one kind, parses each once, and runs that kind's rules on the model."""

    #: The kind's name, e.g. ``"dockerfile"``; rules of the kind carry the same ``kind``.
    kind: ClassVar[str]
    #: A one-line description for ``mlops-hooks rules`` and the docs.
    description: ClassVar[str] = ""
    #: Kind-level settings (routing globs and the like), a dataclass read from
    #: ``[tool.mlops-hooks.kinds.<kind>]``; validated like rule options.
    Options: ClassVar[type] = NoOptions
    options: Any = NoOptions()

    #: The pre-commit hook of this kind (``.pre-commit-hooks.yaml`` is generated from these):
    #: its id, the ``files`` regex pre-commit filters on, and whether pre-commit passes file
    #: names (``False`` for kinds whose findings depend on other files: the hook then checks
    #: the whole repository whenever a matching file changes, so findings never depend on how
    #: pre-commit batches or splits the files).
    #: (Use scoped flags such as ``(?i:...)``: the all-in-one hook joins these regexes.)
    hook_id: ClassVar[str] = ""
    hook_files: ClassVar[str] = ""
    hook_pass_filenames: ClassVar[bool] = True

    def configured(self, options: Any) -> Checker:
        """A copy of this checker with ``options`` (an instance of ``Options``)."""
        clone = copy.copy(self)
        clone.options = options
        return clone

    @abstractmethod
    def matches(self, relpath: str) -> bool:
        """Whether this checker handles the file at ``relpath`` (posix, repo-relative)."""

    def wants(self, source: SourceFile, rules: Sequence[Rule]) -> bool:
        """Cheap prefilter before parsing; ``False`` skips the file without parsing it."""
        return True

    def load(self, path: str, raw: bytes, relpath: str) -> SourceFile:
        """Decode the bytes (raises :class:`mlops_hooks.source.DecodeError`)."""
        return SourceFile.from_bytes(path, raw, relpath)

    @abstractmethod
    def parse(self, source: SourceFile, project: Project) -> Any:
        """Parse once into this kind's model; raise :class:`ParseError` when it cannot."""

    @abstractmethod
    def run(self, model: Any, rules: Sequence[Rule]) -> None:
        """Run every rule on the model, calling each rule's graded hooks."""
