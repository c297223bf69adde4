"""Run the CLI on a tree in a child process, within time and memory bounds.

Bounds are generous (a child that peaks under 1 GiB resident and ends within 60 s), so a
2-core CI never flakes; a regression (expansion, a quadratic path) blows far past them. The
bound is on resident memory, not address space: the Go runtime of BuildKit's parser reserves
about 1 GiB of address space it never touches, so an address-space limit of 1 GiB failed the
Dockerfile checks with a MemoryError of its own. A 4 GiB address-space limit stays as the net
that stops a real bomb before it takes the machine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_LIMIT = (
    "import resource, sys\n"
    "resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))\n"
    "sys.path[0:1] = []  # as python -m mlops_hooks: the checked tree is not importable\n"
    "from mlops_hooks.cli import main\n"
    "try:\n"
    "    code = main(['check', '--format', 'concise', '--select', 'ALL',"
    " *(sys.argv[1:] or ['.'])])\n"
    "finally:\n"
    "    peak = max(resource.getrusage(who).ru_maxrss\n"
    "               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
    "    sys.stderr.write(f'peak-kib={peak}\\n')\n"
    "sys.exit(code)\n"
)
#: The resident-memory bound of one bounded run, in KiB (ru_maxrss's unit on Linux).
PEAK_KIB = 1 << 20
#: The time bound of one bounded run, in seconds.
TIMEOUT = 60


def run_bounded(root: Path, *paths: str) -> subprocess.CompletedProcess[str]:
    """Check ``paths`` (default: the whole of ``root``) in a child with every rule selected;
    assert it ended within :data:`TIMEOUT`, peaked under :data:`PEAK_KIB` resident and had
    no internal error (a per-file MemoryError would otherwise pass as a finding)."""
    (root / "pyproject.toml").write_text('[project]\nname = "x"\n')
    done = subprocess.run(
        [sys.executable, "-c", _LIMIT, *paths],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    peaks = [int(line[10:]) for line in done.stderr.splitlines() if line.startswith("peak-kib=")]
    assert peaks, done.stderr
    assert peaks[-1] < PEAK_KIB, f"peak {peaks[-1]} KiB"
    assert "internal error" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done
