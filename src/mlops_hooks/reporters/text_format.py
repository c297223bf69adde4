"""``--format text`` (the default): each finding with its source and carets, then a summary.

The first line of every finding is ``path:line:col: CODE [name] message`` (what editors and
``grep`` parse); below it the flagged lines with carets, and with ``--show-fixes`` a preview
of the fix. The last line is ``Found N findings in M files ...`` or ``All checks passed ...``.
"""

from __future__ import annotations

from mlops_hooks.reporters import Report
from mlops_hooks.reporters.snippet import render_fix, render_snippet
from mlops_hooks.reporters.terminal import fixed_files, header, summary


def render(report: Report) -> str:
    """Every finding with its source lines and caret underline, then a summary line."""
    out: list[str] = []
    for d in report.diagnostics:
        out.append(header(d, report.color))
        out += render_snippet(d, report.source_line, report.color)
        if report.show_fixes:
            out += render_fix(d, report.source_line, report.color)
    out += fixed_files(report)
    out.append(summary(report))
    return "\n".join(out) + "\n"
