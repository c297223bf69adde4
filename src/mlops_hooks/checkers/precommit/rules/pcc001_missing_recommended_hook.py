"""PCC001: a recommended standard hook is absent from the pre-commit config."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.precommit.base import PrecommitRule
from mlops_hooks.checkers.precommit.hookspec import parse_specs
from mlops_hooks.rule import Bad, Good, option, options

if TYPE_CHECKING:
    from mlops_hooks.checkers.precommit.model import PrecommitConfig

DEFAULT_REQUIRED = (
    "pre-commit/pre-commit-hooks:check-yaml",
    "pre-commit/pre-commit-hooks:trailing-whitespace",
    "astral-sh/ruff-pre-commit:ruff-check",
    "PyCQA/bandit:bandit",
    "commitizen-tools/commitizen:commitizen",
)

_ALL = """\
repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v6.0.0
    hooks:
      - id: check-yaml
      - id: trailing-whitespace
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v0.14.0
    hooks:
      - id: ruff-check
  - repo: https://github.com/PyCQA/bandit
    rev: 1.8.6
    hooks:
      - id: bandit
  - repo: https://github.com/commitizen-tools/commitizen
    rev: v4.9.1
    hooks:
      - id: commitizen
"""


@options
class Options:
    """Options of PCC001."""

    required_hooks: list[str] = option(
        default=list(DEFAULT_REQUIRED),
        doc='Hooks the config must have, as `"owner/name:hook-id"` specs: the repository'
        ' matches any host, case and `.git` suffix; `"hook-id"` alone matches any'
        ' repository; `"a|b"` accepts either id. A `repo: local` hook with the id always'
        " counts, and the legacy `ruff` id counts for `ruff-check`. Setting it replaces the"
        " default set.",
    )
    extend_required_hooks: list[str] = option(
        default=[],
        doc="More hook specs required on top of `required-hooks`, e.g."
        ' `["pre-commit/pre-commit-hooks:end-of-file-fixer",'
        ' "astral-sh/ruff-pre-commit:ruff-format"]`.',
    )

    def __post_init__(self) -> None:
        parse_specs(self.required_hooks, "missing-recommended-hook.required-hooks")
        parse_specs(self.extend_required_hooks, "missing-recommended-hook.extend-required-hooks")


class MissingRecommendedHook(PrecommitRule):
    """A recommended standard hook is absent from the pre-commit config.

    ## What it does
    Checks that the config runs the standard hooks of a uv-managed ML project:
    pre-commit-hooks' `check-yaml` and `trailing-whitespace`, ruff-pre-commit's `ruff-check`
    (the legacy `ruff` id counts), PyCQA's `bandit` and commitizen's `commitizen`. A hook
    matches by id and repository (any host, any case, with or without `.git`); a `repo: local`
    hook with the same id counts. One finding per missing hook, on the `repos:` key.

    ## Why is this bad?
    Each of these catches a class of problems before it reaches CI: broken YAML, noisy diffs,
    lint errors, security issues, and commit messages that break the changelog. Without the
    hook, the check runs only in CI, if at all.

    ## Options
    `required-hooks` replaces the default set; `extend-required-hooks` adds to it.
    """

    code = "PCC001"
    name = "missing-recommended-hook"
    Options = Options
    examples = (
        Good(_ALL),
        Good(
            _ALL.replace("https://github.com/PyCQA/bandit", "git@GitLab.com:pycqa/Bandit.git")
            .replace("id: ruff-check", "id: ruff")
            .replace("https://github.com/commitizen-tools/commitizen", "local")
            .replace("    rev: v4.9.1\n", "")
            .replace(
                "      - id: commitizen\n",
                "      - id: commitizen\n        name: commitizen\n"
                "        entry: cz check --commit-msg-file\n        language: system\n"
                "        stages: [commit-msg]\n",
            )
        ),
        Bad(
            "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n"
            "    rev: v0.14.0\n    hooks:\n      - id: ruff-check\n",
            span=(1, 1, 1, 6),
            spans=((1, 1, 1, 6),) * 3,
            message="missing recommended hook `bandit` from `PyCQA/bandit`",
        ),
        Bad(
            _ALL,
            span=(1, 1, 1, 6),
            message="missing recommended hook `end-of-file-fixer`"
            " from `pre-commit/pre-commit-hooks`",
            options={"extend-required-hooks": ["pre-commit/pre-commit-hooks:end-of-file-fixer"]},
        ),
        Bad(
            "repos: []\n",
            span=(1, 1, 1, 6),
            message="missing recommended hook `mypy`",
            options={"required-hooks": ["mypy"]},
        ),
    )

    def check_config(self, config: PrecommitConfig) -> None:
        specs = parse_specs(
            (*self.options.required_hooks, *self.options.extend_required_hooks),
            "required-hooks",
        )
        hooks = config.hooks
        for spec in specs:
            if any(spec.matches(hook) for hook in hooks):
                continue
            where = f" from `{spec.repo_text}`" if spec.repo else ""
            self.report(config.repos_key, f"missing recommended hook `{spec.id}`{where}")
