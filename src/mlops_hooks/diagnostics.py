"""The one contract between rules and everything downstream: :class:`Diagnostic`.

Lines and columns are 1-based. Columns count Unicode code points (not bytes, not display
cells), and a span's end is exclusive: ``COPY . .`` on line 2 is ``Span.of(2, 1, 2, 9)``.
Reporters, the fixer and suppressions only ever see these values, never a parser's node.

The values are immutable named tuples rather than dataclasses: a hook process starts on every
commit, and ``dataclasses`` (with the ``inspect`` import it pulls in and the code it generates
per class) costs more start-up time than the whole Dockerfile parse.
"""

from __future__ import annotations

import enum
from typing import NamedTuple


class Severity(str, enum.Enum):
    """How bad a finding is; maps to SARIF levels and GitHub annotation kinds."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class FixSafety(str, enum.Enum):
    """Whether a fix keeps the meaning of the file (safe) or may change behaviour (unsafe)."""

    SAFE = "safe"
    UNSAFE = "unsafe"


class Position(NamedTuple):
    """A 1-based line and column (column in code points)."""

    line: int
    column: int


class Span(NamedTuple):
    """A range of source text: ``start`` inclusive, ``end`` exclusive."""

    start: Position
    end: Position

    @classmethod
    def of(cls, line: int, column: int, end_line: int, end_column: int) -> Span:
        """Build a span from four numbers: start line, start column, end line, end column."""
        return cls(Position(line, column), Position(end_line, end_column))

    @classmethod
    def point(cls, line: int, column: int = 1) -> Span:
        """An empty span at one position (for findings about something missing)."""
        return cls(Position(line, column), Position(line, column))

    def as_tuple(self) -> tuple[int, int, int, int]:
        """The four numbers, as written in rule examples."""
        return (self.start.line, self.start.column, self.end.line, self.end.column)


class Edit(NamedTuple):
    """Replace the text in ``span`` with ``content`` (an empty span inserts)."""

    span: Span
    content: str

    @classmethod
    def insert(cls, at: Position, content: str) -> Edit:
        """Insert ``content`` at ``at``."""
        return cls(Span(at, at), content)


class Fix(NamedTuple):
    """A set of non-overlapping edits that together resolve one finding."""

    edits: tuple[Edit, ...]
    safety: FixSafety = FixSafety.SAFE
    message: str = ""

    @classmethod
    def safe(cls, *edits: Edit, message: str = "") -> Fix:
        """A fix that keeps the meaning of the file."""
        return cls(tuple(edits), FixSafety.SAFE, message)

    @classmethod
    def unsafe(cls, *edits: Edit, message: str = "") -> Fix:
        """A fix that may change behaviour; applied only with ``--unsafe-fixes``."""
        return cls(tuple(edits), FixSafety.UNSAFE, message)


class Diagnostic(NamedTuple):
    """One finding: which rule, where, what, and optionally how to fix it."""

    code: str
    name: str
    path: str
    span: Span
    message: str
    severity: Severity = Severity.ERROR
    fix: Fix | None = None

    def sort_key(self) -> tuple[str, int, int, str, int, int, str]:
        """Sort by path, line, column, code (the JSON contract's order)."""
        s = self.span
        return (
            self.path,
            s.start.line,
            s.start.column,
            self.code,
            s.end.line,
            s.end.column,
            self.message,
        )
