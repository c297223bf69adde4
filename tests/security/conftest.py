"""Helpers for the security tests: a project on disk, checked in process, as JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from mlops_hooks.cli import main

Check = Callable[..., list[dict[str, Any]]]


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> None:
    """Write ``files`` (relative path -> text or bytes) under ``root``, with a pyproject."""
    files = {"pyproject.toml": '[project]\nname = "x"\n', **files}
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.fixture
def check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Check:
    """``check(files, *flags)``: write the project, check it with every rule, return the
    JSON diagnostics (the exit code must be 0 or 1: never an internal error)."""

    def run(files: Mapping[str, str | bytes], *flags: str) -> list[dict[str, Any]]:
        write_tree(tmp_path, files)
        monkeypatch.chdir(tmp_path)
        code = main(["check", ".", "--format", "json", "--select", "ALL", *flags])
        out = capsys.readouterr().out
        assert code in (0, 1), out
        found: list[dict[str, Any]] = json.loads(out)["diagnostics"]
        return found

    return run


def findings(diagnostics: list[dict[str, Any]], path: str) -> list[tuple[str, int, str]]:
    """``(code, line, message)`` of the diagnostics of one file."""
    return [(d["code"], d["start"]["line"], d["message"]) for d in diagnostics if d["path"] == path]
