"""A step's ``run:`` script: its decoded text and every source line with its position.

YAML changes the text of a scalar on its way to the shell: a block's indentation goes, a
folded block or a multi-line plain scalar joins its lines, quotes and escapes are decoded. A
:class:`RunScript` keeps both sides: ``text`` (what the shell runs) and ``lines`` (each
source line of the value, exactly as written, with its 1-based line and column), plus the
alignment between them so that an offset in ``text`` maps back to the file when, and only
when, that part of the text is written verbatim.
"""

from __future__ import annotations

from mlops_hooks.diagnostics import Position, Span
from mlops_hooks.records import record
from mlops_hooks.yamlnodes import YamlNode


@record(frozen=True, slots=True)
class ScriptLine:
    """One source line of a ``run:`` script: its text exactly as written in the file (the
    block's indentation, and a quoted scalar's quotes, left out) and where that text starts."""

    text: str
    #: 1-based line number in the file.
    line: int
    #: 1-based column (code points) of ``text[0]`` on that line.
    column: int

    @property
    def span(self) -> Span:
        """The span of the whole line's text."""
        return Span.of(self.line, self.column, self.line, self.column + len(self.text))

    def span_of(self, start: int, end: int) -> Span:
        """The span of ``text[start:end]``."""
        return Span.of(self.line, self.column + start, self.line, self.column + end)


@record(slots=True)
class RunScript:
    """A ``run:`` script: what the shell gets (``text``) and where each line is written.

    For a literal block (``run: |``, the usual form) ``lines[i].text`` is line ``i`` of
    ``text`` (blank lines included, trailing blank lines left out). For a folded (``>``),
    plain or quoted scalar, ``lines`` are the source lines of the value as written (YAML
    folds them into ``text``; escapes such as ``\\"`` stay as written).

    :meth:`span_of` maps offsets in ``text`` (what a shell lexer sees) back to the file,
    exactly, or gives None where the text is not written verbatim (an escape sequence).
    """

    node: YamlNode
    text: str
    lines: tuple[ScriptLine, ...]
    #: ``(offset in text, line)`` for each line found verbatim in ``text``, in order.
    segments: tuple[tuple[int, ScriptLine], ...] = ()

    def position(self, offset: int) -> Position | None:
        """The file position of ``text[offset]`` (or of the end of a line), if exact."""
        for start, line in self.segments:
            if start <= offset <= start + len(line.text):
                return Position(line.line, line.column + offset - start)
        return None

    def span_of(self, start: int, end: int) -> Span | None:
        """The file span of ``text[start:end]``, if both ends map exactly."""
        first, last = self.position(start), self.position(end)
        if first is None or last is None:
            return None
        return Span(first, last)

    def find(self, needle: str) -> Span | None:
        """The span of the first line's first occurrence of ``needle``, if any."""
        for line in self.lines:
            index = line.text.find(needle)
            if index >= 0:
                return line.span_of(index, index + len(needle))
        return None


def run_script(node: YamlNode) -> RunScript:
    """The :class:`RunScript` of a scalar ``run:`` value."""
    target = node.alias_of or node
    lines = _block_lines(target) if target.style in ("|", ">") else _flow_lines(target)
    return RunScript(node, node.value, tuple(lines), _segments(node.value, lines))


def _segments(text: str, lines: list[ScriptLine]) -> tuple[tuple[int, ScriptLine], ...]:
    """Align the source lines with the value: each non-blank line must come next in the
    value, after nothing but the whitespace YAML turned its line breaks into."""
    segments = []
    offset = 0
    for line in lines:
        if not line.text.strip():
            continue
        index = text.find(line.text, offset)
        if index < 0 or text[offset:index].strip():
            break
        segments.append((index, line))
        offset = index + len(line.text)
    return tuple(segments)


def _block_lines(node: YamlNode) -> list[ScriptLine]:
    source = node.source
    header = source.position(node.start).line
    last = source.position(node.end).line
    if last <= header:
        return []
    first_value = next((v for v in node.value.split("\n") if v.strip()), "")
    indent = 0
    for number in range(header + 1, last + 1):
        raw = source.line(number)
        if raw.strip():
            # The first non-blank line's own indentation, less the spaces YAML kept in the
            # value (a "more indented" first line), is the block's indentation.
            extra = len(first_value) - len(first_value.lstrip(" "))
            indent = len(raw) - len(raw.lstrip(" ")) - extra
            break
    lines = []
    for number in range(header + 1, last + 1):
        raw = source.line(number)
        column = min(indent, len(raw))
        lines.append(ScriptLine(raw[column:], number, column + 1))
    return lines


def _flow_lines(node: YamlNode) -> list[ScriptLine]:
    source = node.source
    quote = 1 if node.style in ("'", '"') else 0
    start = source.position(node.start + quote)
    end = source.position(max(node.end - quote, node.start + quote))
    lines = []
    for number in range(start.line, end.line + 1):
        raw = source.line(number)
        first = start.column - 1 if number == start.line else len(raw) - len(raw.lstrip())
        stop = end.column - 1 if number == end.line else len(raw.rstrip())
        lines.append(ScriptLine(raw[first:stop], number, first + 1))
    return lines
