"""The ``init`` subcommand's arguments and entry point (kept light: templates load lazily)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Add the ``init`` arguments."""
    parser.add_argument("directory", nargs="?", type=Path, default=Path(), metavar="DIR")
    parser.add_argument("--dry-run", action="store_true", help="print what would be written")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Write the missing files; returns the exit code."""
    raise NotImplementedError("init is being built in issue 7")
