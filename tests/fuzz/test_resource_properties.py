"""Resource properties (issue 14, item 12): alias sharing, expansion bombs and long heredocs
are checked within time and memory bounds, and the heredoc fast path never changes the parse.

The bounds (time and peak resident memory of a child process) are those of
:mod:`tests.fuzz.bounded`.
"""

from __future__ import annotations

from pathlib import Path

import dockerfile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_hooks.checkers.dockerfile.heredocs import parse_commands
from tests.fuzz.bounded import run_bounded


def _laughs(levels: int) -> str:
    lines = ["on: [pull_request]", "x0: &a0 [run, run, run, run, run, run, run, run, run, run]"]
    lines += [f"x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, levels)]
    lines += ["jobs:", "  j0:", "    runs-on: x", "    steps: &s", "      - run: just tset"]
    lines += [f"  j{i}: {{runs-on: x, steps: *s}}" for i in range(1, 2000)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels", [9])
def test_alias_bombs_and_sharing_finish_within_bounds(tmp_path: Path, levels: int) -> None:
    """A billion-laughs workflow (10^9 nodes if expanded) with 2,000 jobs sharing their
    steps: checked in a child under 1 GiB of memory, it finishes with one finding."""
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text(_laughs(levels))
    done = run_bounded(tmp_path)
    assert done.returncode == 1, done.stderr
    gha007 = [line for line in done.stdout.splitlines() if " GHA007 " in line]
    assert gha007 == [
        f".github/workflows/ci.yml:{levels + 6}:19: GHA007 [unknown-just-recipe] `just tset`"
        " fails: the repository has no justfile"
    ]


def test_deep_yaml_and_long_heredocs_finish_within_bounds(tmp_path: Path) -> None:
    """Nesting past the bound is one diagnostic; a 100,000-line heredoc is checked."""
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text("on: " + "[" * 5000 + "]" * 5000 + "\n")
    body = "".join(f"echo {i}\n" for i in range(100_000))
    (tmp_path / "Dockerfile").write_text(f"FROM python:3.12-slim\nRUN <<EOF\n{body}EOF\n")
    done = run_bounded(tmp_path)
    assert done.returncode == 1, done.stderr
    assert "GHA000" in done.stdout and "nesting deeper than 1000 levels" in done.stdout


_LINE = st.sampled_from(
    ["echo a", "", "  EOF", "\tEOF", "EOF", "B", "RUN x", "# c", "cat <<B", "x \\", "EOF\r"]
)


@settings(max_examples=60)
@given(
    head=st.sampled_from(["RUN <<EOF", "RUN <<-EOF bash", 'COPY <<"EOF" /a', "RUN <<EOF <<B"]),
    body=st.lists(_LINE, max_size=8),
    tail=st.lists(_LINE, max_size=4),
)
def test_the_heredoc_fast_path_parses_as_buildkit(
    head: str, body: list[str], tail: list[str]
) -> None:
    """With every heredoc taken out (no minimum length), the parse is BuildKit's own."""
    text = "\n".join(["FROM x", head, *body, "EOF", *tail, "B", "RUN end"]) + "\n"
    try:
        expected: object = dockerfile.parse_string(text)
    except dockerfile.GoParseError as exc:
        expected = str(exc)
    try:
        got: object = parse_commands(text, min_lines=0)
    except dockerfile.GoParseError as exc:
        got = str(exc)
    assert got == expected
