"""Inline and file-level suppressions, applied centrally after the rules have run.

``# mlops-hooks: ignore[DKR001,uv-cache-in-layer] reason`` on a line of its own suppresses those
rules on the next line that is neither blank nor a comment; at the end of a line it suppresses
them on that line. ``# mlops-hooks: ignore-file[DKR003] reason`` anywhere suppresses them in
the whole file. Codes and names are both accepted; a rule never sees any of this.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from mlops_hooks.diagnostics import Diagnostic
from mlops_hooks.source import SourceFile

MARKER = "mlops-hooks:"
_DIRECTIVE = re.compile(r"#\s*mlops-hooks:\s*(ignore-file|ignore)\[([^\]]*)\]")


class Suppressions:
    """The suppressions of one file, as sets of rule codes."""

    __slots__ = ("by_line", "file_codes")

    def __init__(self) -> None:
        self.file_codes: set[str] = set()
        self.by_line: dict[int, set[str]] = {}

    def suppresses(self, diagnostic: Diagnostic) -> bool:
        """Whether ``diagnostic`` is suppressed in this file."""
        if diagnostic.code in self.file_codes:
            return True
        span = diagnostic.span
        for line in range(span.start.line, max(span.start.line, span.end.line) + 1):
            if diagnostic.code in self.by_line.get(line, ()):
                return True
            if line - span.start.line > 200:  # a huge span: its first lines are enough
                break
        return False


def parse_suppressions(source: SourceFile, resolve: Callable[[str], str | None]) -> Suppressions:
    """Collect the suppression comments of ``source``; ``resolve`` maps code/name -> code."""
    result = Suppressions()
    if MARKER not in source.text:
        return result
    pending: set[str] = set()
    for number in range(1, source.line_count + 1):
        line = source.line(number)
        match = _DIRECTIVE.search(line) if MARKER in line else None
        stripped = line.strip()
        own_line = stripped.startswith("#")
        if match is not None:
            codes = {
                code
                for token in match.group(2).split(",")
                if token.strip() and (code := resolve(token.strip())) is not None
            }
            if match.group(1) == "ignore-file":
                result.file_codes |= codes
            elif own_line:
                pending |= codes
            else:
                result.by_line.setdefault(number, set()).update(codes)
        if pending and stripped and not own_line:
            result.by_line.setdefault(number, set()).update(pending)
            pending = set()
    return result
