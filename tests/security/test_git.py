"""git runs only at the discovered root, and nothing the checked tree configures runs.

The tool lists files with ``git ls-files``. git reads configuration from the repository it
finds, and some keys name a command git runs (``core.fsmonitor``); a checked tree controls
both where git looks and that configuration. Each test plants a ``touch MARKER`` payload and
checks the marker never appears.
"""

from __future__ import annotations

import os
import shutil
import subprocess  # nosec B404
from pathlib import Path

import pytest

from mlops_hooks.cli import main
from mlops_hooks.project import git_command

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(  # nosec B603 B607
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def _fsmonitor(marker: Path) -> str:
    return f'"touch {marker}; false"'


def _bare_folder_clone(tmp_path: Path, marker: Path) -> Path:
    """A repository that commits a folder holding a bare repository's files whose config
    sets ``worktree = .`` and ``fsmonitor``, cloned the ordinary way."""
    origin = tmp_path / "origin"
    evil = origin / "evil"
    for sub in ("objects", "refs"):
        (evil / sub).mkdir(parents=True)
        (evil / sub / ".keep").write_text("")
    (evil / "HEAD").write_text("ref: refs/heads/main\n")
    (evil / "config").write_text(
        "[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = .\n"
        f"\tfsmonitor = {_fsmonitor(marker)}\n"
    )
    (evil / "Dockerfile").write_text("FROM python:3.12-slim\n")
    (origin / "pyproject.toml").write_text('[project]\nname = "x"\n')
    _git(tmp_path, "init", "-q", str(origin))
    _git(origin, "add", "-A")
    _git(origin, "commit", "-qm", "x")
    _git(tmp_path, "clone", "-q", str(origin), str(tmp_path / "clone"))
    return tmp_path / "clone"


def _live(cwd: Path, marker: Path) -> bool:
    """Whether plain git, run where the tool used to run it, fires the payload."""
    subprocess.run(["git", "ls-files"], cwd=cwd, capture_output=True, check=False)  # nosec
    fired = marker.exists()
    marker.unlink(missing_ok=True)
    return fired


@pytest.mark.parametrize("arg", ["evil", "evil/Dockerfile", "."])
def test_a_committed_bare_repository_folder_runs_nothing(
    arg: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Promise: checking a clone never runs a command from a committed folder that looks
    like a bare repository (git is told where the repository is; it never discovers one)."""
    marker = tmp_path / "MARKER"
    clone = _bare_folder_clone(tmp_path, marker)
    if not _live(clone / "evil", marker):
        pytest.skip("this git does not honour the payload")
    monkeypatch.chdir(clone)
    code = main(["check", arg, "--select", "ALL"])
    out = capsys.readouterr().out
    assert not marker.exists(), "git ran a command from the checked tree"
    assert code == 0, out


def test_the_trees_own_git_config_runs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Promise: a tree that arrives with its own ``.git/config`` setting ``core.fsmonitor``
    (an archive, a copied checkout) does not run it; files are still listed through git."""
    marker = tmp_path / "MARKER"
    tree = tmp_path / "tree"
    _git(tmp_path, "init", "-q", str(tree))
    (tree / "Dockerfile").write_text("FROM python:3.12\n")
    (tree / "ignored").mkdir()
    (tree / "ignored" / "Dockerfile").write_text("FROM python:3.12\n")
    (tree / ".gitignore").write_text("ignored/\n")
    _git(tree, "config", "core.fsmonitor", _fsmonitor(marker).strip('"'))
    if not _live(tree, marker):
        pytest.skip("this git does not honour the payload")
    monkeypatch.chdir(tree)
    code = main(["check", ".", "--select", "DKR006", "--format", "concise"])
    out = capsys.readouterr().out
    assert not marker.exists(), "git ran core.fsmonitor from the checked tree"
    assert code == 1
    # Listed through git: the ignored folder is skipped.
    assert out.splitlines()[0].startswith("Dockerfile:1:6: DKR006")
    assert "ignored/" not in out


def test_git_is_told_where_the_repository_is(tmp_path: Path) -> None:
    """Promise: git never searches for a repository; it gets one, with overrides that beat
    the repository's configuration."""
    argv, env = git_command(tmp_path, "ls-files")
    assert env["GIT_DIR"] == str(tmp_path / ".git")
    assert env["GIT_WORK_TREE"] == str(tmp_path)
    joined = " ".join(argv)
    assert "core.fsmonitor=false" in joined
    assert "safe.bareRepository=explicit" in joined
    assert argv[:2] == ["git", "--no-optional-locks"]


def test_inherited_git_location_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Promise: a ``GIT_DIR`` inherited from the caller cannot point git elsewhere."""
    monkeypatch.setenv("GIT_DIR", os.fspath(tmp_path / "elsewhere"))
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", "'core.fsmonitor'='touch x'")
    _, env = git_command(tmp_path / "root", "ls-files")
    assert env["GIT_DIR"] == os.fspath(tmp_path / "root" / ".git")
    assert "GIT_CONFIG_PARAMETERS" not in env
