"""PCC003: a remote repo's `rev` is a branch or other moving reference, or is missing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.precommit.base import PrecommitRule
from mlops_hooks.lazyre import lazy
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.precommit.model import Repo

_HEX = lazy(r"^[0-9a-fA-F]+$")
#: Branch names seen in the wild; named in the message as branches.
BRANCHES = frozenset(
    {"main", "master", "head", "develop", "dev", "development", "trunk", "latest", "stable"}
)


def is_mutable(rev: str) -> bool:
    """pre-commit's own test for a moving reference: no dot and not hexadecimal (so `main`,
    `HEAD`, `v1`, `stable`), plus the well-known branch names whatever their form."""
    return rev.lower() in BRANCHES or ("." not in rev and not _HEX.match(rev))


class MutableRev(PrecommitRule):
    """A remote repo's `rev` is a branch or other moving reference, or is missing.

    ## What it does
    Flags a `rev:` that names a branch (`main`, `master`, `HEAD`, `develop` ...) or another
    moving reference (no dot and not a commit SHA, such as `v1` or `stable`, pre-commit's own
    test), and remote repos with no `rev` at all. `repo: local` and `repo: meta` need none.

    ## Why is this bad?
    pre-commit clones a `rev` once and caches it: a branch is never updated after the first
    install, so every machine runs whatever the branch pointed to on the day it first ran,
    and CI differs from laptops. A missing `rev` makes pre-commit refuse the config.
    """

    code = "PCC003"
    name = "mutable-rev"
    examples = (
        Good(
            "repos:\n  - repo: https://github.com/PyCQA/bandit\n    rev: 1.8.6\n"
            "    hooks:\n      - id: bandit\n"
            "  - repo: https://github.com/psf/black\n"
            "    rev: 8a737e727ac5ab2f1d4cf5876720ed276dc8dc4b\n"
            "    hooks:\n      - id: black\n"
            "  - repo: local\n    hooks:\n      - id: lint\n        name: lint\n"
            "        entry: make lint\n        language: system\n"
        ),
        Bad(
            "repos:\n  - repo: https://github.com/PyCQA/bandit\n    rev: main\n"
            "    hooks:\n      - id: bandit\n",
            span=(3, 10, 3, 14),
            message="`rev: main` is a branch: pre-commit never updates it after the first"
            " install; pin a tag or a full commit SHA",
        ),
        Bad(
            "repos:\n  - repo: https://github.com/adrienverge/yamllint\n    rev: 'v1'\n"
            "    hooks:\n      - id: yamllint\n",
            span=(3, 10, 3, 14),
            message="`rev: v1` is a moving reference: pre-commit never updates it after the"
            " first install; pin a tag or a full commit SHA",
        ),
        Bad(
            "repos:\n  - repo: https://github.com/PyCQA/bandit\n    hooks:\n      - id: bandit\n",
            span=(2, 11, 2, 42),
            message="repo `https://github.com/PyCQA/bandit` has no `rev`: pin a tag or a full"
            " commit SHA",
        ),
    )

    def check_repo(self, repo: Repo) -> None:
        if not repo.is_remote:
            return
        rev = repo.rev
        if rev is None or not rev.value.strip():
            where = repo.url.span if rev is None else rev.span
            self.report(
                where,
                f"repo `{repo.url.value}` has no `rev`: pin a tag or a full commit SHA",
            )
            return
        if not is_mutable(rev.value):
            return
        what = "a branch" if rev.value.lower() in BRANCHES else "a moving reference"
        self.report(
            rev.span,
            f"`rev: {rev.value}` is {what}: pre-commit never updates it after the first"
            " install; pin a tag or a full commit SHA",
        )
