"""Helpers for the MLflow checker's tests: run the real engine over a temporary project."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from mlops_hooks.testing import run_rules, write_project

Finding = tuple[str, tuple[int, int, int, int], str]
Lint = Callable[..., list[Finding]]
DEFAULT_PATH = "src/bikes/serving.py"


@pytest.fixture
def lint(tmp_path: Path) -> Lint:
    """``lint(source, select=..., path=..., options=...)`` -> sorted (code, span, message)."""

    def run(
        source: str,
        select: str | list[str] = "MLF",
        path: str = DEFAULT_PATH,
        options: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> list[Finding]:
        write_project(tmp_path, {path: source})
        codes = [select] if isinstance(select, str) else select
        return [
            (d.code, d.span.as_tuple(), d.message)
            for d in run_rules(tmp_path, codes, options, paths=[path])
        ]

    return run


@pytest.fixture
def fix(tmp_path: Path) -> Callable[..., str]:
    """``fix(source, select=..., path=...)``: the file's text after ``--fix --unsafe-fixes``."""

    def run(
        source: str,
        select: str | list[str] = "MLF",
        path: str = DEFAULT_PATH,
        options: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> str:
        write_project(tmp_path, {path: source})
        codes = [select] if isinstance(select, str) else select
        run_rules(tmp_path, codes, options, fix=True, unsafe_fixes=True, paths=[path])
        return (tmp_path / path).read_bytes().decode("utf-8")

    return run


def spans(findings: list[Finding], code: str | None = None) -> list[tuple[int, int, int, int]]:
    """The spans of the findings (of one code)."""
    return [span for c, span, _ in findings if code is None or c == code]
