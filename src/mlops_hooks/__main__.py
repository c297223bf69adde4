"""``python -m mlops_hooks``.

``python -m`` puts the working directory first on ``sys.path``; when that directory is the
repository being checked, its files must not be importable (a fake ``*.dist-info`` there
would otherwise plug its own code in as a rule pack). It is dropped before anything else is
imported; the console script never had it.
"""

from __future__ import annotations

import os
import sys


def _drop_working_directory(path: list[str]) -> None:
    """Remove the entry ``python -m`` put first when it names the working directory."""
    if path and (path[0] in ("", ".") or os.path.realpath(path[0]) == os.path.realpath(".")):
        del path[0]


_drop_working_directory(sys.path)

from mlops_hooks.cli import entry  # noqa: E402 - only once the working directory is gone

if __name__ == "__main__":
    entry()
