"""Inline and file-level suppressions, applied centrally after the rules have run.

``# mlops-hooks: ignore[DKR001,uv-cache-in-layer] reason`` on a line of its own suppresses those
rules on the next line that is neither blank nor a comment; at the end of a line it suppresses
them on that line. ``# mlops-hooks: ignore-file[DKR003] reason`` anywhere suppresses them in
the whole file. Codes and names are both accepted; a rule never sees any of this.

Some lines cannot carry a comment: a line inside a YAML block scalar, a Dockerfile heredoc or
a Python string that spans lines is text, not code. Each checker maps such lines to the line
whose suppression covers them (its *anchor*: the block scalar's key, the heredoc's
instruction, the line where the string ends), and a suppression of the anchor covers them.

Every directive records which of its codes suppressed something, so that the engine can
report the others (``MLH001`` ``unused-suppression``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

from mlops_hooks.diagnostics import Diagnostic
from mlops_hooks.lazyre import lazy
from mlops_hooks.source import SourceFile

MARKER = "mlops-hooks:"
_DIRECTIVE = lazy(r"#\s*mlops-hooks:\s*(ignore-file|ignore)\[([^\]]*)\]")
_TOKEN = lazy(r"[^,\s]+")
#: A huge span: its first lines are enough to find a suppression.
MAX_SPAN_LINES = 200


class Token(NamedTuple):
    """One code or name inside a directive's brackets, with its 0-based columns in the line."""

    text: str
    start: int
    end: int
    #: The rule code it names, or None when it names no known rule.
    code: str | None


class Directive:
    """One ``# mlops-hooks: ignore[...]`` comment (a plain class: ``dataclasses`` costs
    start-up time, and a hook process starts on every commit)."""

    __slots__ = ("end", "file_level", "line", "own_line", "start", "tokens", "used")

    def __init__(
        self,
        line: int,
        file_level: bool,
        start: int,
        end: int,
        tokens: list[Token],
        own_line: bool,
    ) -> None:
        self.line = line
        self.file_level = file_level
        #: 0-based columns of the ``#`` and one past the ``]``.
        self.start = start
        self.end = end
        self.tokens = tokens
        #: Whether the comment is alone on its line (after indentation).
        self.own_line = own_line
        #: The tokens (by index) that suppressed at least one finding.
        self.used: set[int] = set()


class Suppressions:
    """The suppressions of one file, as sets of rule codes, and the directives behind them."""

    __slots__ = ("_file_refs", "_line_refs", "anchors", "by_line", "directives", "file_codes")

    def __init__(self) -> None:
        self.file_codes: set[str] = set()
        self.by_line: dict[int, set[str]] = {}
        self.directives: list[Directive] = []
        #: Lines that cannot carry a comment -> the line whose suppression covers them.
        self.anchors: Mapping[int, int] = {}
        self._file_refs: dict[str, list[tuple[int, int]]] = {}
        self._line_refs: dict[tuple[int, str], list[tuple[int, int]]] = {}

    def suppresses(self, diagnostic: Diagnostic) -> bool:
        """Whether ``diagnostic`` is suppressed in this file (recording what suppressed it)."""
        code = diagnostic.code
        if code in self.file_codes:
            self._use(self._file_refs[code])
            return True
        span = diagnostic.span
        for line in range(span.start.line, max(span.start.line, span.end.line) + 1):
            for target in (line, self.anchors.get(line)):
                if target is not None and code in self.by_line.get(target, ()):
                    self._use(self._line_refs[(target, code)])
                    return True
            if line - span.start.line > MAX_SPAN_LINES:
                break
        return False

    def _use(self, refs: list[tuple[int, int]]) -> None:
        for directive, token in refs:
            self.directives[directive].used.add(token)

    def _add(self, directive: Directive, target: int | None) -> None:
        index = len(self.directives)
        self.directives.append(directive)
        for position, token in enumerate(directive.tokens):
            if token.code is None:
                continue
            ref = (index, position)
            if target is None:
                self.file_codes.add(token.code)
                self._file_refs.setdefault(token.code, []).append(ref)
            else:
                self.by_line.setdefault(target, set()).add(token.code)
                self._line_refs.setdefault((target, token.code), []).append(ref)


def parse_suppressions(
    source: SourceFile,
    resolve: Callable[[str], str | None],
    comment_lines: Mapping[int, int] | None = None,
) -> Suppressions:
    """Collect the suppression comments of ``source``; ``resolve`` maps code/name -> code.

    ``comment_lines``: when the kind can tell, the lines that hold a real comment -> the
    0-based column where it starts; a directive elsewhere (text inside a Python string) is
    not a suppression.
    """
    result = Suppressions()
    if MARKER not in source.text:
        return result
    pending: list[Directive] = []
    for number in range(1, source.line_count + 1):
        line = source.line(number)
        match = None
        if MARKER in line:
            if comment_lines is None:
                match = _DIRECTIVE.search(line)
            elif number in comment_lines:
                # Only within the comment: the same text in a string before it is text.
                match = _DIRECTIVE.search(line, comment_lines[number])
        stripped = line.strip()
        own_line = stripped.startswith("#")
        if match is not None:
            offset = match.start(2)
            tokens = [
                Token(m.group(), offset + m.start(), offset + m.end(), resolve(m.group()))
                for m in _TOKEN.finditer(match.group(2))
            ]
            directive = Directive(
                number,
                match.group(1) == "ignore-file",
                match.start(),
                match.end(),
                tokens,
                own_line and line[: match.start()].strip() == "",
            )
            if directive.file_level:
                result._add(directive, None)
            elif own_line:
                pending.append(directive)
            else:
                result._add(directive, number)
        if pending and stripped and not own_line:
            for directive in pending:
                result._add(directive, number)
            pending = []
    # A directive followed by nothing to suppress still exists (and suppresses nothing).
    for directive in pending:
        result.directives.append(directive)
    return result
