"""``python -m mlops_hooks``."""

from __future__ import annotations

import sys

from mlops_hooks.cli import main

if __name__ == "__main__":
    sys.exit(main())
