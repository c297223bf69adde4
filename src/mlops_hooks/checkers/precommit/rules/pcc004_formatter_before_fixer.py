"""PCC004: `ruff-format` runs before the ruff lint hook that fixes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.precommit.base import PrecommitRule
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.precommit.model import Hook, PrecommitConfig

_RUFF_REPO = "astral-sh/ruff-pre-commit"
_HEADER = "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.14.0\n"


def _after(words: tuple[str, ...], command: str) -> tuple[str, ...] | None:
    """The words after ``ruff <command>`` in a local hook's command line, if it runs it."""
    for index, word in enumerate(words[:-1]):
        if word.rsplit("/", 1)[-1] == "ruff" and words[index + 1] == command:
            return words[index + 2 :]
    return None


def is_formatter(hook: Hook) -> bool:
    """ruff-pre-commit's `ruff-format`, or a local hook that runs `ruff format`."""
    if hook.repo.is_local:
        return _after(hook.words, "format") is not None
    return hook.id.value == "ruff-format" and hook.repo.matches(_RUFF_REPO)


def fixes(hook: Hook, fix_by_default: bool) -> bool:
    """Whether ``hook`` is a ruff lint hook that fixes (``--fix``, ``--fix-only``, or ruff's
    ``fix = true`` setting without ``--no-fix``)."""
    if hook.repo.is_local:
        words = _after(hook.words, "check")
        if words is None:
            return False
    elif hook.id.value in ("ruff-check", "ruff") and hook.repo.matches(_RUFF_REPO):
        words = hook.words
    else:
        return False
    fix = fix_by_default
    for word in words:
        if word in ("--fix", "--fix-only"):
            fix = True
        elif word in ("--no-fix", "--no-fix-only"):
            fix = False
    return fix


class FormatterBeforeFixer(PrecommitRule):
    """`ruff-format` runs before the ruff lint hook that fixes.

    ## What it does
    Flags a `ruff-format` hook (or a local hook running `ruff format`) listed before a
    `ruff-check`/`ruff` hook that fixes: `--fix` or `--fix-only` in its `args` (or `entry`), or
    `fix = true` in ruff's configuration. pre-commit runs hooks in the order of the file.

    ## Why is this bad?
    ruff's documented order is lint-fix first, then format: a fix (an import sorted, a
    comprehension rewritten) can leave code the formatter would change, so the commit fails
    a second time, or unformatted code lands when the formatter already passed.
    """

    code = "PCC004"
    name = "formatter-before-fixer"
    examples = (
        Good(
            _HEADER + "    hooks:\n      - id: ruff-check\n        args: [--fix]\n"
            "      - id: ruff-format\n"
        ),
        Good(_HEADER + "    hooks:\n      - id: ruff-format\n      - id: ruff-check\n"),
        Bad(
            _HEADER + "    hooks:\n      - id: ruff-format\n      - id: ruff-check\n"
            "        args: [--fix]\n",
            span=(5, 13, 5, 24),
            message="`ruff-format` runs before `ruff-check` fixes (line 6): a fix can leave"
            " code unformatted; list `ruff-format` after it",
        ),
        Bad(
            "repos:\n  - repo: local\n    hooks:\n      - id: format\n        name: format\n"
            "        entry: uv run ruff format\n        language: system\n"
            "      - id: lint\n        name: lint\n        entry: uv run ruff check\n"
            "        language: system\n",
            span=(4, 13, 4, 19),
            message="`format` runs before `lint` fixes (line 8): a fix can leave"
            " code unformatted; list `format` after it",
            files={"pyproject.toml": '[project]\nname = "x"\n\n[tool.ruff]\nfix = true\n'},
        ),
    )

    def check_config(self, config: PrecommitConfig) -> None:
        hooks = config.hooks
        formatters = [h for h in hooks if is_formatter(h)]
        if not formatters:
            return
        fix_by_default = self.project.pyproject.ruff_fix
        fixers = [h for h in hooks if fixes(h, fix_by_default)]
        for formatter in formatters:
            later = next((f for f in fixers if f.index > formatter.index), None)
            if later is None:
                continue
            self.report(
                formatter.id.span,
                f"`{formatter.id.value}` runs before `{later.id.value}` fixes"
                f" (line {later.id.span.start.line}): a fix can leave code unformatted;"
                f" list `{formatter.id.value}` after it",
            )
