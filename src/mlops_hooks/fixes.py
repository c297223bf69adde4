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
import stat
from collections.abc import Iterable
from pathlib import Path

from mlops_hooks.diagnostics import Fix
from mlops_hooks.source import SourceFile


class StaleFileError(RuntimeError):
    """The file changed on disk between reading and writing; it was not overwritten."""


class FixRefusedError(RuntimeError):
    """The file is not one a fix may replace (a symbolic link, hard-linked, read-only, or
    owned by someone whose ownership the replacement could not keep); it was not written."""


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
    """Replace ``path`` with ``data`` atomically, keeping its permission bits and owner.

    ``expected`` is the content read before fixing; when the file no longer has it, raise
    :class:`StaleFileError` and write nothing. The check runs again right before the rename
    (POSIX has no compare-and-rename; this leaves the smallest window it allows). A file a
    replacement would change the nature of is refused with :class:`FixRefusedError`: a
    symbolic link (it would become a regular file, and what it points to is not ours to
    write), a file with other hard links (they would split), a read-only file.
    """
    import contextlib
    import tempfile

    before = os.lstat(path)
    _refuse(path, before)
    if expected is not None and _content(path) != expected:
        raise StaleFileError(f"{path}: changed on disk while being checked; not fixed")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(before.st_mode))
        _keep_owner(path, tmp, before)
        now = os.lstat(path)
        if _identity(now) != _identity(before) or (
            expected is not None and _content(path) != expected
        ):
            raise StaleFileError(f"{path}: changed on disk while being fixed; not fixed")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _refuse(path: Path, st: os.stat_result) -> None:
    if stat.S_ISLNK(st.st_mode):
        raise FixRefusedError(f"{path}: a symbolic link; not fixed (fix the file it points to)")
    if not stat.S_ISREG(st.st_mode):
        raise FixRefusedError(f"{path}: not a regular file; not fixed")
    if st.st_nlink > 1:
        raise FixRefusedError(
            f"{path}: has {st.st_nlink} hard links, which a fix would split; not fixed"
        )
    if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise FixRefusedError(f"{path}: read-only; not fixed")


def _keep_owner(path: Path, tmp: str, st: os.stat_result) -> None:
    """Give the replacement the original's owner and group (a fix run by root on a user's
    file must not hand it to root); refuse when that is not permitted."""
    mine = os.lstat(tmp)
    if (mine.st_uid, mine.st_gid) == (st.st_uid, st.st_gid):
        return
    try:
        os.chown(tmp, st.st_uid, st.st_gid)
    except OSError:
        raise FixRefusedError(
            f"{path}: owned by another user or group, which a fix could not keep; not fixed"
        ) from None


def _identity(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _content(path: Path) -> bytes:
    """The file's bytes, never through a symbolic link swapped in since it was checked."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    try:
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fd)
