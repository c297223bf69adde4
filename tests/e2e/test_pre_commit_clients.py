"""End to end with the real clients: pre-commit (run and try-repo) and prek install our repo
at HEAD from its sdist/wheel into their own environments and run every hook on the bundled
examples. This proves the manifest, the packaging and the console script together.

Marked ``e2e``: the first run installs the hook environment from PyPI (about 10-20 s);
later runs reuse it through a shared cache directory.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mlops_hooks.cli import main

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
FINDING = re.compile(r"^\s*(\S+):(\d+):(\d+): ([A-Z]{3}\d{3}) ", re.MULTILINE)
HOOK_IDS = [h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())]


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture(scope="session")
def head() -> str:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: pre-commit installs hooks from a git revision")
    return _git(ROOT, "rev-parse", "HEAD")


@pytest.fixture(scope="session")
def homes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    base = tmp_path_factory.mktemp("client-homes")
    return {
        **os.environ,
        "PRE_COMMIT_HOME": str(base / "pre-commit"),
        "PREK_HOME": str(base / "prek"),
        "NO_COLOR": "1",
        "PRE_COMMIT_COLOR": "never",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }


def project(tmp_path: Path, example: str) -> Path:
    """A fresh git repository holding a copy of one bundled example project."""
    repo = tmp_path / example
    shutil.copytree(ROOT / "examples" / example, repo)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "init")
    return repo


def config(tmp_path: Path, rev: str) -> Path:
    """A client config (kept outside the checked repo) with every hook of our manifest."""
    hooks = "".join(f"      - id: {hook_id}\n" for hook_id in HOOK_IDS)
    path = tmp_path / "client-config.yaml"
    path.write_text(f"repos:\n  - repo: {ROOT}\n    rev: {rev}\n    hooks:\n{hooks}")
    return path


def expected(repo: Path, capsys: pytest.CaptureFixture[str], *kinds: str) -> set[tuple[str, ...]]:
    """Our findings on ``repo``, computed in process (the oracle for the clients' output)."""
    cwd = Path.cwd()
    os.chdir(repo)
    try:
        args = ["check", ".", "--format", "json"] + [a for k in kinds for a in ("--kind", k)]
        main(args)
    finally:
        os.chdir(cwd)
    data = json.loads(capsys.readouterr().out)
    return {
        (d["path"], str(d["start"]["line"]), str(d["start"]["column"]), d["code"])
        for d in data["diagnostics"]
    }


def findings(output: str) -> set[tuple[str, ...]]:
    return {m.groups() for m in FINDING.finditer(output)}


def client(argv: list[str], repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, cwd=repo, env=env, capture_output=True, text=True, timeout=900, check=False
    )


@pytest.mark.parametrize("tool", ["pre-commit", "prek"])
def test_bad_example_fails_with_exact_findings(
    tool: str, head: str, homes: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = project(tmp_path, "bad-ml-project")
    want = expected(repo, capsys)
    assert want, "the bad example must have findings"
    proc = client(
        [str(BIN / tool), "run", "--all-files", "--config", str(config(tmp_path, head))],
        repo,
        homes,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    got = findings(proc.stdout)
    # The all-in-one hook reports everything once; the per-kind hooks report it again.
    assert got == want
    for hook_id in HOOK_IDS:
        assert re.search(rf"^\s*- hook id: {re.escape(hook_id)}$", proc.stdout, re.MULTILINE) or (
            hook_id not in proc.stdout
        )


@pytest.mark.parametrize("tool", ["pre-commit", "prek"])
def test_good_example_passes(
    tool: str, head: str, homes: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = project(tmp_path, "good-ml-project")
    assert expected(repo, capsys) == set()
    proc = client(
        [str(BIN / tool), "run", "--all-files", "--config", str(config(tmp_path, head))],
        repo,
        homes,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Failed" not in proc.stdout


def test_try_repo_runs_one_hook(
    head: str, homes: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = project(tmp_path, "bad-ml-project")
    want = expected(repo, capsys, "dockerfile")
    assert want
    proc = client(
        [
            str(BIN / "pre-commit"),
            "try-repo",
            str(ROOT),
            "mlops-dockerfile",
            "--ref",
            head,
            "--all-files",
        ],
        repo,
        homes,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert findings(proc.stdout) == want
