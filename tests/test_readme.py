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
    commands = re.findall(r"^python3 -m pip install uv && (uv run .+)$", readme, re.MULTILINE)
    assert len(commands) == 2
    main_job, test_command = commands
    assert main_job == "uv run mlops-hooks check examples/bad-ml-project"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(rf"^{re.escape(test_command)}$", ci, re.MULTILINE)
