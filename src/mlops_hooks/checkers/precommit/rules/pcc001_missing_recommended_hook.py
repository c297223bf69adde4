"""PCC001: a recommended standard hook is absent from the pre-commit config."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.precommit.base import PrecommitRule
from mlops_hooks.checkers.precommit.hookspec import HookSpec, parse_specs
from mlops_hooks.rule import Bad, Good, option, options

if TYPE_CHECKING:
    from collections.abc import Sequence

    from mlops_hooks.checkers.precommit.model import Hook, PrecommitConfig

#: Default hooks whose tool a project adopts by choice: required once the project configures
#: or depends on it (a changelog from commit messages, bandit's settings).
CONFIGURED_ONLY = frozenset({"PyCQA/bandit:bandit", "commitizen-tools/commitizen:commitizen"})
DEFAULT_REQUIRED = (
    "pre-commit/pre-commit-hooks:check-yaml",
    "pre-commit/pre-commit-hooks:trailing-whitespace",
    "astral-sh/ruff-pre-commit:ruff-check",
    "PyCQA/bandit:bandit",
    "commitizen-tools/commitizen:commitizen",
)
#: Python linters other than ruff: a project that lints at commit with one of them catches
#: the class of problems `ruff-check` stands for (lint errors) before CI.
OTHER_LINTERS = ("PyCQA/flake8:flake8", "pylint-dev/pylint:pylint")
RUFF_CHECK = "astral-sh/ruff-pre-commit:ruff-check"

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


_ADOPTED = (
    '[project]\nname = "app"\n\n[tool.bandit]\nskips = ["B101"]\n\n'
    '[tool.commitizen]\nname = "cz_conventional_commits"\n'
)
_COMMITIZEN = (
    "  - repo: https://github.com/commitizen-tools/commitizen\n    rev: v4.9.1\n    hooks:\n"
    "      - id: commitizen\n"
)
_COMMENTED_COMMITIZEN = (
    "  # - repo: https://github.com/commitizen-tools/commitizen\n  #   rev: v4.9.1\n"
    "  #   hooks:\n  #     - id: commitizen\n"
)
_RUFF_S = '[project]\nname = "app"\n\n[tool.ruff.lint]\nselect = ["E", "F", "S"]\n'


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
    (the legacy `ruff` id, and the repository's former home `charliermarsh/ruff-pre-commit`,
    count), PyCQA's `bandit` and commitizen's `commitizen`. A hook matches by id and
    repository (any host, any case, with or without `.git`); a `repo: local` hook counts when
    it has the same id or its `entry` runs the tool (`uv run ruff check --fix`). bandit is
    not missing when ruff runs with its flake8-bandit rules (`S` or `ALL` selected in ruff's
    configuration), and with the default `required-hooks`, `ruff-check` is not missing when
    the config lints with another Python linter (a `flake8` or `pylint` hook, remote or
    local). `bandit` and `commitizen` are required once the project has adopted the
    tool (configures it, `[tool.bandit]` or a commitizen configuration, or depends on it):
    without that, they are a convention the project did not choose, not a gap. In a project
    template (`cookiecutter.json` or `copier.yml` at the root)
    `check-yaml` is not recommended: the template's YAML holds Jinja, which it would reject.
    A default hook whose entry the config has commented out (a comment line `# - id: <id>`
    of the hook or `# - repo: <url>` of its repository) was turned off on purpose: it is not
    reported. A comment that merely mentions the tool, and hooks named in `required-hooks` or
    `extend-required-hooks`, still are. One finding per missing hook, on the `repos:` key.

    ## Why is this bad?
    Each of these catches a class of problems before it reaches CI: broken YAML, noisy diffs,
    lint errors, security issues, and commit messages that break the changelog. Without the
    hook, the check runs only in CI, if at all.

    ## Options
    `required-hooks` replaces the default set; `extend-required-hooks` adds to it.

    ## What changed
    Since 0.2.0 a local hook counts by the command its `entry` runs, the former
    `charliermarsh/ruff-pre-commit` URL counts, and ruff's `S` rules count for bandit: the
    project runs those checks already (field trial F18 to F20); a project template is not
    asked for `check-yaml` (F22); and with the default `required-hooks`, `bandit` and
    `commitizen` are required only from projects that configure or depend on them (the field
    trial found no maintainer who would add them otherwise). A config that lints at commit
    with flake8 or pylint is not asked for `ruff-check`: lint errors are caught before CI
    already, and moving to ruff is a choice of tool, not a missing check (second held-out
    check, H3). Since 0.2.0 a default hook whose entry is commented out in the config is not
    reported: the maintainer considered the hook and turned it off, so the finding tells them
    nothing they did not decide (issue 16: commitizen commented out beside a
    `[tool.commitizen]` configuration).
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
        # A local hook counts by what its entry runs; ruff-pre-commit's former URL counts.
        Good(
            _ALL.replace(
                "  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.14.0\n"
                "    hooks:\n      - id: ruff-check\n",
                "  - repo: local\n    hooks:\n      - id: lint\n        name: lint\n"
                "        entry: uv run ruff check --fix\n        language: system\n",
            )
        ),
        Good(_ALL.replace("astral-sh/ruff-pre-commit", "charliermarsh/ruff-pre-commit")),
        # Lint errors are caught at commit by flake8.
        Good(
            _ALL.replace(
                "  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.14.0\n"
                "    hooks:\n      - id: ruff-check\n",
                "  - repo: https://github.com/PyCQA/flake8\n    rev: 7.3.0\n"
                "    hooks:\n      - id: flake8\n",
            )
        ),
        # A project template's YAML holds Jinja: check-yaml is not for it.
        Good(
            _ALL.replace("      - id: check-yaml\n", ""),
            files={"cookiecutter.json": '{"name": "app"}\n'},
        ),
        # ruff's flake8-bandit rules are bandit's checks.
        Good(
            _ALL.replace(
                "  - repo: https://github.com/PyCQA/bandit\n    rev: 1.8.6\n    hooks:\n"
                "      - id: bandit\n",
                "",
            ),
            files={"pyproject.toml": _RUFF_S},
        ),
        # commitizen's entry is commented out: turned off on purpose.
        Good(_ALL.replace(_COMMITIZEN, _COMMENTED_COMMITIZEN), files={"pyproject.toml": _ADOPTED}),
        # A comment that only mentions the tool is no entry: the hook is missing.
        Bad(
            _ALL.replace(_COMMITIZEN, "  # commitizen runs in CI\n"),
            span=(1, 1, 1, 6),
            message="missing recommended hook `commitizen` from `commitizen-tools/commitizen`",
            files={"pyproject.toml": _ADOPTED},
        ),
        Bad(
            "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n"
            "    rev: v0.14.0\n    hooks:\n      - id: ruff-check\n",
            span=(1, 1, 1, 6),
            spans=((1, 1, 1, 6),) * 3,
            message="missing recommended hook `bandit` from `PyCQA/bandit`",
            files={"pyproject.toml": _ADOPTED},
        ),
        # A project that never took up bandit or commitizen is not asked for their hooks.
        Bad(
            "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n"
            "    rev: v0.14.0\n    hooks:\n      - id: ruff-check\n",
            span=(1, 1, 1, 6),
            spans=((1, 1, 1, 6),),
            message="missing recommended hook `check-yaml` from `pre-commit/pre-commit-hooks`",
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
            if self._turned_off(spec, config):
                continue
            if "bandit" in spec.ids and self._ruff_runs_bandit_rules(hooks):
                continue
            if spec.text == RUFF_CHECK and self._lints_otherwise(hooks):
                continue
            if "check-yaml" in spec.ids and self.project.is_template_repository:
                continue  # the template's YAML is Jinja: check-yaml would fail on it
            if spec.text in CONFIGURED_ONLY and not self._adopted(spec.id):
                continue
            where = f" from `{spec.repo_text}`" if spec.repo else ""
            self.report(config.repos_key, f"missing recommended hook `{spec.id}`{where}")

    def _turned_off(self, spec: HookSpec, config: PrecommitConfig) -> bool:
        """Whether a default hook's entry is commented out in the config: the maintainer
        turned it off on purpose. A hook the user requires by name is required regardless."""
        if list(self.options.required_hooks) != list(DEFAULT_REQUIRED):
            return False
        if spec.text not in DEFAULT_REQUIRED:
            return False
        return spec.commented_out(config.commented_out_entries())

    def _adopted(self, tool: str) -> bool:
        """Whether the project has taken up ``tool`` (configures it or depends on it): only
        then is its missing hook a gap rather than a convention it never chose. Required
        explicitly (`required-hooks` set by the user), it always counts."""
        if list(self.options.required_hooks) != list(DEFAULT_REQUIRED):
            return True
        project = self.project
        if project.depends_on(tool):
            return True
        if tool == "bandit":
            return (
                bool(project.pyproject.bandit_keys)
                or project.read_text(project.root / ".bandit") is not None
            )
        return project.commitizen_config is not None

    def _lints_otherwise(self, hooks: Sequence[Hook]) -> bool:
        """Whether another Python linter (flake8, pylint) runs at commit, while `ruff-check`
        is asked for by default rather than named by the user."""
        if list(self.options.required_hooks) != list(DEFAULT_REQUIRED):
            return False
        linters = parse_specs(OTHER_LINTERS, "required-hooks")
        return any(linter.matches(hook) for linter in linters for hook in hooks)

    def _ruff_runs_bandit_rules(self, hooks: Sequence[Hook]) -> bool:
        """ruff's `S` rules (flake8-bandit) are bandit's checks; they run at commit when a
        ruff lint hook runs with `S` (or `ALL`) selected."""
        selected = self.project.pyproject.ruff_select
        if not any(rule in ("S", "ALL") for rule in selected):
            return False
        ruff = HookSpec.parse("astral-sh/ruff-pre-commit:ruff-check", "ruff")
        return any(ruff.matches(hook) for hook in hooks)
