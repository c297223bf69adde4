"""Where the project source enters a stage: ``COPY``/``ADD`` of the build context, or a
``RUN --mount=type=bind`` of it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mlops_hooks.rule import option, options

if TYPE_CHECKING:
    from mlops_hooks.checkers.dockerfile.model import Instruction
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


def is_source_path(path: str, source_paths: Sequence[str]) -> bool:
    """Whether a build-context path is (or contains, or lies in) the project source."""
    path = _normalise(path)
    if path in ("", ".", "*"):
        return True
    for source in source_paths:
        source = _normalise(source)
        if source in ("", ".") or path == source or path.startswith(source + "/"):
            return True
    return False


def source_copy(instruction: Instruction, source_paths: Sequence[str]) -> str | None:
    """The first project-source argument of a ``COPY``/``ADD`` from the build context."""
    if instruction.cmd not in ("COPY", "ADD") or instruction.flag_values("from"):
        return None
    if any(arg.startswith("<<") for arg in instruction.args):
        return None  # a heredoc: inline content, not the build context
    for arg in instruction.sources():
        if "://" in arg or arg.startswith("git@"):
            continue
        if is_source_path(arg, source_paths):
            return arg
    return None


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
