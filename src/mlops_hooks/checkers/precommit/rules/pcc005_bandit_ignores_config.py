"""PCC005: bandit is configured in `pyproject.toml`, but the hook does not read it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.precommit.base import PrecommitRule
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.precommit.model import Hook

_PYPROJECT = '[project]\nname = "app"\n\n[tool.bandit]\nexclude_dirs = ["tests"]\n'
_BANDIT = "repos:\n  - repo: https://github.com/PyCQA/bandit\n    rev: 1.8.6\n    hooks:\n"


#: `[tool.bandit]` keys that a run over explicit file names ignores.
FILE_LIST_KEYS = frozenset({"targets"})


def runs_bandit(hook: Hook) -> bool:
    """PyCQA's `bandit` hook, or a local hook whose command runs `bandit`."""
    if hook.repo.is_local:
        return any(word.rsplit("/", 1)[-1] == "bandit" for word in hook.words)
    return hook.id.value == "bandit" and hook.repo.matches("PyCQA/bandit")


def passes_config(words: tuple[str, ...]) -> bool:
    """Whether bandit gets a config file: `-c FILE`, `-cFILE`, `--configfile[=]FILE`."""
    return any(
        word in ("-c", "--configfile")
        or word.startswith("--configfile=")
        or (word.startswith("-c") and not word.startswith("--"))
        for word in words
    )


class BanditIgnoresConfig(PrecommitRule):
    """bandit is configured in `pyproject.toml`, but the hook does not read it.

    ## What it does
    When `pyproject.toml` has a `[tool.bandit]` table with settings that change a run over
    the files pre-commit passes (`exclude_dirs`, `skips`, `tests`, ...: anything but
    `targets`, which the file names replace anyway), flags a bandit hook (PyCQA's, or a local
    hook running `bandit`) that passes no configuration file: no `-c pyproject.toml` or
    `--configfile pyproject.toml` in its `args` or `entry`. Reported on the hook's `id`.

    ## Why is this bad?
    bandit reads `pyproject.toml` only when told to with `-c`. Without it, the hook ignores the
    `[tool.bandit]` settings (excluded directories, skipped tests) silently, and reports what
    the project decided to skip, or the other way round when CI runs bandit with `-c`.

    ## What changed
    Until 0.1.0 any `[tool.bandit]` table counted; one that sets only `targets` changes
    nothing in a hook run (the hook passes file names), so it is no longer a finding (field
    trial F24).
    """

    code = "PCC005"
    name = "bandit-ignores-config"
    examples = (
        Good(
            _BANDIT + "      - id: bandit\n        args: [-c, pyproject.toml]\n",
            files={"pyproject.toml": _PYPROJECT},
        ),
        Good(_BANDIT + "      - id: bandit\n"),
        # `targets` is replaced by the file names pre-commit passes: nothing is ignored.
        Good(
            _BANDIT + "      - id: bandit\n",
            files={
                "pyproject.toml": '[project]\nname = "app"\n\n[tool.bandit]\ntargets = ["src"]\n'
            },
        ),
        Good(
            "repos:\n  - repo: local\n    hooks:\n      - id: bandit\n        name: bandit\n"
            "        entry: uv run bandit --configfile=pyproject.toml\n"
            "        language: system\n",
            files={"pyproject.toml": _PYPROJECT},
        ),
        Bad(
            _BANDIT + "      - id: bandit\n        args: [--recursive]\n",
            span=(5, 13, 5, 19),
            message="`pyproject.toml` configures bandit in `[tool.bandit]`, but this hook"
            " passes no `-c pyproject.toml`: bandit ignores the settings",
            files={"pyproject.toml": _PYPROJECT},
        ),
    )

    def check_hook(self, hook: Hook) -> None:
        if not runs_bandit(hook) or passes_config(hook.words):
            return
        if not self.project.pyproject.bandit_keys - FILE_LIST_KEYS:
            return
        self.report(
            hook.id.span,
            "`pyproject.toml` configures bandit in `[tool.bandit]`, but this hook passes no"
            " `-c pyproject.toml`: bandit ignores the settings",
        )
