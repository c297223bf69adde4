"""The fix-safety policy (docs/fix-safety.md): every fix is audited there, and each one has a
case where `--fix` must leave the file alone while the finding stays reported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mlops_hooks.diagnostics import FixSafety
from mlops_hooks.registry import get_registry
from mlops_hooks.testing import run_rules, write_project

AUDIT = Path(__file__).resolve().parents[1] / "docs" / "fix-safety.md"
FIXING = sorted(
    (rule for rule in get_registry().rules if rule.fix_safety is not None), key=lambda r: r.code
)


def _rows() -> dict[str, list[str]]:
    rows = {}
    for line in AUDIT.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| \[([A-Z]{3}\d{3})\]", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in line.strip("|").split(" | ")]
    return rows


def test_every_fix_is_audited() -> None:
    assert sorted(_rows()) == [rule.code for rule in FIXING]


@pytest.mark.parametrize("rule", FIXING, ids=lambda rule: rule.code)
def test_the_audit_states_the_rules_class(rule: type) -> None:
    klass = _rows()[rule.code][2]
    if rule.fix_safety is FixSafety.UNSAFE:
        assert klass == "unsafe"
    else:  # the best class a rule offers is safe: the audit says where, and where not
        assert klass.startswith("**safe**")


@pytest.mark.parametrize(
    ("code", "path", "source"),
    [
        ("DKR004", "Dockerfile", "FROM python:3.12-slim\nRUN uv sync\n"),
        ("DKR006", "Dockerfile", 'FROM python:3.12\nCMD ["python"]\n'),
        ("MLF003", "src/app/serve.py", 'URI = "models:/bikes/Production"\n'),
        ("MLF004", "src/app/serve.py", 'print("models:/bikes/champion")\n'),
        ("PCC006", ".pre-commit-config.yaml", "default_stages: [commit]\nrepos: []\n"),
        (
            "PCC007",
            ".pre-commit-config.yaml",
            "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n"
            "    rev: 0123456789abcdef0123456789abcdef01234567\n    hooks:\n      - id: ruff\n",
        ),
        ("GHA001", ".github/workflows/ci.yml", "on: push\njobs:\n  a:\n    runs-on: x\n"),
    ],
)
def test_fix_does_not_apply_without_unsafe_fixes(
    tmp_path: Path, code: str, path: str, source: str
) -> None:
    write_project(tmp_path, {path: source})
    (found,) = run_rules(tmp_path, [code], paths=[path])
    assert found.fix is not None and found.fix.safety is FixSafety.UNSAFE
    assert [d.code for d in run_rules(tmp_path, [code], fix=True, paths=[path])] == [code]
    assert (tmp_path / path).read_text() == source
