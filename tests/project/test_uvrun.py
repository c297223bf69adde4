"""Where CI steps and hooks run `uv run just` (JST009's fact)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_hooks.project.uvrun import UvRunJust, runs_just, uv_run_just_calls, workflow_recipes
from tests.project.conftest import project_of


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("        run: uv run just check", True),
        ("run: uv run --frozen --group dev just package", True),
        ("entry: /usr/bin/uv run -p 3.12 just lint", True),
        ("run: uv sync && uv run just check", True),
        ("run: just check", False),
        ("run: uv run pytest  # then just check", False),
        ("run: uv run justice", False),
        ("# run: uv run just check", False),
        ("run: uvx --from rust-just just check", False),
    ],
)
def test_runs_just(line: str, expected: bool) -> None:
    assert runs_just(line) is expected


def test_calls_in_workflows_and_the_pre_commit_config(tmp_path: Path) -> None:
    project = project_of(
        tmp_path,
        {
            ".github/workflows/b.yml": "jobs:\n  a:\n    steps:\n      - run: uv run just check\n",
            ".github/workflows/a.yaml": "jobs: {}\n",
            ".github/workflows/notes.md": "uv run just check\n",
            ".pre-commit-config.yaml": "repos:\n  - repo: local\n    hooks:\n"
            "      - {id: j, name: j, entry: uv run just lint, language: system}\n",
            "sub/.github/workflows/c.yml": "run: uv run just check\n",
        },
    )
    assert uv_run_just_calls(project) == (
        UvRunJust(".github/workflows/b.yml", 4),
        UvRunJust(".pre-commit-config.yaml", 4),
    )


def test_workflow_recipes(tmp_path: Path) -> None:
    # Steps' `run:` lines and `run: |` block lines; comments and other files are not steps.
    workflow = (
        "on: push\njobs:\n  c:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: uv run just check-audit\n"
        "      - name: more\n        run: |\n"
        "          just lint && uvx --from rust-just just docs\n"
        "      # - run: just commented\n"
        "      - run: echo just-not-a-call\n"
    )
    files = {
        ".github/workflows/ci.yml": workflow,
        ".github/workflows/notes.txt": "run: just notes\n",
        ".pre-commit-config.yaml": "repos: []\n# entry: just hooked\n",
    }
    assert workflow_recipes(project_of(tmp_path, files)) == {"check-audit", "lint", "docs"}
    assert workflow_recipes(project_of(tmp_path / "empty", {})) == frozenset()
