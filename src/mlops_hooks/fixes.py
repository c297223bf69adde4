"""Apply fixes: non-overlapping edits, the file's own line endings, atomic writes.

Edits are applied from the end of the file backwards so earlier offsets stay valid. A fix
whose edits overlap an already accepted edit waits for the next round (the engine re-checks
after every round). Writing goes to a temporary file in the same directory that is renamed
over the original, keeping permissions, encoding and BOM; a file that changed on disk since
it was read is left alone.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable
from pathlib import Path

from mlops_hooks.diagnostics import Fix
from mlops_hooks.source import SourceFile


class StaleFileError(RuntimeError):
    """The file changed on disk between reading and writing; it was not overwritten."""


def _native(content: str, newline: str) -> str:
    if newline == "\n" or "\n" not in content:
        return content
    return content.replace("\r\n", "\n").replace("\n", newline)


def apply_fixes(source: SourceFile, fixes: Iterable[Fix]) -> tuple[str, int]:
    """Apply every fix that does not overlap an earlier one; return (text, fixes applied)."""
    accepted: list[tuple[int, int, str]] = []
    count = 0
    newline = source.newline
    ordered = sorted(
        fixes, key=lambda f: min((source.offset(e.span.start) for e in f.edits), default=0)
    )
    for fix in ordered:
        edits = sorted(
            (source.offset(e.span.start), source.offset(e.span.end), _native(e.content, newline))
            for e in fix.edits
        )
        if not edits or any(_overlaps(edit, other) for edit in edits for other in accepted):
            continue
        if any(_overlaps(a, b) for a, b in itertools.pairwise(edits)):
            continue
        accepted.extend(edits)
        count += 1
    text = source.text
    for start, end, content in sorted(accepted, reverse=True):
        text = text[:start] + content + text[end:]
    return text, count


def _overlaps(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    # Two insertions at the same point conflict too: their order would be arbitrary.
    if a[0] == a[1] == b[0] == b[1]:
        return True
    return a[0] < b[1] and b[0] < a[1]


def write_atomic(path: Path, data: bytes, expected: bytes | None = None) -> None:
    """Replace ``path`` with ``data`` atomically, keeping its permission bits.

    ``expected`` is the content read before fixing; when the file no longer has it, raise
    :class:`StaleFileError` and write nothing.
    """
    import contextlib
    import stat
    import tempfile

    if expected is not None and path.read_bytes() != expected:
        raise StaleFileError(f"{path}: changed on disk while being checked; not fixed")
    mode = stat.S_IMODE(path.stat().st_mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
