"""The bundled bad example's pre-commit fixes (findings: tests/data/examples.golden.txt)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from mlops_hooks.cli import main

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_bad_example_fix_keeps_the_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(EXAMPLES / "bad-ml-project", tmp_path / "bad")
    config = tmp_path / "bad" / ".pre-commit-config.yaml"
    before = yaml.safe_load(config.read_text())
    main(["check", str(tmp_path / "bad"), "--select", "PCC", "--fix", "--unsafe-fixes"])
    fixed = config.read_text()
    after = yaml.safe_load(fixed)
    assert after["default_stages"] == ["pre-commit", "pre-push"]
    assert after["repos"][1]["hooks"][1]["id"] == "ruff-check"
    before["default_stages"] = after["default_stages"]
    before["repos"][1]["hooks"][1]["id"] = "ruff-check"
    assert after == before
    assert fixed.startswith("# pre-commit hooks of the bikes project\n")
    main(["check", str(tmp_path / "bad"), "--select", "PCC", "--fix", "--unsafe-fixes"])
    assert config.read_text() == fixed
