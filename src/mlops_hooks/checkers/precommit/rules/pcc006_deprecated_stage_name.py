"""PCC006: `stages` or `default_stages` uses a stage name renamed in pre-commit 3.2."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.precommit.base import PrecommitRule
from mlops_hooks.checkers.precommit.model import LEGACY_STAGES
from mlops_hooks.diagnostics import Fix, FixSafety
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.precommit.model import PrecommitConfig, Scalar

_LOCAL = "repos:\n  - repo: local\n    hooks:\n      - id: lint\n        name: lint\n"


class DeprecatedStageName(PrecommitRule):
    """`stages` or `default_stages` uses a stage name renamed in pre-commit 3.2.

    ## What it does
    Flags the stage names `commit`, `push` and `merge-commit` in a hook's `stages` or in
    `default_stages`; they are `pre-commit`, `pre-push` and `pre-merge-commit` since
    pre-commit 3.2.

    ## Why is this bad?
    pre-commit 4 warns about them on every run (`pre-commit migrate-config`) and a future
    version removes them: the config then stops loading. The new names are also the names of
    the git hooks, which `default_install_hook_types` uses.

    ## Fix safety
    Safe: pre-commit treats both names the same. The fix replaces only the name, keeping its
    quotes, the list's flow or block layout and comments.
    """

    code = "PCC006"
    name = "deprecated-stage-name"
    fix_safety = FixSafety.SAFE
    examples = (
        Good("default_stages: [pre-commit, pre-push]\nrepos: []\n"),
        Bad(
            "default_stages: [commit, push]  # legacy\nrepos: []\n",
            span=(1, 18, 1, 24),
            spans=((1, 26, 1, 30),),
            message="deprecated stage name `commit`: use `pre-commit` (renamed in pre-commit 3.2)",
            fixed="default_stages: [pre-commit, pre-push]  # legacy\nrepos: []\n",
        ),
        Bad(
            _LOCAL + "        entry: make lint\n        language: system\n"
            "        stages:\n          - 'merge-commit'\n          - \"push\"\n",
            span=(9, 13, 9, 27),
            spans=((10, 13, 10, 19),),
            message="deprecated stage name `merge-commit`: use `pre-merge-commit` (renamed in"
            " pre-commit 3.2)",
            fixed=_LOCAL + "        entry: make lint\n        language: system\n"
            "        stages:\n          - 'pre-merge-commit'\n          - \"pre-push\"\n",
        ),
    )

    def check_config(self, config: PrecommitConfig) -> None:
        # An alias shares its anchor's node: report (and fix) each node once.
        seen: set[int] = set()
        lists = [config.default_stages, *(hook.stages for hook in config.hooks)]
        for stages in lists:
            for stage in stages or ():
                if stage.node_id not in seen and stage.value in LEGACY_STAGES:
                    seen.add(stage.node_id)
                    self._report(stage)

    def _report(self, stage: Scalar) -> None:
        new = LEGACY_STAGES[stage.value]
        self.report(
            stage.span,
            f"deprecated stage name `{stage.value}`: use `{new}` (renamed in pre-commit 3.2)",
            fix=Fix.safe(stage.replace(new), message=f"Rename `{stage.value}` to `{new}`"),
        )
