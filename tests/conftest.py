"""The suite's shared fixtures: every kind's rule tests use the one ``lint`` fixture and
:func:`mlops_hooks.testing.project` to compare what it found."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_hooks.testing import Lint

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("MLOPS_HOOKS_DEBUG", raising=False)


@pytest.fixture
def lint(tmp_path: Path) -> Lint:
    """``lint(source, select, options, *, path, files, paths, fix, unsafe_fixes)``: write the
    files into ``tmp_path``, run the real engine, return the diagnostics (see :class:`Lint`)."""
    return Lint(tmp_path)
