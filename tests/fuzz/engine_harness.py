"""Run the real engine on one in-memory document and check the universal properties."""

from __future__ import annotations

import re
from pathlib import Path

from mlops_hooks.config import Settings
from mlops_hooks.diagnostics import Diagnostic
from mlops_hooks.engine import Engine, RunOptions
from mlops_hooks.registry import get_registry

_LINES = re.compile(r"\r\n|\r|\n")


def check_text(root: Path, relpath: str, text: str) -> list[Diagnostic]:
    """Write ``text`` to ``root/relpath`` and check it with every rule (defaults + all)."""
    target = root / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode("utf-8", "surrogatepass"))
    engine = Engine(get_registry(), Settings(), RunOptions(), select=["ALL"], cwd=root)
    results = engine.run([str(target)])
    return [d for r in results for d in r.diagnostics]


def assert_spans_inside(text: str, diagnostics: list[Diagnostic]) -> None:
    lines = _LINES.split(text)
    for d in diagnostics:
        for pos in (d.span.start, d.span.end):
            assert 1 <= pos.line <= len(lines) + 1, (d, len(lines))
            width = len(lines[pos.line - 1]) if pos.line <= len(lines) else 0
            assert 1 <= pos.column <= width + 1, (d, width)
        assert d.span.start <= d.span.end, d
        assert d.message, d


def fix_twice(root: Path, relpath: str, text: str) -> tuple[str, str]:
    """Apply every fix (unsafe too) in memory, then again on the result."""
    engine = Engine(
        get_registry(),
        Settings(),
        RunOptions(fix=True, unsafe_fixes=True, write=False),
        select=["ALL"],
        cwd=root,
    )
    target = root / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode("utf-8", "surrogatepass"))
    [result] = engine.run([str(target)]) or [None]
    once = result.fixed if result is not None and result.fixed is not None else text
    target.write_bytes(once.encode("utf-8", "surrogatepass"))
    [again] = engine.run([str(target)]) or [None]
    twice = again.fixed if again is not None and again.fixed is not None else once
    return once, twice
