"""Checkers: one package per kind of file, each owning its parser, model and rules.

A checker package ``checkers/<kind>/`` defines one :class:`Checker` subclass in its
``__init__.py`` (bound to the module-level name ``CHECKER``) and one rule per module under
``rules/``. Adding a kind touches no other kind and no core table: the registry finds it by
walking this package, and the docs, the test helpers, the fuzz suite and the CLI help read
what they need to know about the kind (:attr:`Checker.title`, :attr:`Checker.example_path`,
:attr:`Checker.fence` ...) from its checker.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, TypeVar, cast

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


class Level(NamedTuple):
    """One graded hook of a kind: the rule method, and the parts of the model it is called on.

    ``Level("check_stage", "stages")`` calls ``rule.check_stage(stage)`` for each stage of the
    model; ``items`` names an attribute or a method of the model (``""``: the model itself);
    ``with_model`` passes the model too (``rule.check_recipe(recipe, model)``).
    """

    hook: str
    items: str = ""
    with_model: bool = False


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
    #: What the docs call the kind (``"GitHub Actions workflow"``).
    title: ClassVar[str] = ""
    #: A one-line description for ``mlops-hooks rules`` and the docs.
    description: ClassVar[str] = ""
    #: The files the kind reads, as the docs describe them (``"`Dockerfile`, `*.dockerfile`"``).
    files: ClassVar[str] = ""
    #: Where a rule example is written when it names no path; also the file the fuzz suite
    #: generates. ``matches`` must accept it.
    example_path: ClassVar[str] = ""
    #: The code-fence language of the kind's examples in the docs (``"dockerfile"``).
    fence: ClassVar[str] = ""
    #: The base class of the kind's rules, and the graded hooks :meth:`run` calls in order.
    rule_base: ClassVar[type] = object
    levels: ClassVar[tuple[Level, ...]] = ()
    #: Kind-level settings (routing globs and the like), a dataclass read from
    #: ``[tool.mlops-hooks.kinds.<kind>]``; validated like rule options.
    Options: ClassVar[type] = NoOptions
    options: Any = NoOptions()

    #: The pre-commit hook of this kind (``.pre-commit-hooks.yaml`` is generated from these):
    #: its id and the ``files`` regex pre-commit filters on (the files of the declared
    #: :attr:`facts` are added to it). Every hook is given the files of the commit and checks
    #: them with ``--scope changed`` (see :mod:`mlops_hooks.scope`).
    #: (Use scoped flags such as ``(?i:...)``: the all-in-one hook joins these regexes.)
    hook_id: ClassVar[str] = ""
    hook_files: ClassVar[str] = ""
    #: Whether a finding in one file of this kind can depend on another file of the kind (a
    #: workflow calls a recipe of a ``tasks/*.just`` module): a change to one then counts as
    #: a change of context for the others (see :func:`mlops_hooks.scope.context_pattern`).
    cross_file: ClassVar[bool] = False
    #: Files of this kind count only in the project at the top of the git repository: the
    #: tool that runs them (pre-commit, GitHub Actions) reads no other. A nested project's
    #: (course material, an example) are not checked.
    repository_root_only: ClassVar[bool] = False
    #: The project facts this kind's rules read (names of
    #: :data:`mlops_hooks.project.facts.FACTS`): the hook also runs when their files change.
    facts: ClassVar[tuple[str, ...]] = ()
    #: The module of this kind's parser if that parser cannot run in a process forked after
    #: the module was loaded: ``dockerfile`` starts a Go runtime, whose threads a fork does
    #: not copy, so a call into it from the child can wait forever. Once the module is
    #: loaded, the engine checks this kind's files in the process that loaded it.
    fork_unsafe_parser: ClassVar[str | None] = None

    def configured(self, options: Any) -> Checker:
        """A copy of this checker with ``options`` (an instance of ``Options``)."""
        import copy  # only for a configured checker: copy's weakref import costs start-up

        clone = copy.copy(self)
        clone.options = options
        return clone

    @abstractmethod
    def matches(self, relpath: str) -> bool:
        """Whether this checker handles the file at ``relpath`` (posix, repo-relative)."""

    def wants(self, source: SourceFile, rules: Sequence[Rule]) -> bool:
        """Cheap prefilter before parsing; ``False`` skips the file without parsing it."""
        return True

    def costly(self, relpath: str, raw: bytes, rules: Sequence[type[Rule]]) -> bool:
        """Whether checking ``raw`` may load a parser that costs a large share of a short run
        (LibCST imports in 100 to 250 ms): the engine then checks such files in a process
        beside the main one when a core is spare, so that the cost overlaps the other files'.
        A look at the bytes only; a wrong answer costs time, never a finding."""
        return False

    def load(self, path: str, raw: bytes, relpath: str) -> SourceFile:
        """Decode the bytes (raises :class:`mlops_hooks.source.DecodeError`)."""
        return SourceFile.from_bytes(path, raw, relpath)

    @abstractmethod
    def parse(self, source: SourceFile, project: Project, rules: Sequence[Rule]) -> Any:
        """Parse once into this kind's model; raise :class:`ParseError` when it cannot.

        ``rules`` are the rules that will run on the model (a parser may skip what none of
        them reads)."""

    def run(self, model: Any, rules: Sequence[Rule]) -> None:
        """Run every rule on the model: each declared :attr:`levels` in order, calling only
        the rules that override its hook. A kind whose walk is not a list of levels overrides
        this."""
        for level in self.levels:
            called: list[Any] = hooked(rules, self.rule_base, level.hook)
            methods = [getattr(rule, level.hook) for rule in called]
            if not methods:
                continue  # nothing to call: the items are not even computed
            items: Any = getattr(model, level.items) if level.items else (model,)
            if callable(items):
                items = items()
            for item in items:
                for method in methods:
                    if level.with_model:
                        method(item, model)
                    else:
                        method(item)

    # -- where a suppression comment goes (the engine's suppressions and --add-noqa) --------

    def comment_placement(self, source: SourceFile) -> str:
        """Where ``check --add-noqa`` writes a suppression for a line: ``"above"`` (a comment
        line above it, with its indentation) or ``"end"`` (at the end of the line)."""
        return "above"

    def suppression_anchors(self, source: SourceFile) -> dict[int, int]:
        """The lines that cannot carry a comment (text of a block scalar, a heredoc, a string)
        -> the line whose suppression covers them (see :mod:`mlops_hooks.comments`)."""
        return {}

    def comment_lines(self, source: SourceFile) -> dict[int, int] | None:
        """The lines that hold a real comment -> the 0-based column where it starts, when the
        kind can tell (None: every ``#`` on a line of its own or after code is a comment)."""
        return None
