"""A cheap bound on how deeply a Python file nests, checked before any parser sees it.

LibCST's native parser overflows its stack (a segmentation fault, which no ``except`` can
catch) on a 20,000-term ``a and a and ...`` chain, a few thousand nested parentheses, a long
``elif`` chain or a deep expression inside an f-string; CPython's own parser accepts some of
these (a ``BoolOp`` is flat) and is skipped when it reports a syntax error. And the recursive
steps after parsing (evaluation, code generation) recurse once or more per level.

So one linear scan over the text bounds the nesting first: within one comma-separated element
of one bracket level, every binary, boolean or unary operator, attribute dot, ``lambda``,
``if``, ``for``, ``await``, string piece (implicit concatenation nests) and call or subscript
(``a()()()`` and ``a[0][0]`` nest each in the next) counts as a level, and so does every open
bracket around it. A comparison chain is flat in LibCST and does not count. The count is an
over-estimate of the tree depth, never an under-estimate, and no real module comes near
:data:`MAX_NESTING`. (Left to LibCST, a 2,000-subscript chain took seconds, since its parser's
time grows with the square of such a chain, and CPython's own limit ended it without a line.)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mlops_hooks.checkers import ParseError
from mlops_hooks.lazyre import lazy
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
_TOKEN = lazy(
    # Names (not a keyword the scan counts, not a string's prefix) and blanks, which the scan
    # skips: matched whole, so the engine does not try every alternative at each of their
    # characters (this halves the scan's time; the other tokens found are the same).
    r"(?P<w>(?!(?:and|or|not|if|lambda|await|for|yield)\b)[^\W\d]\w*"
    r"(?![rRbBuUfFtT]{0,2}['\"])|[ \t]+)|"
    + _STRING
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
_ELIF = lazy(r"^([ \t]*)(elif\b|else\b|[^ \t\r\n#])", re.MULTILINE)
#: The keywords the scan counts as operators (the same words as ``op`` in :data:`_TOKEN`).
_KEYWORDS = lazy(r"\b(?:and|or|not|if|lambda|await|for|yield)\b")
#: The word that ends just before a bracket (a name is called or subscripted; a keyword, as
#: in ``if(a)``, is not).
_WORD_BEFORE = lazy(r"\w+\Z")
_NOT_CALLED = frozenset(
    {
        "and", "as", "assert", "async", "await", "case", "del", "elif", "else", "except", "for",
        "from", "global", "if", "import", "in", "is", "lambda", "match", "nonlocal", "not",
        "or", "raise", "return", "while", "with", "yield",
    }
)  # fmt: skip
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
    half the quotes of each kind, plus the keywords, plus once more each ``(`` and ``[`` (a call
    or subscript counts twice); most modules stay below the bound.
    """
    # A call or subscript bracket counts twice: as a level of its own element and as a level.
    bound = sum(map(text.count, _LEVEL_CHARS)) + text.count("(") + text.count("[")
    bound += text.count('"') // 2 + text.count("'") // 2
    if bound > MAX_NESTING:
        return bound
    return bound + len(_KEYWORDS.findall(text))


def _too_deep(text: str, base: int = 0, peak: list[int] | None = None) -> int | None:
    """The offset in ``text`` where the nesting first exceeds :data:`MAX_NESTING` levels
    (``base`` of them already open around ``text``), else ``None``.

    With ``peak`` (``[levels, offset]``), the scan goes on to the end instead, and ``peak``
    ends up holding the deepest levels seen and the offset where they were first reached.
    """
    limit = MAX_NESTING if peak is None else max(peak[0], base)
    counts = [0]  # operators and strings in the current element of each open bracket level
    total = 0
    for match in _TOKEN.finditer(text):
        group = match.lastgroup
        if group == "w":
            continue
        if group == "open":
            if _called(text, match.start()):
                counts[-1] += 1
                total += 1
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
        if depth > limit:
            if peak is None:
                return match.start()
            peak[:] = [depth, match.start()]
            limit = depth
        if group == "str" and match.group("prefix").lower().strip("rbu"):
            # The fields of an f-string are code. Recursion depth: at most four, since a
            # nested literal uses another quote (a same-quote one, Python 3.12, ends this one
            # for the regex and is scanned as the strings and braces it looks like).
            literal = match.group()
            for start, end in _fstring_fields(literal):
                inner = None if peak is None else [limit, -1]
                found = _too_deep(literal[start:end], depth, inner)
                if found is not None:
                    return match.start() + start + found
                if peak is not None and inner is not None and inner[1] >= 0:
                    peak[:] = [inner[0], match.start() + start + inner[1]]
                    limit = inner[0]
    return None


def _called(text: str, offset: int) -> bool:
    """Whether the ``(`` or ``[`` at ``offset`` calls or subscripts what comes before it (a
    name, a closing bracket or a string), which then nests inside the call."""
    if text[offset] == "{":
        return False
    before = offset - 1
    while before >= 0 and text[before] in " \t":
        before -= 1
    if before < 0:
        return False
    char = text[before]
    if char in ")]}\"'":
        return True
    if not (char.isalnum() or char == "_"):
        return False
    # The word is a keyword only if it is the whole run of word characters before the bracket
    # and at most 8 long ("nonlocal"): the last 9 characters tell (a run cut at 9 is no
    # keyword), and the regex searches 9 characters, not 20.
    word = _WORD_BEFORE.search(text, max(0, before - 8), before + 1)
    return word is not None and word.group() not in _NOT_CALLED


def deepest_line(source: SourceFile) -> int:
    """The line where ``source`` nests deepest by the scan's count: where a parser that gave
    up on the nesting without a position (CPython's recursion limit, LibCST's tree past
    :data:`~mlops_hooks.checkers.python.model.MAX_DEPTH`) most likely did."""
    peak = [0, 0]
    _too_deep(source.text, 0, peak)
    return source.position(peak[1]).line


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
