"""Repository-level context shared by every file of a run, for cross-file rules.

The project knows its root (for a file: the nearest directory upward with a
``pyproject.toml`` or ``.git``, else the working directory) and loads repository models
lazily, once per run: a rule that needs the justfile's recipes asks
``project.cached("justfile", loader)``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def resolved(path: Path) -> Path:
    """``path`` with symlinks resolved; a symlink loop (RuntimeError before Python 3.13,
    OSError after) leaves the path absolute but unresolved."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return path.absolute()


def find_git_root(start: Path) -> Path | None:
    """The top level of the git work tree containing ``start``, if any (no git -> None)."""
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


class Project:
    """The repository being checked: its root and lazily loaded, cached models."""

    def __init__(self, root: Path) -> None:
        self.root = resolved(root)
        self._cache: dict[str, Any] = {}

    def cached(self, key: str, loader: Callable[[Project], T]) -> T:
        """Load ``key`` once per run with ``loader(project)`` and cache the result."""
        if key not in self._cache:
            self._cache[key] = loader(self)
        value: T = self._cache[key]
        return value

    def relpath(self, path: Path) -> str:
        """``path`` relative to the root, posix style ('' when outside the root)."""
        try:
            return resolved(path).relative_to(self.root).as_posix()
        except ValueError:
            return ""

    def contains(self, path: Path) -> bool:
        """Whether ``path`` resolves inside the project root (symlinks followed)."""
        try:
            resolved(path).relative_to(self.root)
        except (ValueError, OSError):
            return False
        return True

    def git_files(self, directory: Path) -> list[Path] | None:
        """Tracked plus untracked-not-ignored files under ``directory``; None without git."""
        if find_git_root(resolved(directory)) is None:
            return None
        # Only `git ls-files` runs, with a fixed argv; never anything from the repository.
        import subprocess  # nosec B404

        try:
            out = subprocess.run(  # nosec B603 B607
                ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                cwd=directory,
                capture_output=True,
                check=True,
                timeout=60,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        names = sorted(
            {name for name in out.decode("utf-8", "surrogateescape").split("\0") if name}
        )
        return [directory / name for name in names]
