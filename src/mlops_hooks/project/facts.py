"""The catalogue of project facts: each fact's name and the files it reads.

A checker declares the facts its rules read (``Checker.facts``); the hook manifest
(:mod:`mlops_hooks.hooks`) adds each declared fact's :attr:`Fact.files` to the kind's own
``hook_files``, so a hook runs again when a file that its findings depend on changes. The
patterns are Python regexes searched in repository-relative posix paths, as pre-commit's
``files:`` is; use scoped flags (``(?i:...)``), since the all-in-one hook joins them.
"""

from __future__ import annotations

from typing import NamedTuple


class Fact(NamedTuple):
    """A project fact: its name, the files it reads (a regex, ``""`` for none), what it is."""

    name: str
    files: str
    summary: str


_JUSTFILES = r"(^|/)(?i:\.?justfile)$|\.just$"

#: Every fact, by name (the order is the order of the manifest's alternations).
FACTS: dict[str, Fact] = {
    fact.name: fact
    for fact in (
        Fact("justfile", _JUSTFILES, "the justfile tree: recipes, aliases, modules, imports"),
        Fact(
            "pyproject",
            r"(^|/)(pyproject|\.?ruff)\.toml$|(^|/)\.?cz\.(toml|json|ya?ml)$",
            "pyproject.toml: bandit and ruff settings, name, source paths, dependency groups,"
            " commitizen configuration",
        ),
        Fact(
            "locks",
            r"(^|/)(uv|poetry|pdm|Pipfile)\.lock$|(^|/)requirements[^/]*\.(txt|in)$",
            "the lock managers of the root and of each Docker build context",
        ),
        Fact(
            "git-hook-installs",
            _JUSTFILES + r"|(^|/)(?i:gnumakefile|makefile)$|(^|/)tasks\.py$|(^|/)tasks/[^/]+\.py$"
            r"|(^|/)noxfile\.py$|(^|/)tox\.ini$|(^|/)scripts/[^/]+\.sh$|(^|/)package\.json$"
            r"|(^|/)\.pre-commit-config\.ya?ml$",
            "which task installs which git hook types (just, make, invoke, nox, tox, scripts, npm)",
        ),
        Fact(
            "compose",
            r"(^|/)(docker-)?compose\.ya?ml$",
            "which Dockerfiles Compose builds only as development tooling",
        ),
        Fact(
            "docker-runs",
            r"(^|/)(?i:\.?justfile|gnumakefile|makefile)$",
            "which Dockerfiles a Makefile or justfile builds only to run with the work tree"
            " mounted",
        ),
        Fact(
            "ci-targets",
            r"^\.github/workflows/[^/]+\.ya?ml$",
            "which Dockerfile stages the root's workflows build as targets (`--target`)",
        ),
        Fact("paths", "", "which paths are templates or dev containers (from the path alone)"),
        Fact(
            "uv-run-just",
            r"^\.github/workflows/[^/]+\.ya?ml$|(^|/)\.pre-commit-config\.ya?ml$",
            "where CI steps and hooks run `uv run just`",
        ),
    )
}


def fact_files(names: tuple[str, ...]) -> list[str]:
    """The file patterns of the facts ``names`` (unknown names raise ``KeyError``)."""
    return [FACTS[name].files for name in names if FACTS[name].files]
