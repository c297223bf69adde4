"""``--format concise``: one ``path:line:col: CODE [name] message`` line per finding.

For editors' problem matchers and ``grep``; the summary line closes the output as in
``text``, and ``--show-fixes`` lists the files ``--fix`` changed.
"""

from __future__ import annotations

from mlops_hooks.reporters import Report
from mlops_hooks.reporters.terminal import fixed_files, header, summary


def render(report: Report) -> str:
    """One line per finding, then the summary line."""
    out = [header(d, report.color) for d in report.diagnostics]
    out += fixed_files(report)
    out.append(summary(report))
    return "\n".join(out) + "\n"
