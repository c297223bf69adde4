"""The README's rule table lists every rule (``just gen`` writes it); its quickstart commands
match CI."""

from __future__ import annotations

import re
from pathlib import Path

from mlops_hooks.gen import changes
from tests.conftest import REPO

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def test_rules_table_is_current() -> None:
    stale = [c for c in changes(REPO) if c.path == "README.md"]
    assert not stale, "README rule table is stale: run `just gen`"


def test_ci_runs_the_readme_test_command() -> None:
    readme = README.read_text(encoding="utf-8")
    # Both commands install uv with `pip install --target`: no `--user`, no system site, so
    # they work on Debian's and Ubuntu's externally managed Python as on pyenv's.
    commands = re.findall(
        r'^(python3 -m pip install --target \.uv uv && PATH="\$PWD/\.uv/bin:\$PATH" uv run .+)$',
        readme,
        re.MULTILINE,
    )
    assert len(commands) == 2
    main_job, test_command = commands
    assert main_job.endswith(" uv run mlops-hooks check examples/bad-ml-project")
    assert test_command.endswith(" uv run just check")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(rf"^{re.escape(test_command)}$", ci, re.MULTILINE)
    assert ".uv/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_readme_and_install_page_claim_no_release() -> None:
    docs = README.read_text(encoding="utf-8") + "".join(
        (ROOT / "docs" / name).read_text(encoding="utf-8") for name in ("installation.md", "ci.md")
    )
    for claim in ("rev: v0.1.0", "pip install mlops-hooks", "run: uvx mlops-hooks", "\nuvx mlops"):
        assert claim not in docs, claim


def test_license_matches_pyproject() -> None:
    import tomllib

    license_text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta["license"] == "MIT"
    assert license_text.startswith("MIT License\n")


def test_pip_target_installs_a_working_uv_without_user_site(tmp_path: Path) -> None:
    """The Quickstart's first step on this interpreter: `--target` needs no `--user` and no
    writable site-packages. Needs PyPI (or a configured index); skipped offline."""
    import shutil
    import subprocess
    import sys

    target = tmp_path / ".uv"
    candidates = [sys.executable, shutil.which("python3"), "/usr/bin/python3"]
    with_pip = [
        c
        for c in candidates
        if c and subprocess.run([c, "-m", "pip", "--version"], capture_output=True).returncode == 0
    ]
    if not with_pip:
        import pytest

        pytest.skip("no Python with pip on this machine")
    proc = subprocess.run(
        [with_pip[0], "-m", "pip", "install", "--quiet", "--target", str(target), "uv"],
        capture_output=True,
        text=True,
        check=False,
        env={**__import__("os").environ, "PIP_USER": "0", "PIP_BREAK_SYSTEM_PACKAGES": "0"},
    )
    if proc.returncode != 0 and "externally" not in proc.stderr:
        import pytest

        pytest.skip(f"no package index reachable: {proc.stderr[-200:]}")
    assert proc.returncode == 0, proc.stderr
    version = subprocess.run(
        [str(target / "bin" / "uv"), "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.startswith("uv ")
