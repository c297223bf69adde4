"""PCC002: a hook runs only at a git hook that `pre-commit install` never installs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.precommit.base import PrecommitRule
from mlops_hooks.checkers.precommit.hookspec import HookSpec
from mlops_hooks.checkers.precommit.model import STAGES
from mlops_hooks.rule import Bad, Good, OptionError, option, options

if TYPE_CHECKING:
    from mlops_hooks.checkers.precommit.model import Hook, PrecommitConfig

#: Default stages from the manifests (`.pre-commit-hooks.yaml`) of well-known hook repositories.
MANIFEST_STAGES = {
    "commitizen-tools/commitizen:commitizen": ("commit-msg",),
    "compilerla/conventional-pre-commit:conventional-pre-commit": ("commit-msg",),
    "jorisroovers/gitlint:gitlint": ("commit-msg",),
}

_COMMITIZEN = """\
repos:
  - repo: https://github.com/commitizen-tools/commitizen
    rev: v4.9.1
    hooks:
      - id: commitizen
"""
_INSTALL = """\
# set up the environment and the git hooks
install:
    uv sync
    uv run pre-commit install --hook-type pre-commit --hook-type commit-msg
"""


@options
class Options:
    """Options of PCC002."""

    manifest_stages: dict[str, list[str]] = option(
        default={spec: list(stages) for spec, stages in MANIFEST_STAGES.items()},
        doc="The default `stages` of hooks whose manifest sets them, keyed by hook spec"
        ' (`"owner/name:hook-id"`), e.g. `{"org/hooks:check-ticket" = ["commit-msg"]}`.'
        " Setting it replaces the built-in table (commitizen, conventional-pre-commit,"
        " gitlint).",
    )

    def __post_init__(self) -> None:
        for spec in self.manifest_stages:
            HookSpec.parse(spec, "commit-msg-hook-not-installed.manifest-stages")
        for spec, stages in self.manifest_stages.items():
            unknown = [s for s in stages if s not in STAGES]
            if not stages or unknown:
                raise OptionError(
                    f"option commit-msg-hook-not-installed.manifest-stages: {spec!r} needs a"
                    f" list of stages among {', '.join(STAGES)}"
                )


class CommitMsgHookNotInstalled(PrecommitRule):
    """A hook runs only at a git hook that `pre-commit install` never installs.

    ## What it does
    Finds hooks that run only at stages such as `commit-msg` or `pre-push` (their `stages`, or
    the manifest default of well-known hooks: commitizen's `commitizen`,
    conventional-pre-commit, gitlint) while neither `default_install_hook_types` nor a recipe
    of the repository's justfile (`pre-commit install --hook-type commit-msg`, or `-t`)
    installs that git hook. Reported on the hook's `id`. Hooks that run only at `manual` are
    left alone: that is on purpose.

    ## Why is this bad?
    A bare `pre-commit install` installs only the `pre-commit` git hook. A `commit-msg` hook
    such as commitizen's is then never called: every commit message passes unchecked, and
    nothing says so.

    ## Options
    `manifest-stages` names the default stages of more hooks.
    """

    code = "PCC002"
    name = "commit-msg-hook-not-installed"
    Options = Options
    examples = (
        Good("default_install_hook_types: [pre-commit, commit-msg]\n" + _COMMITIZEN),
        Good(_COMMITIZEN, files={"justfile": _INSTALL}),
        Good(_COMMITIZEN + "        stages: [manual]\n"),
        Bad(
            _COMMITIZEN,
            span=(5, 13, 5, 23),
            message="`commitizen` runs at `commit-msg`, but only `pre-commit` hooks are"
            " installed: add `commit-msg` to `default_install_hook_types` (or `pre-commit"
            " install --hook-type commit-msg` to the justfile), or the hook never runs",
        ),
        Bad(
            _COMMITIZEN + "      - id: commitizen-branch\n        stages: [pre-push]\n",
            span=(6, 13, 6, 30),
            message="`commitizen-branch` runs at `pre-push`, but only `pre-commit` and"
            " `commit-msg` hooks are installed: add `pre-push` to `default_install_hook_types`"
            " (or `pre-commit install --hook-type pre-push` to the justfile), or the hook never"
            " runs",
            files={"justfile": _INSTALL},
        ),
    )

    def check_config(self, config: PrecommitConfig) -> None:
        table = [
            (HookSpec.parse(spec, "manifest-stages"), stages)
            for spec, stages in self.options.manifest_stages.items()
        ]
        installed = set(config.install_hook_types)
        from_justfile: set[str] | None = None
        for hook in config.hooks:
            stages = [s for s in self._stages(hook, config, table) if s != "manual"]
            if not stages or installed.intersection(stages):
                continue
            if from_justfile is None:
                # Parsing the justfile costs a subprocess: only when a hook needs it.
                recipes = self.project.justfile_installs or ()
                from_justfile = {t for recipe in recipes for t in recipe.hook_types}
                installed |= from_justfile
                if installed.intersection(stages):
                    continue
            missing = " and ".join(f"`{s}`" for s in stages)
            have = " and ".join(f"`{s}`" for s in sorted(installed, key=_order))
            have = f"only {have} hooks are" if have else "no git hook is"
            self.report(
                hook.id.span,
                f"`{hook.id.value}` runs at {missing}, but {have} installed:"
                f" add {missing} to `default_install_hook_types` (or `pre-commit install"
                f" --hook-type {stages[0]}` to the justfile), or the hook never runs",
            )

    @staticmethod
    def _stages(
        hook: Hook,
        config: PrecommitConfig,
        table: list[tuple[HookSpec, list[str]]],
    ) -> tuple[str, ...]:
        """The stages pre-commit runs ``hook`` at: its own ``stages``, else its manifest's,
        else ``default_stages``."""
        if hook.stage_names is not None:
            return hook.stage_names
        if hook.repo.is_remote:
            for spec, stages in table:
                if spec.matches(hook):
                    return tuple(stages)
        return config.default_stage_names


def _order(stage: str) -> tuple[int, str]:
    # `pre-commit` first, then the others alphabetically: the order users read them in.
    return (0 if stage == "pre-commit" else 1, stage)
