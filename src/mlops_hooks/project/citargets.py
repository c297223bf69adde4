"""Which stages of which Dockerfiles the root's CI builds as targets (``--target``).

``docker build --target test -f docker/Dockerfile .`` in a workflow's ``run:``, or
``target: test`` in the ``with:`` of ``docker/build-push-action``, builds (and may push) that
stage's image, not only the final stage's. Read as text from the root's workflows, bounded,
through :meth:`mlops_hooks.project.Project.read_text`; nothing is executed. The Dockerfile is
``-f``/``--file`` (``file:``) as written, else ``Dockerfile`` in the build context
(``context:``, the last argument of ``docker build``), posix and relative to the root.
"""

from __future__ import annotations

import posixpath
import shlex
from collections.abc import Mapping
from typing import TYPE_CHECKING

from mlops_hooks.lazyre import lazy

if TYPE_CHECKING:
    from mlops_hooks.project import Project

_STEP_KEY = lazy(r"^\s*(?:-\s+)?run:\s*")
_USES = lazy(r"^(\s*)(?:-\s+)?uses:\s*['\"]?docker/build-push-action@")
_WITH_KEY = lazy(r"^\s*(target|file|context):\s*['\"]?([^'\"#\s]+)")
#: `docker build` options that take the next word as their value.
_VALUED = frozenset(
    {
        "-f", "--file", "-t", "--tag", "--target", "--build-arg", "--platform", "--label",
        "--cache-from", "--cache-to", "--secret", "--ssh", "--output", "-o", "--progress",
        "--network", "--build-context", "--iidfile", "--metadata-file", "--builder",
        "--add-host", "--shm-size", "--ulimit", "--annotation", "--attest", "--provenance",
        "--sbom",
    }
)  # fmt: skip


def ci_target_stages(project: Project) -> Mapping[str, frozenset[str]]:
    """Dockerfile (posix, from the root) -> the stage names CI builds as targets, loaded
    once per run."""
    return project.cached("ci-targets", _load)


def _load(project: Project) -> Mapping[str, frozenset[str]]:
    from mlops_hooks.project.uvrun import workflow_names

    found: dict[str, set[str]] = {}
    for name in workflow_names(project):
        text = project.read_text(project.root / name) or ""
        lines = text.splitlines()
        for dockerfile, target in (*_run_targets(lines), *_action_targets(lines)):
            found.setdefault(_normal(dockerfile), set()).add(target.lower())
    return {path: frozenset(targets) for path, targets in found.items()}


def _normal(path: str) -> str:
    path = posixpath.normpath(path)
    return path[2:] if path.startswith("./") else path


def _run_targets(lines: list[str]) -> list[tuple[str, str]]:
    found = []
    for line in lines:
        if "--target" not in line or "docker" not in line:
            continue
        shell = _STEP_KEY.sub("", line, count=1).split(" #", 1)[0]
        try:
            words = shlex.split(shell)
        except ValueError:
            continue
        for index, word in enumerate(words):
            rest = words[index + 1 :]
            if word.rsplit("/", 1)[-1] != "docker" or not rest:
                continue
            if rest[0] == "buildx":
                rest = rest[1:]
            if rest[:1] == ["build"]:
                found.extend(_build(rest[1:]))
    return found


def _build(args: list[str]) -> list[tuple[str, str]]:
    target = file = None
    context = "."
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in ("&&", "||", ";", "|"):
            break
        key, sep, value = arg.partition("=")
        if sep and key in ("--target", "--file"):
            target, file = (value, file) if key == "--target" else (target, value)
        elif arg in _VALUED and index + 1 < len(args):
            value = args[index + 1]
            if arg == "--target":
                target = value
            elif arg in ("-f", "--file"):
                file = value
            index += 1
        elif not arg.startswith("-"):
            context = arg
        index += 1
    if target is None or "$" in target:
        return []
    return [(file or posixpath.join(context, "Dockerfile"), target)]


def _action_targets(lines: list[str]) -> list[tuple[str, str]]:
    found = []
    for index, line in enumerate(lines):
        match = _USES.match(line)
        if match is None:
            continue
        indent = len(match.group(1))
        values: dict[str, str] = {}
        for following in lines[index + 1 :]:
            stripped = following.lstrip()
            if not stripped or stripped.startswith("#"):
                continue
            depth = len(following) - len(stripped)
            if depth < indent or (depth == indent and stripped.startswith("-")):
                break  # the next step (or the end of the steps)
            key = _WITH_KEY.match(following)
            if key is not None:
                values.setdefault(key.group(1), key.group(2))
        target = values.get("target")
        if target is None or "$" in target:
            continue
        context = values.get("context", ".")
        found.append((values.get("file") or posixpath.join(context, "Dockerfile"), target))
    return found
