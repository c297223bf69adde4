"""DKR001 dependencies-after-source and DKR003 source-in-runtime-image: the tricky cases."""

from __future__ import annotations

import pytest

from mlops_hooks.testing import Lint, project

UV = "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n"


@pytest.mark.parametrize(
    "install",
    [
        "cd /app && uv sync --locked",
        "uv pip install --system -r requirements.txt",
        "pip install .",
        "poetry install --no-interaction",
        "pipenv install --deploy",
        '["uv", "sync", "--locked"]',
        "sh -c 'set -e; uv sync --frozen'",
        "uv pip install --no-deps dist/*.whl && uv pip install -r requirements.txt",
    ],
)
def test_dependency_installs_after_the_source(lint: Lint, install: str) -> None:
    diagnostics = lint(UV + "WORKDIR /app\nCOPY ./ /app/\nRUN " + install + "\n", "DKR001")
    assert project(diagnostics, "code", "span") == [("DKR001", (3, 1, 3, 14))]
    assert "(line 4)" in diagnostics[0].message


@pytest.mark.parametrize(
    "install",
    [
        "uv pip install --system gunicorn",  # a named package: no manifest involved
        "pip install --no-deps .",  # the project alone; its dependencies came earlier
        "uv build --wheel",
        "python3 <<EOF\nimport subprocess  # pip install -r requirements.txt\nEOF",
    ],
)
def test_installs_that_do_not_reinstall_dependencies(lint: Lint, install: str) -> None:
    assert lint(UV + "COPY . /app\nRUN " + install + "\n", "DKR001") == []


def test_bind_mounts_of_other_stages_or_single_files_are_not_source(lint: Lint) -> None:
    text = (
        UV + "RUN --mount=type=bind,from=build,target=/dist \\\n"
        "    --mount=type=bind,source=requirements.txt,target=/r.txt \\\n"
        "    uv pip install --system -r /r.txt /dist/app.whl\n"
    )
    assert lint(text, "DKR001") == []


def test_only_the_first_source_copy_and_only_once_across_stages(lint: Lint) -> None:
    text = (
        UV + "AS src\nCOPY src /app/src\nCOPY tests /app/tests\n"
        "FROM src AS a\nRUN uv sync --locked\nFROM src AS b\nRUN uv sync --locked\n"
    ).replace("\nAS src", " AS src")
    assert project(lint(text, "DKR001"), "code", "span") == [("DKR001", (2, 1, 2, 18))]


def test_lock_files_by_copy_or_bind_mount_are_not_source(lint: Lint) -> None:
    text = (
        UV + "COPY pyproject.toml uv.lock README.md /app/\nCOPY --from=ghcr.io/x/y:1 /a /a\n"
        "COPY <<EOF /app/.env\nA=1\nEOF\nADD https://example.com/x.tar.gz /x\n"
        "RUN --mount=type=bind,source=uv.lock,target=uv.lock \\\n"
        "    uv sync --locked --no-install-project\n"
        "COPY . /app\nRUN uv sync --locked\n"
    )
    assert lint(text, "DKR001") == []


def test_source_paths_option(lint: Lint) -> None:
    text = UV + "COPY bikes/ /app/bikes/\nRUN uv sync --locked\n"
    assert lint(text, "DKR001") == []
    options = {"DKR001": {"source-paths": ["bikes"]}}
    assert project(lint(text, "DKR001", options), "code", "span") == [("DKR001", (2, 1, 2, 24))]


def test_source_bind_mount_of_the_whole_context(lint: Lint) -> None:
    text = (
        UV + "RUN --mount=type=cache,target=/root/.cache/uv \\\n"
        "    --mount=type=bind,source=.,target=/src \\\n"
        "    uv pip install --system /src\n"
    )
    diagnostics = lint(text, "DKR001")
    assert project(diagnostics, "code", "span") == [("DKR001", (3, 5, 3, 43))]
    assert diagnostics[0].message.startswith(
        "`uv pip install` bind-mounts the whole project source"
    )


def test_runtime_stage_that_inherits_the_source(lint: Lint) -> None:
    text = (
        UV
        + "WORKDIR /app\nCOPY . .\nFROM "
        + "ghcr.io/astral-sh/uv:python3.12-bookworm-slim AS x\n"
    )
    assert lint(text, "DKR003") == []  # the final stage is a fresh image
    text = (
        "FROM python:3.12-slim AS base\nCOPY . /app\n"
        "FROM base AS runtime\nRUN pip install --no-cache-dir /app\n"
    )
    diagnostics = lint(text, "DKR003")
    assert project(diagnostics, "code", "span") == [("DKR003", (3, 6, 3, 10))]
    assert diagnostics[0].message.startswith(
        "the final stage builds on stage `base`, which holds the project source, and installs"
        " it with `pip install`, so"
    )


@pytest.mark.parametrize(
    ("prelude", "install", "editable"),
    [
        ("", "uv sync --locked", True),
        ("", "uv sync --locked --no-editable", False),
        ("ENV UV_NO_EDITABLE=1\n", "uv sync --locked", False),
        ("", "poetry install --only main", True),
        ("", "uv pip install --system -e .", True),
    ],
)
def test_single_stage_source_builds(lint: Lint, prelude: str, install: str, editable: bool) -> None:
    diagnostics = lint(UV + prelude + "COPY . /app\nRUN " + install + "\n", "DKR003")
    line = 3 if prelude else 2
    assert project(diagnostics, "code", "span") == [("DKR003", (line, 1, line, 12))]
    assert ("(editable)" in diagnostics[0].message) is editable


@pytest.mark.parametrize(
    "text",
    [
        UV + "COPY dist/*.whl /tmp/\nRUN uv pip install --system /tmp/*.whl\n",
        UV + "COPY --from=builder /dist/*.whl /tmp/\nRUN uv pip install --system /tmp/*.whl\n",
        UV
        + 'COPY . /app\nRUN uv sync --locked --no-install-project\nCMD ["python", "-m", "app"]\n',
        UV + "RUN uv sync --locked\nCOPY . /app\n",  # installed before the copy: not from it
    ],
)
def test_runtime_images_without_a_source_build(lint: Lint, text: str) -> None:
    assert lint(text, "DKR003") == []
