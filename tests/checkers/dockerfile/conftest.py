"""Helpers for the Dockerfile model's tests (rule tests use the suite's ``lint`` fixture)."""

from __future__ import annotations

from mlops_hooks.checkers.dockerfile.model import DockerfileModel, parse
from mlops_hooks.source import SourceFile


def model_of(text: str) -> DockerfileModel:
    """Parse ``text`` as a Dockerfile."""
    return parse(SourceFile("Dockerfile", text))
