"""Run the benchmarks: ``uv run python benchmarks/run.py [--quick] [/path/to/repo]``.

See benchmarks/README.md. Writes benchmarks/RESULTS.md and benchmarks/ratios.svg (a quick run
writes under benchmarks/.work/ instead, so it never replaces the committed results).
"""

from __future__ import annotations

import sys

from benchkit.cli import main

if __name__ == "__main__":
    sys.exit(main())
