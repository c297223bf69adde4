"""Where the project runs ``just`` through uv (``uv run just check``): CI steps and hooks.

``uv run just`` works for a teammate or a CI runner only when ``just`` is in the project's
environment (``rust-just`` in a dependency group, so ``uv.lock`` has it) or happens to be on
the ``PATH``. Read as text from the root's workflows and ``.pre-commit-config.yaml``,
bounded, through :meth:`mlops_hooks.project.Project.read_text`; nothing is executed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from mlops_hooks.lazyre import lazy

if TYPE_CHECKING:
    from mlops_hooks.project import Project

#: `uv run` options that take a value (the value is not the command).
_VALUED = frozenset(
    {
        "--group", "--with", "--with-requirements", "--with-editable", "--python", "-p",
        "--directory", "--project", "--package", "--extra", "--env-file", "--index",
        "--default-index", "--index-url", "--extra-index-url", "--find-links", "-f",
        "--cache-dir", "--config-file", "--only-group", "--no-group",
    }
)  # fmt: skip
_WORD = lazy(r"""[^\s;&|'"`()]+""")
#: A workflow line's YAML lead before its shell text: indentation, a list dash, `run:`.
_STEP_KEY = lazy(r"^\s*(?:-\s+)?run:\s*")


class UvRunJust(NamedTuple):
    """One line that runs ``uv run just``: the file (posix, from the root) and the line."""

    path: str
    line: int


def uv_run_just_calls(project: Project) -> tuple[UvRunJust, ...]:
    """Every ``uv run ... just`` in the root's workflows and pre-commit config, loaded once
    per run, in file then line order."""
    return project.cached("uv-run-just", _load)


def _load(project: Project) -> tuple[UvRunJust, ...]:
    names = [".pre-commit-config.yaml", ".pre-commit-config.yml", *_workflow_names(project)]
    found: list[UvRunJust] = []
    for name in sorted(names):
        text = project.read_text(project.root / name)
        if text is None:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if runs_just(line):
                found.append(UvRunJust(name, number))
    return tuple(found)


def workflow_recipes(project: Project) -> frozenset[str]:
    """The recipe names that lines of the root's workflows run with ``just`` (``run: uv run
    just check-audit``, or a line of a ``run: |`` block), loaded once per run."""
    return project.cached("workflow-recipes", _load_recipes)


def _load_recipes(project: Project) -> frozenset[str]:
    from mlops_hooks.project.justfile.calls import just_invocations, named_recipes

    found: set[str] = set()
    for name in _workflow_names(project):
        text = project.read_text(project.root / name)
        for line in (text or "").splitlines():
            shell = _STEP_KEY.sub("", line, count=1)
            if shell.lstrip().startswith("#"):
                continue
            for invocation in just_invocations(shell):
                words = named_recipes(invocation)
                if words:
                    found.add(words[0].text)
    return frozenset(found)


def workflow_names(project: Project) -> list[str]:
    """The root's workflow files (posix, from the root), sorted."""
    return _workflow_names(project)


def _workflow_names(project: Project) -> list[str]:
    workflows = project.root / ".github" / "workflows"
    if not (project.contains(workflows) and workflows.is_dir()):
        return []
    return sorted(
        f".github/workflows/{p.name}" for p in workflows.iterdir() if p.suffix in (".yml", ".yaml")
    )


def runs_just(line: str) -> bool:
    """Whether a line of shell runs ``uv run [options] just``."""
    if "uv" not in line or "just" not in line:
        return False
    words = _WORD.findall(line.split("#", 1)[0] if not line.lstrip().startswith("#") else "")
    for index in range(len(words) - 1):
        if words[index].rsplit("/", 1)[-1] != "uv" or words[index + 1] != "run":
            continue
        cursor = index + 2
        while cursor < len(words) and words[cursor].startswith("-"):
            cursor += 2 if words[cursor] in _VALUED else 1
        if cursor < len(words) and words[cursor] == "just":
            return True
    return False
