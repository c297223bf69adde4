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
_WHITESPACE = """\
repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v6.0.0
    hooks:
      - id: trailing-whitespace
"""
_PUSH_ONLY = """\
# set up the environment and the git hooks
install:
    uv run pre-commit install --hook-type=pre-push
    uv run pre-commit install --hook-type=commit-msg
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
    """A hook runs only at a git hook that is never installed.

    ## What it does
    Finds the tasks of the repository that install the git hooks (`pre-commit install` or
    `prek install` in a justfile recipe, a Makefile target, an invoke or nox task, a tox
    environment, a script under `scripts/` or a `package.json` script) and the git hook types
    each installs (its `--hook-type`/`-t` flags, else the config's
    `default_install_hook_types`). Then reports:

    - a hook that runs only at stages none of them installs (`commit-msg` for commitizen's
      `commitizen` by its manifest, `pre-push`, ...), on the hook's `id`;
    - once, on the first hook that runs at commit, install tasks that never install the
      `pre-commit` git hook: the hooks without `stages` then run only at `git push` (or
      never), not at commit.

    Each message says which git hook types are installed, and by what. When no task installs
    the hooks, what a bare `pre-commit install` installs (`default_install_hook_types`) is
    assumed, and the message says so. Hooks that run only at `manual` are left alone.

    ## Why is this bad?
    A hook runs only from a git hook that is installed. A `commit-msg` hook such as
    commitizen's is never called when only the `pre-commit` git hook is: every commit message
    passes unchecked, and nothing says so. An install task that installs `pre-push` and
    `commit-msg` but not `pre-commit` moves ruff, bandit and the whitespace checks from commit
    time to push time: the commits are made unchecked, and fixed (if at all) in a later one.

    ## Options
    `manifest-stages` names the default stages of more hooks.

    ## What changed
    Since 0.2.0 install tasks of every runner count, not only the justfile's (field trial
    F23, M7, M8: invoke, prek), and install tasks that never install the `pre-commit` git
    hook are reported (M6).
    """

    code = "PCC002"
    name = "commit-msg-hook-not-installed"
    Options = Options
    examples = (
        Good("default_install_hook_types: [pre-commit, commit-msg]\n" + _COMMITIZEN),
        Good(_COMMITIZEN, files={"justfile": _INSTALL}),
        Good(_COMMITIZEN + "        stages: [manual]\n"),
        Good(
            _COMMITIZEN,
            files={"Makefile": "hooks:\n\tpre-commit install -t pre-commit -t commit-msg\n"},
        ),
        Bad(
            _COMMITIZEN,
            span=(5, 13, 5, 23),
            message="`commitizen` runs at `commit-msg`, but no task of the repository installs"
            " the git hooks, and a bare `pre-commit install` installs only `pre-commit`: add"
            " `commit-msg` to `default_install_hook_types`, or the hook never runs",
        ),
        Bad(
            _COMMITIZEN + "      - id: commitizen-branch\n        stages: [pre-push]\n",
            span=(6, 13, 6, 30),
            message="`commitizen-branch` runs at `pre-push`, but `just install` (justfile)"
            " installs only `pre-commit` and `commit-msg`: add `--hook-type pre-push` to it"
            " (or `pre-push` to `default_install_hook_types`), or the hook never runs",
            files={"justfile": _INSTALL},
        ),
        Bad(
            _WHITESPACE + _COMMITIZEN.removeprefix("repos:\n"),
            span=(5, 13, 5, 32),
            message="the `pre-commit` git hook is never installed: `just install` (justfile)"
            " installs only `commit-msg` and `pre-push`, so `trailing-whitespace` and the other"
            " hooks without `stages` run at `pre-push`, not at commit: add `--hook-type"
            " pre-commit` to it",
            files={"justfile": _PUSH_ONLY},
        ),
    )

    def check_config(self, config: PrecommitConfig) -> None:
        table = [
            (HookSpec.parse(spec, "manifest-stages"), stages)
            for spec, stages in self.options.manifest_stages.items()
        ]
        runs = [
            (hook, [s for s in self._stages(hook, config, table) if s != "manual"])
            for hook in config.hooks
        ]
        runs = [(hook, stages) for hook, stages in runs if stages]
        if not runs:
            return
        found = self.project.git_hook_installs
        installs = found.installs
        installed = set(found.hook_types) if installs else set(config.install_hook_types)
        who = " and ".join(f"{i.describe()} ({i.path})" for i in installs)
        verb = "install" if len(installs) > 1 else "installs"
        have = " and ".join(f"`{s}`" for s in sorted(installed, key=_order))
        have = f"only {have}" if have else "no git hook"
        at_commit = [(hook, stages) for hook, stages in runs if "pre-commit" in stages]
        if installs and "pre-commit" not in installed and at_commit:
            first, stages = at_commit[0]
            # At a message stage a hook sees the message file, not the commit's files.
            later = [s for s in stages if s in installed and s not in _MESSAGE_STAGES]
            when = " and ".join(f"`{s}`" for s in later)
            when = f"run at {when}, not at commit" if later else "never run"
            self.report(
                first.id.span,
                f"the `pre-commit` git hook is never installed: {who} {verb} {have}, so"
                f" `{first.id.value}` and the other hooks without `stages` {when}: add"
                " `--hook-type pre-commit` to it",
            )
        for hook, stages in runs:
            if installed.intersection(stages):
                continue
            if installs and "pre-commit" in stages:
                continue  # reported above, with the install task to fix
            missing = " and ".join(f"`{s}`" for s in stages)
            if installs:
                message = (
                    f"`{hook.id.value}` runs at {missing}, but {who} {verb} {have}: add"
                    f" `--hook-type {stages[0]}` to it (or {missing} to"
                    " `default_install_hook_types`), or the hook never runs"
                )
            else:
                message = (
                    f"`{hook.id.value}` runs at {missing}, but no task of the repository"
                    f" installs the git hooks, and a bare `pre-commit install` installs"
                    f" {have}: add {missing} to `default_install_hook_types`, or the hook"
                    " never runs"
                )
            self.report(hook.id.span, message)

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


_MESSAGE_STAGES = frozenset({"commit-msg", "prepare-commit-msg"})


def _order(stage: str) -> tuple[int, str]:
    # `pre-commit` first, then the others alphabetically: the order users read them in.
    return (0 if stage == "pre-commit" else 1, stage)
