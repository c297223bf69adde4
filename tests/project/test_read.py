"""Facts read files safely: inside the root only, bounded, never a device or a FIFO."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.project.conftest import project_of


def test_read_text(tmp_path: Path) -> None:
    project = project_of(tmp_path, {"a.txt": "\ufeffhé\n"})
    assert project.read_text(tmp_path / "a.txt") == "hé\n"
    assert project.read_text(tmp_path / "missing") is None
    assert project.read_text(tmp_path) is None  # a directory


def test_read_text_is_bounded(tmp_path: Path) -> None:
    project = project_of(tmp_path, {"big.txt": "x" * 101})
    assert project.read_text(tmp_path / "big.txt", 100) is None
    assert project.read_text(tmp_path / "big.txt", 101) == "x" * 101


@pytest.mark.skipif(os.name == "nt", reason="symlinks and FIFOs")
def test_read_text_stays_inside_the_root(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("TOP-SECRET")
    project = project_of(tmp_path / "repo", {"inside.txt": "ok"})
    (tmp_path / "repo" / "link").symlink_to(tmp_path / "secret")
    (tmp_path / "repo" / "ok-link").symlink_to(tmp_path / "repo" / "inside.txt")
    os.mkfifo(tmp_path / "repo" / "fifo")
    assert project.read_text(tmp_path / "repo" / "link") is None
    assert project.read_text(tmp_path / "repo" / "ok-link") == "ok"
    assert project.read_text(tmp_path / "repo" / "fifo") is None
    assert project.read_text(tmp_path / "secret") is None
