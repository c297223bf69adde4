"""Which Dockerfile stages the root's workflows build as targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_hooks.project.citargets import ci_target_stages
from tests.project.conftest import project_of

STEPS = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
ACTION = "      - uses: docker/build-push-action@v6\n        with:\n"


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        (
            "      - run: docker build --target test -t app:test .\n",
            {"Dockerfile": {"test"}},
        ),
        (
            "      - run: |\n          docker buildx build --target=Serve -f docker/app.Dockerfile"
            " --push . && echo done\n",
            {"docker/app.Dockerfile": {"serve"}},
        ),
        (
            ACTION + "          context: ./api\n          target: runtime\n          push: true\n"
            "      - run: echo next\n        env:\n          target: other\n",
            {"api/Dockerfile": {"runtime"}},
        ),
        (
            ACTION + "          file: ./Containerfile\n          target: 'worker'\n",
            {"Containerfile": {"worker"}},
        ),
        # No target, a target from an expression, a command that is not docker build.
        ("      - run: docker build -t app .\n", {}),
        (ACTION + "          target: ${{ matrix.stage }}\n", {}),
        ("      - run: echo --target test docker\n", {}),
        ("      - run: docker build --target 'unclosed\n", {}),
    ],
)
def test_ci_target_stages(tmp_path: Path, steps: str, expected: dict[str, set[str]]) -> None:
    project = project_of(tmp_path, {".github/workflows/ci.yml": STEPS + steps})
    assert ci_target_stages(project) == {k: frozenset(v) for k, v in expected.items()}


def test_no_workflows(tmp_path: Path) -> None:
    assert ci_target_stages(project_of(tmp_path, {"Dockerfile": "FROM scratch\n"})) == {}
