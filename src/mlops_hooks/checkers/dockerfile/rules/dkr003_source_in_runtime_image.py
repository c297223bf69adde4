"""DKR003: the final stage builds the project from its source tree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.dockerfile.base import DockerfileRule
from mlops_hooks.checkers.dockerfile.copies import SourcePathsOptions, source_copy
from mlops_hooks.checkers.dockerfile.installs import installs
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.dockerfile.model import DockerfileModel, Instruction

MESSAGE = (
    "the final stage {what} `{action}`{editable}, so the runtime image carries the source"
    " tree; build the project in a builder stage and copy"
    " only its non-editable `.venv` (`uv sync --locked --no-editable`) or a wheel into the"
    " final stage"
)
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
    source (`.`, `src`, or a path in `source-paths`) and then installs the project from it
    (`uv sync` without `--no-install-project`, `pip install .`, `pip install -e .`,
    `uv pip install .`, `poetry install`, `pdm install`), it reports the source copy, or the
    final `FROM` when the copy happens in a parent stage. Receiving built artifacts is
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
    editable install is what makes the mounted source run.
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
        ),
        Bad(
            BUILDER + 'FROM builder AS runtime\nCMD ["/app/.venv/bin/bikes"]\n',
            span=(10, 6, 10, 13),
            message=MESSAGE.format(
                what=INHERITED.format(parent="builder"), action="uv sync", editable=""
            ),
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
        source: Instruction | None = None
        for stage in final.lineage:
            for instruction in stage.instructions[1:]:
                if source is None and source_copy(instruction, self.options.source_paths):
                    source = instruction
                if source is None:
                    continue
                install = next((i for i in installs(instruction) if i.project), None)
                if install is None:
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
