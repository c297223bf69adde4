"""String expressions evaluated as values, keeping where every character comes from.

Supported: string literals (any prefix and quotes), implicit concatenation, ``+``, f-strings
(literal and placeholder parts, conversions and format specs), ``%`` and ``str.format`` with
literal arguments, ``str(...)``, integers, and module-level constants (``VERSION = 3``) unless a
function parameter or local variable shadows them. Anything else is a hole: a part of the
value known only at run time, shown as its code (``{version}``).

Nothing is executed: formatting applies Python's own ``format``/``%`` to literal ``str``,
``int`` and ``float`` values only, with widths capped so that a spec cannot allocate much.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Protocol

import libcst as cst

from mlops_hooks.checkers.python.literals import decode_body, split_literal
from mlops_hooks.checkers.python.tree import local_names
from mlops_hooks.checkers.python.uri import Piece
from mlops_hooks.lazyre import lazy

Scalar = str | int | float
_PERCENT = lazy(
    r"%(?:\((?P<key>[^)]*)\))?(?P<flags>[#0 +-]*)(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?"
    r"[hlL]?(?P<conversion>[diouxXeEfFgGcrsa%])"
)
# Format specs and %-widths with more than three digits could allocate without bound.
_LONG_NUMBER = lazy(r"\d{4,}")


class Value(NamedTuple):
    """An evaluated expression: its pieces, its type (``str``, ``int``, ``float``, ``other``)
    and its Python value when every piece is known."""

    pieces: tuple[Piece, ...]
    kind: str
    py: Scalar | None = None

    @property
    def known(self) -> bool:
        """Whether every piece is known at lint time."""
        return all(p.text is not None for p in self.pieces)


class Module(Protocol):
    """What the evaluator reads from the module it evaluates in (the model implements it;
    a protocol, so that this module does not import the model that imports it)."""

    #: Module-level names assigned exactly once, unconditionally: name -> value.
    constants: dict[str, cst.BaseExpression]

    def code(self, node: cst.CSTNode) -> str:
        """The source code of a node."""


class Evaluator:
    """Evaluates expressions of one module; constants are evaluated once, cycles are holes."""

    def __init__(self, model: Module) -> None:
        self.model = model
        self._constants: dict[str, Value | None] = {}
        self._active: set[str] = set()
        self._locals: dict[cst.CSTNode, frozenset[str]] = {}
        self._codes: dict[cst.CSTNode, str] = {}

    # -- entry points -----------------------------------------------------------------------

    def value(self, node: cst.BaseExpression, scope: tuple[cst.CSTNode, ...] = ()) -> Value:
        """The value of ``node`` evaluated inside ``scope`` (enclosing functions)."""
        if isinstance(node, cst.SimpleString):
            return self._simple(node)
        if isinstance(node, cst.ConcatenatedString):
            left = self.value(node.left, scope)
            right = self.value(node.right, scope)
            if left.kind != "str" or right.kind != "str":
                return self._hole(node)
            return _concat(left, right)
        if isinstance(node, cst.FormattedString):
            return self._fstring(node, scope)
        if isinstance(node, cst.Name):
            return self._name(node, scope)
        if isinstance(node, (cst.Integer, cst.Float)):
            return self._number(node)
        if isinstance(node, cst.BinaryOperation):
            if isinstance(node.operator, cst.Add):
                left = self.value(node.left, scope)
                right = self.value(node.right, scope)
                if left.kind == "str" or right.kind == "str":
                    return _concat(left, right)
            elif isinstance(node.operator, cst.Modulo):
                return self._percent(node, scope)
        elif isinstance(node, cst.Call):
            return self._call(node, scope)
        return self._hole(node)

    def constant(self, name: str) -> Value | None:
        """The value of a module-level constant (``None`` when it is not one, or is cyclic)."""
        expr = self.model.constants.get(name)
        if name in self._constants and expr is not None:
            return self._constants[name]
        if expr is None or name in self._active:
            return None
        self._active.add(name)
        try:
            value = self.value(expr, ())
        finally:
            self._active.discard(name)
        self._constants[name] = value
        return value

    def known_text(self, name: str) -> str:
        """The known characters of a constant's string value (holes as NUL), else ``""``."""
        value = self.constant(name)
        if value is None or value.kind != "str":
            return ""
        return "".join(p.text if p.text is not None else "\x00" for p in value.pieces)

    # -- node kinds -------------------------------------------------------------------------

    def _display(self, node: cst.CSTNode) -> str:
        return "{" + " ".join(self._code(node).split()) + "}"

    def _code(self, node: cst.CSTNode) -> str:
        """The code of ``node``, remembered: an operator chain whose every level is a hole
        reuses its operands' code instead of generating it again (linear, not quadratic)."""
        code = self._codes.get(node)
        if code is None:
            codes = self._codes
            if isinstance(node, cst.BinaryOperation) and node.left in codes and node.right in codes:
                generate = self.model.code
                code = "".join(
                    (
                        *(generate(paren) for paren in node.lpar),
                        codes[node.left],
                        generate(node.operator),
                        codes[node.right],
                        *(generate(paren) for paren in node.rpar),
                    )
                )
            else:
                code = self.model.code(node)
            codes[node] = code
        return code

    def _hole(self, node: cst.CSTNode) -> Value:
        return Value((Piece(None, self._display(node), node),), "other")

    def _simple(self, node: cst.SimpleString) -> Value:
        parts = split_literal(node.value)
        if parts is None:
            return self._hole(node)
        prefix, quote, body = parts
        if "b" in prefix.lower():
            return self._hole(node)
        decoded = decode_body(body, raw="r" in prefix.lower(), fstring=False)
        if decoded is None:
            return self._hole(node)
        text, offsets = decoded
        shift = len(prefix) + len(quote)
        chars = tuple(shift + o for o in offsets)
        return Value((Piece(text, text, node, chars),), "str", text)

    def _fstring(self, node: cst.FormattedString, scope: tuple[cst.CSTNode, ...]) -> Value:
        raw = "r" in node.prefix.lower()
        pieces: list[Piece] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                decoded = decode_body(part.value, raw=raw, fstring=True)
                if decoded is None:
                    return self._hole(node)
                pieces.append(Piece(decoded[0], decoded[0], part, decoded[1]))
            elif isinstance(part, cst.FormattedStringExpression):
                pieces.extend(self._placeholder(part, scope))
            else:  # pragma: no cover - LibCST has no other f-string part
                return self._hole(node)
        return _joined(pieces)

    def _placeholder(
        self, part: cst.FormattedStringExpression, scope: tuple[cst.CSTNode, ...]
    ) -> list[Piece]:
        display = self.model.code(part)
        inner = self.value(part.expression, scope)
        if part.equal is not None:
            return [Piece(None, display, part)]  # f"{x=}" shows the expression's code
        spec = "" if part.format_spec is None else self._spec(part.format_spec)
        if part.conversion is None and spec == "":
            if inner.kind == "str":
                return [_reanchor(p, part) for p in inner.pieces]
            if inner.py is not None:
                plain = str(inner.py)
                return [Piece(plain, plain, part, None, _constant(inner))]
            return [Piece(None, display, part)]
        formatted = None
        if inner.py is not None and spec is not None:
            formatted = _format(inner.py, part.conversion, spec)
        if formatted is None:
            return [Piece(None, display, part)]
        return [Piece(formatted, formatted, part, None, _constant(inner))]

    def _spec(self, parts: Sequence[cst.BaseFormattedStringContent]) -> str | None:
        out: list[str] = []
        for part in parts:
            if not isinstance(part, cst.FormattedStringText):
                return None  # a nested placeholder: only known at run time
            out.append(part.value)
        return "".join(out)

    def _name(self, node: cst.Name, scope: tuple[cst.CSTNode, ...]) -> Value:
        name = node.value
        if self._shadowed(name, scope):
            return self._hole(node)
        value = self.constant(name)
        if value is None or value.py is None:
            return self._hole(node)
        text = value.py if isinstance(value.py, str) else str(value.py)
        return Value((Piece(text, text, node, None, name),), value.kind, value.py)

    def _number(self, node: cst.Integer | cst.Float) -> Value:
        try:
            if isinstance(node, cst.Integer):
                number: int | float = int(node.value, 0)
                kind = "int"
            else:
                number = float(node.value)
                kind = "float"
        except ValueError:
            return self._hole(node)
        return Value((Piece(node.value, node.value, node),), kind, number)

    def _call(self, node: cst.Call, scope: tuple[cst.CSTNode, ...]) -> Value:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "format":
            receiver = self.value(func.value, scope)
            if receiver.kind == "str" and receiver.known:
                return self._brace_format(node, receiver, scope)
        elif (
            isinstance(func, cst.Name)
            and func.value == "str"
            and "str" not in self.model.constants
            and not self._shadowed("str", scope)
            and len(node.args) == 1
            and not node.args[0].star
            and node.args[0].keyword is None
        ):
            inner = self.value(node.args[0].value, scope)
            if inner.kind == "str":
                return inner
            if inner.py is not None:
                text = str(inner.py)
                return Value((Piece(text, text, node, None, _constant(inner)),), "str", text)
            return Value((Piece(None, self._display(node), node),), "str")
        return self._hole(node)

    # -- formatting ---------------------------------------------------------------------------

    def _percent(self, node: cst.BinaryOperation, scope: tuple[cst.CSTNode, ...]) -> Value:
        left = self.value(node.left, scope)
        if left.kind != "str" or not left.known:
            return self._hole(node)
        right = node.right
        if isinstance(right, cst.Tuple):
            if any(isinstance(e, cst.StarredElement) for e in right.elements):
                return self._hole(node)
            args: list[cst.BaseExpression] = [e.value for e in right.elements]
        elif isinstance(right, cst.Dict):
            return self._hole(node)  # %(name)s with a mapping: not evaluated
        else:
            args = [right]
        text = "".join(p.text or "" for p in left.pieces)
        out: list[Piece] = []
        position = 0
        used = 0
        for match in _PERCENT.finditer(text):
            out.extend(_slice(left.pieces, position, match.start()))
            position = match.end()
            if match["conversion"] == "%":
                out.extend(_slice(left.pieces, match.start(), match.start() + 1))
                continue
            if match["key"] is not None or "*" in (match["width"] or "") + (
                match["precision"] or ""
            ):
                return self._hole(node)
            if used >= len(args):
                return self._hole(node)  # a TypeError at run time
            arg = args[used]
            used += 1
            out.extend(self._formatted(arg, scope, percent=match.group(0)))
        if used != len(args):
            return self._hole(node)  # "not all arguments converted" at run time
        out.extend(_slice(left.pieces, position, len(text)))
        return _joined(out)

    def _brace_format(
        self, node: cst.Call, receiver: Value, scope: tuple[cst.CSTNode, ...]
    ) -> Value:
        positional: list[cst.BaseExpression] = []
        keywords: dict[str, cst.BaseExpression] = {}
        for arg in node.args:
            if arg.star:
                return self._hole(node)
            if arg.keyword is not None:
                keywords[arg.keyword.value] = arg.value
            else:
                positional.append(arg.value)
        text = "".join(p.text or "" for p in receiver.pieces)
        out: list[Piece] = []
        auto = 0
        i = 0
        literal_start = 0
        while i < len(text):
            ch = text[i]
            if ch not in "{}":
                i += 1
                continue
            out.extend(_slice(receiver.pieces, literal_start, i))
            if text.startswith(ch * 2, i):
                out.extend(_slice(receiver.pieces, i, i + 1))
                i += 2
                literal_start = i
                continue
            if ch == "}":
                return self._hole(node)  # a single "}": ValueError at run time
            close = text.find("}", i)
            field = text[i + 1 : close] if close >= 0 else "{"
            if close < 0 or "{" in field:
                return self._hole(node)  # unterminated, or a nested replacement field
            name, conversion, spec = _split_field(field)
            if name == "":
                index: int | str = auto
                auto += 1
            else:
                index = int(name) if name.isdigit() else name
            if isinstance(index, int):
                target = positional[index] if index < len(positional) else None
            else:
                target = keywords.get(index) if index.isidentifier() else None
            if target is None:
                return self._hole(node)  # attribute/index lookups, or a missing argument
            out.extend(self._formatted(target, scope, field=(conversion, spec)))
            i = close + 1
            literal_start = i
        out.extend(_slice(receiver.pieces, literal_start, len(text)))
        return _joined(out)

    def _formatted(
        self,
        arg: cst.BaseExpression,
        scope: tuple[cst.CSTNode, ...],
        *,
        percent: str | None = None,
        field: tuple[str | None, str] = (None, ""),
    ) -> list[Piece]:
        """The pieces of one formatted argument: spliced when it is inserted as-is."""
        value = self.value(arg, scope)
        plain = percent == "%s" if percent is not None else field == (None, "")
        if plain and value.kind == "str":
            return list(value.pieces)
        text = None
        if value.py is not None:
            if percent is not None:
                text = _percent_one(percent, value.py)
            else:
                text = _format(value.py, field[0], field[1])
        if text is None:
            return [Piece(None, self._display(arg), arg)]
        return [Piece(text, text, arg, None, _constant(value))]

    # -- scopes -----------------------------------------------------------------------------

    def _shadowed(self, name: str, scope: tuple[cst.CSTNode, ...]) -> bool:
        return any(name in self._locals_of(node) for node in scope)

    def _locals_of(self, node: cst.CSTNode) -> frozenset[str]:
        found = self._locals.get(node)
        if found is None:
            found = frozenset(local_names(node))
            self._locals[node] = found
        return found


def _concat(left: Value, right: Value) -> Value:
    py = left.py + right.py if isinstance(left.py, str) and isinstance(right.py, str) else None
    return Value(left.pieces + right.pieces, "str", py)


def _joined(pieces: Sequence[Piece]) -> Value:
    known = all(p.text is not None for p in pieces)
    py = "".join(p.text or "" for p in pieces) if known else None
    return Value(tuple(pieces), "str", py)


def _constant(value: Value) -> str | None:
    return value.pieces[0].constant if len(value.pieces) == 1 else None


def _reanchor(piece: Piece, part: cst.CSTNode) -> Piece:
    # A placeholder's non-literal text (a constant, a hole) is located at the placeholder.
    if piece.chars is not None:
        return piece
    return Piece(piece.text, piece.display, part, None, piece.constant)


def _slice(pieces: Sequence[Piece], start: int, end: int) -> list[Piece]:
    """The pieces of the characters ``start:end`` of a known value."""
    out: list[Piece] = []
    offset = 0
    for piece in pieces:
        text = piece.text or ""
        lo, hi = max(start - offset, 0), min(end - offset, len(text))
        if lo < hi:
            chars = piece.chars[lo : hi + 1] if piece.chars is not None else None
            out.append(Piece(text[lo:hi], text[lo:hi], piece.anchor, chars, piece.constant))
        offset += len(text)
    return out


def _split_field(field: str) -> tuple[str, str | None, str]:
    name, _, spec = field.partition(":")
    name, bang, conversion = name.partition("!")
    return name, (conversion if bang else None), spec


def _format(value: Scalar, conversion: str | None, spec: str) -> str | None:
    if _LONG_NUMBER.search(spec):
        return None
    converted: object = value
    if conversion == "r":
        converted = repr(value)
    elif conversion == "a":
        converted = ascii(value)
    elif conversion == "s":
        converted = str(value)
    elif conversion is not None:
        return None
    try:
        return format(converted, spec)
    except (ValueError, TypeError, OverflowError):
        return None


def _percent_one(spec: str, value: Scalar) -> str | None:
    if _LONG_NUMBER.search(spec):
        return None
    try:
        return spec % (value,)
    except (ValueError, TypeError, OverflowError):
        return None
