"""The base class of Dockerfile rules, with graded hooks: file, stage, instruction."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from mlops_hooks.rule import Rule

if TYPE_CHECKING:
    from mlops_hooks.checkers.dockerfile.model import DockerfileModel, Instruction, Stage


class DockerfileRule(Rule):
    """A Dockerfile rule overrides the hooks it needs; the checker calls only those."""

    kind: ClassVar[str] = "dockerfile"

    def check_file(self, model: DockerfileModel) -> None:
        """Called once per file."""

    def check_stage(self, stage: Stage) -> None:
        """Called once per build stage, in order."""

    def check_instruction(self, instruction: Instruction) -> None:
        """Called once per instruction, in order."""
