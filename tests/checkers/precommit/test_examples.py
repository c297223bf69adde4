"""The bundled example projects: the good one is clean, the bad one shows the PCC rules."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from mlops_hooks.cli import main

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_good_example_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(EXAMPLES / "good-ml-project"), "--select", "PCC"]) == 0


def test_bad_example_shows_the_drift(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["check", str(EXAMPLES / "bad-ml-project"), "--select", "PCC", "--format", "json"]
    assert main(argv) == 1
    found = [
        (d["code"], d["start"]["line"]) for d in json.loads(capsys.readouterr().out)["diagnostics"]
    ]
    assert found == [
        ("PCC006", 2),  # default_stages: [commit, push]
        ("PCC006", 2),
        ("PCC001", 3),  # no bandit
        ("PCC003", 5),  # rev: main
        ("PCC004", 12),  # ruff-format before ruff --fix
        ("PCC007", 13),  # legacy id `ruff`
        ("PCC002", 18),  # commitizen, and `just install` runs a bare `pre-commit install`
    ]


def test_bad_example_fix_keeps_the_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(EXAMPLES / "bad-ml-project", tmp_path / "bad")
    config = tmp_path / "bad" / ".pre-commit-config.yaml"
    before = yaml.safe_load(config.read_text())
    main(["check", str(tmp_path / "bad"), "--select", "PCC", "--fix"])
    fixed = config.read_text()
    after = yaml.safe_load(fixed)
    assert after["default_stages"] == ["pre-commit", "pre-push"]
    assert after["repos"][1]["hooks"][1]["id"] == "ruff-check"
    before["default_stages"] = after["default_stages"]
    before["repos"][1]["hooks"][1]["id"] = "ruff-check"
    assert after == before
    assert fixed.startswith("# pre-commit hooks of the bikes project\n")
    main(["check", str(tmp_path / "bad"), "--select", "PCC", "--fix"])
    assert config.read_text() == fixed
