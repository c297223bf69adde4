"""DKR001: the project source arrives before the dependency install."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.dockerfile.base import DockerfileRule
from mlops_hooks.checkers.dockerfile.copies import (
    SourcePathsOptions,
    build_copies,
    project_source_paths,
    source_copy,
    source_mount,
    unused_build_copy,
)
from mlops_hooks.checkers.dockerfile.installs import installs
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.dockerfile.model import DockerfileModel, Instruction, Stage
    from mlops_hooks.diagnostics import Span

UV_IMAGE = "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nWORKDIR /app\n"
MESSAGE = (
    "the project source is copied before the dependencies are installed (line {line}), so every"
    " source edit reinstalls every dependency; install them first from the lock file and"
    " manifest alone (e.g. `uv sync --locked --no-install-project`), then copy the source"
)
MOUNT_MESSAGE = (
    "`{action}` bind-mounts the whole project source, so every source edit reinstalls every"
    " dependency; mount only `uv.lock` and `pyproject.toml` for a dependency install"
    " (`uv sync --locked --no-install-project`), then copy the source"
)


class DependenciesAfterSource(DockerfileRule):
    """The project source is copied into a stage before its dependencies are installed.

    ## What it does
    In a stage that installs Python dependencies (`uv sync`, `uv pip install -r`, `uv pip sync`,
    `pip install -r`, `pip install .`, `poetry install`, `pipenv install`, `pdm install`), it
    reports the first `COPY`/`ADD` of source that comes before the first dependency install,
    counting the stages the stage is built `FROM`. Source is anything that changes with the
    code: the whole build context (`.`), `src`, a path in `source-paths`, the project's
    source paths read from `pyproject.toml` (its packages, and those of uv workspace
    members), a Python module or notebook (`app.py`, `*.py`), or any directory (code, assets,
    models). What the build needs before the install is not source: manifests, locks and
    build configuration (`pyproject.toml`, `uv.lock`, `requirements*.txt`/`.in`,
    `constraints.txt`, `setup.py`, `setup.cfg`, `Pipfile`, `poetry.lock`, `.python-version`,
    `uv.toml`, the `README` and `LICENSE` a manifest names), a `requirements/` directory, built
    wheels (`dist/`, `wheels/`), a directory that a later `RUN` up to the install names (a
    local package the install reads, setup scripts it runs), and other single files such as
    an `entrypoint.sh` or a configuration file (rarely edited, so the cache rarely breaks).
    Before the install of a built wheel only `.`, `src` and the source paths count: the wheel
    changes with every edit anyway. A dependency install that bind-mounts the whole build
    context is reported too. The lock file and manifest may arrive by `COPY` or by
    `RUN --mount=type=bind,source=uv.lock,...`; neither is source.

    ## Why is this bad?
    Docker reuses a layer only while everything before it is unchanged. With the source copied
    first, every edit to any file invalidates the dependency layer, and every build downloads
    and installs every dependency again.

    ## Options
    `source-paths`: the directories of the build context that hold the project source.

    ## What changed
    Since 0.2.0 (field trial M1, M2): a single-file app (`COPY main.py .` before
    `pip install -r requirements.txt`), code and asset directories, and the source paths the
    project's `pyproject.toml` declares are source too, not only `.`, `src` and
    `source-paths`. Since 0.2.0 (fourth held-out check, H7) a manifest or lock file that
    lies in a source directory (`COPY src/api/requirements.txt .`) is what the build reads
    before the install, not source.
    """

    code = "DKR001"
    name = "dependencies-after-source"

    Options = SourcePathsOptions

    examples = (
        Good(
            UV_IMAGE + "RUN --mount=type=cache,target=/root/.cache/uv \\\n"
            "    --mount=type=bind,source=uv.lock,target=uv.lock \\\n"
            "    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\\n"
            "    uv sync --locked --no-install-project\n"
            "COPY . /app\n"
            "RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked\n"
        ),
        Good(
            "# escape=`\nFROM ghcr.io/astral-sh/uv:python3.12-trixie-slim\nENV UV_NO_DEV=1\n"
            "COPY pyproject.toml uv.lock ./\n"
            "RUN --mount=type=cache,target=/root/.cache/uv `\n"
            "    uv sync --frozen --no-install-project\n"
            "COPY src src\nRUN uv sync --frozen\n"
        ),
        Good(
            "ARG PYTHON=3.12\nFROM python:${PYTHON}-slim AS deps\n"
            "COPY requirements.txt .\nRUN pip install -r requirements.txt\n"
            "FROM deps AS app\nCOPY . /app\nRUN <<EOF\ncd /app\npip install --no-deps .\nEOF\n"
        ),
        # The manifests, the README the manifest names and a setup script are build inputs.
        Good(
            "FROM python:3.12-slim\nWORKDIR /app\n"
            "COPY pyproject.toml requirements.txt README.md LICENSE ./\n"
            "COPY docker/entrypoint.sh /entrypoint.sh\n"
            "RUN pip install --no-cache-dir -r requirements.txt\n"
            "COPY main.py .\nCOPY assets ./assets\n"
            'ENTRYPOINT ["/entrypoint.sh"]\n'
        ),
        Bad(
            UV_IMAGE + "COPY . .\nRUN uv sync --locked\n",
            span=(3, 1, 3, 9),
            message=MESSAGE.format(line=4),
        ),
        Bad(
            "FROM python:3.12\nCOPY src/ /app/src/\nCOPY requirements.txt /app/\n"
            "RUN cd /app && \\\n    pip install -r requirements.txt\n",
            span=(2, 1, 2, 20),
        ),
        Bad(
            "FROM ghcr.io/astral-sh/uv:0.9.0 AS uv\nFROM python:3.12-slim AS source\n"
            "COPY --from=uv /uv /bin/uv\nADD . /app\n"
            "FROM source AS build\nRUN <<EOF\nset -e\nuv sync --locked --project /app\nEOF\n",
            span=(4, 1, 4, 11),
            message=MESSAGE.format(line=6),
        ),
        # A single-file app copied before the install it does not need.
        Bad(
            "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nCOPY main.py .\n"
            "RUN pip install --no-cache-dir -r requirements.txt\n"
            'CMD ["python", "main.py"]\n',
            span=(4, 1, 4, 15),
            message=MESSAGE.format(line=5),
        ),
        # An asset directory is source too.
        Bad(
            UV_IMAGE + "COPY assets ./assets\nCOPY pyproject.toml uv.lock ./\n"
            "RUN uv sync --locked --no-install-project\n",
            span=(3, 1, 3, 21),
        ),
        Bad(
            UV_IMAGE + "RUN --mount=type=bind,target=/app,rw uv sync --locked\n",
            span=(3, 5, 3, 37),
            message=MOUNT_MESSAGE.format(action="uv sync"),
        ),
    )

    def check_file(self, model: DockerfileModel) -> None:
        reported: set[tuple[int, int]] = set()
        for stage in model.stages:
            found = self._source_before_install(stage)
            if found is not None and found[0].as_tuple()[:2] not in reported:
                reported.add(found[0].as_tuple()[:2])
                self.report(*found)

    def _source_before_install(self, stage: Stage) -> tuple[Span, str] | None:
        source_paths = (
            *self.options.source_paths,
            *project_source_paths(self.project, self.source.relpath),
        )
        # The project source proper (`.`, `src`), and the other code or directories copied.
        first_source: Instruction | None = None
        copied: list[tuple[Instruction, list[str]]] = []
        runs: list[Instruction] = []
        for ancestor in stage.lineage:
            for instruction in ancestor.instructions[1:]:
                if first_source is None and source_copy(instruction, source_paths):
                    first_source = instruction
                paths = build_copies(instruction)
                if paths:
                    copied.append((instruction, paths))
                if instruction.cmd == "RUN":
                    runs.append(instruction)
                install = next((i for i in installs(instruction) if i.dependencies), None)
                if install is None:
                    continue
                found = first_source
                if not (install.wheel and not install.project):
                    # A wheel changes with every edit anyway: only the source proper counts.
                    found = _earliest(found, unused_build_copy(copied, runs))
                if found is not None:
                    return found.span, MESSAGE.format(line=instruction.start_line)
                mount = source_mount(instruction, source_paths)
                if mount is not None:
                    span = instruction.word_span(mount)
                    return span, MOUNT_MESSAGE.format(action=install.action)
                return None
        return None


def _earliest(a: Instruction | None, b: Instruction | None) -> Instruction | None:
    if a is None or b is None:
        return a or b
    return a if a.start_line <= b.start_line else b
