"""DKR003: the final stage builds the project from its source tree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.dockerfile.base import DockerfileRule
from mlops_hooks.checkers.dockerfile.copies import (
    SourcePathsOptions,
    project_source_paths,
    source_copy,
)
from mlops_hooks.checkers.dockerfile.environments import (
    carries,
    editable_install,
    environment_of,
    from_stage,
    holds,
)
from mlops_hooks.checkers.dockerfile.installs import installs
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.dockerfile.installs import Install
    from mlops_hooks.checkers.dockerfile.model import DockerfileModel, Instruction, Stage

MESSAGE = (
    "the final stage {what} `{action}`{editable}, so the runtime image carries the source"
    " tree; build the project in a builder stage and copy"
    " only its non-editable `.venv` (`uv sync --locked --no-editable`) or a wheel into the"
    " final stage"
)
EDITABLE_VENV = (
    "the final stage copies the environment of stage `{stage}` (`{venv}`), where `{action}`"
    " installs the project editable, together with the source tree it points to, so the"
    " image runs from the copied source rather than a built package; install with"
    " `--no-editable` (`uv sync --locked --no-editable`) and copy only the environment, or a"
    " wheel, into the final stage"
)
PACKAGE = '[project]\nname = "app"\nversion = "0.1.0"\n[build-system]\nrequires = ["hatchling"]\n'
OWN = "copies the project source and installs it with"
INHERITED = "builds on stage `{parent}`, which holds the project source, and installs it with"
BUILDER = (
    "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim AS builder\nWORKDIR /app\n"
    "ENV UV_NO_DEV=1 UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy\n"
    "RUN --mount=type=cache,target=/root/.cache/uv \\\n"
    "    --mount=type=bind,source=uv.lock,target=uv.lock \\\n"
    "    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\\n"
    "    uv sync --locked --no-install-project --no-editable\n"
    "COPY . /app\n"
    "RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-editable\n"
)


class SourceInRuntimeImage(DockerfileRule):
    """The final stage copies the project source and installs the project from it.

    ## What it does
    Looks at the final stage (and the stages it is built `FROM`): when it copies the project
    source (`.`, `src`, a path in `source-paths`, or a source path read from the project's
    `pyproject.toml`: its packages and those of uv workspace members, relative to the
    project, to the Dockerfile's directory, or to the repository's top level; or a directory
    holding one, such as `backend` for `backend/app`) and then
    installs the project from it (`uv sync` without `--no-install-project`, `pip install .`,
    `pip install -e .`, `uv pip install .`, `poetry install`, `pdm install`), it reports the
    source copy, or the final `FROM` when the copy happens in a parent stage. It also reports
    a final stage that copies a build stage's editable environment (the `.venv`, or a
    directory holding it, of a stage that ran `uv sync` without `--no-editable` or
    `pip install -e .`) together with the source tree that environment points to (from that
    stage or from the build context): that image runs from the copied source too. A project
    that is not a package (no `[build-system]`, or `tool.uv.package = false`) is not
    installed by `uv sync`: shipping its source is how it runs, so neither a stage that
    copies it and runs `uv sync` nor a `uv sync` environment is reported (workspace members
    that `--package` or `--all-packages` name still are). Receiving built artifacts is
    conforming: a wheel (`COPY dist/*.whl`, `COPY --from=builder /dist/*.whl`) or a
    non-editable venv copied from a build stage. A single-stage wheel-only image is fine.
    Tooling images are not runtime images and are not checked: those Compose builds only for
    services that bind-mount the project directory, and those the root Makefile or justfile
    builds only to `docker run` with a path of the working tree bind-mounted (`docker run
    -v $(CURDIR)/src:/app/src tool`), where the editable install runs the mounted source.

    ## Why is this bad?
    The runtime image then ships the source tree, tests and build leftovers, and `uv sync`
    installs the project in editable mode by default, so the running code is whatever files
    sit in the image rather than a versioned, built artifact. The image is bigger, leaks
    whatever the build context holds, and is not the artifact that was tested.

    ## Options
    `source-paths`: the directories of the build context that hold the project source.

    ## What changed
    Since 0.2.0 tooling images are exempt (second held-out check, H1): an image that is only
    ever run with the working tree mounted over its copied source ships nothing, and its
    editable install is what makes the mounted source run. Since 0.2.0 too (field trial M3,
    M4): a final stage that receives an editable environment together with its source tree
    is reported, and the source paths include those read from `pyproject.toml`, uv workspace
    members' packages among them. Since 0.2.0 too (issue 16): a copy of a directory that
    holds a source path (`COPY backend backend` for the package `backend/app`) is a source
    copy, and the single-stage check no longer reports `uv sync` of a project that is not a
    package, as the multi-stage check already did not. Since 0.2.0 too (fourth held-out
    check, H7): a manifest or lock file inside a source directory is not a source copy.
    """

    code = "DKR003"
    name = "source-in-runtime-image"

    Options = SourcePathsOptions

    examples = (
        Good(
            BUILDER + "FROM python:3.12-slim-bookworm\n"
            "COPY --from=builder --chown=app:app /app/.venv /app/.venv\n"
            'CMD ["/app/.venv/bin/bikes"]\n'
        ),
        Good(
            "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n"
            "COPY dist/*.whl /tmp/\n"
            "RUN --mount=type=cache,target=/root/.cache/uv uv pip install --system /tmp/*.whl\n"
        ),
        Good(
            "# escape=`\nARG UV=ghcr.io/astral-sh/uv:0.9.0\nFROM ${UV} AS uv\n"
            "FROM python:3.12-slim AS build\nCOPY --from=uv /uv /bin/uv\nCOPY . /src\n"
            "RUN uv build --wheel --out-dir /dist /src\n"
            "FROM python:3.12-slim\nCOPY --from=uv /uv /bin/uv\n"
            "RUN --mount=type=bind,from=build,source=/dist,target=/dist `\n"
            "    uv pip install --system /dist/*.whl\n"
        ),
        # A tool image the Makefile runs only with the source mounted over its copy.
        Good(
            "FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml ./\nCOPY src/ src/\n"
            "RUN pip install --no-cache-dir -e .\n",
            path="tools/render/Dockerfile",
            files={
                "Makefile": "render:\n\tdocker build -f tools/render/Dockerfile -t render"
                ' tools/render\n\tdocker run --rm \\\n\t  -v "$(CURDIR)/tools/render/src:'
                '/app/src:ro" \\\n\t  render render-all\n'
            },
        ),
        Bad(
            "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nWORKDIR /app\n"
            "COPY . /app\nRUN uv sync --locked\n",
            span=(3, 1, 3, 12),
            message=MESSAGE.format(what=OWN, action="uv sync", editable=" (editable)"),
            files={"pyproject.toml": PACKAGE},
        ),
        Bad(
            BUILDER + 'FROM builder AS runtime\nCMD ["/app/.venv/bin/bikes"]\n',
            span=(10, 6, 10, 13),
            message=MESSAGE.format(
                what=INHERITED.format(parent="builder"), action="uv sync", editable=""
            ),
            files={"pyproject.toml": PACKAGE},
        ),
        # Not a package: `uv sync` installs only its dependencies; the app runs from its files.
        Good(
            "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nWORKDIR /app\n"
            "COPY . /app\nRUN uv sync --locked\n",
            files={"pyproject.toml": '[project]\nname = "app"\nversion = "0.1.0"\n'},
        ),
        # A directory holding a workspace member's package carries it.
        Bad(
            "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nWORKDIR /app\n"
            "COPY backend backend\nRUN uv sync --locked --package app\n",
            span=(3, 1, 3, 21),
            files={
                "pyproject.toml": '[tool.uv.workspace]\nmembers = ["backend"]\n',
                "backend/pyproject.toml": PACKAGE,
                "backend/app/__init__.py": "",
            },
        ),
        # The builder's editable `.venv` and the source it points to, copied together.
        Bad(
            BUILDER.replace(" --no-editable", "") + "FROM python:3.12-slim-bookworm\n"
            "COPY --from=builder /app/.venv /app/.venv\nCOPY --from=builder /app/src /app/src\n",
            span=(12, 1, 12, 38),
            message=EDITABLE_VENV.format(venv="/app/.venv", stage="builder", action="uv sync"),
            files={"pyproject.toml": PACKAGE},
        ),
        # A uv workspace member's package is the project source.
        Bad(
            "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nWORKDIR /app\n"
            "COPY backend/pyproject.toml backend/\nCOPY backend/app backend/app\n"
            "RUN uv sync --locked --package app\n",
            span=(4, 1, 4, 29),
            files={
                "pyproject.toml": '[tool.uv.workspace]\nmembers = ["backend"]\n',
                "backend/pyproject.toml": PACKAGE,
                "backend/app/__init__.py": "",
            },
        ),
        Bad(
            "FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml ./\nCOPY src/ src/\n"
            "RUN <<EOF\npip install -e .\nEOF\n",
            span=(4, 1, 4, 15),
            message=MESSAGE.format(what=OWN, action="pip install", editable=" (editable)"),
        ),
    )

    def check_file(self, model: DockerfileModel) -> None:
        final = model.final
        if final is None or self.source.relpath in self.project.tooling_dockerfiles:
            return
        source_paths = (
            *self.options.source_paths,
            *project_source_paths(self.project, self.source.relpath),
        )
        source: Instruction | None = None
        for stage in final.lineage:
            for instruction in stage.instructions[1:]:
                if source is None and source_copy(instruction, source_paths):
                    source = instruction
                if source is None:
                    continue
                install = next((i for i in installs(instruction) if i.project), None)
                if install is None or self._syncs_only_dependencies(install):
                    continue
                editable = " (editable)" if install.editable else ""
                if source.stage is final or final.parent is None:
                    what, span = OWN, source.span
                else:
                    what = INHERITED.format(parent=final.parent.name)
                    span = final.from_instruction.first_argument_span()
                message = MESSAGE.format(what=what, action=install.action, editable=editable)
                self.report(span, message)
                return
        self._editable_environment(model, final, source_paths)

    def _syncs_only_dependencies(self, install: Install) -> bool:
        """`uv sync` of a project that is not a package (no `[build-system]`, or
        `tool.uv.package = false`): uv installs its dependencies, never the project, which
        runs from its files. Workspace members that `--package` or `--all-packages` name, or
        those of a virtual workspace root (no `[project]`), are still installed."""
        facts = self.project.pyproject
        return (
            install.action == "uv sync"
            and not facts.uv_installs_project
            and facts.name is not None
            and not install.has_option("--package", "--all-packages")
        )

    def _editable_environment(
        self, model: DockerfileModel, final: Stage, source_paths: tuple[str, ...]
    ) -> None:
        """A final stage that copies a build stage's editable environment and the source
        tree that environment points to (from that stage or from the build context)."""
        copies = [i for s in final.lineage for i in s.instructions[1:] if i.cmd == "COPY"]
        for copy in copies:
            builder = from_stage(model, copy)
            found = editable_install(builder, source_paths) if builder is not None else None
            if builder is None or found is None:
                continue
            install, tree = found
            if self._syncs_only_dependencies(install):
                return  # not a package: uv installs only its dependencies, never the source
            environment = environment_of(install)
            venv = next((p for p in copy.sources() if holds(copy, p, environment)), None)
            if venv is None:
                continue
            for other in copies:
                if carries(model, other, builder, tree, environment) or (
                    not other.flag_values("from") and source_copy(other, source_paths)
                ):
                    message = EDITABLE_VENV.format(
                        venv=venv, stage=builder.name or builder.index, action=install.action
                    )
                    self.report(other.span, message)
                    return
