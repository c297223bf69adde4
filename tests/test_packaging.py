"""The distribution: version in one place, a wheel that installs and runs in a fresh venv."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import mlops_hooks

ROOT = Path(__file__).resolve().parents[1]


def test_version_matches_pyproject() -> None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert data["project"]["version"] == mlops_hooks.__version__


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("uv") is None, reason="uv is not installed")
def test_wheel_installs_in_a_fresh_venv(tmp_path: Path) -> None:
    uv = shutil.which("uv")
    assert uv is not None
    dist = tmp_path / "dist"
    subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = dist.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "mlops_hooks/py.typed" in names
    assert "mlops_hooks/checkers/dockerfile/rules/dkr000_dockerfile_parse_error.py" in names
    assert not [n for n in names if n.startswith(("tests/", "examples/"))]
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "--quiet", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [uv, "pip", "install", "--quiet", "--python", str(python), str(wheel)],
        check=True,
        capture_output=True,
    )
    proc = subprocess.run(
        [str(venv / "bin" / "mlops-hooks"), "--version"], capture_output=True, text=True, check=True
    )
    assert proc.stdout == f"mlops-hooks {mlops_hooks.__version__}\n"
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n")
    proc = subprocess.run(
        [str(venv / "bin" / "mlops-hooks"), "check", "--format", "json", str(dockerfile)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert '"version": 1' in proc.stdout
