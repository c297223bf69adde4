"""DKR007: a uv image referenced by ``latest`` or without a tag."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from mlops_hooks.checkers.dockerfile.base import DockerfileRule
from mlops_hooks.checkers.dockerfile.images import parse_image, uv_tag_is_mutable
from mlops_hooks.checkers.dockerfile.model import substitute
from mlops_hooks.lazyre import lazy
from mlops_hooks.rule import Bad, Good, option, options

if TYPE_CHECKING:
    from mlops_hooks.checkers.dockerfile.model import DockerfileModel, Instruction
    from mlops_hooks.diagnostics import Span

MESSAGE = (
    "`{image}` follows every new uv release, so two builds of the same commit can get"
    " different uv versions; pin a release (`{pinned}`) or a digest (`@sha256:...`)"
)
SLIM = "FROM python:3.12-slim\n"
_VERSION = lazy(r"^\d+(\.\d+)*-?")


class MutableUvImage(DockerfileRule):
    """A uv image is referenced as `:latest` or without a tag.

    ## What it does
    Reports uv's image (`ghcr.io/astral-sh/uv`, or `astral/uv` on Docker Hub) in `FROM`,
    `COPY --from=` and `RUN --mount=from=` when it is untagged or tagged `latest` and not
    pinned by digest. Global `ARG` defaults are substituted; a `--from=` naming a build stage
    is a stage, not an image. With `require-version`, tags without a full uv version
    (`python3.12-bookworm-slim`, `0.9`) are reported too.

    ## Why is this bad?
    `latest` moves with every uv release: the same commit builds with a different uv from one
    day to the next, a uv change can break or alter the image without any change in the
    repository, and the build cache is invalidated for no visible reason.

    ## Options
    `require-version`: also require a full uv version in derived image tags.
    """

    code = "DKR007"
    name = "mutable-uv-image"

    @options
    class Options:
        """Options of DKR007."""

        require_version: bool = option(
            default=False,
            doc="Also report uv image tags that do not start with a full `X.Y.Z` uv"
            " version, such as `python3.12-bookworm-slim` or `0.9`, which move with each"
            " uv release too.",
        )

    examples = (
        Good(SLIM + "COPY --from=ghcr.io/astral-sh/uv:0.9.0 /uv /uvx /bin/\n"),
        Good(
            "FROM ghcr.io/astral-sh/uv:0.9.0-python3.12-bookworm-slim\nENV UV_NO_DEV=1\n"
            "RUN <<EOF\nuv sync --frozen\nEOF\n"
        ),
        Good(
            "FROM ghcr.io/astral-sh/uv@sha256:2381d6aa60c326b71fd40023f921a0a3b8f91b14d5db6b904"
            "02e65a635053709 AS uv\n" + SLIM + "COPY --from=uv /uv /uvx /bin/\n"
        ),
        Good(
            "ARG UV_VERSION=0.9.0\nFROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n"
            "RUN --mount=from=ghcr.io/astral-sh/uv:${UV_VERSION},source=/uv,target=/bin/uv \\\n"
            "    uv sync --locked\n"
        ),
        Bad(
            SLIM + "COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/\n",
            span=(2, 13, 2, 40),
            message=MESSAGE.format(
                image="ghcr.io/astral-sh/uv:latest", pinned="ghcr.io/astral-sh/uv:X.Y.Z"
            ),
        ),
        Bad(
            "# escape=`\nARG UV=ghcr.io/astral-sh/uv\nFROM ${UV} AS uv\n"
            + SLIM
            + "COPY --from=uv /uv /uvx /bin/\n",
            span=(3, 6, 3, 11),
        ),
        Bad(
            SLIM + "RUN --mount=from=ghcr.io/astral-sh/uv,source=/uv,target=/bin/uv \\\n"
            "    uv pip install --system ruff\n",
            span=(2, 18, 2, 38),
        ),
        Bad(
            "FROM astral/uv:python3.12-bookworm-slim\n",
            span=(1, 6, 1, 40),
            message=MESSAGE.format(
                image="astral/uv:python3.12-bookworm-slim",
                pinned="astral/uv:X.Y.Z-python3.12-bookworm-slim",
            ),
            options={"require-version": True},
        ),
    )

    def check_file(self, model: DockerfileModel) -> None:
        for text, span in _image_references(model):
            ref = parse_image(text)
            if ref is None or not ref.is_uv:
                continue
            if not uv_tag_is_mutable(ref, self.options.require_version):
                continue
            name = ref.text.split("@", 1)[0]
            name = name[: ref.tag_start].rstrip(":") if ref.tag is not None else name
            # Keep the variant (`python3.12-bookworm-slim`), drop a partial version (`0.9-`).
            variant = _VERSION.sub("", ref.tag or "latest")
            pinned = f"{name}:X.Y.Z" if variant in ("", "latest") else f"{name}:X.Y.Z-{variant}"
            self.report(span, MESSAGE.format(image=ref.text, pinned=pinned))


def _image_references(model: DockerfileModel) -> Iterator[tuple[str, Span]]:
    """Every image of ``FROM``, ``--from=`` and ``--mount=from=`` (not stage names), with the
    span of its text in the source."""
    for stage in model.stages:
        if stage.parent is None:
            yield stage.image, stage.from_instruction.first_argument_span()
        for instruction in stage.instructions[1:]:
            if not instruction.flags:
                continue
            for value, span in _from_values(instruction):
                if "$" in value:
                    value = substitute(value, {**model.global_args, **stage.env_at(instruction)})
                if model.stage(value) is None:
                    yield value, span


def _from_values(instruction: Instruction) -> Iterator[tuple[str, Span]]:
    """The raw values of ``COPY --from=`` and of ``from=`` in ``RUN --mount=``."""
    for token in instruction.tokens[1 : 1 + len(instruction.flags)]:
        lower = token.text.lower()
        if lower.startswith("--from=") and instruction.cmd in ("COPY", "ADD"):
            yield token.text[len("--from=") :], instruction.part_span(token, len("--from="))
        elif lower.startswith("--mount="):
            at = len("--mount=")
            for part in token.text[at:].split(","):
                key, sep, value = part.partition("=")
                if sep and key.strip().lower() == "from":
                    start = at + len(key) + 1
                    yield value, instruction.part_span(token, start, at + len(part))
                at += len(part) + 1
