"""Helpers for the project-facts tests: a project written into ``tmp_path``."""

from __future__ import annotations

from pathlib import Path

from mlops_hooks.project import Project


def project_of(root: Path, files: dict[str, str]) -> Project:
    """A :class:`Project` at ``root`` after writing ``files`` (relative path -> text)."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Project(root)
