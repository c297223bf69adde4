"""Reads stay inside the root, touch only regular files, and are capped before reading.

Each test is an attack: a file type that blocks or never ends, a file far above the limit, a
symbolic link to a secret outside the checked tree. What is promised: one diagnostic naming
the file, the run goes on, and nothing of the outside file appears in any output.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess  # nosec B404
import sys
import tracemalloc
from pathlib import Path

import pytest

from mlops_hooks.cli import main
from mlops_hooks.project import Project
from mlops_hooks.project.pyproject import pyproject_facts
from mlops_hooks.safeio import FileTooLargeError, UnreadableFileError, read_file

SECRET = "TOP-SECRET-hunter2"
PYPROJECT = '[project]\nname = "x"\n'
GOOD = "FROM python:3.12\n"


def _run(cwd: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        code = main(["check", *args, "--format", "json", "--select", "ALL"])
    finally:
        os.chdir(old)
    captured = capsys.readouterr()
    return code, json.loads(captured.out)["diagnostics"], captured.out + captured.err


def _messages(found: list, path: str) -> list[tuple[str, str]]:
    return [(d["code"], d["message"]) for d in found if d["path"] == path]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_dockerfile_is_one_diagnostic(tmp_path: Path) -> None:
    """Promise: a FIFO is never opened for reading (it would block forever): one DKR000, and
    the other files are checked. Run in a subprocess so that a regression fails, not hangs."""
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    os.mkfifo(tmp_path / "Dockerfile")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "Dockerfile").write_text(GOOD)
    done = subprocess.run(  # nosec B603
        [sys.executable, "-m", "mlops_hooks", "check", ".", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    found = json.loads(done.stdout)["diagnostics"]
    assert _messages(found, "Dockerfile") == [
        ("DKR000", "a named pipe (FIFO), not a regular file; not read"),
    ]
    assert [d["code"] for d in found if d["path"] == "b/Dockerfile"] == ["DKR006"]


def test_a_character_device_named_dockerfile_is_refused_unopened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Promise: a device (here /dev/zero's numbers, endless) is refused from its type before
    it is opened, so it can neither exhaust memory nor have an open's side effects."""
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    try:
        os.mknod(tmp_path / "Dockerfile", stat.S_IFCHR | 0o644, os.makedev(1, 5))
    except (OSError, AttributeError):
        pytest.skip("cannot create a device node here")
    code, found, _ = _run(tmp_path, capsys, ".")
    assert code == 1
    assert _messages(found, "Dockerfile") == [
        ("DKR000", "a character device, not a regular file; not read"),
    ]


def test_a_directory_named_like_a_file_is_one_diagnostic(tmp_path: Path) -> None:
    """Promise: the reader refuses a directory with a message, never an internal error."""
    with pytest.raises(UnreadableFileError, match=r"^a directory, not a regular file; not read"):
        read_file(tmp_path, 100, tmp_path)


def test_huge_files_are_refused_from_their_size_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Promise: a file above the limit is refused before reading: an imported ``.just`` file
    or a ``pyproject.toml`` of 256 MiB (sparse) costs no memory (measured with tracemalloc)."""
    size = 256 * 1024 * 1024
    (tmp_path / "justfile").write_text("import 'tasks/big.just'\n\n# list\ndefault:\n    true\n")
    (tmp_path / "tasks").mkdir()
    for big in (tmp_path / "tasks" / "big.just", tmp_path / "pyproject.toml"):
        with big.open("wb") as handle:
            handle.truncate(size)
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n")
    tracemalloc.start()
    try:
        _, found, _ = _run(tmp_path, capsys, ".")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < size // 4, f"read a huge file into memory (peak {peak} bytes)"
    refused = f"file is {size} bytes, above max-file-size (10485760); not checked"
    assert _messages(found, "tasks/big.just") == [("JST000", refused)]
    assert _messages(found, "pyproject.toml") == []
    assert _messages(found, "justfile") == [
        (
            "JST000",
            f"just cannot parse tasks/big.just (line 1): file is {size} bytes, above 1000000;"
            " not read",
        )
    ]


def test_reads_stop_at_the_limit_even_when_the_size_lies(tmp_path: Path) -> None:
    """Promise: never more than ``limit`` bytes are kept, whatever ``stat`` said before."""
    path = tmp_path / "grows"
    path.write_bytes(b"x" * 10)
    real = os.fstat

    def shrunk(fd: int) -> os.stat_result:
        st = real(fd)
        return os.stat_result((st.st_mode, *st[1:6], 0, *st[7:]))

    real_stat = os.stat

    def stat_shrunk(target: object, *args: object, **kwargs: object) -> os.stat_result:
        st = real_stat(target, *args, **kwargs)  # type: ignore[arg-type]
        return os.stat_result((st.st_mode, *st[1:6], 0, *st[7:]))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "fstat", shrunk)
        patch.setattr(os, "stat", stat_shrunk)
        with pytest.raises(FileTooLargeError, match=r"^file is more than 4 bytes, above 4; not"):
            read_file(path, 4)
    assert read_file(path, 10) == b"x" * 10


def test_pyproject_symlinked_out_of_the_root_is_not_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Promise: a ``pyproject.toml`` that is a symbolic link to a file outside its directory
    configures nothing (not the run, not the pre-commit facts) and is never read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "pyproject.toml").write_text(
        f'[project]\nname = "{SECRET}"\n[tool.mlops-hooks]\nignore = ["DKR006"]\n[tool.bandit]\n'
    )
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "pyproject.toml").symlink_to(outside / "pyproject.toml")
    (repo / "Dockerfile").write_text(GOOD)
    code, found, output = _run(repo, capsys, ".")
    assert code == 1
    assert [c for c, _ in _messages(found, "Dockerfile")] == ["DKR006"]
    assert SECRET not in output
    assert pyproject_facts(Project(repo)).has_bandit_table is False


def test_without_a_project_marker_the_root_is_the_checked_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Promise: when the checked folder has no ``pyproject.toml`` or ``.git``, the root is
    that folder, not the working directory: a Dockerfile linked to the user's ``.env`` next
    to it is refused, and the secret never reaches the output."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".env").write_text(f"TOKEN={SECRET}\n")
    untrusted = home / "untrusted"
    untrusted.mkdir()
    (untrusted / "Dockerfile").symlink_to("../.env")
    code, found, output = _run(home, capsys, "untrusted")
    assert code == 1
    assert _messages(found, "untrusted/Dockerfile") == [
        ("DKR000", "symbolic link to a file outside the repository; not read")
    ]
    assert SECRET not in output
    code, found, output = _run(home, capsys, "untrusted/Dockerfile")
    assert [c for c, _ in _messages(found, "untrusted/Dockerfile")] == ["DKR000"]
    assert SECRET not in output


def test_refused_imports_are_never_stated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: an import leading outside the root (``../``, absolute, or through a symbolic
    link) is refused from its text: nothing outside the root is opened, stat'ed or listed."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.just").write_text(f"{SECRET}:\n    true\n")
    repo = tmp_path / "repo"
    (repo / "tasks").mkdir(parents=True)
    (repo / "pyproject.toml").write_text(PYPROJECT)
    (repo / "tasks" / "link.just").symlink_to(outside / "x.just")
    (repo / "tasks" / "dir").symlink_to(outside)
    (repo / "justfile").write_text(
        "import '../outside/x.just'\n"
        f"import '{outside / 'x.just'}'\n"
        "import 'tasks/link.just'\n"
        "import 'tasks/dir/x.just'\n"
        "mod m 'tasks/dir'\n"
        "\n# list\ndefault:\n    true\n"
    )
    touched: list[str] = []
    for name in ("stat", "lstat", "open", "readlink", "scandir", "listdir"):
        real = getattr(os, name)

        def spy(path: object, *args: object, _real: object = real, **kwargs: object) -> object:
            if isinstance(path, (str, os.PathLike)):
                touched.append(os.fspath(path))
            return _real(path, *args, **kwargs)  # type: ignore[operator]

        monkeypatch.setattr(os, name, spy)
    _, found, output = _run(repo, capsys, ".")
    monkeypatch.undo()
    assert [p for p in touched if str(outside) in str(p)] == []
    assert SECRET not in output
    assert sorted(c for c, _ in _messages(found, "justfile")).count("JST003") == 5


def test_an_unreadable_directory_is_a_note_not_an_internal_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: a directory that cannot be listed or searched is one note (or one
    diagnostic per file named in it), and the run goes on."""
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "Dockerfile").write_text(GOOD)
    (tmp_path / "Dockerfile").write_text(GOOD)
    real_scandir, real_stat = os.scandir, os.stat

    def scandir(path: object = ".") -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    def stat_(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if "locked" in str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    code, found, output = _run(tmp_path, capsys, ".")
    assert code == 1
    assert [d["path"] for d in found] == ["Dockerfile"]
    assert "mlops-hooks: locked: cannot read directory: Permission denied; skipped" in output
    monkeypatch.setattr(os, "stat", stat_)
    code, found, _ = _run(tmp_path, capsys, "locked/Dockerfile")
    assert _messages(found, "locked/Dockerfile") == [
        ("DKR000", "cannot read file: Permission denied")
    ]
