"""PCC006 and PCC007 fixes: only the scalar changes; quotes, layout, CRLF and BOM stay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlops_hooks.cli import main
from mlops_hooks.diagnostics import FixSafety
from mlops_hooks.testing import Lint, project, write_project

BOM = b"\xef\xbb\xbf"

STAGES_BEFORE = """\
# hooks run at commit and push
default_stages: [commit, "push"]   # flow, one quoted
repos:
  - repo: local
    hooks:
      - id: lint
        name: lint
        entry: make lint
        language: system
        stages:
          - commit        # block
          - 'merge-commit'
      - {id: test, name: test, entry: make test, language: system, stages: [push]}
"""
STAGES_AFTER = """\
# hooks run at commit and push
default_stages: [pre-commit, "pre-push"]   # flow, one quoted
repos:
  - repo: local
    hooks:
      - id: lint
        name: lint
        entry: make lint
        language: system
        stages:
          - pre-commit        # block
          - 'pre-merge-commit'
      - {id: test, name: test, entry: make test, language: system, stages: [pre-push]}
"""


def test_pcc006_fixes_every_style(lint: Lint) -> None:
    assert lint.fixed(STAGES_BEFORE.encode(), "PCC006", unsafe_fixes=True) == STAGES_AFTER.encode()


def test_pcc006_keeps_crlf_and_bom(lint: Lint) -> None:
    before = BOM + STAGES_BEFORE.replace("\n", "\r\n").encode()
    after = BOM + STAGES_AFTER.replace("\n", "\r\n").encode()
    assert lint.fixed(before, "PCC006", unsafe_fixes=True) == after


def test_pcc006_anchor_is_reported_and_fixed_once(lint: Lint) -> None:
    config = (
        "x-stages: &stages [commit]\nrepos:\n  - repo: local\n    hooks:\n"
        "      - {id: a, name: a, entry: a, language: system, stages: *stages}\n"
        "      - {id: b, name: b, entry: b, language: system, stages: *stages}\n"
    )
    assert project(lint(config, "PCC006"), "span") == [(1, 20, 1, 26)]
    fixed = lint.fixed(config.encode(), "PCC006", unsafe_fixes=True).decode()
    assert fixed == config.replace("[commit]", "[pre-commit]")


def test_pcc006_escaped_scalar_is_rewritten_whole(lint: Lint) -> None:
    config = 'default_stages: ["comm\\x69t"]\nrepos: []\n'
    assert lint.fixed(config.encode(), "PCC006", unsafe_fixes=True) == (
        b'default_stages: ["pre-commit"]\nrepos: []\n'
    )


RUFF_BEFORE = """\
repos:
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: "v0.14.0"
    hooks:
      - id: "ruff"   # lint
        args: [--fix]
      - id: ruff-format
"""


def test_pcc007_keeps_quotes_crlf_and_bom(lint: Lint) -> None:
    before = BOM + RUFF_BEFORE.replace("\n", "\r\n").encode()
    after = BOM + RUFF_BEFORE.replace('"ruff"', '"ruff-check"').replace("\n", "\r\n").encode()
    assert lint.fixed(before, "PCC007", unsafe_fixes=False) == after


@pytest.mark.parametrize(
    ("rev", "safe", "unsafe"),
    [
        ("v0.11.10", True, True),
        ("0.12.0", True, True),
        ("8a737e727ac5ab2f1d4cf5876720ed276dc8dc4b", False, True),
        ("v0.11.9", False, False),
    ],
)
def test_pcc007_fix_safety_follows_the_rev(
    tmp_path: Path, rev: str, safe: bool, unsafe: bool
) -> None:
    before = RUFF_BEFORE.replace('"v0.14.0"', rev).encode()
    renamed = before.replace(b'"ruff"', b'"ruff-check"')
    assert Lint(tmp_path / "safe").fixed(before, "PCC007", unsafe_fixes=False) == (
        renamed if safe else before
    )
    assert Lint(tmp_path / "unsafe").fixed(before, "PCC007", unsafe_fixes=True) == (
        renamed if unsafe else before
    )


def test_pcc007_ignores_ruff_ids_of_other_repos(lint: Lint) -> None:
    config = "repos:\n  - repo: https://github.com/someone/ruff-hooks\n    rev: v1.0.0\n"
    config += "    hooks:\n      - id: ruff\n"
    assert lint(config, "PCC007") == []


def test_fix_twice_changes_nothing_the_second_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = STAGES_BEFORE.replace(
        "repos:\n",
        "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n"
        "    rev: v0.14.0\n    hooks:\n      - id: ruff\n",
    )
    write_project(tmp_path, {".pre-commit-config.yaml": config})
    target = tmp_path / ".pre-commit-config.yaml"
    argv = [
        "check",
        str(tmp_path),
        "--select",
        "PCC006,PCC007",
        "--fix",
        "--unsafe-fixes",
        "--format",
        "json",
    ]
    assert main(argv) == 1  # files were fixed
    first = target.read_bytes()
    assert b"id: ruff-check" in first
    assert b"[pre-commit," in first
    capsys.readouterr()
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["diagnostics"] == []
    assert target.read_bytes() == first


def test_pcc006_keeps_the_anchor_of_the_fixed_stage(lint: Lint) -> None:
    # The span is the scalar's content, not its `&s` property: the alias stays defined.
    config = (
        "default_stages: [&s commit]\nrepos:\n  - repo: local\n    hooks:\n"
        "      - {id: a, name: a, entry: a, language: system, stages: [*s, push]}\n"
    )
    found = project(lint(config, "PCC006"), "span")
    assert found == [(1, 21, 1, 27), (5, 67, 5, 71)]
    assert lint.fixed(config.encode(), "PCC006", unsafe_fixes=True).decode() == (
        config.replace("&s commit", "&s pre-commit").replace("push]", "pre-push]")
    )


@pytest.mark.parametrize(
    ("written", "span", "fixed"),
    [
        # A block scalar ends at its last character: the fix keeps the lines after it.
        ("id: >-\n          ruff\n\n", (5, 13, 6, 15), 'id: "ruff-check"\n\n'),
        ("id: !!str ruff\n", (5, 19, 5, 23), "id: !!str ruff-check\n"),
    ],
)
def test_pcc007_edits_only_the_scalar(
    lint: Lint, written: str, span: tuple[int, int, int, int], fixed: str
) -> None:
    head = (
        "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.14.0\n"
        "    hooks:\n      - "
    )
    tail = "      - id: ruff-format\n"
    assert project(lint(head + written + tail, "PCC007"), "span") == [span]
    assert (
        lint.fixed((head + written + tail).encode(), "PCC007", unsafe_fixes=False).decode()
        == head + fixed + tail
    )


@pytest.mark.parametrize(
    ("config", "safe"),
    [
        # Nothing says the pre-commit that runs it knows the new names (3.2+): unsafe.
        ("default_stages: [commit]\nrepos: []\n", False),
        ("minimum_pre_commit_version: 2.20.0\ndefault_stages: [commit]\nrepos: []\n", False),
        # It requires 3.2+, or already uses a new name: safe.
        ("minimum_pre_commit_version: '3.2.0'\ndefault_stages: [commit]\nrepos: []\n", True),
        ('minimum_pre_commit_version: "4.0"\ndefault_stages: [commit]\nrepos: []\n', True),
        ("default_stages: [commit, pre-push]\nrepos: []\n", True),
    ],
)
def test_pcc006_fix_is_safe_only_when_the_new_names_are_known(
    lint: Lint, config: str, safe: bool
) -> None:
    (found,) = lint(config, "PCC006")
    assert found.fix is not None
    assert found.fix.safety is (FixSafety.SAFE if safe else FixSafety.UNSAFE)
    after = lint.fixed(config.encode(), "PCC006", unsafe_fixes=False).decode()
    assert after == (config.replace("[commit", "[pre-commit") if safe else config)
