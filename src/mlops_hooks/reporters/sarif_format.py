"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; ``tool.driver`` describes every rule of the run with the same documentation as
``mlops-hooks explain`` and the docs pages (``help.markdown``). Each result has one location:
a repository-relative, percent-encoded ``artifactLocation.uri`` against ``%SRCROOT%`` and a
1-based region in Unicode code points (``columnKind``) whose ``endColumn`` is one past the
span, as the diagnostics are. A finding with a fix carries it as ``fixes[]``.

Exit code (decided in the CLI, as zizmor does): 0 with findings, so the upload step that
follows runs; ``--exit-non-zero-on-findings`` makes findings exit 1 again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mlops_hooks import __version__
from mlops_hooks.diagnostics import Diagnostic, Edit, Severity, Span
from mlops_hooks.reporters import Report
from mlops_hooks.rule import Rule

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
REPOSITORY = "https://github.com/mlops-hooks/mlops-hooks"
SRCROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def help_uri(rule: type[Rule]) -> str | None:
    """The rule's docs page in the repository; third-party rules document themselves."""
    if not rule.__module__.startswith("mlops_hooks."):
        return None
    return f"{REPOSITORY}/blob/main/docs/rules/{rule.code}-{rule.name}.md"


def descriptor(rule: type[Rule]) -> dict[str, Any]:
    """The ``reportingDescriptor`` of one rule, from its docs."""
    from mlops_hooks.ruledocs import render_markdown

    sections = rule.doc_sections()
    summary = sections.get("summary") or rule.name
    page = render_markdown(rule)
    out: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": sections.get("What it does") or summary},
        "help": {"text": page, "markdown": page},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.kind]},
    }
    uri = help_uri(rule)
    if uri is not None:
        out["helpUri"] = uri
    return out


def artifact(report: Report, path: str) -> dict[str, str]:
    """An ``artifactLocation``: relative to ``%SRCROOT%`` when inside the repository."""
    relative = report.artifact_path(path)
    if relative.startswith("/") or (len(relative) > 1 and relative[1] == ":"):
        return {"uri": Path(relative).as_uri()}
    return {"uri": quote(relative, safe="/"), "uriBaseId": SRCROOT}


def region(span: Span) -> dict[str, int]:
    """A SARIF region; ``endColumn`` is one past the end, as in :class:`Span`."""
    return {
        "startLine": span.start.line,
        "startColumn": span.start.column,
        "endLine": span.end.line,
        "endColumn": span.end.column,
    }


def _replacement(edit: Edit) -> dict[str, Any]:
    return {"deletedRegion": region(edit.span), "insertedContent": {"text": edit.content}}


def result(d: Diagnostic, index: int | None, report: Report) -> dict[str, Any]:
    """One ``result``."""
    location = artifact(report, d.path)
    out: dict[str, Any] = {"ruleId": d.code}
    if index is not None:
        out["ruleIndex"] = index
    out["level"] = LEVELS[d.severity]
    out["message"] = {"text": d.message}
    out["locations"] = [
        {"physicalLocation": {"artifactLocation": location, "region": region(d.span)}}
    ]
    if d.fix is not None:
        description = d.fix.message or f"Fix {d.code} ({d.name})"
        out["fixes"] = [
            {
                "description": {"text": description},
                "artifactChanges": [
                    {
                        "artifactLocation": location,
                        "replacements": [_replacement(e) for e in d.fix.edits],
                    }
                ],
                "properties": {"safety": d.fix.safety.value},
            }
        ]
    return out


def document(report: Report) -> dict[str, Any]:
    """The SARIF log as a dict."""
    rules = sorted({r.code: r for r in report.rules}.values(), key=lambda r: r.code)
    index = {rule.code: i for i, rule in enumerate(rules)}
    descriptors = [descriptor(rule) for rule in rules]
    # A finding of a rule the run did not list still names its rule (id and name only).
    for d in report.diagnostics:
        if d.code not in index:
            index[d.code] = len(descriptors)
            descriptors.append({"id": d.code, "name": d.name})
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "mlops-hooks",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": REPOSITORY,
                "rules": descriptors,
            }
        },
        "columnKind": "unicodeCodePoints",
    }
    if report.root is not None:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": Path(report.root).as_uri().rstrip("/") + "/"}}
    run["results"] = [result(d, index.get(d.code), report) for d in report.diagnostics]
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: Report) -> str:
    """The SARIF log as indented JSON."""
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"
