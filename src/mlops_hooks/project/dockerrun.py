"""Which Dockerfiles a Makefile or justfile builds only to run with the working tree mounted.

The task-runner twin of :mod:`mlops_hooks.project.compose`: a root ``Makefile`` or
``justfile`` that builds an image (``docker build -f libs/tool/Dockerfile -t tool .``) and
runs it only with a path of the working tree bind-mounted (``docker run -v
$(CURDIR)/libs/tool/src:/app/src tool``) uses the image to run the files on the host, not
what it was built with: a renderer, a test harness, a dev shell. A Dockerfile built under a
tag that every ``docker run`` of that tag runs that way is a tooling image, not a runtime
image, unless the same files push the tag (``docker push``, ``docker build --push``): then
the image ships. Unlike Compose, where a service that mounts only ``./data`` still runs its
own code as a deployable service, a task-runner recipe that builds and runs an image with
the working tree mounted, and never pushes it, is local tooling.

Read as text, bounded, from the project root and each directory above it up to the git
work tree's top level; no recipe or make rule is evaluated, and variables are compared as
written (``$(IMAGE)`` in the build and the run is the same tag).
"""

from __future__ import annotations

import posixpath
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from mlops_hooks.lazyre import lazy

if TYPE_CHECKING:
    from mlops_hooks.project import Project

RUNNER_FILES = ("Makefile", "makefile", "GNUmakefile", "justfile", ".justfile", "Justfile")
#: How a host path of a bind mount names the working tree (make, shell, just).
_TREE = (
    "$(CURDIR)", "${CURDIR}", "$(PWD)", "${PWD}", "$PWD", "$(pwd)", "$(shell pwd)", "`pwd`",
    "{{justfile_directory()}}", "{{ justfile_directory() }}", "{{invocation_directory()}}",
    "{{ invocation_directory() }}", "./",
)  # fmt: skip
#: `docker run` options that take a value (the value is not the image).
_RUN_VALUED = frozenset(
    {
        "-v", "--volume", "--mount", "-w", "--workdir", "-e", "--env", "--env-file", "--name",
        "-p", "--publish", "--entrypoint", "--network", "--net", "-u", "--user", "--platform",
        "-l", "--label", "--gpus", "--shm-size", "-m", "--memory", "--cpus", "-h",
        "--hostname", "--add-host", "--device", "--ipc", "--pull", "--restart", "--runtime",
        "--cidfile", "--log-driver", "--log-opt", "--security-opt", "--ulimit", "--cap-add",
        "--cap-drop", "--group-add", "--tmpfs", "--volumes-from", "--expose", "--label-file",
    }
)  # fmt: skip
_SEPARATORS = frozenset({"&&", "||", ";", "|", "&"})
_CONTINUATION = lazy(r"\\\r?\n")


class _Run(NamedTuple):
    image: str
    mounts_tree: bool


def runner_tooling_dockerfiles(project: Project) -> frozenset[str]:
    """Dockerfiles (posix, relative to the root) that the root's Makefile or justfile builds
    only to run with the working tree bind-mounted; loaded once per run."""
    return project.cached("dockerrun.tooling", _load)


def _load(project: Project) -> frozenset[str]:
    builds: dict[str, set[Path]] = {}  # tag -> Dockerfiles built under it
    runs: list[_Run] = []
    pushed: set[str] = set()
    for directory, text in _runner_texts(project):
        for words in _commands(_CONTINUATION.sub(" ", text)):
            if words[1:2] == ["push"] and len(words) > 2:
                pushed.add(words[-1])
            built = _build(words)
            if built is not None:
                builds.setdefault(built[1], set()).add(directory / built[0])
                if "--push" in words:
                    pushed.add(built[1])
            run = _run(words)
            if run is not None:
                runs.append(run)
    tooling: set[str] = set()
    for tag, dockerfiles in builds.items():
        mine = [run for run in runs if run.image == tag]
        if mine and tag not in pushed and all(run.mounts_tree for run in mine):
            tooling |= {project.relpath(path) for path in dockerfiles}
    return frozenset(tooling - {""})


def _runner_texts(project: Project) -> list[tuple[Path, str]]:
    """The task-runner files of the project root and of each directory above it up to the
    git work tree's top level (a workspace member's images are often built by the root's
    Makefile), with the directory each one's paths are relative to."""
    from mlops_hooks.project import MAX_FACT_BYTES, find_git_root
    from mlops_hooks.safeio import UnreadableFileError, read_file

    top = find_git_root(project.root) or project.root
    directories = [project.root]
    while directories[-1] != top and top in directories[-1].parents:
        directories.append(directories[-1].parent)
    found = []
    for directory in directories:
        for name in RUNNER_FILES:
            path = directory / name
            if not path.is_file():
                continue
            try:
                raw = read_file(path, MAX_FACT_BYTES, top)
            except UnreadableFileError:
                continue
            found.append((directory, raw.decode("utf-8-sig", "replace")))
    return found


def _commands(text: str) -> list[list[str]]:
    """Each ``docker`` command of each line, as its words from ``docker`` on (recipe and make
    prefixes and shell separators dropped)."""
    found = []
    for line in text.splitlines():
        if "docker" not in line or line.lstrip().startswith("#"):
            continue
        try:
            words = shlex.split(line, comments=False, posix=True)
        except ValueError:
            words = line.split()  # an unbalanced quote: plain words still tell the command
        command: list[str] = []
        for word in [*words, ";"]:
            if word in _SEPARATORS:
                start = next((i for i, w in enumerate(command) if _is_docker(w)), None)
                if start is not None:
                    found.append(command[start:])
                command = []
            else:
                command.append(word)
    return found


def _is_docker(word: str) -> bool:
    return word.lstrip("@-").rsplit("/", 1)[-1] == "docker"


def _build(words: list[str]) -> tuple[str, str] | None:
    """``(Dockerfile, tag)`` of ``docker [buildx] build``; None for anything else, or when
    the Dockerfile is not a plain path inside the root."""
    rest = words[1:]
    if rest[:1] == ["buildx"]:
        rest = rest[1:]
    if rest[:1] != ["build"]:
        return None
    dockerfile = tag = None
    positional: list[str] = []
    items = iter(rest[1:])
    for word in items:
        key, _, value = word.partition("=")
        if key in ("-f", "--file", "-t", "--tag"):
            value = value or next(items, "")
            if key in ("-f", "--file"):
                dockerfile = value
            elif tag is None:
                tag = value
        elif word.startswith("-"):
            continue  # a flag, or an option whose value is its own word (rarely a path)
        else:
            positional.append(word)
    context = positional[-1] if positional else "."
    if tag is None:
        return None
    path = dockerfile or posixpath.join(context, "Dockerfile")
    if "$" in path or "{{" in path or "://" in path:
        return None
    path = posixpath.normpath(path)
    return None if path == ".." or path.startswith(("../", "/")) else (path, tag)


def _run(words: list[str]) -> _Run | None:
    """The image of ``docker run``, and whether it bind-mounts a path of the working tree."""
    if words[1:2] != ["run"]:
        return None
    mounts_tree = False
    items = iter(words[2:])
    for word in items:
        if not word.startswith("-"):
            return _Run(word, mounts_tree)
        key, eq, value = word.partition("=")
        if key not in _RUN_VALUED:
            continue
        value = value if eq else next(items, "")
        if key in ("-v", "--volume"):
            mounts_tree |= _in_tree(value.split(":", 1)[0])
        elif key == "--mount":
            fields = dict(part.partition("=")[::2] for part in value.split(","))
            source = fields.get("source") or fields.get("src") or ""
            mounts_tree |= fields.get("type", "volume") == "bind" and _in_tree(source)
    return None


def _in_tree(host: str) -> bool:
    """Whether a bind mount's host path is the working tree or a path in it."""
    return host in (".", "./") or host.startswith(_TREE)
