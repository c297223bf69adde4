"""One safe way to read a file of the checked repository.

Every read of a repository file goes through :func:`read_file`, which refuses before
reading (so one bad file is one diagnostic naming it, and the run goes on):

- a path that leads outside the root: symbolic links are followed one component at a time
  and only while they stay inside, so nothing outside the root is opened or even stat'ed;
- anything but a regular file: a FIFO would block forever, a character device could be
  endless, a directory or socket has no text. The type is checked with ``lstat`` before
  opening (opening some devices has side effects), then again with ``fstat`` on the open
  descriptor (opened with ``O_NONBLOCK`` and ``O_NOFOLLOW``, so a file swapped in between
  cannot block or redirect the read);
- a file above the byte limit, refused from its size before reading, and never read past
  the limit even when it grows meanwhile.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

#: Symbolic links followed while resolving one path (as the kernel's own limit, MAXSYMLINKS).
MAX_LINKS = 40

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class UnreadableFileError(OSError):
    """The file was refused or could not be read: ``message`` says why, for a diagnostic;
    ``strerror`` is the short reason (an ``OSError``, so callers that handle unreadable
    files handle these too)."""

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.strerror = reason or message


class FileTooLargeError(UnreadableFileError):
    """The file is above the byte limit; it was not read (or not past the limit)."""

    def __init__(self, size: int, limit: int, *, grew: bool = False) -> None:
        #: ``"N bytes"``, or ``"more than N bytes"`` when it grew past the limit while read.
        self.size_text = f"more than {limit} bytes" if grew else f"{size} bytes"
        super().__init__(f"file is {self.size_text}, above {limit}; not read")
        self.size = size
        self.limit = limit


OUTSIDE = "symbolic link to a file outside the repository; not read"


def resolve_within(root: Path, path: Path) -> Path | None:
    """The real path of ``path`` when it stays inside ``root`` (an absolute, resolved
    directory), else None.

    Symbolic links are followed component by component, and only while they point inside
    ``root``: a link leading outside is refused from its text, without looking at what it
    points to. A missing component ends the walk (the rest is taken as written). Raises
    ``OSError`` for a symbolic link loop or a link that cannot be read.
    """
    # Not normalised first: ``link/..`` means the parent of where the link leads.
    absolute = path if path.is_absolute() else Path.cwd() / path
    try:
        parts = list(absolute.relative_to(root).parts)
    except ValueError:
        return None
    current = root
    links = 0
    while parts:
        part = parts.pop(0)
        if part in ("", "."):
            continue
        if part == "..":
            if current == root:
                return None
            current = current.parent
            continue
        candidate = current / part
        try:
            mode = os.lstat(candidate).st_mode
        except OSError:
            rest = candidate.joinpath(*parts)
            return rest if ".." not in parts else None
        if not stat.S_ISLNK(mode):
            current = candidate
            continue
        links += 1
        if links > MAX_LINKS:
            raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path))
        target = candidate.readlink()
        if target.is_absolute():
            try:
                parts = [*target.relative_to(root).parts, *parts]
            except ValueError:
                return None
            current = root
        else:
            parts = [*target.parts, *parts]
    return current


def inside(root: Path, path: Path) -> bool:
    """Whether ``path`` resolves inside ``root`` (see :func:`resolve_within`; a link loop
    is not inside)."""
    try:
        return resolve_within(root, path) is not None
    except OSError:
        return False


def read_file(path: Path, limit: int, root: Path | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    With ``root``, ``path`` must resolve inside it (nothing outside is touched). Raises
    :class:`UnreadableFileError` (:class:`FileTooLargeError` for the size) with a message for the
    user; never blocks on a FIFO and never reads past ``limit`` bytes.
    """
    real = path
    try:
        if root is not None:
            found = resolve_within(root, path)
            if found is None:
                raise UnreadableFileError(OUTSIDE)
            real = found
        before = real.stat()
        _check_kind(before.st_mode)
        if before.st_size > limit:
            raise FileTooLargeError(before.st_size, limit)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
        if root is not None:
            # The path is resolved: a link appearing there since was not verified.
            flags |= getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(real, flags)
    except UnreadableFileError:
        raise
    except OSError as exc:
        raise _os_error(exc) from None
    try:
        after = os.fstat(fd)
        _check_kind(after.st_mode)
        if after.st_size > limit:
            raise FileTooLargeError(after.st_size, limit)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise FileTooLargeError(size, limit, grew=True)
        return b"".join(chunks)
    except UnreadableFileError:
        raise
    except OSError as exc:
        raise _os_error(exc) from None
    finally:
        os.close(fd)


def _os_error(exc: OSError) -> UnreadableFileError:
    reason = exc.strerror or str(exc)
    return UnreadableFileError(f"cannot read file: {reason}", reason)


def _check_kind(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    raise UnreadableFileError(f"{kind}, not a regular file; not read")


def write_output(path: Path, data: bytes) -> None:
    """Write a report to ``path`` without following symbolic links.

    A checked tree may commit a link where CI writes its report (``-o results.sarif`` ->
    ``~/.bashrc``): a path that is a symbolic link, or that is reached through a linked
    directory below the working directory, is refused (``OSError``). The report goes to a
    temporary file in the same directory, renamed over the target: a link appearing there
    meanwhile is replaced, never written through.
    """
    import contextlib
    import tempfile

    named = path if path.is_absolute() else Path.cwd() / path
    _refuse_links(named)
    try:
        mode = stat.S_IMODE(named.lstat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{named.name}.", suffix=".tmp", dir=named.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, named)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _refuse_links(named: Path) -> None:
    cwd = Path.cwd()
    try:
        below = named.relative_to(cwd).parts
    except ValueError:
        below = (named.name,)  # outside the working tree: only the file itself is checked
        cwd = named.parent
    current = cwd
    for part in below:
        current = current / part
        if current.is_symlink():
            raise OSError(
                errno.ELOOP, "a symbolic link; the report is not written through it", str(current)
            )


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current
