"""JST009: CI or a hook runs `uv run just`, but `rust-just` is in no dependency group."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from mlops_hooks.checkers.justfile.base import JustfileRule
from mlops_hooks.diagnostics import Span
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.justfile.model import JustfileModel

_JUSTFILE = "# list the tasks\ndefault:\n    @just --list\n"
_CI = (
    "on: pull_request\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n"
    "      - uses: astral-sh/setup-uv@v6\n      - run: uv run just check\n"
)
_PYPROJECT = '[project]\nname = "app"\nversion = "0.1.0"\n'


class JustNotADevDependency(JustfileRule):
    """CI or a hook runs `uv run just`, but `rust-just` is in no dependency group.

    ## What it does
    Reports, once, on the root justfile, a project whose workflows or
    `.pre-commit-config.yaml` run `uv run just ...` while `rust-just` is in none of
    `pyproject.toml`'s dependency groups (`[dependency-groups]`, `tool.uv.dev-dependencies`,
    optional dependencies) and not in `uv.lock`. The message names the first place that runs
    it. Silent when `pyproject.toml` cannot be read as TOML (a template's, with Jinja).

    ## Why is this bad?
    `uv run just` finds `just` in the project's environment only when a dependency group
    installs it (`uv add --group dev rust-just`). Otherwise it falls back to whatever `just`
    is on the `PATH`: a teammate without it gets `Failed to spawn: just`, and each machine
    runs whichever version it happens to have, not the one the lock pins.
    """

    code = "JST009"
    name = "just-not-a-dev-dependency"
    examples: ClassVar[tuple[Good | Bad, ...]] = (
        Good(
            _JUSTFILE,
            files={
                ".github/workflows/check.yml": _CI,
                "pyproject.toml": _PYPROJECT + '\n[dependency-groups]\ndev = ["rust-just>=1.40"]\n',
            },
        ),
        # A template's pyproject.toml (Jinja): its dependency groups are unknown.
        Good(
            _JUSTFILE,
            files={
                ".github/workflows/check.yml": _CI,
                "pyproject.toml": '[project]\nname = "{{ cookiecutter.name }}"\n{% if x %}\n',
            },
        ),
        # Without `uv run just` anywhere, how just is installed is the team's business.
        Good(_JUSTFILE, files={"pyproject.toml": _PYPROJECT}),
        Bad(
            _JUSTFILE,
            files={".github/workflows/check.yml": _CI, "pyproject.toml": _PYPROJECT},
            span=(1, 1, 1, 1),
            message="`uv run just` runs in .github/workflows/check.yml:7, but `rust-just` is in"
            " no dependency group: add it with `uv add --group dev rust-just` so that every"
            " teammate and CI runs the locked `just`",
        ),
    )

    def check_file(self, model: JustfileModel) -> None:
        if not model.is_root:
            return
        from mlops_hooks.project.uvrun import uv_run_just_calls

        calls = uv_run_just_calls(self.project)
        if not calls or self.project.pyproject.unreadable:
            return  # (a template's pyproject.toml with Jinja: its groups are unknown)
        if self.project.depends_on("rust-just"):
            return
        first = calls[0]
        self.report(
            Span.point(1, 1),
            f"`uv run just` runs in {first.path}:{first.line}, but `rust-just` is in no"
            " dependency group: add it with `uv add --group dev rust-just` so that every"
            " teammate and CI runs the locked `just`",
        )
