"""The bundled example projects, through the CLI in process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlops_hooks.cli import main

REPO = Path(__file__).resolve().parents[3]


def check(project: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[tuple[str, int]]]:
    code = main(["check", f"examples/{project}", "--select", "DKR", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    return code, [(d["code"], d["start"]["line"]) for d in report["diagnostics"]]


def test_bad_example_shows_every_dockerfile_rule(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO)
    code, findings = check("bad-ml-project", capsys)
    assert code == 1
    assert findings == [
        ("DKR006", 2),
        ("DKR007", 8),
        ("DKR001", 11),
        ("DKR003", 11),
        ("DKR004", 12),
        ("DKR005", 12),
        ("DKR002", 15),
    ]


def test_good_example_is_clean(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO)
    assert check("good-ml-project", capsys) == (0, [])
