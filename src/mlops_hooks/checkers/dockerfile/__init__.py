"""Dockerfile checker: BuildKit's own parser (the ``dockerfile`` package), stage-aware rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from mlops_hooks.checkers import Checker, Level
from mlops_hooks.checkers.dockerfile.base import DockerfileRule
from mlops_hooks.comments import dockerfile_anchors

if TYPE_CHECKING:
    from mlops_hooks.checkers.dockerfile.model import DockerfileModel
    from mlops_hooks.project import Project
    from mlops_hooks.rule import Rule
    from mlops_hooks.source import SourceFile


#: Suffixes of files named like a Dockerfile that are documentation, templates or leftovers.
NOT_DOCKERFILE = (
    ".dockerignore", ".md", ".txt", ".rst", ".adoc", ".html", ".j2", ".jinja", ".jinja2",
    ".tmpl", ".bak", ".orig", ".swp",
)  # fmt: skip


def is_dockerfile(name: str) -> bool:
    """``Dockerfile``, ``Dockerfile.*``, ``*.Dockerfile``, ``*.dockerfile``, ``Containerfile``;
    not ``Dockerfile.md`` and other documentation or template files."""
    lower = name.lower()
    if lower.endswith(NOT_DOCKERFILE):
        return False
    return (
        lower in ("dockerfile", "containerfile")
        or lower.startswith(("dockerfile.", "containerfile."))
        or lower.endswith((".dockerfile", ".containerfile"))
    )


class DockerfileChecker(Checker):
    """Parses each Dockerfile once and runs the Dockerfile rules on its stages."""

    kind: ClassVar[str] = "dockerfile"
    title: ClassVar[str] = "Dockerfile"
    description: ClassVar[str] = "Dockerfiles and Containerfiles"
    files: ClassVar[str] = "`Dockerfile`, `Dockerfile.*`, `*.dockerfile`, `Containerfile`"
    example_path: ClassVar[str] = "Dockerfile"
    fence: ClassVar[str] = "dockerfile"
    rule_base: ClassVar[type] = DockerfileRule
    fork_unsafe_parser: ClassVar[str | None] = "dockerfile"
    levels: ClassVar[tuple[Level, ...]] = (
        Level("check_file"),
        Level("check_stage", "stages"),
        Level("check_instruction", "instructions"),
    )
    hook_id: ClassVar[str] = "mlops-dockerfile"
    # identify has no tag for *.dockerfile or Containerfile: match names, case-insensitively.
    hook_files: ClassVar[str] = (
        r"(^|/)(?i:dockerfile|containerfile)(\.[^/]*)?$|\.(?i:dockerfile|containerfile)$"
    )
    #: Whether the build context is uv-locked, which images Compose builds as tooling,
    #: and where the project source lives (DKR001, DKR003 read ``pyproject.toml``).
    facts: ClassVar[tuple[str, ...]] = (
        "locks", "compose", "pyproject", "docker-runs", "ci-targets",
    )  # fmt: skip

    def matches(self, relpath: str) -> bool:
        return is_dockerfile(relpath.rsplit("/", 1)[-1])

    def parse(self, source: SourceFile, project: Project, rules: Sequence[Rule]) -> DockerfileModel:
        from mlops_hooks.checkers.dockerfile.model import parse

        return parse(source)

    def suppression_anchors(self, source: SourceFile) -> dict[int, int]:
        # A heredoc's body is a script or a file: its lines are covered from the instruction.
        return dockerfile_anchors(source)


CHECKER = DockerfileChecker()
