"""Small helpers over LibCST trees shared by the model, the walk and the evaluator."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import libcst as cst

#: The nodes that open a scope for names (parameters, local variables).
SCOPES = (
    cst.FunctionDef,
    cst.Lambda,
    cst.ListComp,
    cst.SetComp,
    cst.DictComp,
    cst.GeneratorExp,
)
# Fields that hold only punctuation and whitespace (comments included): never walked.
_SKIP_CODE_FIELDS = frozenset(
    {
        "lpar",
        "rpar",
        "leading_lines",
        "lines_after_decorators",
        "header",
        "footer",
        "comma",
        "semicolon",
        "equal",
        "colon",
        "dot",
        "operator",
        "lbracket",
        "rbracket",
        "lbrace",
        "rbrace",
        "asynchronous",
        "newline",
    }
)
_CODE_FIELDS: dict[type, tuple[str, ...]] = {}


def code_fields(node_type: type) -> tuple[str, ...]:
    """The fields of a node type that can hold code (cached per type)."""
    names = _CODE_FIELDS.get(node_type)
    if names is None:
        names = tuple(
            f.name
            for f in dataclasses.fields(node_type)
            if f.name not in _SKIP_CODE_FIELDS and not f.name.startswith("whitespace")
        )
        _CODE_FIELDS[node_type] = names
    return names


def children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The child nodes of ``node`` that carry code (not whitespace or punctuation)."""
    for name in code_fields(type(node)):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            yield value
        elif isinstance(value, (tuple, list)):
            for item in value:
                if isinstance(item, cst.CSTNode):
                    yield item


def dotted(expr: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a chain of names and attributes, else ``None``."""
    parts: list[str] = []
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    if not isinstance(expr, cst.Name):
        return None
    parts.append(expr.value)
    return ".".join(reversed(parts))


@contextmanager
def recursion_room(depth: int) -> Iterator[None]:
    """Raise the recursion limit for work that recurses a few frames per level of a tree
    ``depth`` deep (code generation, evaluation); the walk itself never recurses."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, depth * 8 + 200))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def local_names(node: cst.CSTNode) -> Iterator[str]:
    """Names bound in a function, lambda or comprehension (its parameters included), not in
    nested scopes; ``global``/``nonlocal`` names are not local."""
    declared: set[str] = set()
    bound: list[str] = []
    params = getattr(node, "params", None)
    if isinstance(params, cst.Parameters):
        for param in (
            *params.posonly_params,
            *params.params,
            *params.kwonly_params,
            params.star_arg,
            params.star_kwarg,
        ):
            if isinstance(param, cst.Param):
                bound.append(param.name.value)
    if isinstance(node, cst.FunctionDef):
        stack: list[cst.CSTNode] = [node.body]
    elif isinstance(node, (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)):
        stack = [node.for_in]
    else:
        stack = []
    while stack:
        item = stack.pop()
        if isinstance(item, (cst.FunctionDef, cst.ClassDef)):
            bound.append(item.name.value)
            continue
        if isinstance(
            item, (cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
        ):
            continue  # their own scope
        if isinstance(item, (cst.Global, cst.Nonlocal)):
            declared.update(n.name.value for n in item.names)
        elif isinstance(
            item,
            (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor, cst.NamedExpr),
        ):
            bound.extend(bound_names(item.target))
        elif isinstance(item, cst.AsName):
            bound.extend(bound_names(item.name))
        elif isinstance(item, cst.ImportAlias) and item.asname is None:
            bound.append(item.evaluated_name.split(".")[0])
        stack.extend(children(item))
    for name in bound:
        if name not in declared:
            yield name


def bound_names(target: cst.BaseExpression) -> Iterator[str]:
    """The names an assignment target binds (``a``, ``a, (b, *c)``)."""
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from bound_names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from bound_names(target.value)
