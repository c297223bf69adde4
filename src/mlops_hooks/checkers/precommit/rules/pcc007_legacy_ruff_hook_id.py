"""PCC007: ruff-pre-commit's hook is named by its legacy id `ruff`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.precommit.base import PrecommitRule
from mlops_hooks.diagnostics import Fix, FixSafety
from mlops_hooks.lazyre import lazy
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.precommit.model import Hook

#: The first ruff-pre-commit release with the `ruff-check` id.
FIRST_RUFF_CHECK = (0, 11, 10)
_VERSION = lazy(r"^v?(\d+)\.(\d+)(?:\.(\d+))?$")


def _header(rev: str) -> str:
    return f"repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: {rev}\n"


def rev_version(rev: str) -> tuple[int, int, int] | None:
    """``v0.14.0`` -> ``(0, 14, 0)``; None for a SHA or anything else."""
    match = _VERSION.match(rev.strip())
    if match is None:
        return None
    return (int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))


class LegacyRuffHookId(PrecommitRule):
    """ruff-pre-commit's hook is named by its legacy id `ruff`.

    ## What it does
    Flags the hook id `ruff` from `astral-sh/ruff-pre-commit` at a `rev` of v0.11.10 or later
    (or a commit whose version is unknown): since v0.11.10 the lint hook is `ruff-check`
    (mirroring `ruff-format`) and `ruff` is kept as a legacy alias. Before v0.11.10 `ruff` is
    the only lint hook and nothing is reported.

    ## Why is this bad?
    pre-commit prints `ruff (legacy alias)` on every run, and the alias may go away. The
    explicit id also says which ruff command runs next to `ruff-format`.

    ## Fix safety
    Safe when `rev` is a release with the `ruff-check` id (v0.11.10 or later): the alias runs
    the same command. Unsafe when `rev` is a commit SHA or anything else whose version is
    unknown. The fix replaces only the id, keeping its quotes.

    ## What changed
    Until 0.1.0 the rule also reported `ruff` at a `rev` older than v0.11.10, where it is the
    only lint hook and no legacy-alias warning exists: that finding described no harm (field
    trial F25) and is gone.
    """

    code = "PCC007"
    name = "legacy-ruff-hook-id"
    fix_safety = FixSafety.SAFE
    examples = (
        Good(_header("v0.14.0") + "    hooks:\n      - id: ruff-check\n"),
        Good(
            "repos:\n  - repo: local\n    hooks:\n      - id: ruff\n        name: ruff\n"
            "        entry: ruff check\n        language: system\n"
        ),
        Bad(
            _header("v0.14.0") + "    hooks:\n      - id: ruff  # lint\n        args: [--fix]\n",
            span=(5, 13, 5, 17),
            message="legacy hook id `ruff`: use `ruff-check`",
            fixed=_header("v0.14.0")
            + "    hooks:\n      - id: ruff-check  # lint\n        args: [--fix]\n",
        ),
        # Before v0.11.10 `ruff` is the only lint hook: nothing to rename.
        Good(_header("v0.9.9") + "    hooks:\n      - id: ruff\n      - id: ruff-format\n"),
        Bad(
            _header("0123456789abcdef0123456789abcdef01234567")
            + "    hooks:\n      - {id: 'ruff'}\n",
            span=(5, 14, 5, 20),
            message="legacy hook id `ruff`: use `ruff-check`",
            fixed=_header("0123456789abcdef0123456789abcdef01234567")
            + "    hooks:\n      - {id: 'ruff-check'}\n",
        ),
    )

    def check_hook(self, hook: Hook) -> None:
        if hook.id.value != "ruff" or not hook.repo.matches("astral-sh/ruff-pre-commit"):
            return
        rev = hook.repo.rev.value if hook.repo.rev is not None else ""
        version = rev_version(rev)
        if version is not None and version < FIRST_RUFF_CHECK:
            return  # `ruff` is the only lint hook of that release: no alias, nothing to rename
        edit = hook.id.replace("ruff-check")
        message = "Rename the hook to `ruff-check`"
        fix = (
            Fix.safe(edit, message=message)
            if version is not None
            else Fix.unsafe(edit, message=message)
        )
        self.report(hook.id.span, "legacy hook id `ruff`: use `ruff-check`", fix=fix)
