"""DKR005: uv's download cache is written into an image layer."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from mlops_hooks.checkers.dockerfile.base import DockerfileRule
from mlops_hooks.checkers.dockerfile.installs import installs, truthy
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.dockerfile.installs import Install
    from mlops_hooks.checkers.dockerfile.model import DockerfileModel, Instruction

MESSAGE = (
    "`{action}` runs without a cache mount or `--no-cache`, so uv's download cache is baked"
    " into the layer; add `--mount=type=cache,target={target}` to the `RUN` (or pass"
    " `--no-cache`)"
)
DEFAULT_TARGET = "/root/.cache/uv"
UV_ACTIONS = ("uv sync", "uv pip install", "uv pip sync")
UV = "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n"


class UvCacheInLayer(DockerfileRule):
    """`uv sync` or `uv pip install` writes uv's cache into the image layer.

    ## What it does
    Reports `uv sync`, `uv pip install` and `uv pip sync` in a `RUN` that has no
    `--mount=type=cache` (or `tmpfs`) on uv's cache directory and no `--no-cache` (or its
    alias `--no-cache-dir`), where `UV_NO_CACHE` is not set, and the cache is not removed
    later in the same `RUN` (`uv cache clean`, `rm -rf` of the cache directory). The cache
    directory is `--cache-dir`, else `UV_CACHE_DIR`, else `$XDG_CACHE_HOME/uv`; without any
    of them a mount on `~/.cache/uv` or `~/.cache` of any user counts. Only stages a shipped
    image is built on are checked: the final stage's `FROM` chain, and that of each stage a
    root workflow builds as a target (`docker build --target <stage>`, `target:` of
    `docker/build-push-action`); a `RUN` gets at most one finding. Tooling images are not
    checked: images that Compose builds only for services that bind-mount the project
    directory, and images that the root Makefile or justfile builds only to `docker run`
    with a path of the working tree bind-mounted and never pushes.

    ## Why is this bad?
    uv keeps every downloaded wheel in its cache. Without a cache mount the cache lands in the
    layer: the image carries a second copy of every dependency (often hundreds of megabytes
    for ML stacks), and the next build cannot reuse it anyway. (A builder stage whose layers
    the final image does not inherit, because it copies only the built venv or wheel, ships no
    cache: its cache costs build-host disk only. Neither does a tooling image that is built
    and run on the developer's machine and never pushed: its cache is a size cost on that
    machine only.)

    ## What changed
    Since 0.2.0 a cache written in a stage that the final image does not inherit is not a
    finding (field trial F6), and a `RUN` with several uv installs gets one finding. Since
    0.2.0 tooling images (Compose dev services, Makefile/justfile-run tool images: the same
    ones DKR003 and DKR006 exempt) are not checked either, and a stage that CI builds as a
    target is checked like the final stage (issue 16). Since 0.2.0 `--no-cache-dir`, uv's own
    alias of `--no-cache`, keeps the cache out of the layer too (fifth held-out check, H12).
    """

    code = "DKR005"
    name = "uv-cache-in-layer"

    examples = (
        Good(
            UV + "ENV UV_LINK_MODE=copy\n"
            "RUN --mount=type=cache,target=/root/.cache/uv \\\n"
            "    --mount=type=bind,source=uv.lock,target=uv.lock \\\n"
            "    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\\n"
            "    uv sync --locked --no-install-project\n"
        ),
        Good(
            "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim AS base\nENV UV_NO_CACHE=1\n"
            "FROM base AS deps\nRUN uv pip install --system -r requirements.txt\n"
            "RUN --mount=type=cache,target=/opt/uv-cache UV_NO_CACHE=0 UV_CACHE_DIR=/opt/uv-cache"
            " uv sync --frozen\n"
        ),
        Good(
            UV + "RUN <<EOF\nuv sync --locked\nuv cache clean\nEOF\n"
            'RUN ["uv", "--no-cache", "pip", "install", "--system", "ruff"]\n'
        ),
        Good(
            "ARG UV_VERSION=0.9.0\nFROM ghcr.io/astral-sh/uv:${UV_VERSION} AS uv\n"
            "FROM python:3.12-slim\nCOPY --from=uv /uv /bin/uv\n"
            "RUN --mount=type=cache,target=/root/.cache/uv \\\n"
            "    uv pip install --system -r requirements.txt\n"
        ),
        Bad(
            UV + "RUN uv sync --locked\n",
            span=(2, 5, 2, 12),
            message=MESSAGE.format(action="uv sync", target=DEFAULT_TARGET),
        ),
        Bad(
            "# escape=`\n" + UV + "ENV UV_CACHE_DIR=/opt/uv-cache\n"
            "RUN --mount=type=cache,target=/root/.cache/uv `\n"
            "    uv pip install --system -r requirements.txt\n",
            span=(5, 5, 5, 19),
            message=MESSAGE.format(action="uv pip install", target="/opt/uv-cache"),
        ),
        # A builder stage the final image does not inherit: its cache is not shipped.
        Good(
            "FROM python:3.12-slim AS build\n"
            "COPY --from=ghcr.io/astral-sh/uv:0.9.0 /uv /uvx /bin/\n"
            "RUN uv sync --locked --no-editable\n"
            "FROM python:3.12-slim\nCOPY --from=build /.venv /.venv\n"
        ),
        Bad(
            "FROM python:3.12-slim AS build\n"
            "COPY --from=ghcr.io/astral-sh/uv:0.9.0 /uv /uvx /bin/\n"
            "RUN <<EOF\nset -e\nuv sync --locked --no-editable\nuv pip install ruff\nEOF\n"
            'FROM build\nCMD ["python"]\n',
            span=(5, 1, 5, 8),
        ),
    )

    def check_file(self, model: DockerfileModel) -> None:
        if self.source.relpath in self.project.tooling_dockerfiles:
            return  # never pushed: its cache costs the developer's disk only
        shipped = [model.final]
        if len(model.stages) > 1:  # only a multi-stage file has stages CI could target
            from mlops_hooks.project.citargets import ci_target_stages

            targets = ci_target_stages(self.project).get(self.source.relpath, frozenset())
            shipped += [model.stage(name) for name in sorted(targets)]
        seen: set[int] = set()
        for image in shipped:
            for stage in image.lineage if image is not None else ():
                if stage.index in seen:
                    continue
                seen.add(stage.index)
                for instruction in stage.instructions:
                    self._check_run(instruction)

    def _check_run(self, instruction: Instruction) -> None:
        for install in installs(instruction):
            if install.action not in UV_ACTIONS or _cache_kept_out(instruction, install):
                continue
            target = _cache_dir(install) or DEFAULT_TARGET
            self.report(install.span, MESSAGE.format(action=install.action, target=target))
            return  # one finding per RUN


def _cache_dir(install: Install) -> str | None:
    """uv's cache directory when the command or its environment sets it."""
    cache_dir = install.option_value("--cache-dir") or install.env.get("UV_CACHE_DIR")
    if not cache_dir and install.env.get("XDG_CACHE_HOME"):
        cache_dir = install.env["XDG_CACHE_HOME"].rstrip("/") + "/uv"
    return posixpath.normpath(cache_dir) if cache_dir else None


def _covers(path: str, cache_dir: str | None) -> bool:
    """Whether a mount target (or removed path) holds the cache directory."""
    path = posixpath.normpath(path)
    if cache_dir is not None:
        return cache_dir == path or cache_dir.startswith(path.rstrip("/") + "/")
    return path.endswith(("/.cache/uv", "/.cache"))


def _cache_kept_out(instruction: Instruction, install: Install) -> bool:
    # `--no-cache-dir` is uv's own (hidden) alias of `--no-cache`, kept for pip users.
    if install.has_option("--no-cache", "-n", "--no-cache-dir") or truthy(
        install.env.get("UV_NO_CACHE")
    ):
        return True
    cache_dir = _cache_dir(install)
    for mount in instruction.mounts():
        if mount.get("type") in ("cache", "tmpfs") and _covers(mount.get("target", ""), cache_dir):
            return True
    commands = instruction.commands
    index = next(i for i, command in enumerate(commands) if command is install.command)
    for command in commands[index + 1 :]:
        argv = command.argv
        if command.name == "uv" and argv[1:3] == ("cache", "clean"):
            return True
        if command.name == "rm" and any(_covers(arg, cache_dir) for arg in argv[1:]):
            return True
    return False
