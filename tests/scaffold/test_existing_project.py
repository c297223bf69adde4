"""``init`` in an existing repository: never a parallel hook manager, task runner, CI workflow
or publish workflow; the snippet to merge instead; and a fresh scaffold passes `just check`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_hooks.cli import main
from mlops_hooks.project.justfile.sandbox import find_just
from mlops_hooks.scaffold.detect import detect


def init(capsys: pytest.CaptureFixture[str], root: Path, *argv: str) -> str:
    assert main(["init", str(root), *argv]) == 0
    return capsys.readouterr().out


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_lefthook_makefile_and_workflows_get_no_parallel_machinery(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "lefthook.yml").write_text("pre-commit:\n  commands: {}\n")
    (tmp_path / "Makefile").write_text("check:\n\tpytest\n")
    (tmp_path / ".github/workflows").mkdir(parents=True)
    (tmp_path / ".github/workflows/ci.yaml").write_text("on: push\njobs: {}\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "tests").mkdir()
    before = files(tmp_path)
    out = init(capsys, tmp_path)
    assert files(tmp_path) - before == {"Dockerfile", ".dockerignore"}
    assert (
        "  skipped: .pre-commit-config.yaml (the git hooks run with lefthook (lefthook.yml): "
        "no second manager)\n"
    ) in out
    assert (
        "  skipped: justfile (the tasks run with make (Makefile): no justfile beside it)\n" in out
    )
    assert "  skipped: tasks/check.just (the tasks run with make (Makefile)" in out
    assert (
        "  skipped: .github/workflows/check.yml (the tasks run with make (Makefile): no "
        "justfile beside it)\n"
    ) in out
    assert (
        "  skipped: .github/workflows/publish.yml (the project has CI workflows "
        "(.github/workflows/ci.yaml): no second one)\n"
    ) in out
    assert "Add to lefthook.yml:\n\n    pre-commit:\n      commands:\n        mlops-hooks:\n" in out
    assert "Add to Makefile (and to the prerequisites of your check target):\n" in out
    assert "    check-mlops:\n    \tmlops-hooks check\n" in out
    assert "Add to the job that runs your checks (.github/workflows/ci.yaml):\n" in out


@pytest.mark.parametrize(
    ("files_", "pyproject", "expected"),
    [
        ({".husky/pre-commit": "npx lint-staged\n"}, "", ("husky", ".husky", None, None)),
        ({"tasks.py": "from invoke import task\n"}, "", (None, None, "invoke", "tasks.py")),
        ({"noxfile.py": "import nox\n"}, "", (None, None, "nox", "noxfile.py")),
        ({"tox.ini": "[tox]\n"}, "", (None, None, "tox", "tox.ini")),
        ({}, "[tool.tox]\nlegacy_tox_ini = ''\n", (None, None, "tox", "pyproject.toml")),
        # A justfile is ours: the Makefile beside it is not a second runner we would add.
        ({"justfile": "x:\n  echo\n", "Makefile": "x:\n"}, "", (None, None, None, None)),
        (
            {".pre-commit-config.yaml": "repos: []\n"},
            "",
            ("pre-commit", ".pre-commit-config.yaml", None, None),
        ),
    ],
)
def test_detect_hook_manager_and_task_runner(
    tmp_path: Path, files_: dict[str, str], pyproject: str, expected: tuple[str | None, ...]
) -> None:
    import tomllib

    for rel, text in files_.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    uses = detect(tmp_path, tomllib.loads(pyproject))
    assert (uses.hook_manager, uses.hook_file, uses.task_runner, uses.task_file) == expected


@pytest.mark.parametrize(
    ("pyproject", "workflow", "publishes", "reason"),
    [
        ("", None, False, "pyproject.toml has no [build-system]"),
        (
            '[build-system]\nrequires = ["uv_build"]\n',
            None,
            True,
            "pyproject.toml has a [build-system]",
        ),
        (
            '[project]\nname = "x"\nclassifiers = ["Private :: Do Not Upload"]\n'
            '[build-system]\nrequires = ["uv_build"]\n',
            None,
            False,
            "pyproject.toml says 'Private :: Do Not Upload'",
        ),
        ("", "steps:\n  - run: uv publish\n", True, ".github/workflows/release.yml publishes"),
        ("", "steps:\n  - run: uv build\n", False, "pyproject.toml has no [build-system]"),
    ],
)
def test_detect_publishing(
    tmp_path: Path, pyproject: str, workflow: str | None, publishes: bool, reason: str
) -> None:
    import tomllib

    if workflow is not None:
        (tmp_path / ".github/workflows").mkdir(parents=True)
        (tmp_path / ".github/workflows/release.yml").write_text(workflow)
    uses = detect(tmp_path, tomllib.loads(pyproject))
    assert (uses.publishes, uses.publish_reason) == (publishes, reason)


def test_a_published_package_gets_the_publish_workflow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "lib"\n[build-system]\nrequires = ["uv_build"]\n'
    )
    init(capsys, tmp_path)
    assert (tmp_path / ".github/workflows/publish.yml").is_file()
    assert (tmp_path / ".github/workflows/check.yml").is_file()


def test_husky_gets_its_snippet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".husky").mkdir()
    out = init(capsys, tmp_path, "--dry-run")
    assert "Add to .husky/pre-commit:\n\n    mlops-hooks check\n" in out
    assert "  skip (the git hooks run with husky (.husky): no second manager): " in out


@pytest.mark.skipif(find_just() is None, reason="the rust-just wheel is not installed")
def test_fresh_scaffold_passes_its_own_just_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`just check` of a fresh scaffold runs ruff, ruff format, mypy, bandit and pytest for
    real. `uv run X` is replaced by `X` from this environment (no network, no new venv)."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "bikes"\nversion = "0.1.0"\nrequires-python = ">=3.10"\n'
    )
    init(capsys, tmp_path)
    shim = tmp_path / ".shim"
    shim.mkdir()
    uv = shim / "uv"
    uv.write_text('#!/bin/sh\n[ "$1" = run ] && shift\nexec "$@"\n')
    uv.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{shim}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        # The project is not installed in this environment: import it from src/.
        "PYTHONPATH": str(tmp_path / "src"),
    }
    just = find_just()
    assert just is not None
    proc = subprocess.run(
        [just, "check"], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 passed" in proc.stdout
