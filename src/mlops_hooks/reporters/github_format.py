"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=CODE name::message``, with the
escaping GitHub's runner undoes: ``%``, CR and LF in the message; also ``:`` and ``,`` in
property values. Other control characters in paths and messages are escaped after that, as
in every human-facing format (:mod:`mlops_hooks.reporters.escape`). Severity
error/warning/info maps to ``error``/``warning``/``notice``.
Columns go only on single-line spans (GitHub rejects them otherwise) and ``endColumn`` is
one past the last character, as in the other formats. Paths are relative to the repository
root (``$GITHUB_WORKSPACE`` when set), so the annotation lands on the file in the diff.
"""

from __future__ import annotations

from mlops_hooks.diagnostics import Diagnostic, Severity
from mlops_hooks.reporters import Report
from mlops_hooks.reporters.escape import printable

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message (GitHub's ``escapeData``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (GitHub's ``escapeProperty``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic, path: str) -> str:
    """One workflow command for ``d``."""
    start, end = d.span.start, d.span.end
    if end.line > start.line and end.column == 1:
        # A span that runs to the start of a later line ends on the line before it.
        end_line, end_column = end.line - 1, None
    else:
        end_line, end_column = end.line, end.column
    props = [("file", path), ("line", str(start.line))]
    if end_line == start.line:
        props.append(("col", str(start.column)))
    props.append(("endLine", str(end_line)))
    if end_line == start.line and end_column is not None and end_column > start.column:
        props.append(("endColumn", str(end_column)))
    props.append(("title", f"{d.code} {d.name}"))
    # GitHub's escaping (CR and LF become %0D and %0A: the runner shows a multi-line message),
    # then every other control character escaped (an ESC would reach the log viewer).
    properties = ",".join(f"{key}={printable(escape_property(value))}" for key, value in props)
    return f"::{LEVELS[d.severity]} {properties}::{printable(escape_data(d.message))}"


def render(report: Report) -> str:
    """One annotation line per finding (nothing when there are none)."""
    return "".join(annotation(d, report.artifact_path(d.path)) + "\n" for d in report.diagnostics)
