"""A line scanner for justfile source text: where statements and recipes are.

just's JSON dump has no positions and merges imported files, so positions are recovered here
from the text: ``import``/``mod`` statements (with the exact span of the path or module name),
``alias`` lines, and recipe headers with the attribute and comment block above them and the
body below. The scanner never decides *what* is a recipe on its own: the index keeps only the
headers whose names just's dump lists for that module, so a line the scanner misreads cannot
invent a recipe.

Top-level items start in column 1; recipe bodies are indented (spaces or tabs) and end at the
next non-blank line that starts in column 1. Lines inside multi-line strings (``'''``, ``\"\"\"``,
triple backticks) are skipped.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from mlops_hooks.diagnostics import Span
from mlops_hooks.lazyre import lazy
from mlops_hooks.source import SourceFile

_NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
_STRING = r"'''[^\n]*?'''|\"\"\"[^\n]*?\"\"\"|'[^'\n]*'|\"(?:[^\"\\\n]|\\.)*\""
_COMMENT = r"\s*(?:#.*)?$"
_IMPORT = lazy(rf"^import(?P<opt>\?)?[ \t]+(?P<lit>{_STRING}){_COMMENT}")
_MOD = lazy(rf"^mod(?P<opt>\?)?[ \t]+(?P<name>{_NAME})(?:[ \t]+(?P<lit>{_STRING}))?{_COMMENT}")
_ALIAS = lazy(rf"^alias[ \t]+(?P<name>{_NAME})[ \t]*:=[ \t]*(?P<target>{_NAME}(?:::{_NAME})*)")
_KEYWORD_ITEM = lazy(
    rf"^(?:(?:export|alias|unexport)[ \t]+{_NAME}|set[ \t]+{_NAME}[ \t]*(?::=|#|$)|{_NAME}[ \t]*:=)"
)
_HEADER_NAME = lazy(rf"^(?P<quiet>@)?(?P<name>{_NAME})")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "\n": ""}


class Statement(NamedTuple):
    """An ``import``/``mod`` statement as written."""

    keyword: str
    optional: bool
    #: The module name (``mod`` only).
    name: str | None
    #: The path as written, unquoted; None for ``mod name`` without a path.
    literal: str | None
    line: int
    #: The path literal with its quotes, or the module name when there is no path.
    span: Span


class Header(NamedTuple):
    """A recipe header line and the block around it."""

    name: str
    line: int
    name_span: Span
    quiet: bool
    #: First line of the doc-comment/attribute block directly above (``line`` when none).
    block_first: int
    #: Body lines (inclusive); ``body_last < body_first`` when the recipe has no body.
    body_first: int
    body_last: int


class AliasLine(NamedTuple):
    """An ``alias name := target`` line."""

    name: str
    target: str
    line: int
    name_span: Span


class ScannedFile(NamedTuple):
    """What the scanner found in one file."""

    statements: tuple[Statement, ...]
    headers: tuple[Header, ...]
    aliases: tuple[AliasLine, ...]


def unquote(literal: str) -> str:
    """The value of a just string literal (raw ``'...'`` or cooked ``"..."``)."""
    for quote in ("'''", '"""'):
        if literal.startswith(quote) and literal.endswith(quote) and len(literal) >= 6:
            inner = literal[3:-3]
            return _cook(inner) if quote == '"""' else inner
    inner = literal[1:-1]
    return _cook(inner) if literal.startswith('"') else inner


def _cook(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def recipe_colon(line: str, start: int) -> int:
    """Index of the header's ``:`` (outside strings and parentheses, not ``:=``), or -1."""
    depth = 0
    i = start
    while i < len(line):
        char = line[i]
        if char in "'\"`":
            end = line.find(char, i + 1)
            while char == '"' and end > 0 and line[end - 1] == "\\":
                end = line.find(char, end + 1)
            if end < 0:
                return -1
            i = end + 1
            continue
        if char == "#" and depth == 0:
            return -1
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == ":" and depth == 0:
            return -1 if line[i + 1 : i + 2] == "=" else i
        i += 1
    return -1


def open_after(text: str, open_string: str | None = None) -> str | None:
    """The delimiter of the multi-line string still open at the end of line ``text``
    (``open_string`` when the line starts inside one), else None.

    Strings are skipped whole, as just's lexer does (so ``x := "'''"`` opens nothing); a
    ``#`` outside strings ends the line.
    """
    i = 0
    if open_string is not None:
        end = _close(text, 0, open_string)
        if end < 0:
            return open_string
        i = end + 3
    while i < len(text):
        char = text[i]
        if char == "#":
            return None
        if char in "'\"`":
            if text.startswith(char * 3, i):
                end = _close(text, i + 3, char * 3)
                if end < 0:
                    return char * 3
                i = end + 3
                continue
            end = _close(text, i + 1, char)
            if end < 0:
                return None  # an unterminated one-line string: just reports it
            i = end + 1
            continue
        i += 1
    return None


def _close(text: str, start: int, delimiter: str) -> int:
    """Where ``delimiter`` closes a string opened before ``start`` (-1: not on this line);
    only cooked (double-quoted) strings have escapes."""
    i = start
    while i < len(text):
        if delimiter[0] == '"' and text[i] == "\\":
            i += 2
            continue
        if text.startswith(delimiter, i):
            return i
        i += 1
    return -1


def scan(source: SourceFile) -> ScannedFile:
    """Find statements, aliases and recipe headers in ``source``."""
    statements: list[Statement] = []
    headers: list[Header] = []
    aliases: list[AliasLine] = []
    block_first = 0
    open_string: str | None = None
    number = 0
    count = source.line_count
    while number < count:
        number += 1
        text = source.line(number)
        if open_string is not None:
            open_string = open_after(text, open_string)
            continue
        if not text.strip():
            block_first = 0
            continue
        if text[0] in " \t":
            continue  # an indented line outside a recipe: a continued expression
        if text.startswith(("#", "[")):
            block_first = block_first or number
            continue
        item_first, block_first = block_first or number, 0
        statement = _statement(source, number, text)
        if statement is not None:
            statements.append(statement)
            continue
        alias = _ALIAS.match(text)
        if alias is not None:
            column = alias.start("name") + 1
            span = Span.of(number, column, number, column + len(alias.group("name")))
            aliases.append(AliasLine(alias.group("name"), alias.group("target"), number, span))
            continue
        header = _HEADER_NAME.match(text)
        if (
            header is not None
            and not _KEYWORD_ITEM.match(text)
            and recipe_colon(text, header.end()) >= 0
        ):
            body_last = number
            probe = number
            while probe < count:
                following = source.line(probe + 1)
                if following.strip() and following[0] not in " \t":
                    break
                probe += 1
                if following.strip():
                    body_last = probe
            column = header.start("name") + 1
            name = header.group("name")
            headers.append(
                Header(
                    name=name,
                    line=number,
                    name_span=Span.of(number, column, number, column + len(name)),
                    quiet=header.group("quiet") is not None,
                    block_first=item_first,
                    body_first=number + 1,
                    body_last=body_last,
                )
            )
            number = body_last
            continue
        open_string = open_after(text)
    return ScannedFile(tuple(statements), tuple(headers), tuple(aliases))


def _statement(source: SourceFile, number: int, text: str) -> Statement | None:
    match = _IMPORT.match(text) or _MOD.match(text)
    if match is None:
        return None
    keyword = "import" if text.startswith("import") else "mod"
    literal = match.group("lit")
    name = match.groupdict().get("name")
    part = "lit" if literal is not None else "name"
    column = match.start(part) + 1
    span = Span.of(number, column, number, column + len(match.group(part)))
    return Statement(
        keyword=keyword,
        optional=match.group("opt") is not None,
        name=name,
        literal=unquote(literal) if literal is not None else None,
        line=number,
        span=span,
    )


def body_text(source: SourceFile, header: Header) -> str:
    """The recipe body as written, with the common indentation removed."""
    lines = [source.line(n) for n in range(header.body_first, header.body_last + 1)]
    indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:] for line in lines)
