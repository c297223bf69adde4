"""The rule base class, its examples, and typed per-rule options.

A rule is one class in one module: identity (``code``, ``name``), docs (the docstring's
sections), ``severity``, ``examples`` (data, run by one parametrized test and shown in the docs)
and an ``Options`` class. A rule reports through :meth:`Rule.report`; it never prints,
reads flags, touches the filesystem or looks at suppressions.

Options are declared with :func:`options` and :func:`option` (a frozen, typed record, like a
dataclass but without the start-up cost of ``dataclasses``); a ``dataclasses.dataclass`` with
``metadata={"doc": ...}`` fields works too, for third-party rules.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping, Sequence
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    NamedTuple,
    TypeVar,
    Union,
    cast,
    get_args,
    get_origin,
)

from mlops_hooks.diagnostics import Diagnostic, Fix, FixSafety, Severity, Span
from mlops_hooks.lazyre import lazy

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform

    from mlops_hooks.project import Project
    from mlops_hooks.source import SourceFile
else:

    def dataclass_transform(**kwargs: Any) -> Callable[[Any], Any]:
        return lambda decorated: decorated


T = TypeVar("T")

CODE_RE = lazy(r"^[A-Z]{3}\d{3}$")
NAME_RE = lazy(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
DOC_SECTIONS = ("What it does", "Why is this bad?")
#: Sections the docs render from the tested ``examples``; prose in the docstring would be
#: examples that no test runs, so a docstring may not have them.
EXAMPLE_SECTIONS = ("Example", "Use instead")


_EMPTY: Mapping[str, Any] = types.MappingProxyType({})


class Good(NamedTuple):
    """Source that the rule must not flag."""

    source: str
    path: str | None = None
    options: Mapping[str, Any] = _EMPTY
    files: Mapping[str, str] = _EMPTY


class Bad(NamedTuple):
    """Source that the rule flags exactly at ``span`` (and more ``spans`` if given).

    ``message`` is the exact message of the first finding; ``fixed`` the text after applying
    the rule's fix (unsafe fixes included).
    """

    source: str
    span: tuple[int, int, int, int]
    message: str | None = None
    fixed: str | None = None
    path: str | None = None
    options: Mapping[str, Any] = _EMPTY
    files: Mapping[str, str] = _EMPTY
    spans: tuple[tuple[int, int, int, int], ...] = ()

    @property
    def all_spans(self) -> tuple[tuple[int, int, int, int], ...]:
        """Every expected span, first one first."""
        return (self.span, *self.spans)


Example = Good | Bad


class _Option(NamedTuple):
    default: Any
    doc: str
    factory: Callable[[], Any] | None


def option(default: T, doc: str) -> T:
    """Declare one option of an :func:`options` class: its default and its documentation.

    A mutable default (list, dict, set) is copied for each instance.
    """
    factory: Callable[[], Any] | None = None
    if isinstance(default, (list, dict, set)):
        factory = default.copy
    marker: Any = _Option(default, doc, factory)
    return cast(T, marker)


@dataclass_transform(frozen_default=True, field_specifiers=(option,))
def options(cls: type[T]) -> type[T]:
    """Make ``cls`` a frozen record of typed options declared with :func:`option`.

    Like ``@dataclass(frozen=True)`` (keyword construction, ``==``, ``repr``), without the
    code generation that makes dataclasses slow to define at start-up.
    """
    declared: dict[str, Any] = vars(cls).get("__annotations__", {})
    fields: list[tuple[str, _Option]] = []
    for attr in declared:
        value = vars(cls).get(attr)
        if not isinstance(value, _Option):
            raise TypeError(f"{cls.__qualname__}.{attr} must be declared with option(default, doc)")
        fields.append((attr, value))
        delattr(cls, attr)
    cls.__option_fields__ = tuple(fields)  # type: ignore[attr-defined]
    for name, method in _RECORD_METHODS.items():
        setattr(cls, name, method)
    return cls


def _record_fields(record: Any) -> tuple[tuple[str, _Option], ...]:
    fields: tuple[tuple[str, _Option], ...] = type(record).__option_fields__
    return fields


def _record_init(self: Any, **values: Any) -> None:
    fields = _record_fields(self)
    unknown = set(values) - {attr for attr, _ in fields}
    if unknown:
        raise TypeError(f"{type(self).__qualname__} got unexpected options {sorted(unknown)}")
    for attr, spec in fields:
        default = spec.factory() if spec.factory else spec.default
        object.__setattr__(self, attr, values.get(attr, default))
    post_init = getattr(self, "__post_init__", None)
    if post_init is not None:  # validation across options, as with dataclasses
        post_init()


def _record_setattr(self: Any, attr: str, value: Any) -> None:
    raise AttributeError(f"{type(self).__qualname__} options are read-only")


def _record_eq(self: Any, other: object) -> bool:
    if type(other) is not type(self):
        return False
    return all(bool(getattr(self, a) == getattr(other, a)) for a, _ in _record_fields(self))


def _record_repr(self: Any) -> str:
    body = ", ".join(f"{a}={getattr(self, a)!r}" for a, _ in _record_fields(self))
    return f"{type(self).__qualname__}({body})"


_RECORD_METHODS: dict[str, Any] = {
    "__init__": _record_init,
    "__setattr__": _record_setattr,
    "__eq__": _record_eq,
    "__hash__": None,
    "__repr__": _record_repr,
}


@options
class NoOptions:
    """A rule without options."""


class RuleContext:
    """What a rule may see of the run: the file, the project, and where findings go."""

    __slots__ = ("project", "sink", "source")

    def __init__(
        self, source: SourceFile, project: Project, sink: list[Diagnostic] | None = None
    ) -> None:
        self.source = source
        self.project = project
        self.sink: list[Diagnostic] = [] if sink is None else sink


class Rule:
    """Base of every rule. Subclass a checker's base (e.g. ``DockerfileRule``), not this."""

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    kind: ClassVar[str] = ""
    #: Other kinds whose checkers also run this rule (a cross-file rule that looks at, say,
    #: both workflows and the pre-commit config subclasses both kinds' bases).
    extra_kinds: ClassVar[tuple[str, ...]] = ()
    severity: ClassVar[Severity] = Severity.ERROR
    default_enabled: ClassVar[bool] = True
    fix_safety: ClassVar[FixSafety | None] = None
    added_in: ClassVar[str] = "0.1.0"
    examples: ClassVar[Sequence[Example]] = ()
    Options: ClassVar[type] = NoOptions
    #: For a parse-error rule (``XXX000``): the engine reports unreadable files with it.
    parse_error: ClassVar[bool] = False

    options: Any

    def __init__(self, context: RuleContext, options: Any = None) -> None:
        self.context = context
        self.options = options if options is not None else self.Options()

    @property
    def source(self) -> SourceFile:
        """The file being checked."""
        return self.context.source

    @property
    def project(self) -> Project:
        """Repository-level context for cross-file rules."""
        return self.context.project

    def report(
        self,
        span: Span,
        message: str,
        *,
        fix: Fix | None = None,
        severity: Severity | None = None,
        path: str | None = None,
    ) -> None:
        """Record a finding of this rule (``path`` only for findings in another file)."""
        self.context.sink.append(
            Diagnostic(
                code=self.code,
                name=self.name,
                path=path if path is not None else self.source.path,
                span=span,
                message=message,
                severity=severity or self.severity,
                fix=fix,
            )
        )

    @classmethod
    def summary(cls) -> str:
        """The first line of the docstring."""
        return (cls.__doc__ or "").strip().splitlines()[0].strip() if cls.__doc__ else ""

    @classmethod
    def doc_sections(cls) -> dict[str, str]:
        """The docstring split into its ``## Section`` parts (plus ``summary``)."""
        return split_doc(cls.__doc__ or "")

    @classmethod
    def option_specs(cls) -> list[OptionSpec]:
        """The typed options of this rule, in declaration order."""
        return option_specs(cls.Options)


def split_doc(doc: str) -> dict[str, str]:
    """Split a rule docstring into ``{"summary": ..., "What it does": ..., ...}``."""
    import inspect

    text = inspect.cleandoc(doc)
    sections: dict[str, list[str]] = {"summary": []}
    current = "summary"
    for line in text.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = []
        else:
            sections[current].append(line)
    return {key: "\n".join(lines).strip() for key, lines in sections.items()}


class OptionSpec(NamedTuple):
    """One option of a rule: its config key, type, default and doc."""

    key: str
    attr: str
    type: Any
    default: Any
    doc: str

    @property
    def type_name(self) -> str:
        """The type as users write it in docs."""
        return _type_name(self.type)


def option_specs(options_cls: type) -> list[OptionSpec]:
    """Read the fields of an ``Options`` class (:func:`options` or a dataclass)."""
    import typing

    fields: tuple[tuple[str, _Option], ...] | None = getattr(options_cls, "__option_fields__", None)
    if fields is not None:
        hints = typing.get_type_hints(options_cls)
        return [
            OptionSpec(attr.replace("_", "-"), attr, hints[attr], spec.default, spec.doc)
            for attr, spec in fields
        ]
    import dataclasses

    if not dataclasses.is_dataclass(options_cls):
        raise TypeError(f"{options_cls!r} is neither an @options class nor a dataclass")
    hints = typing.get_type_hints(options_cls)
    specs = []
    for f in dataclasses.fields(options_cls):
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:  # pragma: no cover - a rule author error caught by the meta-tests
            raise TypeError(f"option {f.name} of {options_cls.__qualname__} has no default")
        specs.append(
            OptionSpec(
                key=f.name.replace("_", "-"),
                attr=f.name,
                type=hints[f.name],
                default=default,
                doc=str(f.metadata.get("doc", "")),
            )
        )
    return specs


def _type_name(tp: Any) -> str:
    if tp is Ellipsis:
        return "..."
    origin = get_origin(tp)
    if origin is None:
        return getattr(tp, "__name__", str(tp))
    args = ", ".join(_type_name(a) for a in get_args(tp))
    if origin in (Union, types.UnionType):
        return " | ".join(_type_name(a) for a in get_args(tp))
    return f"{getattr(origin, '__name__', str(origin))}[{args}]"


class OptionError(ValueError):
    """An option value of the wrong type or an unknown option key."""


def build_options(rule: type[Rule], values: Mapping[str, Any]) -> Any:
    """Validate ``values`` (config keys, kebab-case) against ``rule.Options`` and build it."""
    return build_record(rule.Options, values, f"rule {rule.code} ({rule.name})", rule.name)


def build_record(options_cls: type, values: Mapping[str, Any], owner: str, prefix: str) -> Any:
    """Validate ``values`` against the fields of ``options_cls`` and build an instance."""
    specs = {spec.key: spec for spec in option_specs(options_cls)}
    kwargs = {}
    for key, value in values.items():
        spec = specs.get(key) or specs.get(key.replace("_", "-"))
        if spec is None:
            valid = ", ".join(sorted(specs)) or "none"
            raise OptionError(f"unknown option {key!r} for {owner}; valid options: {valid}")
        kwargs[spec.attr] = _coerce(value, spec.type, f"{prefix}.{spec.key}")
    return options_cls(**kwargs)


def _coerce(value: Any, tp: Any, where: str) -> Any:
    origin = get_origin(tp)
    args = get_args(tp)
    if origin in (Union, types.UnionType):
        for arg in args:
            try:
                return _coerce(value, arg, where)
            except OptionError:
                continue
        raise OptionError(f"option {where}: expected {_type_name(tp)}, got {value!r}")
    if tp is type(None):
        if value is None:
            return None
    elif tp is bool:
        if isinstance(value, bool):
            return value
    elif tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif tp is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif tp is str:
        if isinstance(value, str):
            return value
    elif origin in (list, tuple, Sequence, frozenset, set):
        if isinstance(value, (list, tuple)):
            items = [_coerce(item, args[0] if args else Any, where) for item in value]
            return tuple(items) if origin in (tuple, Sequence) else origin(items)
    elif origin in (dict, Mapping):
        if isinstance(value, Mapping):
            kt, vt = args if args else (Any, Any)
            return {_coerce(k, kt, where): _coerce(v, vt, where) for k, v in value.items()}
    elif tp is Any:
        return value
    raise OptionError(f"option {where}: expected {_type_name(tp)}, got {value!r}")
