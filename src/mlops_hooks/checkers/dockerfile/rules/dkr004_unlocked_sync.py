"""DKR004: ``uv sync`` may resolve again instead of installing the lock file."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from mlops_hooks.checkers.dockerfile.base import DockerfileRule
from mlops_hooks.checkers.dockerfile.installs import installs, truthy
from mlops_hooks.diagnostics import Edit, Fix, FixSafety
from mlops_hooks.lazyre import lazy
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from collections.abc import Callable

    from mlops_hooks.checkers.dockerfile.installs import Install
    from mlops_hooks.checkers.dockerfile.model import Instruction

MESSAGE = (
    "`uv sync` runs without `--locked` or `--frozen`; add `--locked` so the build fails when"
    " uv.lock is out of date"
)
#: The image gets `pyproject.toml` but never `uv.lock`: `--locked` alone would fail the build.
NO_LOCK_MESSAGE = (
    "`uv sync` runs without `--locked` or `--frozen`, and the image copies `pyproject.toml`"
    " but not `uv.lock`, so every build resolves afresh; copy `uv.lock` beside it and add"
    " `--locked`"
)
UV = "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n"


class UnlockedSync(DockerfileRule):
    """`uv sync` runs without `--locked` or `--frozen`.

    ## What it does
    Reports every `uv sync` (shell form, exec form, heredoc scripts, `sh -c` strings) that has
    neither `--locked` nor `--frozen`, unless `UV_LOCKED` or `UV_FROZEN` is set to a true
    value where it runs: `ENV` or `ARG` in the stage, `ENV` inherited from a parent stage,
    `export` earlier in the same `RUN`, or a `UV_FROZEN=1 uv sync` prefix. `uv pip install -r`
    is out of scope: it has no lock to check.

    When the stage (or a stage it is built `FROM`) copies `pyproject.toml` by name but
    nothing that can bring `uv.lock` beside it (the lock itself, the whole context, a glob, a
    directory holding a `uv.lock`, a bind mount of it, another stage's files, or a `uv lock`
    run), the message says so and no fix is offered.

    ## Why is this bad?
    Without `--locked`, `uv sync` silently re-locks when `uv.lock` no longer matches
    `pyproject.toml`, so the image gets versions nobody reviewed or tested, and the build
    passes anyway. With `--locked` the build fails instead; `--frozen` installs the lock file
    as it is without checking it.

    ## Fix safety
    The fix inserts `--locked` right after `sync` (`, "--locked"` in an exec-form array). It
    is unsafe: a build that passes today fails once the option is there if `uv.lock` is stale
    or missing from the build context, which is the point, but a change of behaviour. No fix
    is offered where the image copies `pyproject.toml` without `uv.lock`: there the option
    alone makes every build fail (no lock to check), so the lock must be copied first.

    ## What changed
    Since 0.2.0 a `uv sync` whose image copies `pyproject.toml` but not `uv.lock` gets its
    own message and no fix: `--locked` alone failed those builds (fifth held-out check,
    H14).
    """

    code = "DKR004"
    name = "unlocked-sync"
    fix_safety = FixSafety.UNSAFE

    examples = (
        Good(
            UV + "RUN --mount=type=cache,target=/root/.cache/uv \\\n"
            "    --mount=type=bind,source=uv.lock,target=uv.lock \\\n"
            "    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\\n"
            "    uv sync --locked --no-install-project\n"
        ),
        Good(
            UV.replace("\n", " AS base\n")
            + "ENV UV_FROZEN=1 UV_NO_DEV=1\nFROM base AS app\nRUN uv sync\n"
            "RUN <<EOF\nUV_LOCKED=true uv sync --no-editable\nEOF\n"
        ),
        Good("ARG UV_FROZEN=1\n" + UV + "ARG UV_FROZEN\nRUN uv sync --no-dev\n"),
        Good(
            "ARG UV_VERSION=0.9.0\nFROM ghcr.io/astral-sh/uv:${UV_VERSION} AS uv\n"
            "FROM python:3.12-slim\nCOPY --from=uv /uv /uvx /bin/\n"
            'RUN ["uv", "sync", "--frozen", "--no-dev"]\n'
        ),
        Bad(
            UV + "COPY . /app\nRUN uv sync\n",
            span=(3, 5, 3, 12),
            message=MESSAGE,
            fixed=UV + "COPY . /app\nRUN uv sync --locked\n",
        ),
        Bad(
            "# escape=`\n" + UV + "ENV UV_LOCKED=0\nRUN cd /app && uv `\n    sync --no-dev\n",
            span=(4, 16, 5, 9),
            fixed="# escape=`\n" + UV + "ENV UV_LOCKED=0\nRUN cd /app && uv `\n"
            "    sync --locked --no-dev\n",
        ),
        Bad(
            UV + 'RUN ["uv", "sync", "--no-dev"]\nRUN ["sh", "-c", "uv sync"]\n',
            span=(2, 6, 2, 18),
            spans=((3, 19, 3, 26),),
            fixed=UV + 'RUN ["uv", "sync", "--locked", "--no-dev"]\n'
            'RUN ["sh", "-c", "uv sync --locked"]\n',
        ),
        # The manifest without its lock: `--locked` alone would fail, so no fix is offered.
        Bad(
            UV + "WORKDIR /app\nCOPY pyproject.toml README.md ./\nCOPY src src/\nRUN uv sync\n",
            span=(5, 5, 5, 12),
            message=NO_LOCK_MESSAGE,
        ),
        Bad(
            UV + "RUN <<EOF\nset -eux\nuv sync --no-install-project\nEOF\n",
            span=(4, 1, 4, 8),
            fixed=UV + "RUN <<EOF\nset -eux\nuv sync --locked --no-install-project\nEOF\n",
        ),
    )

    def check_instruction(self, instruction: Instruction) -> None:
        for install in installs(instruction):
            if install.action != "uv sync" or install.has_option("--locked", "--frozen"):
                continue
            if truthy(install.env.get("UV_LOCKED")) or truthy(install.env.get("UV_FROZEN")):
                continue
            if _lock_left_out(instruction, install, self._holds_lock):
                self.report(install.span, NO_LOCK_MESSAGE)
                continue
            sync = install.last_name_word
            text = ', "--locked"' if install.command.exec_form else " --locked"
            at = instruction.source.position(sync.end)
            fix = Fix.unsafe(Edit.insert(at, text), message="add `--locked`")
            self.report(install.span, MESSAGE, fix=fix)

    def _holds_lock(self, directory: str) -> bool:
        """Whether a build-context directory has a ``uv.lock`` at its top, for a context of
        the project root or of the Dockerfile's directory."""
        here = PurePosixPath(self.source.relpath).parent
        return any(
            self.project.read_text(base / directory / "uv.lock") is not None
            for base in (self.project.root, self.project.root / here)
        )


#: Where the sync can find its lock besides a copy of it: the whole context or a glob.
_WHOLE = lazy(r"^(\.|\./|/|\*.*|.*[*?\[].*)$")


def _lock_left_out(
    instruction: Instruction, install: Install, holds_lock: Callable[[str], bool]
) -> bool:
    """Whether the image copies ``pyproject.toml`` by name before this sync but nothing that
    can bring ``uv.lock`` beside it, so ``--locked`` alone would fail the build."""
    if install.has_option("--project", "--directory", "--package", "--all-packages"):
        return False  # the lock may be elsewhere; leave the fix as it is
    stage = instruction.stage
    if stage is None:
        return False
    manifest = False
    for current in stage.lineage:
        for step in current.instructions:
            if step.cmd in ("COPY", "ADD"):
                if step.flag_values("from") and not _uv_binary(step):
                    return False  # another stage's or image's files may hold the lock
                for source in step.sources():
                    name = source.rstrip("/").rsplit("/", 1)[-1]
                    path = source.strip().removeprefix("./").rstrip("/")
                    if name == "uv.lock" or _WHOLE.match(source.strip()):
                        return False
                    if "." not in name and holds_lock(path):
                        return False  # a directory (a sub-project) that holds its lock
                    manifest = manifest or name == "pyproject.toml"
            elif step.cmd == "RUN":
                for mount in step.mounts():
                    if mount.get("type") == "bind" and _binds_lock(mount):
                        return False
                if re.search(r"\buv\s+lock\b", step.shell):
                    return False
            if step is instruction:
                return manifest
    return manifest


def _binds_lock(mount: dict[str, str]) -> bool:
    source = mount.get("source", ".").strip().removeprefix("./").rstrip("/")
    return mount.get("from") is not None or source in ("", ".") or source.endswith("uv.lock")


def _uv_binary(step: Instruction) -> bool:
    """``COPY --from=ghcr.io/astral-sh/uv... /uv /uvx /bin/``: uv's binaries, no lock."""
    image = step.flag_values("from")[0]
    return image.startswith("ghcr.io/astral-sh/uv") and all(
        source.rstrip("/").rsplit("/", 1)[-1] in ("uv", "uvx") for source in step.sources()
    )
