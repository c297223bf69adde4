"""The first pass: CPython's own parser proves most files conforming, so LibCST never runs.

LibCST gives exact spans and formatting-preserving fixes, but parses about 15 times slower
than :mod:`ast` (C) and imports in about 100 ms. Most files that mention ``models:/`` load by
alias and have nothing to report, so :func:`conforming` looks at an ``ast`` tree first and
answers *conforming* only when it can prove that no enabled rule reports anything; in any
doubt it answers *not proven* and the LibCST pass (:mod:`.walk`) decides. The answer is a
proof, not a guess: the two passes must agree, and a property test checks it.

How it proves it:

- URI rules (``check_uri``): the string expressions that can hold a ``models:/`` URI are found
  as the LibCST walk finds them (the outermost ``+``/``%``/f-string/``str.format`` expression
  around a literal containing ``models:/``, or around a module-level name whose value does) and
  evaluated to their possible values: a module-level name is either a hole (shadowed, rebound,
  not a constant) or the value of one of its module-level assignments. Each possible value is
  split into URIs by :func:`~.uri.find_uris`, and the enabled rules themselves judge them
  (with a private sink): the URI logic exists once. A rule that reports, or asks where a
  character is (it only does so to report), means LibCST must look.
- Call rules: the calls of the deprecated stage API, of alias-taking client methods with an
  alias that may be invalid, and of ``start_run`` (MLF007) are candidates; a third-party
  rule that looks at calls or modules always sends the file to LibCST.
- Anything the evaluator does not model exactly (``%`` and ``str.format`` on known text,
  ``str(...)``, format specs and conversions in f-strings) is *not proven*.

This module does not import LibCST.
"""

from __future__ import annotations

import ast
import itertools
import warnings
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from mlops_hooks.checkers import ParseError, overrides
from mlops_hooks.checkers.python import _segment_words
from mlops_hooks.checkers.python.base import PythonRule
from mlops_hooks.checkers.python.bindings import record_imports
from mlops_hooks.checkers.python.depth import check_nesting, hand_over
from mlops_hooks.checkers.python.segments import select
from mlops_hooks.checkers.python.uri import (
    SCHEME,
    STAGE_ATTRIBUTE,
    Piece,
    alias_problem,
    find_uris,
)
from mlops_hooks.rule import RuleContext

if TYPE_CHECKING:
    from mlops_hooks.diagnostics import Span
    from mlops_hooks.rule import Rule
    from mlops_hooks.source import SourceFile

#: More possible values than this for one expression: not proven (keeps the pass linear).
MAX_VALUES = 64
#: Module-level constants defined through more names than this: not proven.
MAX_CHAIN = 50
_SCHEME_BYTES = SCHEME.encode()
_MLF005 = "mlops_hooks.checkers.python.rules.mlf005_deprecated_stage_api"
_MLF006 = "mlops_hooks.checkers.python.rules.mlf006_invalid_alias_name"
_MLF007 = "mlops_hooks.checkers.python.rules.mlf007_run_without_autolog"
#: The parents that :meth:`_FirstPass._hit` and :func:`_step` act on: the parts a string
#: expression is climbed through (and their parents that :func:`_step` checks), and the bare
#: statement. For any other parent :func:`_step` answers None, as for no parent at all.
_CLIMBED = frozenset(
    {
        ast.BinOp, ast.FormattedValue, ast.JoinedStr, ast.Call, ast.Starred, ast.keyword,
        ast.Attribute, ast.Tuple, ast.Expr,
    }
)  # fmt: skip
_LITERAL = (0,)  # `chars` of a literal piece: only whether it is None matters here


class _Undecided(Exception):  # noqa: N818 - a control-flow signal, not an error
    """The first pass cannot prove the file conforming."""


class Value(NamedTuple):
    """One possible value of an expression: pieces as :mod:`.evaluate` builds them."""

    pieces: tuple[Piece, ...]
    kind: str  # str, int, float, other
    py: str | int | float | None = None


_HOLE = Value((Piece(None, "{}", None),), "other")


class _Locator:
    """Positions are computed only to report: asking for one means a rule reports."""

    def base(self, anchor: object) -> int:
        raise _Undecided

    def extent(self, anchor: object) -> tuple[int, int]:
        raise _Undecided

    def span(self, start: int, end: int) -> Span:
        raise _Undecided


_LOCATOR = _Locator()


def parse(text: str) -> ast.Module | None:
    """``text`` parsed by CPython, or ``None`` when it does not parse (LibCST decides)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes etc. are not ours to report
            return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def conforming(source: SourceFile, rules: Sequence[Rule]) -> bool:
    """Whether no rule of ``rules`` can report anything in ``source`` (``False``: unknown)."""
    active = [rule for rule in rules if isinstance(rule, PythonRule)]
    if any(_unknown_shape(rule) for rule in active):
        return False
    # CPython's parser needs no nesting bound (it ends deep input with a SyntaxError or a
    # RecursionError, never a crash), nor does this pass (its walk is a loop, and a
    # recursion that goes too deep is a RecursionError: not proven). The bound is LibCST's:
    # it is checked only for a file that goes on to LibCST, which reports one nested too
    # deeply to check (MLF000); a file proven conforming here never needs it.
    tree = parse(source.text)
    if tree is None:
        return False
    statements: list[ast.stmt] = tree.body
    imports: dict[str, str] = {}
    words = _segment_words(tuple(type(rule) for rule in active))
    if words is not None:
        # Only the statements LibCST parses (see :mod:`.segments`): it cannot report on the
        # functions and classes it leaves out, so neither need this pass look at them.
        statements, _, imports = select(source, tree, words)
    try:
        proven = _FirstPass(tree, active).proves(statements, imports)
    except (_Undecided, RecursionError):
        proven = False
    if proven:
        return True
    try:
        check_nesting(source)
    except ParseError:
        return False  # the LibCST path bounds it again and reports it
    # The LibCST pass comes next for this very file: it takes the bounded, parsed tree
    # instead of bounding and parsing the text again.
    hand_over(source, tree)
    return False


def _unknown_shape(rule: PythonRule) -> bool:
    """A rule that looks at calls or whole modules and that this pass does not model."""
    module = type(rule).__module__
    if overrides(rule, PythonRule, "check_call") and module not in (_MLF005, _MLF006):
        return True
    return overrides(rule, PythonRule, "check_module") and module not in (_MLF005, _MLF007)


class _FirstPass:
    def __init__(self, tree: ast.Module, rules: list[PythonRule]) -> None:
        self.tree = tree
        self.parents: dict[ast.AST, ast.AST] = {}
        self.bindings = _module_bindings(tree)
        self.names: dict[str, list[Value]] = {}
        self.active: set[str] = set()
        context = rules[0].context if rules else None
        self.probes = [
            type(rule)(RuleContext(context.source, context.project, []), rule.options)
            for rule in rules
            if context is not None and overrides(rule, PythonRule, "check_uri")
        ]
        modules = {type(rule).__module__ for rule in rules}
        self.stage_api = _MLF005 in modules
        self.alias_calls = _MLF006 in modules
        self.start_run = _MLF007 in modules
        self.uri_names: set[str] = set()
        self.verdicts: dict[str, bool] = {}

    # -- the walk ---------------------------------------------------------------------------

    def proves(self, statements: list[ast.stmt], imports: dict[str, str]) -> bool:
        """Whether nothing in ``statements`` (top-level statements of the tree) can be
        reported; ``imports``: those made in the definitions left out (LibCST's model has
        them)."""
        if self.probes:
            self.uri_names = {name for name in self.bindings if self._names_uri(name)}
        roots: dict[int, ast.AST] = {}
        called: set[str] = set()
        imports = dict(imports)
        parents = self.parents
        stack: list[ast.AST] = list(statements)
        while stack:
            node = stack.pop()
            kind = type(node)
            if kind is ast.Constant:
                value = node.value  # type: ignore[attr-defined]
                if (type(value) is str and SCHEME in value) or (
                    type(value) is bytes and _SCHEME_BYTES in value
                ):
                    self._hit(node, roots)
                continue
            if kind is ast.JoinedStr:
                if any(
                    type(part) is ast.Constant and SCHEME in str(part.value)
                    for part in node.values  # type: ignore[attr-defined]
                ):
                    self._hit(node, roots)
            elif kind is ast.Name:
                if node.id in self.uri_names:  # type: ignore[attr-defined]
                    self._hit(node, roots)
                continue
            elif kind is ast.Call:
                self._call(node, called)  # type: ignore[arg-type]
            elif kind is ast.Compare and self.stage_api:
                self._compare(node)  # type: ignore[arg-type]
            elif kind is ast.Import or kind is ast.ImportFrom:
                record_imports(node, imports)  # type: ignore[arg-type]
            # Only a parent that _hit or _step looks at is recorded (any other ends the climb
            # as a missing one does): the map stays a fraction of the tree.
            climbed = kind in _CLIMBED
            for field in node._fields:
                child = getattr(node, field, None)
                if type(child) is list:
                    for item in child:
                        if isinstance(item, ast.AST):
                            if climbed:
                                parents[item] = node
                            stack.append(item)
                elif isinstance(child, ast.AST):
                    if climbed:
                        parents[child] = node
                    stack.append(child)
        if self.start_run:
            from mlops_hooks.checkers.python.rules.mlf007_run_without_autolog import START_RUN

            starts = {"start_run", *(k for k, v in imports.items() if v in START_RUN)}
            if starts & called:
                return False
        return True

    def _call(self, node: ast.Call, called: set[str]) -> None:
        func = node.func
        method = func.attr if type(func) is ast.Attribute else getattr(func, "id", None)
        if method is None:
            return
        called.add(method)
        if self.stage_api:
            from mlops_hooks.checkers.python.rules.mlf005_deprecated_stage_api import (
                ARCHIVE_KEYWORD,
                REPLACEMENTS,
            )

            if (type(func) is ast.Attribute and method in REPLACEMENTS) or any(
                k.arg == ARCHIVE_KEYWORD for k in node.keywords
            ):
                raise _Undecided
        if self.alias_calls and type(func) is ast.Attribute:
            from mlops_hooks.checkers.python.rules.mlf006_invalid_alias_name import ALIAS_METHODS

            position = ALIAS_METHODS.get(method)
            if position is not None:
                self._alias_call(node, position)

    def _compare(self, node: ast.Compare) -> None:
        # A `.current_stage` among the operands may be hand-rolled stage loading (MLF005):
        # LibCST decides.
        if any(
            type(o) is ast.Attribute and o.attr == STAGE_ATTRIBUTE
            for o in (node.left, *node.comparators)
        ):
            raise _Undecided

    def _alias_call(self, node: ast.Call, position: int) -> None:
        if any(type(a) is ast.Starred for a in node.args) or any(
            k.arg is None for k in node.keywords
        ):
            raise _Undecided
        passed = [k.value for k in node.keywords if k.arg == "alias"]
        if len(node.args) > position:
            passed.append(node.args[position])
        for expr in passed:
            for value in self._values(expr):
                if value.kind != "str" or any(p.text is None for p in value.pieces):
                    continue
                if alias_problem("".join(p.text or "" for p in value.pieces)) is not None:
                    raise _Undecided

    # -- string expressions (as :func:`.walk._climb` finds them) ----------------------------

    def _hit(self, node: ast.AST, roots: dict[int, ast.AST]) -> None:
        # A literal is a string expression itself; a name only as a part of one.
        root = None if type(node) is ast.Name else node
        child = node
        while (parent := self.parents.get(child)) is not None:
            step = _step(child, parent, self.parents)
            if step is None:
                break
            child = root = step
        if root is None or type(self.parents.get(root)) is ast.Expr:
            return  # not part of a string expression, or a docstring / bare statement
        if id(root) not in roots:
            # The climb is complete (every parent is recorded before its children are
            # visited): judged at once, so that a module with a finding ends the walk early.
            roots[id(root)] = root
            if not self._root_conforms(root):
                raise _Undecided

    def _root_conforms(self, root: ast.AST) -> bool:
        for value in self._values(root):
            if value.kind != "str":
                continue
            key = value.py if isinstance(value.py, str) and len(value.pieces) == 1 else None
            if key is not None and value.pieces[0].constant is None:
                verdict = self.verdicts.get(key)
                if verdict is None:
                    verdict = self.verdicts[key] = self._judge(value.pieces)
            else:
                verdict = self._judge(value.pieces)
            if not verdict:
                return False
        return True

    def _judge(self, pieces: tuple[Piece, ...]) -> bool:
        """Whether no probe rule reports on the URIs of this value."""
        for uri in find_uris(pieces, _LOCATOR):
            # Where the value goes is LibCST's to say: judge it as loaded (the stricter case;
            # a test module's fixture string is reported only when a model call receives it).
            uri.loaded = True
            for probe in self.probes:
                probe.check_uri(uri)
                if probe.context.sink:
                    return False
        return True

    # -- values (as :class:`.evaluate.Evaluator` computes them, every possibility) ----------

    def _values(self, node: ast.AST) -> list[Value]:
        kind = type(node)
        if kind is ast.Constant:
            return [_constant(node.value)]  # type: ignore[attr-defined]
        if kind is ast.JoinedStr:
            return self._fstring(node)  # type: ignore[arg-type]
        if kind is ast.Name:
            return self._name(node.id)  # type: ignore[attr-defined]
        if kind is ast.BinOp:
            return self._binop(node)  # type: ignore[arg-type]
        if kind is ast.Call:
            func = node.func  # type: ignore[attr-defined]
            if type(func) is ast.Attribute and func.attr == "format":
                if any(_known_str(v) for v in self._values(func.value)):
                    raise _Undecided  # str.format on known text: not modelled here
            elif type(func) is ast.Name and func.id == "str":
                raise _Undecided
        return [_HOLE]

    def _fstring(self, node: ast.JoinedStr) -> list[Value]:
        options: list[list[tuple[Piece, ...]]] = []
        for part in node.values:
            if type(part) is ast.Constant:
                text = str(part.value)  # always a str in an f-string
                options.append([(Piece(text, text, None, _LITERAL),)])
                continue
            if type(part) is not ast.FormattedValue:  # pragma: no cover - no other part
                raise _Undecided
            if part.conversion != -1 or part.format_spec is not None:
                raise _Undecided  # conversions, specs and f"{x=}": not modelled here
            choices: list[tuple[Piece, ...]] = []
            for inner in self._values(part.value):
                if inner.kind == "str":
                    choices.append(inner.pieces)
                elif inner.py is not None:
                    plain = str(inner.py)
                    constant = inner.pieces[0].constant if len(inner.pieces) == 1 else None
                    choices.append((Piece(plain, plain, None, None, constant),))
                else:
                    choices.append(_HOLE.pieces)
            options.append(choices)
        return [_joined(combo) for combo in _product(options)]

    def _binop(self, node: ast.BinOp) -> list[Value]:
        if type(node.op) is ast.Mod:
            if any(_known_str(v) for v in self._values(node.left)):
                raise _Undecided  # %-formatting of known text: not modelled here
            return [_HOLE]
        if type(node.op) is not ast.Add:
            return [_HOLE]
        out: list[Value] = []
        for left, right in _pairs(self._values(node.left), self._values(node.right)):
            if left.kind != "str" and right.kind != "str":
                out.append(_HOLE)
            elif left.kind in ("int", "float") or right.kind in ("int", "float"):
                raise _Undecided  # the number's text as written: not in the ast
            else:
                py = (
                    left.py + right.py
                    if isinstance(left.py, str) and isinstance(right.py, str)
                    else None
                )
                out.append(Value(left.pieces + right.pieces, "str", py))
        return _capped(out)

    def _name(self, name: str) -> list[Value]:
        found = self.names.get(name)
        if found is not None:
            return found
        if name in self.active:
            return [_HOLE]  # a cycle: LibCST's constant is unknown, a hole
        if len(self.active) >= MAX_CHAIN:
            raise _Undecided  # constants defined through many others: also bounds recursion
        self.active.add(name)
        try:
            out = [_HOLE]
            for expr in self.bindings.get(name, ()):
                for value in self._values(expr):
                    if value.py is None:
                        continue
                    text = value.py if isinstance(value.py, str) else str(value.py)
                    out.append(Value((Piece(text, text, None, None, name),), value.kind, value.py))
        finally:
            self.active.discard(name)
        self.names[name] = found = _capped(_distinct(out))
        return found

    def _names_uri(self, name: str) -> bool:
        """Whether some possible value of module-level ``name`` contains ``models:/`` (or
        may: a value this pass cannot compute counts, and fails wherever it is used)."""
        try:
            values = self._name(name)
        except _Undecided:
            return True
        for value in values:
            if value.kind == "str" and SCHEME in "".join(p.text or "\x00" for p in value.pieces):
                return True
        return False


# -- helpers ---------------------------------------------------------------------------------


def _module_bindings(tree: ast.Module) -> dict[str, list[ast.expr]]:
    """Every value assigned to a plain name at module level (not in functions or classes):
    a superset of what the LibCST model takes for module-level constants."""
    found: dict[str, list[ast.expr]] = {}
    stack: list[Any] = list(reversed(tree.body))
    while stack:
        statement = stack.pop()
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(statement.value)
        elif isinstance(statement, ast.AnnAssign):
            if isinstance(statement.target, ast.Name) and statement.value is not None:
                found.setdefault(statement.target.id, []).append(statement.value)
        elif not isinstance(
            statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.expr)
        ):
            for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                block = getattr(statement, field, None)
                if isinstance(block, list):
                    stack.extend(reversed(block))
    return found


def _formats(call: ast.Call) -> bool:
    func = call.func
    if type(func) is ast.Attribute:
        return func.attr == "format"
    return type(func) is ast.Name and func.id == "str"


def _step(child: ast.AST, parent: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.AST | None:
    """The string expression that uses ``child`` as one of its parts (see walk._step)."""
    kind = type(parent)
    if kind is ast.BinOp:
        return parent if type(parent.op) in (ast.Add, ast.Mod) else None  # type: ignore[attr-defined]
    grand = parents.get(parent)
    if kind is ast.FormattedValue:
        if child is parent.value and type(grand) is ast.JoinedStr:  # type: ignore[attr-defined]
            return grand
        return None
    if kind is ast.Call:
        # "...".format(part) and str(part): a positional argument
        if child is not parent.func and _formats(parent):  # type: ignore[attr-defined, arg-type]
            return parent
        return None
    if kind is ast.Starred or kind is ast.keyword:
        if (
            child is parent.value  # type: ignore[attr-defined]
            and type(grand) is ast.Call
            and _formats(grand)
            and (kind is ast.keyword or parent in grand.args)
        ):
            return grand
        return None
    if kind is ast.Attribute:
        if (
            child is parent.value  # type: ignore[attr-defined]
            and parent.attr == "format"  # type: ignore[attr-defined]
            and type(grand) is ast.Call
            and grand.func is parent
        ):
            return grand
        return None
    if (  # "%s/%s" % (part, ...)
        kind is ast.Tuple
        and type(child) is not ast.Starred
        and type(grand) is ast.BinOp
        and type(grand.op) is ast.Mod
        and grand.right is parent
    ):
        return grand
    return None


def _constant(value: object) -> Value:
    if type(value) is str:
        return Value((Piece(value, value, None, _LITERAL),), "str", value)
    if type(value) is int:
        return Value((Piece(str(value), str(value), None),), "int", value)
    if type(value) is float:
        return Value((Piece(repr(value), repr(value), None),), "float", value)
    return _HOLE  # bytes, True, None, complex, ...: holes for the LibCST evaluator too


def _known_str(value: Value) -> bool:
    return value.kind == "str" and all(p.text is not None for p in value.pieces)


def _joined(parts: Iterable[tuple[Piece, ...]]) -> Value:
    pieces = tuple(itertools.chain.from_iterable(parts))
    known = all(p.text is not None for p in pieces)
    return Value(pieces, "str", "".join(p.text or "" for p in pieces) if known else None)


def _product(options: list[list[tuple[Piece, ...]]]) -> list[tuple[tuple[Piece, ...], ...]]:
    count = 1
    for choices in options:
        count *= len(choices)
        if count > MAX_VALUES:
            raise _Undecided
    return list(itertools.product(*options))


def _pairs(left: list[Value], right: list[Value]) -> list[tuple[Value, Value]]:
    if len(left) * len(right) > MAX_VALUES:
        raise _Undecided
    return [(a, b) for a in left for b in right]


def _capped(values: list[Value]) -> list[Value]:
    if len(values) > MAX_VALUES:
        raise _Undecided
    return values


def _distinct(values: list[Value]) -> list[Value]:
    seen: dict[tuple[Any, ...], Value] = {}
    for value in values:
        key = (value.kind, value.py, tuple((p.text, p.constant, p.chars) for p in value.pieces))
        seen.setdefault(key, value)
    return list(seen.values())
