"""Reporters: one module per output format, each receiving only diagnostics.

A reporter module defines ``render(report: Report) -> str``. The CLI picks the module by the
``--format`` name, importing only that one.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from mlops_hooks.diagnostics import Diagnostic

FORMATS = ("text", "json")


@dataclass
class Report:
    """Everything a reporter may use."""

    diagnostics: list[Diagnostic]
    files_checked: int = 0
    fixes_applied: int = 0
    files_fixed: int = 0
    source_line: Callable[[str, int], str] = field(default=lambda path, line: "")
    color: bool = False
    unsafe_fixes: bool = False


class Renderer(Protocol):
    """The signature every reporter module's ``render`` has."""

    def __call__(self, report: Report) -> str: ...


def get_renderer(name: str) -> Renderer:
    """The ``render`` function of the reporter for ``--format name``."""
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}; valid formats: {', '.join(FORMATS)}")
    module = importlib.import_module(f"{__name__}.{name}_format")
    render: Renderer = module.render
    return render
