"""DKR002: Python packages installed with pip, poetry, pipenv or pdm instead of uv."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mlops_hooks.checkers.dockerfile.base import DockerfileRule
from mlops_hooks.checkers.dockerfile.installs import installs
from mlops_hooks.rule import Bad, Good, option, options

if TYPE_CHECKING:
    from mlops_hooks.checkers.dockerfile.installs import Install
    from mlops_hooks.checkers.dockerfile.model import Instruction

MESSAGE = (
    "`{action}` installs Python packages without uv; install them with `uv sync --locked` (or"
    " `uv pip install`), taking uv from a `ghcr.io/astral-sh/uv` image or"
    " `COPY --from=ghcr.io/astral-sh/uv:X.Y.Z /uv /uvx /bin/`"
)
OTHER_INSTALLERS = ("pip", "poetry", "pipenv", "pdm")
_UV_REQUIREMENT = re.compile(r"^uv([<>=!~ ].*)?$")


class InstallWithoutUv(DockerfileRule):
    """A stage installs Python packages with pip, poetry, pipenv or pdm instead of uv.

    ## What it does
    Reports each `pip install` (also `pip3`, `python -m pip`, a venv's `bin/pip`),
    `poetry install`/`sync`, `pipenv install`/`sync` and `pdm install`/`sync` in a `RUN`, in
    shell form, exec form, heredoc scripts and `sh -c` strings. `pip install uv` (installing
    the installer) is not reported. Installers listed in `allowed-installers` are accepted.

    ## Why is this bad?
    The project is locked with uv: `uv sync --locked` installs exactly what `uv.lock` says, and
    fails when the lock is stale. pip resolves again at build time (from `requirements.txt` or
    `pyproject.toml` ranges), so the image can differ from what was tested, and it is many
    times slower. The convention is a `ghcr.io/astral-sh/uv:python3.X-<debian>-slim` base, or
    uv copied into a `python:` image from uv's distroless image.

    ## Options
    `allowed-installers`: installers other than uv that this project accepts.
    """

    code = "DKR002"
    name = "install-without-uv"

    @options
    class Options:
        """Options of DKR002."""

        allowed_installers: tuple[str, ...] = option(
            default=(),
            doc="Installers besides uv that are accepted, among `pip`, `poetry`,"
            ' `pipenv` and `pdm` (e.g. `["poetry"]` while a migration is under way).',
        )

    examples = (
        Good(
            "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nENV UV_NO_DEV=1\n"
            "RUN --mount=type=cache,target=/root/.cache/uv \\\n"
            "    --mount=type=bind,source=uv.lock,target=uv.lock \\\n"
            "    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\\n"
            "    uv sync --frozen --no-install-project\n"
        ),
        Good(
            "FROM ghcr.io/astral-sh/uv:0.9.0 AS uv\nFROM python:3.12-slim\n"
            "COPY --from=uv /uv /uvx /bin/\nCOPY requirements.txt .\n"
            "RUN --mount=type=cache,target=/root/.cache/uv \\\n"
            "    uv pip install --system -r requirements.txt\n"
        ),
        Good(
            "FROM python:3.12-slim\nRUN <<EOF\npoetry install --no-root\nEOF\n",
            options={"allowed-installers": ["poetry"]},
        ),
        Bad(
            "FROM python:3.12\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n",
            span=(3, 5, 3, 16),
            message=MESSAGE.format(action="pip install"),
        ),
        Bad(
            "# escape=`\nARG PYTHON=3.12\nFROM python:${PYTHON}-slim\n"
            "RUN python -m pip `\n    install --no-cache-dir .\n",
            span=(4, 5, 5, 12),
        ),
        Bad(
            "FROM python:3.12-slim\nRUN <<EOF\nset -e\npoetry install --no-root\nEOF\n",
            span=(4, 1, 4, 15),
            message=MESSAGE.format(action="poetry install"),
        ),
        Bad(
            'FROM python:3.12-slim\nRUN ["pip", "install", "-r", "requirements.txt"]\n',
            span=(2, 6, 2, 22),
        ),
    )

    def check_instruction(self, instruction: Instruction) -> None:
        for install in installs(instruction):
            if install.tool in OTHER_INSTALLERS and not self._accepted(install):
                self.report(install.span, MESSAGE.format(action=install.action))

    def _accepted(self, install: Install) -> bool:
        if install.tool in self.options.allowed_installers:
            return True
        installs_only_uv = bool(install.packages) and all(
            _UV_REQUIREMENT.match(package) for package in install.packages
        )
        return installs_only_uv and not (install.dependencies or install.project or install.wheel)
