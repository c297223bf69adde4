from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from mlops_hooks.checkers.dockerfile.model import DockerfileModel, parse
from mlops_hooks.diagnostics import Diagnostic
from mlops_hooks.source import SourceFile
from mlops_hooks.testing import run_rules, write_project

Finding = tuple[str, tuple[int, int, int, int]]


def model_of(text: str) -> DockerfileModel:
    """Parse ``text`` as a Dockerfile."""
    return parse(SourceFile("Dockerfile", text))


@pytest.fixture
def lint(tmp_path: Path) -> Callable[..., list[Diagnostic]]:
    """Write a Dockerfile (plus files) into a fresh project and run the selected rules."""

    def run(
        text: str,
        select: str | list[str] = "DKR",
        options: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        files: Mapping[str, str] | None = None,
        path: str = "Dockerfile",
        fix: bool = False,
        unsafe_fixes: bool = False,
    ) -> list[Diagnostic]:
        write_project(tmp_path, {**(files or {}), path: text})
        codes = [select] if isinstance(select, str) else select
        return run_rules(tmp_path, codes, options, fix=fix, unsafe_fixes=unsafe_fixes)

    return run


def found(diagnostics: list[Diagnostic]) -> list[Finding]:
    """Codes and spans, in report order."""
    return [(d.code, d.span.as_tuple()) for d in diagnostics]
