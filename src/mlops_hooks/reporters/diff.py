"""``--fix --diff``: what ``--fix`` would change, as a unified diff (nothing is written).

Paths are ``a/PATH`` and ``b/PATH`` (``git apply`` and ``patch -p1`` read them); line endings
are the file's own; a file without a final newline gets git's ``\\ No newline at end of
file`` marker. Control characters in names and lines (an ESC, a BEL) are escaped as in every
human-facing format (:mod:`mlops_hooks.reporters.escape`), tabs excepted: a diff that
touches such a line is for reading, not for ``git apply``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from mlops_hooks.lazyre import lazy
from mlops_hooks.reporters.escape import printable
from mlops_hooks.reporters.terminal import paint

_LINES = lazy(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
NO_NEWLINE = "\\ No newline at end of file\n"


def split_lines(text: str) -> list[str]:
    """Lines with their endings (``\\r\\n``, ``\\r``, ``\\n`` only: not ``str.splitlines``)."""
    return _LINES.findall(text)


def unified_diff(path: str, original: str, fixed: str, color: bool = False) -> str:
    """The diff of one file (empty when nothing changes)."""
    if original == fixed:
        return ""
    path = printable(path)
    name = path if path.startswith("/") else f"a/{path}"
    new_name = path if path.startswith("/") else f"b/{path}"
    out: list[str] = []
    for line in difflib.unified_diff(
        split_lines(original), split_lines(fixed), name, new_name, n=3
    ):
        if line.endswith("\r\n"):
            body, end = line[:-2], "\r\n"
        elif line.endswith("\n"):
            body, end = line[:-1], "\n"
        elif line.endswith("\r"):  # a lone CR ends the line (old Mac text)
            body, end = line, "\n"
        else:
            body, end = line, "\n" + NO_NEWLINE
        body = printable(body, tabs=True)
        style = {"-": "removed", "+": "added", "@": "hunk"}.get(line[:1])
        if line.startswith(("--- ", "+++ ")) and len(out) < 2:
            style = "path"
        text = (paint(body, style, color) if style else body) + end
        out.append(text)
    return "".join(out)


def render(changes: Iterable[tuple[str, str, str]], color: bool = False) -> str:
    """The diffs of every ``(path, original, fixed)``."""
    return "".join(unified_diff(path, original, fixed, color) for path, original, fixed in changes)
