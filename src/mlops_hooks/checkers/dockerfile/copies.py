"""Where the project source enters a stage: ``COPY``/``ADD`` of the build context, or a
``RUN --mount=type=bind`` of it.

Two readings of "source". :func:`source_copy` finds the project source proper: the whole
context, ``src``, or a configured or inferred source path (what DKR003 says the runtime image
must not carry). :func:`build_copy` finds anything that changes with the code: a Python
module or notebook, or a directory, unless it is something the build reads before the
install (a manifest, lock or build configuration, a requirements directory, built wheels);
other single files (scripts, configuration, a README or LICENSE the manifest names) are
not counted, as they rarely change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mlops_hooks.lazyre import lazy
from mlops_hooks.rule import option, options

if TYPE_CHECKING:
    from mlops_hooks.checkers.dockerfile.model import Instruction
    from mlops_hooks.project import Project
    from mlops_hooks.shell import Word


@options
class SourcePathsOptions:
    """Options of the rules that find where the project source enters a stage (DKR001,
    DKR003): one definition, so both read the same ``source-paths``."""

    source_paths: tuple[str, ...] = option(
        default=("src",),
        doc="Build-context paths that hold the project source, besides the whole"
        " context (`.`); a `COPY`/`ADD` of one of them, or of a path inside one, is a"
        " source copy.",
    )


def _normalise(path: str) -> str:
    path = path.strip()
    while path.startswith(("./", "/")):
        path = path[1:] if path.startswith("/") else path[2:]
    return path.rstrip("/")


def project_source_paths(project: Project, dockerfile: str) -> tuple[str, ...]:
    """The project's inferred source paths (``pyproject.toml``'s packages, uv workspace
    members' packages) as a build context may see them: relative to the project root (a
    context of ``.``), to the Dockerfile's directory for those under it, and to the top level
    of the git repository when the project is a sub-project (``docker build -f
    backend/Dockerfile .`` run at the top level)."""
    from mlops_hooks.project import find_git_root

    paths = project.source_paths
    directory = dockerfile.rsplit("/", 1)[0] + "/" if "/" in dockerfile else ""
    nested = [p[len(directory) :] for p in paths if directory and p.startswith(directory)]
    top = find_git_root(project.root) if paths else None
    prefix = project.root.relative_to(top).as_posix() if top not in (None, project.root) else ""
    above = [f"{prefix}/{p}" for p in paths] if prefix else []
    return (*paths, *nested, *above)


def is_source_path(path: str, source_paths: Sequence[str]) -> bool:
    """Whether a build-context path is (or contains, or lies in) the project source."""
    path = _normalise(path)
    if path in ("", ".", "*"):
        return True
    for source in source_paths:
        source = _normalise(source)
        if source in ("", ".") or path == source or path.startswith(source + "/"):
            return True
        if source.startswith(path + "/"):
            return True  # a directory above the source (`backend` of `backend/app`) holds it
    return False


#: Dependency manifests, locks and build configuration: a file of one of these names is what
#: the build reads before the install, even inside a source directory
#: (``COPY src/api/requirements.txt .``).
_MANIFESTS = lazy(
    r"(?i)^(requirements[^/]*\.(txt|in)|constraints[^/]*\.txt|pyproject\.toml|setup\.(cfg|py)"
    r"|(uv|poetry|pdm|pipfile)\.lock|pipfile|uv\.toml|\.python-version)$"
)


def is_manifest(path: str, source_paths: Sequence[str]) -> bool:
    """Whether a path names a single manifest, lock or build-configuration file (and not a
    configured source path itself)."""
    path = _normalise(path)
    name = path.rsplit("/", 1)[-1]
    return bool(_MANIFESTS.match(name)) and path not in (_normalise(p) for p in source_paths)


def source_copy(instruction: Instruction, source_paths: Sequence[str]) -> str | None:
    """The first project-source argument of a ``COPY``/``ADD`` from the build context; a
    manifest or lock file that lies in a source directory is not source."""
    if instruction.cmd not in ("COPY", "ADD") or instruction.flag_values("from"):
        return None
    if any(arg.startswith("<<") for arg in instruction.args):
        return None  # a heredoc: inline content, not the build context
    for arg in instruction.sources():
        if "://" in arg or arg.startswith("git@"):
            continue
        if is_source_path(arg, source_paths) and not is_manifest(arg, source_paths):
            return arg
    return None


#: Suffixes of code files: copied before the install, an edit reinstalls every dependency.
CODE_SUFFIXES = (".py", ".pyx", ".ipynb")
#: Code files that are build configuration, not the application.
_BUILD_SCRIPTS = frozenset({"setup.py", "conftest.py", "noxfile.py"})
#: Directories of build inputs: requirements files, built wheels and sdists.
_BUILD_DIRS = lazy(r"(?i)^(requirements[^/]*|reqs|dist|wheels?|wheelhouse|whl)$")
#: Files without a suffix that are files, not directories.
_PLAIN_FILES = frozenset(
    {
        "makefile", "gnumakefile", "justfile", "dockerfile", "containerfile", "procfile",
        "pipfile", "gemfile", "license", "licence", "copying", "notice", "authors", "readme",
        "version", "codeowners", "manifest",
    }
)  # fmt: skip


def build_copy(path: str) -> bool:
    """Whether a build-context path copied before a dependency install is code or a directory
    of the project (see the module doc), by its name: a name with a suffix is a file, one
    without a directory unless it is a well-known file name (``Makefile``, ``LICENSE``)."""
    path = _normalise(path)
    name = path.rsplit("/", 1)[-1]
    lower = name.lower()
    if not name or name.startswith(".") or lower in _BUILD_SCRIPTS or _BUILD_DIRS.match(name):
        return False
    if "." in name.lstrip("*"):
        return lower.endswith(CODE_SUFFIXES)
    return lower not in _PLAIN_FILES and not name.isupper()


def workdir_at(instruction: Instruction) -> str:
    """The working directory an instruction runs in (``WORKDIR`` of its stage and the stages
    it is built ``FROM``; ``/`` without one), as written: variables are not expanded."""
    stage = instruction.stage
    workdir = "/"
    for ancestor in stage.lineage if stage is not None else ():
        for item in ancestor.instructions[1:]:
            if item is instruction:
                return workdir
            if item.cmd == "WORKDIR" and item.args:
                workdir = in_image(workdir, item.args[0])
    return workdir


def in_image(workdir: str, path: str) -> str:
    """``path`` resolved against ``workdir`` in the image (``.`` and ``..`` folded), no
    trailing slash."""
    parts: list[str] = [] if path.startswith("/") else workdir.split("/")
    for part in path.split("/"):
        if part == "..":
            parts = parts[:-1]
        elif part not in ("", "."):
            parts.append(part)
    return "/" + "/".join(p for p in parts if p)


def build_copies(instruction: Instruction) -> list[str]:
    """The arguments of a ``COPY``/``ADD`` of the build context that are code or directories."""
    if instruction.cmd not in ("COPY", "ADD") or instruction.flag_values("from"):
        return []
    if any(arg.startswith("<<") for arg in instruction.args):
        return []
    return [a for a in instruction.sources() if "://" not in a and build_copy(a)]


def unused_build_copy(
    copied: list[tuple[Instruction, list[str]]], runs: list[Instruction]
) -> Instruction | None:
    """The first copy of code or a directory that no later ``RUN`` up to the install names
    (a local package that the install reads, a setup script the build runs)."""
    for copy, paths in copied:
        names = set()
        for run in runs:
            if run.start_line > copy.start_line:
                names |= _path_parts(run)
        if any(_basename(path) not in names for path in paths):
            return copy
    return None


def _path_parts(run: Instruction) -> set[str]:
    """Every path component of every word of a ``RUN``'s commands (computed once)."""
    if "path-parts" not in run.memo:
        parts: set[str] = set()
        for command in run.commands:
            for word in command.argv:
                parts.update(p for p in _SEPARATORS.split(word) if p)
        run.memo["path-parts"] = parts
    found: set[str] = run.memo["path-parts"]
    return found


def _basename(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


#: What separates the paths inside a shell word (`--find-links=/wheels`, `a:b`).
_SEPARATORS = lazy(r"[/=:,]")


def source_mount(instruction: Instruction, source_paths: Sequence[str]) -> Word | None:
    """The ``--mount`` token of a ``RUN`` that bind-mounts the project source, if any."""
    if instruction.cmd != "RUN":
        return None
    flags = instruction.tokens[1 : 1 + len(instruction.flags)]
    tokens = [t for t in flags if t.text.lower().startswith("--mount=")]
    for token, mount in zip(tokens, instruction.mounts(), strict=False):
        if mount.get("type") != "bind" or "from" in mount:
            continue
        if is_source_path(mount.get("source", ""), source_paths):
            return token
    return None
