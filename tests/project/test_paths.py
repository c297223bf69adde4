from __future__ import annotations

import pytest

from mlops_hooks.project import Project
from mlops_hooks.project.paths import is_devcontainer, is_template


@pytest.mark.parametrize(
    ("relpath", "expected"),
    [
        ("{{cookiecutter.project_slug}}/Dockerfile", True),
        ("template/{{ project_name }}/justfile", True),
        ("Dockerfile.j2", True),
        ("deploy/Dockerfile.JINJA", True),
        ("justfile.jinja2", True),
        (".github/workflows/ci.yml.tmpl", True),
        ("Dockerfile", False),
        ("docs/{not-a-template}/x.md", False),
        ("src/app.py", False),
        ("Dockerfile.j2x", False),
        ("", False),
    ],
)
def test_is_template(relpath: str, expected: bool) -> None:
    assert is_template(relpath) is expected


@pytest.mark.parametrize(
    ("relpath", "expected"),
    [
        (".devcontainer/Dockerfile", True),
        ("services/api/.devcontainer/Dockerfile", True),
        (".devcontainer", True),
        ("Dockerfile", False),
        ("devcontainer/Dockerfile", False),
        ("docs/.devcontainer.md", False),
    ],
)
def test_is_devcontainer(relpath: str, expected: bool) -> None:
    assert is_devcontainer(relpath) is expected


def test_the_project_answers_for_paths(tmp_path: object) -> None:
    project = Project(tmp_path)  # type: ignore[arg-type]
    assert project.is_template("{{x}}/Dockerfile")
    assert project.is_devcontainer(".devcontainer/Dockerfile")
    assert not project.is_template("Dockerfile")
