"""``--format json``: the versioned machine contract that CI systems parse.

``{"version": 1, "diagnostics": [...]}``: each with ``code``, ``name``, ``severity``, ``path``,
1-based ``start``/``end`` ``{"line", "column"}`` (end exclusive), ``message`` and ``fix``
(``null`` or ``{"safety", "message", "edits": [{"start", "end", "content"}]}``), sorted by
path, line, column, code. New keys may be added within version 1; none are removed or renamed.
"""

from __future__ import annotations

import json
from typing import Any

from mlops_hooks.diagnostics import Diagnostic, Position
from mlops_hooks.reporters import Report

VERSION = 1


def _pos(position: Position) -> dict[str, int]:
    return {"line": position.line, "column": position.column}


def diagnostic_to_dict(d: Diagnostic) -> dict[str, Any]:
    """One diagnostic as a JSON-ready dict."""
    fix = None
    if d.fix is not None:
        fix = {
            "safety": d.fix.safety.value,
            "message": d.fix.message,
            "edits": [
                {"start": _pos(e.span.start), "end": _pos(e.span.end), "content": e.content}
                for e in d.fix.edits
            ],
        }
    return {
        "code": d.code,
        "name": d.name,
        "severity": d.severity.value,
        "path": d.path,
        "start": _pos(d.span.start),
        "end": _pos(d.span.end),
        "message": d.message,
        "fix": fix,
    }


def render(report: Report) -> str:
    """The whole report as one JSON document."""
    document = {
        "version": VERSION,
        "diagnostics": [diagnostic_to_dict(d) for d in report.diagnostics],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
