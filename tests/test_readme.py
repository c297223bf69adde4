"""The README's rule table lists every rule; its quickstart commands match CI.

Regenerate the table with ``UPDATE_README=1 uv run pytest tests/test_readme.py``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from mlops_hooks.registry import get_registry
from mlops_hooks.ruledocs import fix_text

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def rules_table() -> str:
    lines = ["| code | name | kind | fix | summary |", "| --- | --- | --- | --- | --- |"]
    for rule in get_registry().rules:
        default = "" if rule.default_enabled else " (off by default)"
        lines.append(
            f"| {rule.code} | `{rule.name}` | {rule.kind} | {fix_text(rule)} | "
            f"{rule.summary()}{default} |"
        )
    return "\n".join(lines)


def test_rules_table_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    before, rest = text.split(START)
    _, after = rest.split(END)
    expected = f"{before}{START}\n{rules_table()}\n{END}{after}"
    if os.environ.get("UPDATE_README") and text != expected:
        README.write_text(expected, encoding="utf-8")
        text = expected
    assert text == expected, "README rule table is stale: UPDATE_README=1 uv run pytest " + __file__


def test_ci_runs_the_readme_test_command() -> None:
    readme = README.read_text(encoding="utf-8")
    commands = re.findall(r"^python3 -m pip install uv && (uv run .+)$", readme, re.MULTILINE)
    assert len(commands) == 2
    main_job, test_command = commands
    assert main_job == "uv run mlops-hooks check examples/bad-ml-project"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(rf"^{re.escape(test_command)}$", ci, re.MULTILINE)
