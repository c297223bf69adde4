"""Resource properties (issue 14, item 12): alias sharing, expansion bombs and long heredocs
are checked within time and memory bounds, and the heredoc fast path never changes the parse.

Bounds are generous (a child process that peaks under 1 GiB resident and ends within 60 s), so
a 2-core CI never flakes; a regression (expansion, a quadratic path) blows far past them. The
bound is on resident memory, not address space: the Go runtime of BuildKit's parser reserves
about 1 GiB of address space it never touches, so an address-space limit of 1 GiB failed the
Dockerfile checks with a MemoryError of its own. A 4 GiB address-space limit stays as the net
that stops a real bomb before it takes the machine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import dockerfile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_hooks.checkers.dockerfile.heredocs import parse_commands

_LIMIT = (
    "import resource, runpy, sys\n"
    "resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))\n"
    "sys.argv = ['mlops-hooks', 'check', '--format', 'concise', '--select', 'ALL', '.']\n"
    "try:\n"
    "    runpy.run_module('mlops_hooks', run_name='__main__')\n"
    "finally:\n"
    "    peak = max(resource.getrusage(who).ru_maxrss\n"
    "               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
    "    sys.stderr.write(f'peak-kib={peak}\\n')\n"
)
#: The resident-memory bound of one bounded run, in KiB (ru_maxrss's unit on Linux).
_PEAK_KIB = 1 << 20


def _run_bounded(root: Path) -> subprocess.CompletedProcess[str]:
    """Check ``root`` in a child; assert it peaked under 1 GiB resident and had no
    internal error (a per-file MemoryError would otherwise pass as a finding)."""
    (root / "pyproject.toml").write_text('[project]\nname = "x"\n')
    done = subprocess.run(
        [sys.executable, "-c", _LIMIT],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    peaks = [int(line[10:]) for line in done.stderr.splitlines() if line.startswith("peak-kib=")]
    assert peaks, done.stderr
    assert peaks[-1] < _PEAK_KIB, f"peak {peaks[-1]} KiB"
    assert "internal error" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done


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
    done = _run_bounded(tmp_path)
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
    done = _run_bounded(tmp_path)
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
