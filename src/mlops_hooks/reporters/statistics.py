"""``--statistics``: how many findings each rule has, most frequent first.

Text (``--format text`` or ``concise``)::

    2  FAK001  bad-word    2 fixable
    1  FAK002  risky-word  1 unsafe fix

then the summary line. With ``--format json``: ``{"version": 1, "statistics": [{"code",
"name", "severity", "count", "fixable", "unsafe_fixable"}, ...]}`` in the same order.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from mlops_hooks.diagnostics import Diagnostic, FixSafety
from mlops_hooks.reporters import Report
from mlops_hooks.reporters.terminal import paint, summary

#: The formats ``--statistics`` can render.
STATISTICS_FORMATS = ("text", "concise", "json")


def rows(report: Report) -> list[dict[str, Any]]:
    """One row per rule with findings: count and how many have safe or unsafe fixes."""
    count: Counter[str] = Counter()
    safe: Counter[str] = Counter()
    unsafe: Counter[str] = Counter()
    first: dict[str, Diagnostic] = {}
    for d in report.diagnostics:
        count[d.code] += 1
        first.setdefault(d.code, d)
        if d.fix is not None:
            (safe if d.fix.safety is FixSafety.SAFE else unsafe)[d.code] += 1
    order = sorted(count, key=lambda code: (-count[code], code))
    return [
        {
            "code": code,
            "name": first[code].name,
            "severity": first[code].severity.value,
            "count": count[code],
            "fixable": safe[code],
            "unsafe_fixable": unsafe[code],
        }
        for code in order
    ]


def render(report: Report, fmt: str) -> str:
    """The statistics in ``fmt`` (one of :data:`STATISTICS_FORMATS`)."""
    table = rows(report)
    if fmt == "json":
        return json.dumps({"version": 1, "statistics": table}, indent=2) + "\n"
    cells: list[tuple[str, str, str, str, str]] = []
    for row in table:
        notes = []
        if row["fixable"]:
            notes.append(f"{row['fixable']} fixable")
        if row["unsafe_fixable"]:
            unsafe = row["unsafe_fixable"]
            notes.append(f"{unsafe} unsafe fix{'es' * (unsafe != 1)}")
        cells.append(
            (str(row["count"]), row["code"], row["name"], ", ".join(notes), row["severity"])
        )
    widths = [max((len(c[i]) for c in cells), default=0) for i in range(3)]
    out = []
    for count, code, name, note, severity in cells:
        line = (
            f"{count:>{widths[0]}}  {paint(code.ljust(widths[1]), severity, report.color)}"
            f"  {name.ljust(widths[2])}  {note}"
        )
        out.append(line.rstrip())
    out.append(summary(report))
    return "\n".join(out) + "\n"
