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
    # Any directory copied before the install is source to DKR001 (field trial M2) ...
    assert project(lint(text, "DKR001"), "code", "span") == [("DKR001", (2, 1, 2, 24))]
    # ... but the project source DKR003 keeps out of the runtime image is `source-paths`.
    assert lint(text, "DKR003", files=PACKAGE) == []
    options = {"DKR003": {"source-paths": ["bikes"]}}
    found = lint(text, "DKR003", options, files=PACKAGE)
    assert project(found, "code", "span") == [("DKR003", (2, 1, 2, 24))]


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
    text = UV + prelude + "COPY . /app\nRUN " + install + "\n"
    diagnostics = lint(text, "DKR003", files=PACKAGE)
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


# ------------------------------------------------ DKR001: what counts as source (issue 16)


@pytest.mark.parametrize(
    ("copy", "span"),
    [
        ("COPY app.py requirements.txt ./", (2, 1, 2, 32)),  # a single-file app beside the manifest
        ("COPY *.py ./", (2, 1, 2, 13)),
        ("COPY notebooks/ ./notebooks/", (2, 1, 2, 29)),  # a directory: code or assets
        ("COPY services/api/src/ ./src/", (2, 1, 2, 30)),  # a nested source tree
        ("ADD models /app/models", (2, 1, 2, 23)),
    ],
)
def test_code_and_directories_before_the_install_are_source(
    lint: Lint, copy: str, span: tuple[int, int, int, int]
) -> None:
    text = "FROM python:3.12-slim\n" + copy + "\nRUN pip install -r requirements.txt\n"
    diagnostics = lint(text, "DKR001")
    assert project(diagnostics, "code", "span") == [("DKR001", span)]
    assert "(line 3)" in diagnostics[0].message


@pytest.mark.parametrize(
    "copy",
    [
        # manifests, locks and build configuration
        "COPY pyproject.toml uv.lock README.md LICENSE .python-version uv.toml ./",
        "COPY requirements.txt requirements-dev.txt constraints.txt ./",
        "COPY requirements_backend.txt dev-requirements.in ./",
        "COPY setup.py setup.cfg MANIFEST.in Pipfile Pipfile.lock poetry.lock ./",
        "COPY requirements/ ./requirements/",
        "COPY ./*.lock ./requirements.in* ./",
        # built artifacts, scripts and configuration files (rarely edited)
        "COPY dist/ /dist/",
        "COPY wheels /wheels",
        "COPY entrypoint.sh config.yaml .env /app/",
        "COPY .streamlit .streamlit",
        "COPY Makefile ./",
        # inline content, remote files, other stages and images
        "COPY <<EOF /app/app.py\nprint(1)\nEOF",
        "ADD https://example.com/tool.py /tool.py",
        "COPY --from=build /app/main.py /app/",
    ],
)
def test_files_the_build_needs_before_the_install_are_not_source(lint: Lint, copy: str) -> None:
    text = "FROM python:3.12-slim\n" + copy + "\nRUN pip install -r requirements.txt\n"
    assert lint(text, "DKR001") == []


def test_a_copied_directory_that_the_build_uses_is_not_source(lint: Lint) -> None:
    # A local package the install reads, and a directory of setup scripts a RUN executes.
    text = (
        "FROM python:3.12-slim\nCOPY contracts/ /contracts/\nCOPY docker/setup /opt/setup\n"
        "RUN /opt/setup/apt.sh\nCOPY pyproject.toml ./\n"
        "RUN pip install /contracts && pip install -r requirements.txt\n"
        "COPY src ./src\n"
    )
    assert lint(text, "DKR001") == []


def test_a_directory_named_only_before_its_copy_is_still_source(lint: Lint) -> None:
    text = (
        "FROM python:3.12-slim\nRUN mkdir /app/assets\nCOPY assets /app/assets\n"
        "RUN pip install -r requirements.txt\n"
    )
    assert project(lint(text, "DKR001"), "code", "span") == [("DKR001", (3, 1, 3, 24))]


def test_only_the_source_proper_counts_before_a_wheel_install(lint: Lint) -> None:
    # A wheel changes with every edit: configuration copied before it costs nothing more.
    wheel = "RUN pip install dist/*.whl\n"
    text = "FROM python:3.12-slim\nCOPY dist/*.whl dist/\nCOPY confs ./confs\n" + wheel
    assert lint(text, "DKR001") == []
    text = "FROM python:3.12-slim\nCOPY dist/*.whl dist/\nCOPY . /app\n" + wheel
    assert project(lint(text, "DKR001"), "code", "span") == [("DKR001", (3, 1, 3, 12))]


def test_inferred_source_paths_of_a_nested_dockerfile(lint: Lint) -> None:
    # The workspace member's package, as a context of `.` and as its own directory sees it.
    files = {
        "pyproject.toml": '[tool.uv.workspace]\nmembers = ["api"]\n',
        "api/pyproject.toml": '[project]\nname = "api-service"\nversion = "1"\n' + BUILD,
        "api/src/api_service/__init__.py": "",
        "api/Dockerfile": UV + "COPY src/api_service/ /app/\nRUN uv sync --locked\n",
        "Dockerfile": UV + "COPY api/src/api_service/ /app/\nRUN uv sync --locked\n",
    }
    found = lint(files, "DKR003")
    assert project(found, "code", "path", "span") == [
        ("DKR003", "Dockerfile", (2, 1, 2, 32)),
        ("DKR003", "api/Dockerfile", (2, 1, 2, 28)),
    ]


# ------------------------------------------------ DKR003: editable environment plus source

BUILD = '[build-system]\nrequires = ["hatchling"]\n'
PACKAGE = {"pyproject.toml": '[project]\nname = "app"\n' + BUILD}
BUILDER = (
    "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim AS builder\nWORKDIR /app\n"
    "COPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-install-project\n"
    "COPY src ./src\nRUN uv sync --locked{flags}\n"
    "FROM python:3.12-slim AS runtime\nWORKDIR /app\n"
)


@pytest.mark.parametrize(
    ("copies", "span"),
    [
        # the tree copied from the builder, before or after the environment
        (
            "COPY --from=builder /app/src ./src\nCOPY --from=builder /app/.venv .venv\n",
            (9, 1, 9, 35),
        ),
        # one copy of the project directory carries both
        ("COPY --from=builder /app /app\n", (9, 1, 9, 30)),
        # the environment from the builder, the tree from the build context
        ("COPY --from=builder /app/.venv /app/.venv\nCOPY src /app/src\n", (10, 1, 10, 18)),
    ],
)
def test_editable_environment_with_its_source(
    lint: Lint, copies: str, span: tuple[int, int, int, int]
) -> None:
    found = lint({"Dockerfile": BUILDER.format(flags="") + copies, **PACKAGE}, "DKR003")
    assert project(found, "code", "span") == [("DKR003", span)]
    assert found[0].message.startswith(
        "the final stage copies the environment of stage `builder` ("
    )
    assert "), where `uv sync` installs the project editable" in found[0].message


@pytest.mark.parametrize(
    ("flags", "copies"),
    [
        # non-editable: the environment holds the built package
        (
            " --no-editable",
            "COPY --from=builder /app/.venv .venv\nCOPY --from=builder /app/src src\n",
        ),
        # the environment alone (no source tree), or the source of another stage
        ("", "COPY --from=builder /app/.venv .venv\n"),
        ("", "COPY --from=builder /app/.venv .venv\nCOPY --from=builder /app/conf conf\n"),
        ("", "COPY --from=builder /app/src src\n"),
    ],
)
def test_runtime_stage_without_an_editable_environment_and_its_source(
    lint: Lint, flags: str, copies: str
) -> None:
    assert lint({"Dockerfile": BUILDER.format(flags=flags) + copies, **PACKAGE}, "DKR003") == []


def test_source_paths_of_a_sub_project_built_from_the_top_level(lint: Lint) -> None:
    # backend/ is its own project (its pyproject.toml); compose builds it with a context of
    # the repository's top level, so its package is `backend/app` to the Dockerfile.
    files = {
        ".git/HEAD": "ref: refs/heads/main\n",
        "backend/pyproject.toml": '[project]\nname = "app"\nversion = "1"\n' + BUILD,
        "backend/app/__init__.py": "",
        "backend/Dockerfile": UV + "COPY ./backend/app /app/backend/app\nRUN uv sync --frozen\n",
    }
    found = lint(files, "DKR003")
    assert project(found, "code", "path", "span") == [
        ("DKR003", "backend/Dockerfile", (2, 1, 2, 36))
    ]


@pytest.mark.parametrize(
    ("pyproject", "reported"),
    [
        ('[project]\nname = "app"\n[build-system]\nrequires = ["hatchling"]\n', True),
        ('[project]\nname = "app"\n[tool.uv]\npackage = true\n', True),
        # not a package: `uv sync` installs the dependencies only, the app runs from its files
        ('[project]\nname = "app"\n', False),
        (
            '[project]\nname = "app"\n[tool.uv]\npackage = false\n[build-system]\nrequires = []\n',
            False,
        ),
    ],
)
def test_editable_environment_only_of_a_package(lint: Lint, pyproject: str, reported: bool) -> None:
    text = BUILDER.format(flags="") + "COPY --from=builder /app /app\n"
    found = lint({"Dockerfile": text, "pyproject.toml": pyproject}, "DKR003")
    assert [d.span.as_tuple() for d in found] == ([(9, 1, 9, 30)] if reported else [])


def test_environment_inside_a_copied_context_is_not_the_source_tree(lint: Lint) -> None:
    builder = (
        "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim AS builder\nWORKDIR /app\n"
        "COPY . .\nRUN uv sync --locked\nFROM python:3.12-slim\n"
    )
    venv = "COPY --from=builder /app/.venv /app/.venv\n"
    assert lint({"Dockerfile": builder + venv, **PACKAGE}, "DKR003") == []
    # UV_PROJECT_ENVIRONMENT moves the environment out of the tree; `/app` then is the tree.
    moved = builder.replace("WORKDIR /app\n", "WORKDIR /app\nENV UV_PROJECT_ENVIRONMENT=/opt/env\n")
    text = moved + "COPY --from=builder /opt/env /opt/env\nCOPY --from=builder /app /app\n"
    found = lint({"Dockerfile": text, **PACKAGE}, "DKR003")
    assert project(found, "code", "span") == [("DKR003", (8, 1, 8, 30))]
    assert "(`/opt/env`)" in found[0].message


# ------------------------------------------------ DKR003: a copy of a directory above the source


@pytest.mark.parametrize(
    ("copy", "span"),
    [
        ("COPY backend backend", (2, 1, 2, 21)),
        ("COPY ./backend/ /app/backend/", (2, 1, 2, 30)),
        ("COPY README.md backend /app/", (2, 1, 2, 29)),
    ],
)
def test_a_copy_of_a_directory_holding_the_source(
    lint: Lint, copy: str, span: tuple[int, int, int, int]
) -> None:
    # The member's package is `backend/app`; its parent directory carries it.
    files = {
        "pyproject.toml": '[tool.uv.workspace]\nmembers = ["backend"]\n',
        "backend/pyproject.toml": '[project]\nname = "app"\nversion = "1"\n',
        "backend/app/__init__.py": "",
        "Dockerfile": UV + copy + "\nRUN uv sync --locked --package app\n",
    }
    found = lint(files, "DKR003")
    assert project(found, "code", "path", "span") == [("DKR003", "Dockerfile", span)]


@pytest.mark.parametrize("copy", ["COPY backend/tests backend/tests", "COPY backendx backendx"])
def test_a_copy_beside_the_source_is_not_source(lint: Lint, copy: str) -> None:
    files = {
        "pyproject.toml": '[tool.uv.workspace]\nmembers = ["backend"]\n',
        "backend/pyproject.toml": '[project]\nname = "app"\nversion = "1"\n',
        "backend/app/__init__.py": "",
        "Dockerfile": UV + copy + "\nRUN uv sync --locked --package app\n",
    }
    assert lint(files, "DKR003") == []


def test_a_configured_source_path_below_the_copied_directory(lint: Lint) -> None:
    text = UV + "COPY src/ /app/src/\nRUN uv sync --locked\n"
    options = {"DKR003": {"source-paths": ["src/app"]}}
    found = lint(text, "DKR003", options, files=PACKAGE)
    assert project(found, "code", "span") == [("DKR003", (2, 1, 2, 20))]


@pytest.mark.parametrize(
    ("pyproject", "install", "reported"),
    [
        ('[project]\nname = "app"\n[build-system]\nrequires = ["hatchling"]\n', "", True),
        ('[project]\nname = "app"\n[tool.uv]\npackage = true\n', "", True),
        # not a package: `uv sync` installs the dependencies only, the app runs from its files
        ('[project]\nname = "app"\n', "", False),
        ('[project]\nname = "app"\n[tool.uv]\npackage = false\n[build-system]\n', "", False),
        # ... but a workspace member it names is installed
        ('[project]\nname = "app"\n', " --package worker", True),
        ('[project]\nname = "app"\n', " --all-packages", True),
        # a virtual workspace root: `uv sync` installs its members
        ('[tool.uv.workspace]\nmembers = ["worker"]\n', "", True),
    ],
)
def test_single_stage_uv_sync_only_of_a_package(
    lint: Lint, pyproject: str, install: str, reported: bool
) -> None:
    text = UV + "WORKDIR /app\nCOPY . .\nRUN uv sync --locked" + install + "\n"
    found = lint({"Dockerfile": text, "pyproject.toml": pyproject}, "DKR003")
    assert project(found, "code", "span") == ([("DKR003", (3, 1, 3, 9))] if reported else [])
    # pip builds a project without a build system with setuptools: still its source.
    text = UV + "WORKDIR /app\nCOPY . .\nRUN uv pip install --system .\n"
    found = lint({"Dockerfile": text, "pyproject.toml": pyproject}, "DKR003")
    assert project(found, "code", "span") == [("DKR003", (3, 1, 3, 9))]
