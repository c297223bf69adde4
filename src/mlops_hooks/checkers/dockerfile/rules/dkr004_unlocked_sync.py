"""DKR004: ``uv sync`` may resolve again instead of installing the lock file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.dockerfile.base import DockerfileRule
from mlops_hooks.checkers.dockerfile.installs import installs, truthy
from mlops_hooks.diagnostics import Edit, Fix, FixSafety
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.dockerfile.model import Instruction

MESSAGE = (
    "`uv sync` runs without `--locked` or `--frozen`; add `--locked` so the build fails when"
    " uv.lock is out of date"
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

    ## Why is this bad?
    Without `--locked`, `uv sync` silently re-locks when `uv.lock` no longer matches
    `pyproject.toml`, so the image gets versions nobody reviewed or tested, and the build
    passes anyway. With `--locked` the build fails instead; `--frozen` installs the lock file
    as it is without checking it.

    ## Fix safety
    The fix inserts `--locked` right after `sync` (`, "--locked"` in an exec-form array). It
    is unsafe: a build that passes today fails once the option is there if `uv.lock` is stale
    or missing from the build context, which is the point, but a change of behaviour.
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
            sync = install.last_name_word
            text = ', "--locked"' if install.command.exec_form else " --locked"
            at = instruction.source.position(sync.end)
            fix = Fix.unsafe(Edit.insert(at, text), message="add `--locked`")
            self.report(install.span, MESSAGE, fix=fix)
