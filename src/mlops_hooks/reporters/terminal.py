"""What the human-readable formats share: styles, safe text, display widths, headers, summary.

Text from checked files reaches a terminal here, so nothing is printed raw: one-line text
goes through :func:`mlops_hooks.reporters.escape.printable`; source lines in snippets show
control characters as visible symbols and bidirectional overrides (Trojan Source) as
``<U+202E>``. Widths are display cells: East Asian wide characters take two, combining marks
none, a tab runs to the next multiple of :data:`TAB_WIDTH`.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from mlops_hooks.diagnostics import Diagnostic, FixSafety, Severity
from mlops_hooks.reporters import Report
from mlops_hooks.reporters.escape import BIDI_CONTROLS, printable

TAB_WIDTH = 4
RESET = "\x1b[0m"
STYLES = {
    "path": "\x1b[1m",
    Severity.ERROR.value: "\x1b[1;31m",
    Severity.WARNING.value: "\x1b[1;33m",
    Severity.INFO.value: "\x1b[1;36m",
    "caret": "\x1b[1;31m",
    "dim": "\x1b[2m",
    "removed": "\x1b[31m",
    "added": "\x1b[32m",
    "hunk": "\x1b[36m",
}


def paint(text: str, style: str, color: bool) -> str:
    """``text`` in ``style`` when ``color`` is on (never an empty escape)."""
    return f"{STYLES[style]}{text}{RESET}" if color and text else text


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """Display cells of one code point that is not a tab or a control character."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cells(line: str) -> list[tuple[str, int]]:
    """How each code point of ``line`` is drawn: ``(text, width)`` in display cells."""
    out: list[tuple[str, int]] = []
    column = 0
    for char in line:
        if char == "\t":
            width = TAB_WIDTH - column % TAB_WIDTH
            piece = " " * width
        elif char in BIDI_CONTROLS or char in "\u2028\u2029":
            piece = f"<U+{ord(char):04X}>"
            width = len(piece)
        elif char < " " or char == "\x7f":
            # The Control Pictures block has one symbol per C0 control (and DEL).
            piece = chr(0x2421) if char == "\x7f" else chr(0x2400 + ord(char))
            width = 1
        elif "\x80" <= char < "\xa0":
            piece, width = "\ufffd", 1
        else:
            piece, width = char, char_width(char)
        out.append((piece, width))
        column += width
    return out


def fix_label(d: Diagnostic) -> str:
    """`` (fixable)`` / `` (unsafe fix available)`` after a finding's message."""
    if d.fix is None:
        return ""
    return " (fixable)" if d.fix.safety is FixSafety.SAFE else " (unsafe fix available)"


def header(d: Diagnostic, color: bool) -> str:
    """``path:line:col: CODE [name] message``: the first line of a finding in every text format."""
    where = paint(f"{printable(d.path)}:{d.span.start.line}:{d.span.start.column}:", "path", color)
    code = paint(d.code, d.severity.value, color)
    return f"{where} {code} [{d.name}] {printable(d.message)}{fix_label(d)}"


def _plural(count: int, noun: str) -> str:
    suffix = "es" if noun.endswith(("s", "x")) else "s"
    return f"{count} {noun}{suffix * (count != 1)}"


def summary(report: Report) -> str:
    """``Found N findings in M files (K checked); ...`` or ``All checks passed (...)``."""
    n = len(report.diagnostics)
    parts = []
    if report.fixes_applied:
        parts.append(
            f"Fixed {_plural(report.fixes_applied, 'finding')} "
            f"in {_plural(report.files_fixed, 'file')}."
        )
    if n == 0:
        parts.append(f"All checks passed ({_plural(report.files_checked, 'file')} checked).")
        return " ".join(parts)
    files = len({d.path for d in report.diagnostics})
    safe = sum(1 for d in report.diagnostics if d.fix and d.fix.safety is FixSafety.SAFE)
    unsafe = sum(1 for d in report.diagnostics if d.fix and d.fix.safety is FixSafety.UNSAFE)
    line = f"Found {_plural(n, 'finding')} in {_plural(files, 'file')}"
    line += f" ({report.files_checked} checked)"
    extras = []
    if safe:
        extras.append(f"{safe} fixable with --fix")
    if unsafe:
        extras.append(f"{unsafe} more with --fix --unsafe-fixes")
    parts.append(line + (f"; {', '.join(extras)}." if extras else "."))
    return " ".join(parts)


def fixed_files(report: Report) -> list[str]:
    """With ``--fix --show-fixes``: which files were changed, and by how many fixes."""
    if not report.show_fixes or not report.fixed_files:
        return []
    total = sum(count for _, count in report.fixed_files)
    lines = [f"Fixed {_plural(total, 'finding')}:"]
    lines += [f"- {printable(path)}: {_plural(count, 'fix')}" for path, count in report.fixed_files]
    return lines
