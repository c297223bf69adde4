"""Discovery: which files a run checks, the project each belongs to, the checker that reads it.

A path on the command line is a file (checked as named) or a directory (walked: ``git
ls-files`` where git knows the tree, else a walk that skips tool directories). Each file
belongs to a project, the nearest directory upward with a ``pyproject.toml`` or ``.git`` (else
the working directory), and is routed to the first checker whose ``matches`` accepts its path
relative to that root.

Every glob (``exclude``, ``per-file-ignores``, and the kinds' own globs) is matched against
the same base: the path relative to the project root (see :meth:`Discovery.paths`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from mlops_hooks.checkers import Checker
from mlops_hooks.config import glob_match
from mlops_hooks.project import Project, resolved

#: Directories never walked outside git (inside git, .gitignore decides).
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "build",
        "dist",
        "site",
        ".eggs",
    }
)
PROJECT_MARKERS = ("pyproject.toml", ".git")


class Target(NamedTuple):
    """A file to check: where it is, how to show it, which project and checker it belongs to."""

    path: Path
    display: str
    project: Project
    relpath: str
    checker: Checker
    #: Under a template directory (``{{ cookiecutter.slug }}/``): checked, but a file that
    #: does not parse as its kind (Jinja in YAML) is no finding, it is not rendered yet.
    template: bool = False


class Discovery:
    """Finds and routes the files of one run; projects are located once per directory."""

    def __init__(
        self,
        checkers: Sequence[Checker],
        cwd: Path,
        exclude: Sequence[str] = (),
        force_exclude: bool = False,
        kinds: Iterable[str] | None = None,
    ) -> None:
        self.checkers = list(checkers)
        self.cwd = cwd
        self.exclude = list(exclude)
        self.force_exclude = force_exclude
        #: The kinds whose files are routed (None: every kind).
        self.kinds = None if kinds is None else frozenset(kinds)
        self._projects: dict[Path, Project] = {}
        self._dirs: dict[Path, tuple[Project, Path]] = {}
        #: Run-level notes for stderr (a directory that could not be read).
        self.notes: list[str] = []
        #: The resolved directory named by the argument being collected (the fallback root).
        self._anchor: Path | None = None
        #: Walk git's tracked files only (``--scope changed``: an untracked file is no part of
        #: a commit).
        self.tracked_only = False

    def reset(self) -> None:
        """Forget the projects found (their cached models must not outlive a run) and the
        notes."""
        self._projects = {}
        self._dirs = {}
        self.notes = []

    # -- projects --------------------------------------------------------------------------

    def adopt(self, target: Target) -> Target:
        """``target`` with this run's own :class:`Project` for its root.

        A target sent to a worker process arrives with a copy of its project (one copy per
        chunk of targets): checked as is, every copy would load the repository's models
        again (each workflow of the repository parsed once per chunk). The worker checks it
        with the project it already has for that root, so the models are loaded once per
        process."""
        project = self._projects.setdefault(target.project.root, target.project)
        return target if project is target.project else target._replace(project=project)

    def project_for(self, path: Path) -> Project:
        """The project a file belongs to: the nearest directory upward with a pyproject.toml
        or .git (so a sub-project's justfile and workflows are read from its own root)."""
        return self._locate(path)[0]

    def _locate(self, path: Path) -> tuple[Project, Path]:
        """The project of ``path`` and its directory, resolved; cached per directory, since a
        large tree has thousands of files in a few hundred directories."""
        parent = Path(os.path.abspath(path.parent))
        found = self._dirs.get(parent)
        if found is None:
            start = resolved(parent)
            # Without a project marker, the root is what was named on the command line (a
            # directory, or a file's directory): never a wider folder such as the working
            # directory, whose other files (a .env) a symlink in the checked tree could reach.
            anchor = self._anchor if self._anchor is not None else self.cwd
            root = anchor if start == anchor or anchor in start.parents else start
            visited = []
            for candidate in (start, *start.parents):
                known = self._dirs.get(candidate)
                if known is not None:
                    root = known[0].root
                    break
                visited.append(candidate)
                if _marked(candidate):
                    root = candidate
                    break
            if root not in self._projects:
                self._projects[root] = Project(root)
            project = self._projects[root]
            for directory in visited:  # every directory between shares the same root
                self._dirs.setdefault(directory, (project, directory))
            found = (project, start)
            self._dirs[parent] = found
        return found

    def paths(self, project: Project, relpath: str) -> Iterator[str]:
        """The paths a glob is matched against: ``relpath`` (relative to ``project``'s root),
        then, for a project nested in another one, the same file relative to each enclosing
        project's root (so the outer configuration can name ``examples/demo/Dockerfile``)."""
        yield relpath
        root = project.root
        for _ in range(64):  # nesting deeper than this is no project layout
            outer = self.project_for(root).root
            if outer == root or not root.is_relative_to(outer) or not _marked(outer):
                return
            prefix = root.relative_to(outer).as_posix()
            relpath = f"{prefix}/{relpath}" if relpath else prefix
            yield relpath
            root = outer

    def matches(self, globs: Sequence[str], project: Project, relpath: str) -> bool:
        """Whether one of ``globs`` matches the file at ``relpath`` of ``project``."""
        return bool(globs) and any(
            glob_match(glob, path) for path in self.paths(project, relpath) for glob in globs
        )

    # -- files -----------------------------------------------------------------------------

    def collect(self, paths: Iterable[str]) -> list[Target]:
        """Expand files and directories into routed targets, deduplicated, in a stable order.

        ``exclude`` skips what a directory walk finds (a pattern that matches the directory
        argument itself does not: you asked for it); files named explicitly are checked anyway
        unless ``force-exclude`` is on (as in ruff: pre-commit names every file and has its own
        ``exclude:``).
        """
        seen: set[Path] = set()
        targets: list[Target] = []
        for arg in paths:
            path = Path(arg)
            is_dir = _is_dir(path)
            self._anchor = resolved(path if is_dir else path.parent)
            if is_dir:
                files, named = self.walk(path), False
            else:
                files, named = [path], True
            for file in files:
                key = Path(os.path.abspath(file))
                if key in seen:
                    continue
                seen.add(key)
                target = self.route(file)
                if target is None:
                    continue
                exempt = named and not self.force_exclude  # a file named is checked anyway
                if exempt or not self._excluded(target, None if named else path):
                    targets.append(target)
        return targets

    def _excluded(self, target: Target, below: Path | None) -> bool:
        """Whether ``exclude`` skips ``target``; a pattern that matches the walked directory
        ``below`` itself (or a directory above it) excludes nothing under it."""
        if not self.exclude:
            return False
        globs = self.exclude
        if below is not None:
            project = self.project_for(below / "_")
            named = [p for p in self.paths(project, project.relpath(below)) if p]
            globs = [g for g in globs if not any(glob_match(g, p) for p in named)]
        return self.matches(globs, target.project, target.relpath)

    def _nested(self, project: Project) -> bool:
        """A sub-project of a git repository reached by walking from above it: its
        pre-commit config and workflows are not what the tools run. Named (or walked from)
        itself, it is checked as the project it is asked to be."""
        anchor = self._anchor
        below = anchor is not None and anchor in project.root.parents
        if not below or project.is_template(project.root.as_posix()):
            return False  # a template's project is what every generated repository gets
        return project.nested_in_repository

    def walk(self, directory: Path) -> list[Path]:
        """The files under ``directory``: git's listing (tracked and untracked-not-ignored;
        tracked only with :attr:`tracked_only`) inside a git work tree, else every file
        outside :data:`SKIP_DIRS`."""
        project = self.project_for(directory / "_")
        listed = project.git_files(directory, untracked=not self.tracked_only)
        if listed is not None:
            return listed
        found: list[Path] = []

        def unreadable(exc: OSError) -> None:
            where = _display(Path(exc.filename or directory), self.cwd)
            self.notes.append(f"{where}: cannot read directory: {exc.strerror or exc}; skipped")

        for root, dirs, files in os.walk(directory, onerror=unreadable):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
            found.extend(Path(root) / name for name in sorted(files))
        return found

    def route(self, file: Path) -> Target | None:
        """The target of ``file``: its project, path in it and checker (None: no checker of a
        selected kind reads it)."""
        project, directory = self._locate(file)
        try:
            relpath = (directory / file.name).relative_to(project.root).as_posix()
        except ValueError:
            relpath = file.as_posix()
        # A template becomes a file of its kind only once rendered. A template file
        # (`Dockerfile.j2`) is not read at all; a file under a template directory
        # (`{{ cookiecutter.x }}/Dockerfile`) is mostly its kind already and is checked, its
        # parse errors (Jinja) aside. The whole path counts: a rendered project's own root may
        # sit below the template segment.
        absolute = Path(os.path.abspath(file)).as_posix()
        template = project.is_template(absolute)
        if template and project.is_template(file.name):
            return None
        checker = next((c for c in self.checkers if c.matches(relpath)), None)
        if checker is None or (self.kinds is not None and checker.kind not in self.kinds):
            return None
        if checker.repository_root_only and self._nested(project):
            return None
        return Target(file, _display(file, self.cwd), project, relpath, checker, template)


def _marked(directory: Path) -> bool:
    """Whether ``directory`` holds a project marker. ``lexists``: a marker is never followed
    (nor stat'ed) through a symbolic link, and an unreadable directory is no error here."""
    return any(os.path.lexists(directory / marker) for marker in PROJECT_MARKERS)


def _is_dir(path: Path) -> bool:
    """``Path.is_dir`` that answers False, instead of raising, for a path it cannot stat
    (below a directory without search permission): reading it then says why, as one
    diagnostic."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _display(path: Path, cwd: Path) -> str:
    """A path as given when relative, else relative to the working directory when inside."""
    if not path.is_absolute():
        return os.path.normpath(path).replace(os.sep, "/")
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()
