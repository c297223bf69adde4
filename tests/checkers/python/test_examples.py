"""The bundled bad example's MLflow fixes (findings: tests/data/examples.golden.txt)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mlops_hooks.cli import main

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def _check(
    project: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, list[tuple[str, str, int, int, int, int]]]:
    code = main(["check", str(project), "--format", "json", *args])
    report = json.loads(capsys.readouterr().out)
    found = [
        (
            Path(d["path"]).resolve().relative_to(project.resolve()).as_posix(),
            d["code"],
            d["start"]["line"],
            d["start"]["column"],
            d["end"]["line"],
            d["end"]["column"],
        )
        for d in report["diagnostics"]
    ]
    return code, found


def test_bad_example_fixes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "bad"
    shutil.copytree(EXAMPLES / "bad-ml-project", project)
    main(["check", str(project), "--select", "MLF", "--fix", "--unsafe-fixes"])
    capsys.readouterr()
    serving = (project / "src/bikes/serving.py").read_text()
    assert 'shadow = mlflow.pyfunc.load_model("models:/bikes@production")\n' in serving
    assert 'candidate = mlflow.pyfunc.load_model("models:/bikes@champion")\n' in serving
    assert (project / "confs/promotion.yaml").read_text() == (
        (EXAMPLES / "bad-ml-project/confs/promotion.yaml")
        .read_text()
        .replace("models:/bikes/Staging", "models:/bikes@staging")
        .replace("models:/bikes/champion", "models:/bikes@champion")
    )
    code, found = _check(project, capsys, "--select", "MLF")
    assert [c for _, c, *_ in found] == [
        "MLF001",
        "MLF005",
        "MLF005",
        "MLF006",
        "MLF001",
        "MLF002",
    ]
