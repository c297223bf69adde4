"""What ``check`` is asked to read: paths on the command line, or standard input.

A typo must never pass silently (a CI step with ``mlops-hooks chek`` or ``check srcc`` would
stay green forever), so a word that is neither a subcommand nor an existing path, and a path
that does not exist, are usage errors, as in ruff.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from mlops_hooks.errors import UsageError

#: The path that means "read standard input" (with ``--stdin-filename NAME``).
STDIN = "-"


def check_subcommand(word: str, subcommands: Sequence[str]) -> None:
    """Raise :class:`UsageError` when ``word``, the first argument, looks like a mistyped
    subcommand: not a subcommand, not an option, not an existing path, and close to one."""
    if word in subcommands or word.startswith("-") or os.path.lexists(word):
        return
    import difflib  # only for a word that is not a subcommand: a hook run never gets here

    close = difflib.get_close_matches(word, subcommands, n=1, cutoff=0.6)
    if close:
        raise UsageError(f"unrecognized subcommand {word!r}; did you mean {close[0]!r}?")


def missing_paths(paths: Sequence[str]) -> list[str]:
    """The paths that do not exist (a dangling symlink exists: it is reported when read)."""
    return [path for path in paths if path != STDIN and not os.path.lexists(path)]


def validate_paths(paths: Sequence[str], stdin_filename: str | None) -> bool:
    """Check the ``check`` paths; returns whether the run reads standard input.

    Standard input is read for ``-``, or for ``--stdin-filename`` alone (as ruff does).
    """
    if STDIN in paths:
        if len(paths) > 1:
            raise UsageError("`-` (standard input) cannot be combined with other paths")
        if not stdin_filename:
            raise UsageError(
                "reading standard input (`-`) needs --stdin-filename NAME: the name tells "
                "which kind of file it is"
            )
        return True
    missing = missing_paths(paths)
    if missing:
        raise UsageError("\n".join(f"{path}: No such file or directory" for path in missing))
    return bool(stdin_filename) and not paths


def read_stdin() -> bytes:
    """All of standard input, as bytes (the checker decodes it like a file)."""
    return sys.stdin.buffer.read()
