"""The bundled example projects, pinned in one golden file: every finding of every rule
(default-off ones included) with its exact position and message.

``examples/bad-ml-project`` drifts from every convention; ``examples/good-ml-project`` is its
conforming twin and has no finding. After a deliberate change of behaviour, rewrite the golden
file and review its diff:

    uv run python -m tests.test_examples_golden --write
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path

import pytest

from mlops_hooks.cli import main
from mlops_hooks.registry import get_registry

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "data" / "examples.golden.txt"
PROJECTS = ("bad-ml-project", "good-ml-project")
#: Rules the bad example does not show, and why.
NOT_SHOWN = {
    "PCC005": "bandit reads its configuration from pyproject.toml: shown by its rule examples",
}


def render() -> str:
    """Every finding in the example projects, as ``--format concise`` prints them."""
    registry = get_registry()
    select = ",".join(sorted(registry.refs))
    out = []
    cwd = Path.cwd()
    os.chdir(REPO)
    try:
        for project in PROJECTS:
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                main(["check", f"examples/{project}", "--select", select, "--format", "concise"])
            found = [
                line for line in buffer.getvalue().splitlines() if line.startswith("examples/")
            ]
            out += [f"## {project}: {len(found)} findings", *found, ""]
    finally:
        os.chdir(cwd)
    return "\n".join(out)


def test_examples_match_the_golden_file() -> None:
    assert GOLDEN.read_text(encoding="utf-8") == render(), (
        "the example projects' findings changed: review, then "
        "`uv run python -m tests.test_examples_golden --write`"
    )


def test_the_good_example_is_clean() -> None:
    assert "## good-ml-project: 0 findings\n" in GOLDEN.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "code",
    sorted(
        ref.code
        for ref in get_registry().refs.values()
        if not ref.parse_error and ref.code not in NOT_SHOWN
    ),
)
def test_the_bad_example_shows_every_rule(code: str) -> None:
    bad = GOLDEN.read_text(encoding="utf-8").split("## good-ml-project")[0]
    assert f" {code} [" in bad, f"examples/bad-ml-project shows no {code} finding"


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        GOLDEN.write_text(render(), encoding="utf-8", newline="\n")
        sys.stdout.write(f"wrote {GOLDEN.relative_to(REPO)}\n")
    else:
        sys.stdout.write(render())
