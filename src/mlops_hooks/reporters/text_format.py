"""``--format text``: ``path:line:col: CODE [name] message``, the source line, carets, summary."""

from __future__ import annotations

from mlops_hooks.diagnostics import FixSafety, Severity
from mlops_hooks.reporters import Report

_RESET = "\x1b[0m"
_STYLE = {
    "path": "\x1b[1m",
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.INFO: "\x1b[1;36m",
    "caret": "\x1b[1;31m",
    "dim": "\x1b[2m",
}


def _paint(text: str, style: object, color: bool) -> str:
    return f"{_STYLE[style]}{text}{_RESET}" if color else text  # type: ignore[index]


def render(report: Report) -> str:
    """Every finding with its source line and caret underline, then a summary line."""
    out: list[str] = []
    color = report.color
    for d in report.diagnostics:
        s = d.span
        where = _paint(f"{d.path}:{s.start.line}:{s.start.column}:", "path", color)
        code = _paint(d.code, d.severity, color)
        fixable = ""
        if d.fix is not None:
            fixable = " (fixable)" if d.fix.safety is FixSafety.SAFE else " (unsafe fix available)"
        out.append(f"{where} {code} [{d.name}] {d.message}{fixable}")
        line = report.source_line(d.path, s.start.line)
        if line:
            expanded = line.expandtabs(4)
            prefix = line[: s.start.column - 1].expandtabs(4)
            if s.end.line == s.start.line:
                width = len(line[: s.end.column - 1].expandtabs(4)) - len(prefix)
            else:
                width = len(expanded) - len(prefix)
            gutter = f"{s.start.line} | "
            out.append(_paint(gutter, "dim", color) + expanded)
            caret = " " * len(prefix) + "^" * max(width, 1)
            out.append(" " * len(gutter) + _paint(caret, "caret", color))
    out.append(_summary(report))
    return "\n".join(out) + "\n"


def _summary(report: Report) -> str:
    n = len(report.diagnostics)
    files = len({d.path for d in report.diagnostics})
    parts = []
    if report.fixes_applied:
        parts.append(
            f"Fixed {report.fixes_applied} finding{'s' * (report.fixes_applied != 1)} "
            f"in {report.files_fixed} file{'s' * (report.files_fixed != 1)}."
        )
    if n == 0:
        parts.append(
            f"All checks passed ({report.files_checked} file"
            f"{'s' * (report.files_checked != 1)} checked)."
        )
        return " ".join(parts)
    safe = sum(1 for d in report.diagnostics if d.fix and d.fix.safety is FixSafety.SAFE)
    unsafe = sum(1 for d in report.diagnostics if d.fix and d.fix.safety is FixSafety.UNSAFE)
    line = f"Found {n} finding{'s' * (n != 1)} in {files} file{'s' * (files != 1)}"
    line += f" ({report.files_checked} checked)"
    extras = []
    if safe:
        extras.append(f"{safe} fixable with --fix")
    if unsafe:
        extras.append(f"{unsafe} more with --fix --unsafe-fixes")
    parts.append(line + (f"; {', '.join(extras)}." if extras else "."))
    return " ".join(parts)
