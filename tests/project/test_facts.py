"""Checkers declare the facts they read; the hook manifest derives its extra files from them."""

from __future__ import annotations

import re

import pytest

from mlops_hooks.hooks import hook_files
from mlops_hooks.project.facts import FACTS, fact_files
from mlops_hooks.registry import get_registry

CHECKERS = list(get_registry().checkers.values())


@pytest.mark.parametrize("checker", CHECKERS, ids=lambda c: c.kind)
def test_declared_facts_exist(checker: object) -> None:
    assert set(checker.facts) <= set(FACTS)  # type: ignore[attr-defined]


@pytest.mark.parametrize("checker", CHECKERS, ids=lambda c: c.kind)
def test_the_hook_runs_when_a_declared_facts_file_changes(checker: object) -> None:
    pattern = re.compile(hook_files(checker))  # type: ignore[arg-type]
    for files in fact_files(checker.facts):  # type: ignore[attr-defined]
        for alternative in files.split("|"):
            assert alternative in pattern.pattern


def test_hook_files_are_own_routing_then_facts_each_once() -> None:
    checker = get_registry().checkers["precommit"]
    assert checker.facts == ("justfile", "pyproject", "git-hook-installs")
    assert hook_files(checker) == "|".join(
        [
            checker.hook_files,
            FACTS["justfile"].files,
            FACTS["pyproject"].files,
            FACTS["git-hook-installs"].files,
        ]
    )
    justfile = get_registry().checkers["justfile"]
    # Its own files are the justfile fact's: only the other facts' files are added.
    assert hook_files(justfile) == "|".join(
        [justfile.hook_files, FACTS["uv-run-just"].files, FACTS["pyproject"].files]
    )


@pytest.mark.parametrize(
    ("fact", "matching", "other"),
    [
        ("justfile", ["justfile", "Justfile", ".justfile", "tasks/x.just"], ["justfile.md"]),
        ("pyproject", ["pyproject.toml", "ruff.toml", ".cz.toml", "cz.yaml"], ["src/pyproject.py"]),
        (
            "locks",
            ["uv.lock", "poetry.lock", "Pipfile.lock", "pdm.lock", "requirements-dev.in"],
            ["uv.lock.bak", "docs/requirements.md"],
        ),
        (
            "git-hook-installs",
            [
                "Makefile",
                "tasks.py",
                "tasks/hooks.py",
                "noxfile.py",
                "tox.ini",
                "scripts/a.sh",
                "package.json",
                ".pre-commit-config.yaml",
                "justfile",
            ],
            ["src/tasks.pyc", "scripts/sub/a.sh", "Makefile.md"],
        ),
        (
            "docker-runs",
            ["Makefile", "GNUmakefile", "makefile", "justfile", ".justfile", "Justfile"],
            ["Makefile.md", "tasks/docker.just", "justfile.bak"],
        ),
        (
            "ci-targets",
            [".github/workflows/ci.yml", ".github/workflows/image.yaml"],
            ["sub/.github/workflows/ci.yml", ".github/workflows/x/ci.yml", "ci.yml"],
        ),
    ],
)
def test_fact_file_patterns(fact: str, matching: list[str], other: list[str]) -> None:
    pattern = re.compile(FACTS[fact].files)
    assert [p for p in matching if not pattern.search(p)] == []
    assert [p for p in other if pattern.search(p)] == []


def test_unknown_fact_names_fail() -> None:
    with pytest.raises(KeyError):
        fact_files(("nope",))
