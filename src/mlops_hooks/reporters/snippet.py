"""Source snippets under a finding: the flagged lines with carets, and fix previews.

A single-line span::

    2 |     a bad line
              ^^^

A multi-line span shows its first and last lines (at most :data:`MAX_LINES`, with ``...``
for the rest): carets from the start column to the end of the first line, and from the
first non-blank character to the end column on the last. A fix preview (``--show-fixes``)
shows the lines a fix changes, old with ``-`` and new with ``+``.
"""

from __future__ import annotations

from collections.abc import Callable

from mlops_hooks.diagnostics import Diagnostic, Edit, Position, Span
from mlops_hooks.reporters.escape import printable
from mlops_hooks.reporters.terminal import cells, paint

SourceLine = Callable[[str, int], str]
#: Lines shown of a multi-line span before eliding the middle.
MAX_LINES = 5
#: Source lines wider than this are cut around the span, with ``…`` where text was cut.
MAX_WIDTH = 120
#: Cells kept before the span when a long line is cut.
CONTEXT = 24


def _visible_end(span: Span, line_of: Callable[[int], str]) -> Position:
    """The end to draw: a span ending at column 1 of a later line ends on the line before."""
    end = span.end
    if end.line > span.start.line and end.column == 1:
        return Position(end.line - 1, len(line_of(end.line - 1)) + 1)
    return end


def render_snippet(d: Diagnostic, source_line: SourceLine, color: bool) -> list[str]:
    """The lines of ``d``'s span with carets under it; none when the source is unavailable."""

    def line_of(number: int) -> str:
        return source_line(d.path, number)

    start = d.span.start
    end = _visible_end(d.span, line_of)
    numbers = list(range(start.line, end.line + 1))
    if not line_of(start.line):
        return []
    if len(numbers) > MAX_LINES:
        keep = MAX_LINES // 2
        numbers = [*numbers[:keep], 0, *numbers[-keep:]]
    width = len(str(end.line))
    out: list[str] = []
    for number in numbers:
        if number == 0:
            out.append(paint(f"{'...':>{width}}", "dim", color))
            continue
        text = line_of(number)
        first = start.column if number == start.line else _indent(text) + 1
        last = end.column if number == end.line else len(text) + 1
        drawn, carets = _underline(text, first, last)
        gutter = f"{number:>{width}} | "
        out.append(paint(gutter if drawn else gutter.rstrip(), "dim", color) + drawn)
        if number in (start.line, end.line):
            out.append(" " * len(gutter) + paint(carets, "caret", color))
    return out


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" \t"))


def _underline(text: str, first: int, last: int) -> tuple[str, str]:
    """The drawn line (cut to :data:`MAX_WIDTH`) and carets under columns ``[first, last)``."""
    pieces = cells(text)
    first = min(max(first, 1), len(pieces) + 1)
    last = min(max(last, first), len(pieces) + 1)
    before = sum(w for _, w in pieces[: first - 1])
    under = sum(w for _, w in pieces[first - 1 : last - 1])
    total = sum(w for _, w in pieces)
    lo, hi = 0, len(pieces)
    prefix = suffix = ""
    if total > MAX_WIDTH:
        # Keep some context before the span, then as much as fits.
        skipped = 0
        while lo < first - 1 and before - skipped > CONTEXT:
            skipped += pieces[lo][1]
            lo += 1
        if lo:
            prefix = "…"
            before = before - skipped + 1
        room = MAX_WIDTH - len(prefix)
        used = 0
        hi = lo
        while hi < len(pieces) and used + pieces[hi][1] <= room:
            used += pieces[hi][1]
            hi += 1
        if hi < len(pieces):
            suffix = "…"
            under = min(under, used + len(prefix) - before + 1)
    drawn = prefix + "".join(p for p, _ in pieces[lo:hi]) + suffix
    return drawn.rstrip(), " " * before + "^" * max(under, 1)


def render_fix(d: Diagnostic, source_line: SourceLine, color: bool) -> list[str]:
    """``--show-fixes``: the fix's message and the changed lines, old (``-``) and new (``+``)."""
    fix = d.fix
    if fix is None:
        return []
    message = printable(fix.message) if fix.message else "apply the fix"
    out = [f"  fix ({fix.safety.value}): {message}"]
    edits = sorted(fix.edits, key=lambda e: (e.span.start, e.span.end))
    hunks: list[list[Edit]] = []
    for edit in edits:
        if hunks and edit.span.start.line <= hunks[-1][-1].span.end.line + 1:
            hunks[-1].append(edit)
        else:
            hunks.append([edit])
    shift = 0
    for hunk in hunks:
        first = hunk[0].span.start.line
        last = max(e.span.end.line for e in hunk)
        old = [source_line(d.path, n) for n in range(first, last + 1)]
        new = _apply(old, first, hunk)
        # Drop the lines the hunk leaves alone at either end.
        head = 0
        while head < min(len(old), len(new)) and old[head] == new[head]:
            head += 1
        tail = 0
        while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
            tail += 1
        removed = old[head : len(old) - tail]
        added = new[head : len(new) - tail]
        rows = [(first + head + i, "-", text, "removed") for i, text in enumerate(removed)]
        rows += [(first + head + shift + i, "+", text, "added") for i, text in enumerate(added)]
        width = max((len(str(number)) for number, *_ in rows), default=1)
        for number, sign, text, style in rows:
            out.append(paint(f"  {number:>{width}} {sign} {_draw(text)}".rstrip(), style, color))
        shift += len(added) - len(removed)
    return out


def _draw(text: str) -> str:
    return "".join(p for p, _ in cells(text)).rstrip()


def _apply(lines: list[str], first: int, edits: list[Edit]) -> list[str]:
    """Apply ``edits`` (1-based positions, lines from ``first``) to ``lines``."""
    text = "\n".join(lines) + "\n"
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)

    def offset(position: Position) -> int:
        index = min(max(position.line - first, 0), len(lines))
        if index == len(lines):
            return len(text)
        return min(starts[index] + position.column - 1, starts[index + 1] - 1)

    for edit in sorted(edits, key=lambda e: e.span.start, reverse=True):
        text = text[: offset(edit.span.start)] + edit.content + text[offset(edit.span.end) :]
    return text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
