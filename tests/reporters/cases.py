"""One shared set of diagnostics that every reporter's snapshot test renders.

It covers what breaks reporters: a path with spaces and a comma, non-ASCII paths and wide
characters, tabs, a multi-line span, an empty (point) span at the end of a line, a message
with ``%``, ``:``, ``,`` and a line break, safe and unsafe fixes (one inserting lines), every
severity, and a file without text (no snippet).
"""

from __future__ import annotations

import re

from mlops_hooks.diagnostics import Diagnostic, Edit, Fix, Severity, Span
from mlops_hooks.reporters import Report
from tests.core.fakekind import FAKE_RULES

SOURCES = {
    "Dockerfile": "FROM python:3.12-slim\nCOPY . .\nRUN uv sync\n",
    "ci dir, v2/release.yml": (
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps: []\n"
    ),
    "justfile": "test:\n\tuv run pytest\t-q\n",
    "src/名前.py": 'import mlflow\nmodel = mlflow.pyfunc.load_model("models:/模型/3")  # ✓\n',
}

COPY = Span.of(2, 1, 2, 9)
MODEL_URI = Span.of(2, 34, 2, 48)

DIAGNOSTICS = [
    Diagnostic(
        "FAK002",
        "risky-word",
        "Dockerfile",
        COPY,
        "source copied before `uv sync`",
        Severity.ERROR,
        Fix.unsafe(
            Edit(
                COPY, "COPY uv.lock pyproject.toml ./\nRUN uv sync --no-install-project\nCOPY . ."
            ),
            message="copy the lock file first",
        ),
    ),
    Diagnostic(
        "FAK003",
        "quiet-word",
        "ci dir, v2/release.yml",
        Span.of(3, 3, 5, 14),
        "job `build` has no concurrency: 100%, of runs\nrepeat",
        Severity.ERROR,
    ),
    Diagnostic(
        "FAK000",
        "fake-parse-error",
        "image.bin",
        Span.point(1, 1),
        "binary file (contains NUL bytes); not checked",
        Severity.ERROR,
    ),
    Diagnostic(
        "FAK003",
        "quiet-word",
        "justfile",
        Span.point(1, 6),
        "recipe `test` has no doc comment",
        Severity.INFO,
    ),
    Diagnostic(
        "FAK001",
        "bad-word",
        "justfile",
        Span.of(2, 2, 2, 15),
        "use `just test` arguments",
        Severity.WARNING,
        Fix.safe(Edit(Span.of(2, 15, 2, 16), " ")),
    ),
    Diagnostic(
        "FAK001",
        "bad-word",
        "src/名前.py",
        MODEL_URI,
        "model loaded by version 3; load an alias",
        Severity.WARNING,
        Fix.safe(Edit(MODEL_URI, '"models:/模型@champion"'), message="load `@champion`"),
    ),
]


def source_line(path: str, number: int) -> str:
    """The reporters' view of the files (``image.bin`` has no text)."""
    lines = re.split(r"\r\n|\r|\n", SOURCES.get(path, ""))
    return lines[number - 1] if 0 < number <= len(lines) else ""


def report(**changes: object) -> Report:
    """The shared report; keyword arguments override its fields."""
    fields: dict[str, object] = {
        "diagnostics": sorted(DIAGNOSTICS, key=Diagnostic.sort_key),
        "files_checked": 6,
        "source_line": source_line,
        "rules": FAKE_RULES,
    }
    fields.update(changes)
    return Report(**fields)  # type: ignore[arg-type]
