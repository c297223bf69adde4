"""A cheap bound on how deeply a Python file nests, checked before any parser sees it.

LibCST's native parser overflows its stack (a segmentation fault, which no ``except`` can
catch) on a 20,000-term ``a and a and ...`` chain, a few thousand nested parentheses, a long
``elif`` chain or a deep expression inside an f-string; CPython's own parser accepts some of
these (a ``BoolOp`` is flat) and is skipped when it reports a syntax error. And the recursive
steps after parsing (evaluation, code generation) recurse once or more per level.

So one linear scan over the text bounds the nesting first: within one comma-separated element
of one bracket level, every binary, boolean or unary operator, attribute dot, ``lambda``,
``if``, ``for``, ``await`` and string piece (implicit concatenation nests) counts as a level,
and so does every open bracket around it. A comparison chain is flat in LibCST and does not
count. The count is an over-estimate of the tree depth, never an under-estimate, and no real
module comes near :data:`MAX_NESTING`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mlops_hooks.checkers import ParseError
from mlops_hooks.source import SourceFile

if TYPE_CHECKING:
    import ast

#: The most levels one expression may nest (see the module docstring for what counts).
MAX_NESTING = 1000
#: The most ``elif`` branches in one chain (each nests the next in LibCST's tree).
MAX_ELIF = 1000

_STRING = (
    r"(?P<str>(?P<prefix>[rRbBuUfFtT]{0,2})"
    r"(?:'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\r\n]|\\.)*'"
    r'|"(?:[^"\\\r\n]|\\.)*"))'
)
_TOKEN = re.compile(
    _STRING
    + r"|(?P<comment>\#[^\r\n]*)"
    + r"|(?P<nl>\\?(?:\r\n|\r|\n))"
    + r"|(?P<open>[(\[{])"
    + r"|(?P<close>[)\]}])"
    + r"|(?P<sep>[,;])"
    # Numbers (their dots are not attributes), the ellipsis, and the operators that do not
    # nest: comparisons, assignments, augmented assignments, the arrow.
    + r"|(?P<skip>(?<![\w.])\d[\w]*(?:\.\d*(?:[eE][-+]?\d+)?[jJ]?)?|\.\.\.|\*\*=|//=|<<=|>>="
    + r"|[-+*/%@&|^<>!=:]=|->)"
    + r"|(?P<op>\*\*|//|<<|>>|[-+*/%@&|^~.]|\b(?:and|or|not|if|lambda|await|for|yield)\b)",
    re.DOTALL,
)
_ELIF = re.compile(r"^([ \t]*)(elif\b|else\b|[^ \t\r\n#])", re.MULTILINE)
#: The keywords the scan counts as operators (the same words as ``op`` in :data:`_TOKEN`).
_KEYWORDS = re.compile(r"\b(?:and|or|not|if|lambda|await|for|yield)\b")
#: Every character an operator the scan counts can start or be made of, and the open brackets.
_LEVEL_CHARS = "([{-+*/%@&|^~.<>"


def check_nesting(source: SourceFile) -> None:
    """Raise :class:`ParseError` at the first place ``source`` nests deeper than the bounds."""
    text = source.text
    if len(text) <= MAX_NESTING:
        return  # every level takes at least one character
    offset = _too_deep(text) if _levels_bound(text) > MAX_NESTING else None
    if offset is not None:
        raise ParseError(
            f"expression nests too deeply to check (more than {MAX_NESTING} levels of "
            "operators, brackets and string pieces)",
            source.position(offset).line,
        )
    if text.count("elif") > MAX_ELIF:
        offset = _long_elif_chain(text)
        if offset is not None:
            raise ParseError(
                f"if statement nests too deeply to check (more than {MAX_ELIF} elif branches)",
                source.position(offset).line,
            )


#: The last file bounded and parsed by the first pass that it could not prove, with its tree.
_HANDOFF: list[tuple[SourceFile, ast.Module]] = []


def hand_over(source: SourceFile, tree: ast.Module) -> None:
    """Keep the tree of ``source``, which passed :func:`check_nesting` and CPython's parser,
    for the LibCST pass that comes next for the same file (see :func:`take_tree`)."""
    _HANDOFF[:] = [(source, tree)]


def take_tree(source: SourceFile) -> ast.Module | None:
    """The tree :func:`hand_over` kept if it is of this very ``source`` object (its nesting
    already bounded), else ``None``; given out once, and anything else kept is dropped."""
    handed, _HANDOFF[:] = _HANDOFF[:], []
    if handed and handed[0][0] is source:
        return handed[0][1]
    return None


def _levels_bound(text: str) -> int:
    """An upper bound on the levels :func:`_too_deep` can count in ``text``, found by C-speed
    counting (the scan itself is a Python loop over every token).

    Every level the scan counts is a distinct token of the text (f-string fields are scanned
    inside the literal, never over its quotes): an open bracket; an operator, which holds at
    least one character of :data:`_LEVEL_CHARS`; a keyword; or a string, which holds two
    quotes of its own kind. So the depth never exceeds the number of those characters, plus
    half the quotes of each kind, plus the keywords; most modules stay below the bound.
    """
    bound = sum(map(text.count, _LEVEL_CHARS)) + text.count('"') // 2 + text.count("'") // 2
    if bound > MAX_NESTING:
        return bound
    return bound + len(_KEYWORDS.findall(text))


def _too_deep(text: str, base: int = 0) -> int | None:
    """The offset in ``text`` where the nesting first exceeds :data:`MAX_NESTING` levels
    (``base`` of them already open around ``text``), else ``None``."""
    counts = [0]  # operators and strings in the current element of each open bracket level
    total = 0
    for match in _TOKEN.finditer(text):
        group = match.lastgroup
        if group == "open":
            counts.append(0)
        elif group == "close":
            if len(counts) > 1:
                total -= counts.pop()
            continue
        elif group == "sep" or (group == "nl" and len(counts) == 1 and match.group()[0] != "\\"):
            total -= counts[-1]
            counts[-1] = 0
            continue
        elif group == "op" or group == "str":
            counts[-1] += 1
            total += 1
        else:
            continue
        depth = base + total + len(counts) - 1
        if depth > MAX_NESTING:
            return match.start()
        if group == "str" and match.group("prefix").lower().strip("rbu"):
            # The fields of an f-string are code. Recursion depth: at most four, since a
            # nested literal uses another quote (a same-quote one, Python 3.12, ends this one
            # for the regex and is scanned as the strings and braces it looks like).
            literal = match.group()
            for start, end in _fstring_fields(literal):
                found = _too_deep(literal[start:end], depth)
                if found is not None:
                    return match.start() + start + found
    return None


def _fstring_fields(literal: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` offsets of the replacement fields (inside the outer braces) of an
    f-string literal, found by counting braces (``{{`` is a literal brace)."""
    fields: list[tuple[int, int]] = []
    depth = 0
    start = 0
    index = 0
    while index < len(literal):
        char = literal[index]
        if depth == 0 and literal.startswith(("{{", "}}"), index):
            index += 2
            continue
        if char == "{":
            if depth == 0:
                start = index + 1
            depth += 1
        elif char == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                fields.append((start, index))
        index += 1
    if depth > 0:
        fields.append((start, len(literal)))
    return fields


def _long_elif_chain(text: str) -> int | None:
    """The offset of the ``elif`` past :data:`MAX_ELIF` in one chain, else ``None``.

    A chain is the ``elif`` lines at one indentation with nothing but deeper lines (their
    bodies), comments and blank lines between them.
    """
    runs: dict[int, int] = {}
    for match in _ELIF.finditer(text):
        indent = len(match.group(1).expandtabs())
        keyword = match.group(2)
        for deeper in [i for i in runs if i > indent]:
            del runs[deeper]
        if keyword == "elif":
            runs[indent] = runs.get(indent, 0) + 1
            if runs[indent] > MAX_ELIF:
                return match.start(2)
        elif keyword != "else":
            runs.pop(indent, None)
    return None
