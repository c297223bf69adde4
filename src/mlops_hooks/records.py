"""Records: ``@record`` classes behave as ``@dataclasses.dataclass`` ones, cheaper to define.

A hook process starts on every commit. ``dataclasses`` costs it twice at start-up: its import
pulls in ``inspect`` (and with it ``dis``, ``tokenize``, ``linecache``), and each decorated
class compiles several generated methods, one ``exec`` each. A commit that touches every
kind defines about twenty such classes: about 15 ms of a 180 ms run. A record compiles its
``__init__`` alone (so building an instance costs what a dataclass's does) and shares one
``__repr__``, ``__eq__`` and ``__hash__`` across classes.

What is supported is what the model classes use, with the dataclass meaning: positional or
keyword construction in field order, defaults and :func:`field` (``default``,
``default_factory``, ``repr``, ``compare``), ``frozen``, ``eq`` and ``slots``. Fields come
from the class's own annotations (``ClassVar`` ones are not fields); a record does not
inherit another record's fields, and ``__post_init__`` is not called. Type checkers read a
record as a dataclass (:func:`typing.dataclass_transform`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, overload

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:  # a marker for type checkers alone (typing has it from Python 3.11)

    def dataclass_transform(**kwargs: Any) -> Callable[[Any], Any]:
        return lambda decorated: decorated


T = TypeVar("T")


class _Field(NamedTuple):
    default: Any
    factory: Callable[[], Any] | None
    repr: bool
    compare: bool


_MISSING: Any = object()


@overload
def field(*, default: T, repr: bool = True, compare: bool = True) -> T: ...
@overload
def field(*, default_factory: Callable[[], T], repr: bool = True, compare: bool = True) -> T: ...
@overload
def field(*, repr: bool = True, compare: bool = True) -> Any: ...
def field(
    *,
    default: Any = _MISSING,
    default_factory: Callable[[], Any] | None = None,
    repr: bool = True,
    compare: bool = True,
) -> Any:
    """A field with more than a default (as :func:`dataclasses.field`)."""
    if default is not _MISSING and default_factory is not None:
        raise ValueError("a field takes a default or a default_factory, not both")
    return _Field(default, default_factory, repr, compare)


class _Spec(NamedTuple):
    name: str
    field: _Field


@overload
def record(cls: type[T], /) -> type[T]: ...
@overload
def record(
    *, frozen: bool = False, eq: bool = True, slots: bool = False
) -> Callable[[type[T]], type[T]]: ...
@dataclass_transform(field_specifiers=(field,))
def record(
    cls: type[T] | None = None, /, *, frozen: bool = False, eq: bool = True, slots: bool = False
) -> type[T] | Callable[[type[T]], type[T]]:
    """Make ``cls`` a record (see the module docstring); used as ``@dataclass`` is."""

    def wrap(cls: type[T]) -> type[T]:
        return _make(cls, frozen=frozen, eq=eq, slots=slots)

    return wrap if cls is None else wrap(cls)


def _make(cls: type[T], *, frozen: bool, eq: bool, slots: bool) -> type[T]:
    own = vars(cls)
    annotations: dict[str, Any] = own.get("__annotations__", {})
    specs: list[_Spec] = []
    for name, annotation in annotations.items():
        if _is_classvar(annotation):
            continue
        value = own.get(name, _MISSING)
        spec = value if isinstance(value, _Field) else _Field(value, None, True, True)
        if specs and not _required(specs[-1].field) and _required(spec):
            raise TypeError(f"{cls.__qualname__}: field {name} without a default follows one with")
        specs.append(_Spec(name, spec))
    fields = tuple(specs)
    methods: dict[str, Any] = {
        "__record_fields__": fields,
        "__match_args__": tuple(spec.name for spec in fields),
        "__init__": _init(cls.__qualname__, fields, frozen),
        "__repr__": _repr,
    }
    if eq:
        methods["__eq__"] = _eq
        methods["__hash__"] = _hash if frozen else None
    if frozen:
        methods["__setattr__"] = _frozen_setattr
        methods["__delattr__"] = _frozen_delattr
    if not slots:
        # As a dataclass: the class keeps a field's default as its attribute.
        for name, spec in fields:
            if spec.default is _MISSING:
                if name in own:
                    delattr(cls, name)
            else:
                setattr(cls, name, spec.default)
        for attribute, value in methods.items():
            setattr(cls, attribute, value)
        return cls
    # Slots are made with the class: it is made again, as dataclasses does.
    namespace = {k: v for k, v in own.items() if k not in {spec.name for spec in fields}}
    namespace.pop("__dict__", None)
    namespace.pop("__weakref__", None)
    namespace.update(methods, __slots__=tuple(spec.name for spec in fields))
    if frozen:  # copy and pickle restore the slots without the refused __setattr__
        namespace.update(__getstate__=_getstate, __setstate__=_setstate)
    metaclass: Any = type(cls)
    made: type[T] = metaclass(cls.__name__, cls.__bases__, namespace)
    return made


def _is_classvar(annotation: Any) -> bool:
    text = annotation if isinstance(annotation, str) else repr(annotation)
    return text.startswith(("ClassVar", "typing.ClassVar", "Final", "typing.Final"))


def _required(spec: _Field) -> bool:
    return spec.default is _MISSING and spec.factory is None


def _init(qualname: str, fields: tuple[_Spec, ...], frozen: bool) -> Callable[..., None]:
    """``__init__`` for ``fields``, compiled once for the class (as fast as a dataclass's)."""
    scope: dict[str, Any] = {"_MISSING": _MISSING, "_set": object.__setattr__}
    params: list[str] = []
    body: list[str] = []
    for index, (name, spec) in enumerate(fields):
        if not name.isidentifier():
            raise TypeError(f"{qualname}: {name!r} is not a field name")
        if spec.factory is not None:
            scope[f"_f{index}"] = spec.factory
            params.append(f"{name}=_MISSING")
            value = f"_f{index}() if {name} is _MISSING else {name}"
        elif spec.default is not _MISSING:
            scope[f"_d{index}"] = spec.default
            params.append(f"{name}=_d{index}")
            value = name
        else:
            params.append(name)
            value = name
        body.append(f"_set(self, {name!r}, {value})" if frozen else f"self.{name} = {value}")
    source = f"def __init__(self, {', '.join(params)}):\n    " + "\n    ".join(body or ["pass"])
    # As dataclasses does; the template holds only the identifiers of our own classes'
    # fields, never anything read from a checked repository.
    exec(source, scope)  # noqa: S102  # nosec B102
    init: Callable[..., None] = scope["__init__"]
    init.__qualname__ = f"{qualname}.__init__"
    return init


def _fields(self: Any) -> tuple[_Spec, ...]:
    fields: tuple[_Spec, ...] = type(self).__record_fields__
    return fields


def _repr(self: Any) -> str:
    body = ", ".join(f"{n}={getattr(self, n)!r}" for n, spec in _fields(self) if spec.repr)
    return f"{type(self).__qualname__}({body})"


def _compared(self: Any) -> tuple[Any, ...]:
    return tuple(getattr(self, n) for n, spec in _fields(self) if spec.compare)


def _eq(self: Any, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented  # type: ignore[no-any-return]
    same: bool = _compared(self) == _compared(other)
    return same


def _hash(self: Any) -> int:
    return hash(_compared(self))


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, n) for n, _ in _fields(self)]


def _setstate(self: Any, state: list[Any]) -> None:
    for (name, _), value in zip(_fields(self), state, strict=True):
        object.__setattr__(self, name, value)


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise AttributeError(f"cannot assign to field {name!r} of a frozen {type(self).__qualname__}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise AttributeError(f"cannot delete field {name!r} of a frozen {type(self).__qualname__}")
