"""Compose services that build an image and bind-mount the project: tooling images."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.project.conftest import project_of

SERVE = "services:\n  docs:\n    build: .\n    volumes:\n      - .:/workspace\n"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"compose.yaml": SERVE}, {"Dockerfile"}),
        # The long volume form, and a build mapping naming the Dockerfile.
        (
            {
                "docker-compose.yml": "services:\n  fmt:\n    build:\n      context: tools\n"
                "      dockerfile: fmt.Dockerfile\n    volumes:\n"
                "      - {type: bind, source: ., target: /src}\n"
            },
            {"tools/fmt.Dockerfile"},
        ),
        # Another service runs the same image without the working tree: a runtime image.
        (
            {"compose.yaml": SERVE + "  api:\n    build: .\n    ports: ['8000:8000']\n"},
            set(),
        ),
        # A named volume, or a subdirectory, is not the project directory.
        ({"compose.yaml": "services:\n  db:\n    build: .\n    volumes: [data:/var/lib]\n"}, set()),
        ({"compose.yaml": "services:\n  w:\n    build: .\n    volumes: ['./data:/data']\n"}, set()),
        # Outside the root, remote, or from the environment: not ours to judge.
        ({"compose.yaml": "services:\n  w:\n    build: ..\n    volumes: ['.:/w']\n"}, set()),
        ({"compose.yaml": "services:\n  w:\n    build: ${CTX}\n    volumes: ['.:/w']\n"}, set()),
        ({"compose.yaml": "services: [\n"}, set()),  # invalid YAML builds nothing
        ({}, set()),
    ],
)
def test_tooling_dockerfiles(tmp_path: Path, files: dict[str, str], expected: set[str]) -> None:
    assert project_of(tmp_path, files).tooling_dockerfiles == frozenset(expected)
