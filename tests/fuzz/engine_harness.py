"""Run the real engine on one document and check the universal properties.

One engine and one scratch project per process are reused across examples, so a campaign of
100,000 inputs per checker spends its time in the checkers, not in set-up.
"""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
from functools import cache
from pathlib import Path

from mlops_hooks.config import Settings
from mlops_hooks.diagnostics import Diagnostic
from mlops_hooks.engine import Engine, RunOptions
from mlops_hooks.registry import Registry, get_registry

_LINES = re.compile(r"\r\n|\r|\n")


def fuzz_paths(registry: Registry) -> dict[str, str]:
    """Every registered kind and the file its documents are written to (its checker's
    ``example_path``): a new kind is fuzzed without an edit to the fuzz suite."""
    return {kind: checker.example_path for kind, checker in sorted(registry.checkers.items())}


@cache
def scratch() -> Path:
    """A scratch project directory for this process."""
    root = Path(tempfile.mkdtemp(prefix="mlops-hooks-fuzz-"))
    (root / "pyproject.toml").write_text('[project]\nname = "fuzz"\n')
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return root


@cache
def engine(fix: bool, registry: Registry | None = None) -> Engine:
    """An engine with every rule of ``registry`` (the installed one by default)."""
    options = RunOptions(fix=fix, unsafe_fixes=fix, write=False, jobs=1)
    chosen = registry or get_registry()
    return Engine(chosen, Settings(), options, select=["ALL"], cwd=scratch())


def _write(relpath: str, text: str) -> Path:
    target = scratch() / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode("utf-8", "surrogatepass"))
    return target


def check_text(relpath: str, text: str, registry: Registry | None = None) -> list[Diagnostic]:
    """Check ``text`` as the file ``relpath`` of the scratch project with every rule."""
    results = engine(False, registry).run([str(_write(relpath, text))])
    return [d for r in results for d in r.diagnostics]


def assert_spans_inside(text: str, diagnostics: list[Diagnostic], relpath: str) -> None:
    """Every span of a finding in ``relpath`` lies inside ``text`` and has a message."""
    lines = _LINES.split(text)
    for d in diagnostics:
        assert d.message, d
        if not d.path.endswith(relpath):
            continue
        for pos in (d.span.start, d.span.end):
            assert 1 <= pos.line <= len(lines) + 1, (d, len(lines))
            width = len(lines[pos.line - 1]) if pos.line <= len(lines) else 0
            assert 1 <= pos.column <= width + 1, (d, width)
        assert d.span.start <= d.span.end, d


def fix_twice(relpath: str, text: str, registry: Registry | None = None) -> tuple[str, str]:
    """Apply every fix (unsafe too) in memory, then again on the result."""
    [result] = engine(True, registry).run([str(_write(relpath, text))])
    once = result.fixed if result.fixed is not None else text
    [again] = engine(True, registry).run([str(_write(relpath, once))])
    twice = again.fixed if again.fixed is not None else once
    return once, twice
