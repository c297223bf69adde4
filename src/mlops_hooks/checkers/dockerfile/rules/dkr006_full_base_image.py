"""DKR006: the runtime image is based on a full Debian image where a slim one exists."""

from __future__ import annotations

import fnmatch
from typing import TYPE_CHECKING

from mlops_hooks.checkers.dockerfile.base import DockerfileRule
from mlops_hooks.checkers.dockerfile.images import parse_image, slim_tag
from mlops_hooks.diagnostics import Edit, Fix, FixSafety
from mlops_hooks.rule import Bad, Good, option, options

if TYPE_CHECKING:
    from mlops_hooks.checkers.dockerfile.model import DockerfileModel

MESSAGE = (
    "the final stage runs on `{image}`, a full Debian image with compilers and headers the"
    " application does not need at run time; use {slim}"
)
BUILDER = (
    "FROM python:3.12 AS builder\nCOPY --from=ghcr.io/astral-sh/uv:0.9.0 /uv /uvx /bin/\n"
    "RUN --mount=type=cache,target=/root/.cache/uv \\\n"
    "    --mount=type=bind,source=uv.lock,target=uv.lock \\\n"
    "    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\\n"
    "    uv sync --locked --no-install-project --no-editable\n"
)


class FullBaseImage(DockerfileRule):
    """The final stage is based on a full Debian image where a `-slim` variant exists.

    ## What it does
    Follows the final stage back through the stages it is built `FROM` (global `ARG`
    defaults substituted) to its base image, and reports it when it is the full Debian
    variant of the official `python` image (`python:3.12`, `python:3.12-bookworm`,
    `python:latest`), of uv's derived images (`ghcr.io/astral-sh/uv:python3.12-bookworm`,
    `...:python3.13-trixie`, `...:debian`) or of `debian` itself. `-slim` and `-alpine`
    variants, distroless images and any image in `allowed-images` are fine, and so are full
    images in build stages, dev-container images (under `.devcontainer/`) and images that
    Compose builds only for services that bind-mount the project directory (`.:/app`: a docs
    server, a formatter) or that the root Makefile or justfile builds only to `docker run`
    with a path of the working tree bind-mounted, which are development environments, not
    runtime images.

    ## Why is this bad?
    The full images carry compilers, headers and hundreds of packages that only building needs:
    the runtime image is several times larger, slower to pull and scale, and has a much larger
    attack surface for vulnerability scanners to report.

    ## Fix safety
    The fix rewrites a literal tag to its slim twin (`3.12` -> `3.12-slim`,
    `3.12-bookworm` -> `3.12-slim-bookworm`, `python3.12-bookworm` ->
    `python3.12-bookworm-slim`). It is unsafe: the slim image lacks system packages
    (compilers, `git`, some shared libraries) that the application may load at run time.
    References built from variables or pinned by digest are not rewritten.

    ## Options
    `allowed-images`: full images the final stage may use.

    ## What changed
    Since 0.2.0 dev-container images and Compose tooling images are exempt (field trial F7,
    F8), and so are the tooling images a Makefile or justfile builds and runs with the
    working tree mounted (second held-out check, H1).
    """

    code = "DKR006"
    name = "full-base-image"
    fix_safety = FixSafety.UNSAFE

    @options
    class Options:
        """Options of DKR006."""

        allowed_images: tuple[str, ...] = option(
            default=(),
            doc="Image references the final stage may use although they are full"
            " images, as shell-style globs (e.g. `python:3.12-bookworm` for an app that"
            " compiles at run time, or `python:*`).",
        )

    examples = (
        Good("FROM python:3.12\nRUN apt-get update\n", path=".devcontainer/Dockerfile"),
        Good(
            "FROM python:3.13\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n",
            files={
                "docker-compose.yml": "services:\n  docs:\n    build: .\n"
                "    command: [mkdocs, serve]\n    volumes:\n      - .:/workspace\n"
            },
        ),
        Good(BUILDER + "FROM python:3.12-slim-bookworm\nCOPY --from=builder /.venv /.venv\n"),
        Good(
            "ARG PYTHON=3.13\nFROM ghcr.io/astral-sh/uv:python${PYTHON}-trixie-slim AS base\n"
            "FROM base\nRUN uv --version\n"
        ),
        Good("FROM ghcr.io/astral-sh/uv:0.9.0-python3.12-alpine\n"),
        Good(
            "FROM ghcr.io/astral-sh/uv:python3.12-bookworm AS build\nENV UV_NO_DEV=1\n"
            "RUN <<EOF\nuv sync --frozen --no-editable\nEOF\n"
            "FROM python:3.12-slim\nCOPY --from=build /.venv /.venv\n"
        ),
        Good("FROM python:3.12-bookworm\n", options={"allowed-images": ["python:3.12-*"]}),
        Bad(
            "FROM python:3.12\nCOPY dist/*.whl /tmp/\n",
            span=(1, 6, 1, 17),
            message=MESSAGE.format(image="python:3.12", slim="`python:3.12-slim`"),
            fixed="FROM python:3.12-slim\nCOPY dist/*.whl /tmp/\n",
        ),
        Bad(
            "# escape=`\nARG PY=3.12\nFROM python:${PY}-bookworm\n",
            span=(3, 6, 3, 27),
            message=MESSAGE.format(
                image="python:3.12-bookworm", slim="`python:3.12-slim-bookworm`"
            ),
        ),
        Bad(
            "FROM ghcr.io/astral-sh/uv:0.9.0-python3.12-bookworm AS base\n"
            "FROM base AS runtime\nCOPY --from=base /app/.venv /app/.venv\n",
            span=(1, 6, 1, 52),
            fixed="FROM ghcr.io/astral-sh/uv:0.9.0-python3.12-bookworm-slim AS base\n"
            "FROM base AS runtime\nCOPY --from=base /app/.venv /app/.venv\n",
        ),
        Bad(
            BUILDER + "FROM debian:bookworm\nCOPY --from=builder /.venv /.venv\n",
            span=(7, 6, 7, 21),
            message=MESSAGE.format(image="debian:bookworm", slim="`debian:bookworm-slim`"),
            fixed=BUILDER + "FROM debian:bookworm-slim\nCOPY --from=builder /.venv /.venv\n",
        ),
    )

    def check_file(self, model: DockerfileModel) -> None:
        final = model.final
        relpath = self.source.relpath
        if final is None or self.project.is_devcontainer(relpath):
            return
        if relpath in self.project.tooling_dockerfiles:
            return  # built only for Compose services that run the mounted working tree
        root = final.root
        ref = parse_image(root.image)
        if ref is None or any(
            fnmatch.fnmatchcase(ref.text, glob) for glob in self.options.allowed_images
        ):
            return
        slim = slim_tag(ref)
        if slim is None:
            return
        tokens = root.from_instruction.argument_tokens()
        span = root.from_instruction.first_argument_span()
        if not slim:
            self.report(span, MESSAGE.format(image=ref.text, slim="a `-slim` variant"))
            return
        name = ref.text[: ref.tag_start].rstrip(":") if ref.tag is not None else ref.text
        name = name.split("@", 1)[0]
        suggestion = f"{name}:{slim}"
        fix = None
        if tokens and tokens[0].text == ref.text and ref.digest is None:
            fix = Fix.unsafe(Edit(span, suggestion), message=f"use `{suggestion}`")
        self.report(span, MESSAGE.format(image=ref.text, slim=f"`{suggestion}`"), fix=fix)
