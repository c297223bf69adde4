"""PCC000: the pre-commit config cannot be read or is not a pre-commit config."""

from __future__ import annotations

from mlops_hooks.checkers.precommit.base import PrecommitRule
from mlops_hooks.rule import Bad, Good

_GOOD = """\
repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v6.0.0
    hooks:
      - id: check-yaml
"""


class PrecommitConfigParseError(PrecommitRule):
    """The pre-commit config is not valid YAML or not a pre-commit config.

    ## What it does
    Reports a `.pre-commit-config.yaml` that pre-commit would refuse, with the line and column
    of the problem: invalid YAML, several documents, a duplicate key, a tag the safe loader
    cannot load, a top level that is not a mapping or has no `repos` list, a repo without
    `repo` or `hooks`, a hook without `id`, an unknown stage name, or a value of the wrong
    type (`rev: 24.10` is a float: pre-commit wants the string `"24.10"`). Binary files,
    invalid UTF-8 and files above `max-file-size` are reported too. The other files of the run
    are still checked.

    ## Why is this bad?
    `pre-commit run` and `git commit` fail on it (or, for a duplicate key, silently use only
    the last value), and no other rule can check it.
    """

    code = "PCC000"
    name = "precommit-config-parse-error"
    parse_error = True
    examples = (
        Good(_GOOD),
        Bad(
            "repos:\n  - repo: https://github.com/PyCQA/bandit\n    rev: 1.9.4\n"
            "    rev: 1.8.0\n    hooks:\n      - id: bandit\n",
            span=(4, 5, 4, 5),
            message="duplicate key `rev` (first on line 3): YAML loaders keep only the last one",
        ),
        Bad(
            "- repo: https://github.com/PyCQA/bandit\n",
            span=(1, 1, 1, 1),
            message="the top level is a list, not a mapping:"
            " a pre-commit config is a mapping with a `repos` list",
        ),
        Bad(
            "default_stages: [pre-commit]\n",
            span=(1, 1, 1, 1),
            message="no `repos` key: pre-commit requires a `repos` list",
        ),
        Bad(
            "repos:\n  - repo: https://github.com/psf/black\n    rev: 24.10\n"
            "    hooks:\n      - id: black\n",
            span=(3, 10, 3, 10),
            message="`rev` must be a string, not a float: quote it",
        ),
        Bad(
            "repos:\n  - repo: local\n    hooks:\n      - id: lint\n        stages: [precommit]\n",
            span=(5, 18, 5, 18),
            message="unknown stage `precommit` in `stages`; pre-commit accepts commit-msg,"
            " manual, post-checkout, post-commit, post-merge, post-rewrite, pre-commit,"
            " pre-merge-commit, pre-push, pre-rebase, prepare-commit-msg",
        ),
        Bad(
            "repos: []\n\x00",
            span=(2, 1, 2, 1),
            message="binary file (contains NUL bytes); not checked",
        ),
    )
