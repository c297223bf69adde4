"""The safe reader's path resolution: links are followed only while they stay inside."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from mlops_hooks.safeio import UnreadableFileError, inside, read_file, resolve_within


@pytest.fixture
def root(tmp_path: Path) -> Path:
    base = tmp_path / "root"
    (base / "a" / "b").mkdir(parents=True)
    (base / "a" / "b" / "f.txt").write_text("hello")
    (base / "abs").symlink_to(base / "a")
    (base / "rel").symlink_to("a/b")
    (base / "up").symlink_to("..")
    (base / "loop").symlink_to("loop")
    (base / "out").symlink_to(tmp_path)
    return base.resolve()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("a/b/f.txt", "a/b/f.txt"),
        ("abs/b/f.txt", "a/b/f.txt"),
        ("rel/f.txt", "a/b/f.txt"),
        ("rel/../b/./f.txt", "a/b/f.txt"),
        ("a/missing/x", "a/missing/x"),
        ("a/missing/../x", None),
        ("..", None),
        ("a/../..", None),
        ("up/root/a", None),
        ("out/root/a", None),
    ],
)
def test_resolve_within(root: Path, path: str, expected: str | None) -> None:
    found = resolve_within(root, root / path)
    assert (None if found is None else found.relative_to(root).as_posix()) == expected


def test_a_path_outside_and_a_loop(root: Path) -> None:
    assert resolve_within(root, root.parent / "x") is None
    with pytest.raises(OSError, match="symbolic links"):
        resolve_within(root, root / "loop")
    assert inside(root, root / "loop") is False
    assert inside(root, root / "rel") is True


def test_read_file_messages(root: Path) -> None:
    assert read_file(root / "rel" / "f.txt", 5, root) == b"hello"
    assert read_file(root / "a" / "b" / "f.txt", 5) == b"hello"
    with pytest.raises(UnreadableFileError, match="outside the repository"):
        read_file(root / "out" / "root" / "a" / "b" / "f.txt", 5, root)
    with pytest.raises(UnreadableFileError, match=r"^file is 5 bytes, above 4; not read$"):
        read_file(root / "a" / "b" / "f.txt", 4, root)
    with pytest.raises(UnreadableFileError, match=r"^cannot read file: Too many levels") as exc:
        read_file(root / "loop", 4, root)
    assert isinstance(exc.value, OSError)
    assert exc.value.strerror == os.strerror(errno.ELOOP)
