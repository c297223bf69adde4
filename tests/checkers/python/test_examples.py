"""The bundled examples: the bad one's exact MLflow findings and fixes; the good one is clean."""

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


def test_bad_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, found = _check(EXAMPLES / "bad-ml-project", capsys, "--select", "MLF")
    assert code == 1
    assert found == [
        ("confs/promotion.yaml", "MLF003", 4, 34, 4, 41),
        ("confs/promotion.yaml", "MLF004", 5, 32, 5, 40),
        ("confs/serving.yaml", "MLF001", 3, 28, 3, 29),
        ("src/bikes/promotion.py", "MLF005", 15, 33, 15, 52),
        ("src/bikes/promotion.py", "MLF005", 16, 21, 16, 51),
        ("src/bikes/promotion.py", "MLF006", 23, 61, 23, 63),
        ("src/bikes/serving.py", "MLF001", 15, 57, 15, 72),
        ("src/bikes/serving.py", "MLF003", 16, 50, 16, 60),
        ("src/bikes/serving.py", "MLF004", 18, 53, 18, 61),
        ("src/bikes/serving.py", "MLF002", 20, 44, 20, 50),
    ]


def test_bad_example_run_without_autolog(capsys: pytest.CaptureFixture[str]) -> None:
    code, found = _check(EXAMPLES / "bad-ml-project", capsys, "--select", "MLF007")
    assert found == [("src/bikes/train.py", "MLF007", 14, 17, 14, 26)]


def test_good_example_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, found = _check(
        EXAMPLES / "good-ml-project", capsys, "--select", "MLF", "--select", "MLF007"
    )
    assert (code, found) == (0, [])


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
