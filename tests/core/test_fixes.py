"""Applying edits and writing atomically."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from mlops_hooks.diagnostics import Edit, Fix, Position, Span
from mlops_hooks.fixes import StaleFileError, apply_fixes, write_atomic
from mlops_hooks.source import SourceFile


def test_non_overlapping_fixes_apply_and_overlapping_wait() -> None:
    source = SourceFile("f", "abcdef\n")
    fixes = [
        Fix.safe(Edit(Span.of(1, 1, 1, 3), "XY")),
        Fix.safe(Edit(Span.of(1, 2, 1, 4), "overlap")),
        Fix.safe(Edit(Span.of(1, 5, 1, 6), "E")),
    ]
    assert apply_fixes(source, fixes) == ("XYcdEf\n", 2)


def test_two_insertions_at_one_point_conflict() -> None:
    source = SourceFile("f", "ab")
    at = Position(1, 2)
    text, count = apply_fixes(
        source, [Fix.safe(Edit.insert(at, "1")), Fix.safe(Edit.insert(at, "2"))]
    )
    assert (text, count) == ("a1b", 1)


def test_fix_with_self_overlapping_edits_is_skipped() -> None:
    source = SourceFile("f", "abc")
    fix = Fix.safe(Edit(Span.of(1, 1, 1, 3), "x"), Edit(Span.of(1, 2, 1, 4), "y"))
    assert apply_fixes(source, [fix, Fix.safe()]) == ("abc", 0)


def test_inserted_newlines_follow_the_file() -> None:
    source = SourceFile("f", "a\r\nb\r\n")
    fix = Fix.safe(Edit.insert(Position(2, 1), "x:\n  y\r\n"))
    assert apply_fixes(source, [fix]) == ("a\r\nx:\r\n  y\r\nb\r\n", 1)


def test_write_atomic_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "f"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomic(target, b"new", expected=b"old")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["f"]


def test_write_atomic_refuses_stale_file(tmp_path: Path) -> None:
    target = tmp_path / "f"
    target.write_bytes(b"changed meanwhile")
    with pytest.raises(StaleFileError, match="changed on disk"):
        write_atomic(target, b"new", expected=b"old")
    assert target.read_bytes() == b"changed meanwhile"


def test_write_atomic_cleans_up_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "f"
    target.write_bytes(b"old")

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, b"new")
    assert os.listdir(tmp_path) == ["f"]
    assert target.read_bytes() == b"old"
