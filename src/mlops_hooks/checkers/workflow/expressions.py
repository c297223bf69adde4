"""A small, three-valued evaluator for GitHub Actions expressions (``${{ ... }}``).

Rules ask questions such as "is this ``cancel-in-progress`` true for a release event?" or
"can this ``if:`` be true on a push to a branch?". Only what the event alone decides is known
(``github.event_name``, ``github.ref_type``, often ``github.ref``); everything else is
:data:`UNKNOWN`, and any operation on an unknown value is unknown unless its result does not
depend on it (``false && x`` is ``false``). Nothing is ever executed: this is a parser and an
interpreter of the expression language's literals, operators and a few pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from mlops_hooks.lazyre import lazy
from mlops_hooks.records import record

if TYPE_CHECKING:
    from mlops_hooks.yamlnodes import YamlNode

#: Contexts whose value differs from one run (or pull request, or ref) to the next: a
#: concurrency group without any of them is shared by every run.
PER_RUN = (
    "github.ref",
    "github.head_ref",
    "github.event.pull_request.number",
    "github.run_id",
    "github.ref_name",
    "github.event.number",
    "github.event.pull_request.head.ref",
)


@record(frozen=True)
class Unknown:
    """A value that the event alone does not decide; ``truth`` is its truthiness when known
    (``x || true`` is truthy whatever ``x`` is, but its value is not known)."""

    truth: bool | None = None


UNKNOWN = Unknown()


@record(frozen=True)
class Prefixed:
    """A string known only by its beginning, e.g. ``github.ref`` on a tag: ``refs/tags/...``."""

    prefix: str


Value = str | float | bool | None | Prefixed | Unknown
Context = Mapping[str, Value]

_TOKEN = lazy(
    r"\s*(?:(?P<num>0x[0-9a-fA-F]+|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
    r"|(?P<str>'(?:[^']|'')*')"
    r"|(?P<op>&&|\|\||==|!=|<=|>=|[<>!()\[\].,*])"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_-]*))"
)


_EMBEDDED = lazy(r"\$\{\{(.*?)\}\}", re.DOTALL)


def embedded(text: str) -> list[str]:
    """The bodies of the ``${{ ... }}`` expressions written in ``text``."""
    return [match.group(1) for match in _EMBEDDED.finditer(text)]


def mentions(text: str, name: str) -> bool:
    """Whether an expression in ``text`` reads the context value ``name`` (``github.ref``;
    not ``github.ref_name``), case-insensitively as GitHub does."""
    pattern = re.compile(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", re.IGNORECASE)
    return any(pattern.search(body) for body in embedded(text))


class ExpressionError(ValueError):
    """The text is not a valid expression."""


def expression_body(text: str) -> str | None:
    """The expression inside ``text`` when the whole text is exactly one ``${{ ... }}``."""
    stripped = text.strip()
    if stripped.startswith("${{") and stripped.endswith("}}") and stripped.count("${{") == 1:
        return stripped[3:-2]
    return None


def is_expression(node: YamlNode) -> bool:
    """A scalar that contains a ``${{ ... }}`` expression."""
    return node.is_scalar and "${{" in node.value


def literal_bool(node: YamlNode) -> bool | None:
    """The boolean GitHub reads from a literal value: YAML 1.1's plain ``true``/``yes``/``on``
    (and their negations), and the quoted strings ``'true'``/``'false'`` (GitHub converts
    those too); None for anything else (an expression, a number, a collection)."""
    if node.is_scalar and node.style in ("'", '"') and node.value.lower() in ("true", "false"):
        return node.value.lower() == "true"
    return node.as_bool()


def truthy(value: Value) -> bool | None:
    """GitHub's truthiness (``false``, ``0``, ``''`` and ``null`` are false); None if unknown."""
    if isinstance(value, Unknown):
        return value.truth
    if isinstance(value, Prefixed):
        return True if value.prefix else None
    return bool(value)


def evaluate(expression: str, context: Context) -> Value:
    """Evaluate ``expression`` (without ``${{ }}``); unparsable text gives :data:`UNKNOWN`."""
    try:
        parser = _Parser(_tokens(expression), {k.lower(): v for k, v in context.items()})
        value = parser.expression()
        if parser.peek() is not None:
            return UNKNOWN
    except (ExpressionError, RecursionError):
        return UNKNOWN
    return value


def condition(text: str, context: Context) -> bool | None:
    """Whether an ``if:`` condition holds: written with or without ``${{ }}``."""
    body = expression_body(text)
    if body is None:
        if "${{" in text:
            return None
        body = text
    return truthy(evaluate(body, context))


def value_truth(text: str, context: Context) -> bool | None:
    """Whether a field whose value is one ``${{ ... }}`` expression evaluates to true."""
    body = expression_body(text)
    return None if body is None else truthy(evaluate(body, context))


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise ExpressionError(f"unexpected character at {pos}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


def _equal(a: Value, b: Value) -> bool | None:
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        return None
    if isinstance(b, Prefixed):
        a, b = b, a
    if isinstance(a, Prefixed):
        if isinstance(b, str) and not b.lower().startswith(a.prefix.lower()):
            return False
        return None
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    if type(a) is type(b):
        return a == b
    return _number(a) == _number(b)


def _number(value: Value) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    try:
        return float(str(value).strip() or 0)
    except ValueError:
        return float("nan")


def _starts_with(args: list[Value]) -> Value:
    whole, part = args
    if not isinstance(part, str):
        return UNKNOWN
    if isinstance(whole, str):
        return whole.lower().startswith(part.lower())
    if isinstance(whole, Prefixed):
        known, wanted = whole.prefix.lower(), part.lower()
        if known.startswith(wanted):
            return True
        return UNKNOWN if wanted.startswith(known) else False
    return UNKNOWN


def _ends_with(args: list[Value]) -> Value:
    whole, part = args
    if isinstance(whole, str) and isinstance(part, str):
        return whole.lower().endswith(part.lower())
    return UNKNOWN


def _contains(args: list[Value]) -> Value:
    whole, part = args
    if isinstance(whole, str) and isinstance(part, str):
        return part.lower() in whole.lower()
    return UNKNOWN


#: Pure functions we can evaluate, by lower-case name: (arity, implementation).
_FUNCTIONS: dict[str, tuple[int, Callable[[list[Value]], Value]]] = {
    "startswith": (2, _starts_with),
    "endswith": (2, _ends_with),
    "contains": (2, _contains),
    # Status functions in `if:`: a job or step that reaches its condition normally runs with
    # success() and always() true; failure() and cancelled() depend on the run.
    "success": (0, lambda _: True),
    "always": (0, lambda _: True),
}


class _Parser:
    """Precedence climbing over ``||`` < ``&&`` < equality < comparison < unary < member."""

    def __init__(self, tokens: list[tuple[str, str]], context: dict[str, Value]) -> None:
        self.tokens = tokens
        self.index = 0
        self.context = context

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            raise ExpressionError(f"expected {value or 'a token'}")
        self.index += 1
        return token

    def accept(self, value: str) -> bool:
        token = self.peek()
        if token is not None and token[0] == "op" and token[1] == value:
            self.index += 1
            return True
        return False

    def expression(self) -> Value:
        left = self.conjunction()
        while self.accept("||"):
            right = self.conjunction()
            known = truthy(left)
            left = left if known else right if known is False else _either(left, right, True)
        return left

    def conjunction(self) -> Value:
        left = self.equality()
        while self.accept("&&"):
            right = self.equality()
            known = truthy(left)
            left = right if known else left if known is False else _either(left, right, False)
        return left

    def equality(self) -> Value:
        left = self.comparison()
        while True:
            if self.accept("=="):
                left = _maybe(_equal(left, self.comparison()))
            elif self.accept("!="):
                same = _equal(left, self.comparison())
                left = UNKNOWN if same is None else not same
            else:
                return left

    def comparison(self) -> Value:
        left = self.unary()
        token = self.peek()
        while token is not None and token[1] in ("<", ">", "<=", ">="):
            self.index += 1
            right = self.unary()
            left = _compare(token[1], left, right)
            token = self.peek()
        return left

    def unary(self) -> Value:
        if self.accept("!"):
            known = truthy(self.unary())
            return UNKNOWN if known is None else not known
        return self.member()

    def member(self) -> Value:
        kind, text = self.take()
        path: str | None = None
        value: Value
        if kind == "num":
            value = float(int(text, 16)) if text.lower().startswith("0x") else float(text)
        elif kind == "str":
            value = text[1:-1].replace("''", "'")
        elif kind == "op" and text == "(":
            value = self.expression()
            self.take(")")
        elif kind == "name" and text in ("true", "false", "null"):
            value = {"true": True, "false": False, "null": None}[text]
        elif kind == "name" and self.accept("("):
            value = self.call(text.lower())
        elif kind == "name":
            path = text.lower()
            value = UNKNOWN
        else:
            raise ExpressionError(f"unexpected {text!r}")
        while True:
            if self.accept("."):
                name = self.take()
                if name[0] != "name" and name[1] != "*":
                    raise ExpressionError("expected a property name")
                path = f"{path}.{name[1].lower()}" if path is not None else None
            elif self.accept("["):
                index = self.expression()
                self.take("]")
                path = f"{path}.{index.lower()}" if path and isinstance(index, str) else None
            else:
                break
        if path is not None:
            return self.context.get(path, UNKNOWN)
        return value

    def call(self, name: str) -> Value:
        args: list[Value] = []
        if not self.accept(")"):
            args.append(self.expression())
            while self.accept(","):
                args.append(self.expression())
            self.take(")")
        known = _FUNCTIONS.get(name)
        if known is None or known[0] != len(args):
            return UNKNOWN
        return known[1](args)


def _maybe(result: bool | None) -> Value:
    return UNKNOWN if result is None else result


def _either(left: Value, right: Value, when: bool) -> Value:
    """``left || right`` (``when`` True) or ``left && right`` with ``left`` unknown: the
    result is known only when ``right``'s truth forces it (``x || true`` is truthy)."""
    return Unknown(when) if truthy(right) is when else UNKNOWN


def _compare(op: str, left: Value, right: Value) -> Value:
    if isinstance(left, (Unknown, Prefixed)) or isinstance(right, (Unknown, Prefixed)):
        return UNKNOWN
    if isinstance(left, str) and isinstance(right, str):
        a: str | float = left.lower()
        b: str | float = right.lower()
    else:
        a, b = _number(left), _number(right)
    if op == "<":
        return a < b  # type: ignore[operator]
    if op == ">":
        return a > b  # type: ignore[operator]
    if op == "<=":
        return a <= b  # type: ignore[operator]
    return a >= b  # type: ignore[operator]
