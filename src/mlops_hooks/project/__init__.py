"""The project-facts layer: repository-level facts shared by every kind, for cross-file rules.

The project knows its root (for a file: the nearest directory upward with a
``pyproject.toml`` or ``.git``, else the working directory) and computes typed facts lazily,
once per run:

- :attr:`Project.justfile`: the justfile tree (:mod:`.justfile`: safe discovery, sandboxed
  ``just --dump``, the index);
- :attr:`Project.pyproject` (:mod:`.pyproject`): bandit/ruff settings, the project name,
  :attr:`Project.source_paths`, dependency groups (:meth:`Project.depends_on`, which also
  reads ``uv.lock``), :attr:`Project.commitizen_config`;
- :attr:`Project.locks`, :attr:`Project.uv_managed` and, per Docker build context,
  :meth:`Project.build_context_locks` / :meth:`Project.uv_managed_context` (:mod:`.locks`);
- :attr:`Project.git_hook_installs` (:mod:`.githooks`): which task installs which git hooks;
- :meth:`Project.is_template`, :meth:`Project.is_devcontainer` (:mod:`.paths`).

A fact's module is imported only when a rule first asks for it, so a run that needs none
pays nothing. Any kind may read a fact; no kind owns one.

Reading facts is safe: only files inside the root are read (symlinks out are ignored), reads
are bounded, TOML goes through ``tomllib``, and nothing of the repository is executed or
imported (the justfile is parsed by ``just --dump`` in a sandbox, never evaluated).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from mlops_hooks.project.githooks import GitHookInstalls, InstallRecipe
    from mlops_hooks.project.justfile.types import JustfileIndex
    from mlops_hooks.project.locks import LockFacts
    from mlops_hooks.project.pyproject import PyprojectFacts

T = TypeVar("T")
#: The most a fact reads of one file (a lock file of a large project fits).
MAX_FACT_BYTES = 16_000_000


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

    def __getstate__(self) -> dict[str, Any]:
        # Sent to a worker process with its targets: the root only, never the loaded models
        # (the worker loads its own, once, see ``Discovery.adopt``).
        return {"root": self.root}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.root = state["root"]
        self._cache = {}

    def cached(self, key: str, loader: Callable[[Project], T]) -> T:
        """Load ``key`` once per run with ``loader(project)`` and cache the result."""
        if key not in self._cache:
            self._cache[key] = loader(self)
        value: T = self._cache[key]
        return value

    @property
    def justfile(self) -> JustfileIndex | None:
        """The justfile tree (None without a root justfile), loaded once per run."""
        from mlops_hooks.project.justfile import find_root_justfile

        # Without a justfile, the tree's modules (just's sandbox, the dump's reader) are
        # never imported.
        if not self.cached("justfile-present", lambda p: find_root_justfile(p.root) is not None):
            return None
        from mlops_hooks.project.justfile.index import justfile_index

        return justfile_index(self)

    @property
    def pyproject(self) -> PyprojectFacts:
        """What ``pyproject.toml`` (and ruff's config files) say that the rules use."""
        from mlops_hooks.project.pyproject import pyproject_facts

        return pyproject_facts(self)

    @property
    def justfile_installs(self) -> tuple[InstallRecipe, ...] | None:
        """The justfile recipes that run ``pre-commit install`` (None without a justfile)."""
        from mlops_hooks.project.githooks import justfile_installs

        return justfile_installs(self)

    @property
    def git_hook_installs(self) -> GitHookInstalls:
        """Every task that runs ``pre-commit install`` (just, make, invoke, nox, tox, scripts,
        npm) and the git hook types each installs; ``state`` is ``unknown`` without one."""
        from mlops_hooks.project.githooks import git_hook_installs

        return git_hook_installs(self)

    @property
    def locks(self) -> LockFacts:
        """The lock managers at the root (``uv``, ``poetry``, ``pipenv``, ``pdm``, ...)."""
        from mlops_hooks.project.locks import lock_managers

        return lock_managers(self, self.root)

    @property
    def uv_managed(self) -> bool:
        """Whether ``uv.lock`` is at the root."""
        return self.locks.uv

    def build_context_locks(self, directory: Path) -> LockFacts:
        """The lock managers of a Docker build context: ``directory`` and its parents up to
        the root (empty for a directory outside the root)."""
        from mlops_hooks.project.locks import context_managers

        return context_managers(self, directory)

    def uv_managed_context(self, directory: Path) -> bool:
        """Whether a ``uv.lock`` is in ``directory`` or above it, up to the root."""
        return self.build_context_locks(directory).uv

    @property
    def source_paths(self) -> tuple[str, ...]:
        """Where the project's source lives (from ``pyproject.toml``'s build backend)."""
        return self.pyproject.source_paths

    def depends_on(self, package: str) -> bool:
        """Whether ``package`` is in a dependency group of ``pyproject.toml`` or in ``uv.lock``."""
        from mlops_hooks.project.locks import uv_lock_packages
        from mlops_hooks.project.pyproject import normalize

        if self.pyproject.depends_on(package):
            return True
        return normalize(package) in (uv_lock_packages(self) or frozenset())

    @property
    def commitizen_config(self) -> str | None:
        """The file that configures commitizen (``pyproject.toml``, ``.cz.toml`` ...), if any."""
        return self.pyproject.commitizen_config

    def is_template(self, relpath: str) -> bool:
        """Whether ``relpath`` is a template (``{{ ... }}`` segment, ``.j2``/``.jinja``/...)."""
        from mlops_hooks.project.paths import is_template

        return is_template(relpath)

    @property
    def nested_in_repository(self) -> bool:
        """Whether the project lies inside a git repository whose top level is above its
        root (a sub-project of a monorepo, a course sample): pre-commit and GitHub read the
        configuration of the top level only."""
        return self.cached(
            "nested-in-repository",
            lambda p: not (p.root / ".git").exists() and find_git_root(p.root.parent) is not None,
        )

    @property
    def is_template_repository(self) -> bool:
        """Whether the project is a template (``cookiecutter.json`` or ``copier.yml`` at the
        root): its files hold Jinja, and tools that parse them fail on it."""
        from mlops_hooks.project.paths import TEMPLATE_MARKERS

        return self.cached(
            "template-repository",
            lambda p: any(os.path.lexists(p.root / name) for name in TEMPLATE_MARKERS),
        )

    @property
    def tooling_dockerfiles(self) -> frozenset[str]:
        """Dockerfiles that Compose builds only for services that bind-mount the project, or
        that the root Makefile/justfile builds only to run with the working tree mounted
        (development tooling, not runtime images)."""
        from mlops_hooks.project.compose import tooling_dockerfiles
        from mlops_hooks.project.dockerrun import runner_tooling_dockerfiles

        return tooling_dockerfiles(self) | runner_tooling_dockerfiles(self)

    def is_devcontainer(self, relpath: str) -> bool:
        """Whether ``relpath`` is under ``.devcontainer/``."""
        from mlops_hooks.project.paths import is_devcontainer

        return is_devcontainer(relpath)

    def read_text(self, path: Path, limit: int = MAX_FACT_BYTES) -> str | None:
        """The text of the regular file ``path`` if it is inside the root (links followed
        only while inside) and at most ``limit`` bytes; None otherwise or when unreadable.
        Undecodable bytes are replaced: facts read names and flags, never positions."""
        from mlops_hooks.safeio import UnreadableFileError, read_file

        if not os.path.lexists(path):
            return None
        try:
            raw = read_file(path, limit, self.root)
        except UnreadableFileError:
            return None
        return raw.decode("utf-8-sig", "replace")

    def relpath(self, path: Path) -> str:
        """``path`` relative to the root, posix style ('' when outside the root)."""
        try:
            return resolved(path).relative_to(self.root).as_posix()
        except ValueError:
            return ""

    def contains(self, path: Path) -> bool:
        """Whether ``path`` resolves inside the project root (symlinks followed one at a time
        and only while inside: nothing outside the root is stat'ed)."""
        from mlops_hooks.safeio import inside

        return inside(self.root, path)

    def git_files(self, directory: Path, untracked: bool = True) -> list[Path] | None:
        """Tracked (plus, with ``untracked``, untracked-not-ignored) files under
        ``directory``; None without git."""
        root = find_git_root(resolved(directory))
        if root is None:
            return None
        return git_list(root, directory, untracked)


#: Configuration that a checked tree controls (``.git/config``, or a committed folder that
#: looks like a bare repository) must not make git run a command or write: these override it.
_GIT_OVERRIDES = (
    "-c", "safe.bareRepository=explicit",
    "-c", "core.fsmonitor=false",
    "-c", "core.untrackedCache=false",
    "-c", "core.hooksPath=/dev/null",
)  # fmt: skip


def git_command(root: Path, *args: str) -> tuple[list[str], dict[str, str]]:
    """The argv and environment to run ``git args`` on the work tree at ``root`` safely.

    git is told where the repository is (``GIT_DIR``, ``GIT_WORK_TREE``) instead of
    discovering it from the working directory, so a committed folder holding a bare
    repository's files (``HEAD``, ``objects/``, ``refs/``, ``config``) is never taken for a
    repository; the ``-c`` overrides win over the repository's own configuration, so its
    ``core.fsmonitor`` (a command git would run) never runs; ``--no-optional-locks`` keeps a
    read from writing the index.
    """
    env = {k: v for k, v in os.environ.items() if k not in _GIT_LOCATION_VARS}
    env["GIT_DIR"] = str(root / ".git")
    env["GIT_WORK_TREE"] = str(root)
    env["GIT_LITERAL_PATHSPECS"] = "1"
    return ["git", "--no-optional-locks", *_GIT_OVERRIDES, *args], env


#: Variables that would point git somewhere else than the root we found.
_GIT_LOCATION_VARS = frozenset(
    {
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_COMMON_DIR",
        "GIT_CEILING_DIRECTORIES",
        "GIT_DISCOVERY_ACROSS_FILESYSTEM",
        "GIT_NAMESPACE",
        "GIT_CONFIG_PARAMETERS",
        "GIT_CONFIG_COUNT",
    }
)


def git_list(root: Path, directory: Path, untracked: bool = True) -> list[Path] | None:
    """``git ls-files`` (tracked, and with ``untracked`` untracked-not-ignored) under
    ``directory``, run at the work tree ``root`` only (see :func:`git_command`); None when
    git cannot list them."""
    try:
        prefix = resolved(directory).relative_to(root).as_posix()
    except ValueError:
        return None
    prefix = "" if prefix == "." else prefix
    others = ["--others", "--exclude-standard"] if untracked else []
    argv, env = git_command(root, "ls-files", "-z", "--cached", *others, "--", prefix or ".")
    # Only `git ls-files` runs, with a fixed argv; never anything from the repository.
    import subprocess  # nosec B404

    try:
        out = subprocess.run(  # nosec B603 B607
            argv, cwd=root, env=env, capture_output=True, check=True, timeout=60
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    cut = len(prefix) + 1 if prefix else 0
    names = sorted(
        {name[cut:] for name in out.decode("utf-8", "surrogateescape").split("\0") if name}
    )
    return [directory / name for name in names if name]
