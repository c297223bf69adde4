"""Writes never leave the working tree through a link, and a fix never changes what a file is.

``--output-file`` and ``--fix`` are the only writes. Each test plants what a hostile clone
can commit (a symbolic link where the report goes, a linked directory, a hard link) or what
a shared machine has (a file owned by someone else, a read-only file, an editor saving at
the same moment), and checks the outside file is untouched and the file keeps its nature.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from mlops_hooks import fixes
from mlops_hooks.cli import main

BAD = "FROM python:3.12\n"
FIXED = "FROM python:3.12-slim\n"
PRECIOUS = "precious: not to be overwritten\n"


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n')
    return repo


def _fix(repo: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(repo)
    try:
        code = main(["check", *args, "--select", "DKR006", "--fix", "--unsafe-fixes"])
    finally:
        os.chdir(old)
    captured = capsys.readouterr()
    return code, captured.err


@pytest.mark.parametrize("target", ["report.sarif", "reports/report.sarif"])
def test_output_file_never_writes_through_a_committed_link(
    target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Promise: ``--output-file`` refuses a path that is a symbolic link, or that goes
    through a linked directory in the working tree (exit 2); the outside file is intact."""
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "report.sarif"
    victim.write_text(PRECIOUS)
    repo = _repo(tmp_path)
    (repo / "report.sarif").symlink_to(victim)
    (repo / "reports").symlink_to(outside)
    (repo / "Dockerfile").write_text(BAD)
    monkeypatch.chdir(repo)
    code = main(["check", ".", "--format", "sarif", "-o", target])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("mlops-hooks: error: cannot write ")
    assert "a symbolic link; the report is not written through it" in err
    assert victim.read_text() == PRECIOUS
    assert sorted(os.listdir(outside)) == ["report.sarif"]
    assert (repo / "report.sarif").is_symlink()


def test_output_file_is_written_whole_with_ordinary_permissions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Promise: a regular report path is written (replaced atomically, no temporary file
    left behind), readable as any file the user creates."""
    repo = _repo(tmp_path)
    (repo / "Dockerfile").write_text(BAD)
    (repo / "out").mkdir()
    monkeypatch.chdir(repo)
    assert main(["check", ".", "--format", "concise", "-o", "out/report.txt"]) == 1
    assert (repo / "out" / "report.txt").read_text().startswith("Dockerfile:1:6: DKR006")
    mode = stat.S_IMODE((repo / "out" / "report.txt").stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask
    (repo / "out" / "report.txt").chmod(0o600)
    assert main(["check", ".", "--format", "concise", "-o", str(repo / "out/report.txt")]) == 1
    assert stat.S_IMODE((repo / "out" / "report.txt").stat().st_mode) == 0o600
    assert os.listdir(repo / "out") == ["report.txt"]
    capsys.readouterr()


def test_fix_never_writes_through_a_linked_directory_named_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Promise: ``check --fix docs`` where ``docs`` is a committed link to a folder
    elsewhere fixes nothing there; a note names the link."""
    other = tmp_path / "other"
    other.mkdir()
    (other / "pyproject.toml").write_text('[project]\nname = "y"\n')
    (other / "Dockerfile").write_text(BAD)
    repo = _repo(tmp_path)
    (repo / "docs").symlink_to(other)
    code, err = _fix(repo, capsys, "docs")
    assert code == 1
    assert (other / "Dockerfile").read_text() == BAD
    assert "mlops-hooks: docs/Dockerfile: reached through the symbolic link docs; not fixed" in err


def test_fix_keeps_a_symbolic_link_a_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Promise: a file that is a symbolic link is not replaced by a regular file; the note
    says to fix the file it points to, which a check of that file does."""
    repo = _repo(tmp_path)
    (repo / "real").mkdir()
    (repo / "real" / "Dockerfile").write_text(BAD)
    (repo / "Dockerfile").symlink_to("real/Dockerfile")
    code, err = _fix(repo, capsys, "Dockerfile")
    assert code == 1
    assert (repo / "Dockerfile").is_symlink()
    assert (repo / "real" / "Dockerfile").read_text() == BAD
    assert "Dockerfile: a symbolic link; not fixed (fix the file it points to)" in err
    _fix(repo, capsys, "real/Dockerfile")
    assert (repo / "real" / "Dockerfile").read_text() == FIXED


def test_fix_does_not_split_hard_links(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Promise: a file with other hard links is left alone (a rename would split them)."""
    repo = _repo(tmp_path)
    (repo / "Dockerfile").write_text(BAD)
    os.link(repo / "Dockerfile", repo / "twin")
    inode = (repo / "Dockerfile").stat().st_ino
    code, err = _fix(repo, capsys, "Dockerfile")
    assert code == 1
    assert (repo / "Dockerfile").stat().st_ino == inode
    assert (repo / "twin").read_text() == BAD
    assert "Dockerfile: has 2 hard links, which a fix would split; not fixed" in err


def test_fix_does_not_rewrite_a_read_only_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Promise: a read-only file (even when the user, root, could write it) is not fixed."""
    repo = _repo(tmp_path)
    (repo / "Dockerfile").write_text(BAD)
    (repo / "Dockerfile").chmod(0o444)
    code, err = _fix(repo, capsys, "Dockerfile")
    assert code == 1
    assert (repo / "Dockerfile").read_text() == BAD
    assert stat.S_IMODE((repo / "Dockerfile").stat().st_mode) == 0o444
    assert "Dockerfile: read-only; not fixed" in err


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_fix_keeps_the_owner(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Promise: a fix run by root on a user's file leaves it the user's, mode unchanged."""
    repo = _repo(tmp_path)
    (repo / "Dockerfile").write_text(BAD)
    os.chown(repo / "Dockerfile", 12345, 23456)
    (repo / "Dockerfile").chmod(0o640)
    code, _ = _fix(repo, capsys, "Dockerfile")
    assert code == 1
    after = (repo / "Dockerfile").stat()
    assert (repo / "Dockerfile").read_text() == FIXED
    assert (after.st_uid, after.st_gid, stat.S_IMODE(after.st_mode)) == (12345, 23456, 0o640)


def test_an_edit_made_while_fixing_is_not_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Promise: an editor saving the file after the first staleness check, while the fix is
    being written, keeps its edit: the file is checked again right before the rename."""
    repo = _repo(tmp_path)
    (repo / "Dockerfile").write_text(BAD)
    edit = "FROM python:3.13\n"
    real = os.fsync

    def save_meanwhile(fd: int) -> None:
        real(fd)
        (repo / "Dockerfile").write_text(edit)

    monkeypatch.setattr(os, "fsync", save_meanwhile)
    code, err = _fix(repo, capsys, "Dockerfile")
    assert code == 1
    assert (repo / "Dockerfile").read_text() == edit
    assert "Dockerfile: changed on disk while being fixed; not fixed" in err
    assert sorted(os.listdir(repo)) == ["Dockerfile", "pyproject.toml"]


def test_a_file_the_owner_cannot_keep_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: when the replacement cannot get the original's owner, nothing is written."""
    target = tmp_path / "f"
    target.write_bytes(b"old")
    real = os.lstat

    def other_owner(path: object) -> os.stat_result:
        st = real(path)  # type: ignore[arg-type]
        if str(path) == str(target):
            return os.stat_result((st[0], *st[1:4], st.st_uid + 1, *st[5:]))
        return st

    def denied(*args: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "lstat", other_owner)
    monkeypatch.setattr(os, "chown", denied)
    with pytest.raises(fixes.FixRefusedError, match="owned by another user or group"):
        fixes.write_atomic(target, b"new", expected=b"old")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["f"]
