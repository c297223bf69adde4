"""PCC006: `stages` or `default_stages` uses a stage name renamed in pre-commit 3.2."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mlops_hooks.checkers.precommit.base import PrecommitRule
from mlops_hooks.checkers.precommit.model import LEGACY_STAGES
from mlops_hooks.diagnostics import Fix, FixSafety
from mlops_hooks.lazyre import lazy
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.precommit.model import PrecommitConfig, Scalar

#: ``minimum_pre_commit_version: '3.2.0'`` at the top level of the file.
_MINIMUM = lazy(r"^minimum_pre_commit_version:[ \t]*['\"]?(\d+)\.(\d+)", re.MULTILINE)
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
    The fix replaces only the name, keeping its quotes, the list's flow or block layout and
    comments. Safe when the pre-commit that runs the file knows the new names: the file
    requires pre-commit 3.2 or later (`minimum_pre_commit_version`), or already uses a new
    name (`pre-commit`, `pre-push`, `pre-merge-commit`) as a stage. Unsafe otherwise: a
    pre-commit older than 3.2 rejects the new names and the config stops loading.

    ## What changed
    Fix-safety audit (docs/fix-safety.md): the fix used to be safe everywhere; it is now
    unsafe when nothing in the file says that its pre-commit knows the new names.
    """

    code = "PCC006"
    name = "deprecated-stage-name"
    fix_safety = FixSafety.SAFE
    examples = (
        Good("default_stages: [pre-commit, pre-push]\nrepos: []\n"),
        Bad(
            "minimum_pre_commit_version: '3.2.0'\ndefault_stages: [commit, push]  # legacy\n"
            "repos: []\n",
            span=(2, 18, 2, 24),
            spans=((2, 26, 2, 30),),
            message="deprecated stage name `commit`: use `pre-commit` (renamed in pre-commit 3.2)",
            fixed="minimum_pre_commit_version: '3.2.0'\n"
            "default_stages: [pre-commit, pre-push]  # legacy\nrepos: []\n",
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
        names = {stage.value for stages in lists for stage in stages or ()}
        safe = bool(names & set(LEGACY_STAGES.values())) or _requires_new_names(config)
        for stages in lists:
            for stage in stages or ():
                if stage.node_id not in seen and stage.value in LEGACY_STAGES:
                    seen.add(stage.node_id)
                    self._report(stage, safe)

    def _report(self, stage: Scalar, safe: bool) -> None:
        new = LEGACY_STAGES[stage.value]
        edit, message = stage.replace(new), f"Rename `{stage.value}` to `{new}`"
        self.report(
            stage.span,
            f"deprecated stage name `{stage.value}`: use `{new}` (renamed in pre-commit 3.2)",
            fix=Fix.safe(edit, message=message) if safe else Fix.unsafe(edit, message=message),
        )


def _requires_new_names(config: PrecommitConfig) -> bool:
    """Whether the file requires a pre-commit that knows the new names (3.2 or later)."""
    match = _MINIMUM.search(config.source.text)
    return match is not None and (int(match.group(1)), int(match.group(2))) >= (3, 2)
