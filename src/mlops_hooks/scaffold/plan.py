"""What ``mlops-hooks init`` writes: the project's facts, the rendered files, and what to skip.

Templates are files under ``mlops_hooks/scaffold/templates/`` (package data, read with
:mod:`importlib.resources`), rendered with :class:`string.Template` using ``@@{name}``
placeholders: ``{{ }}`` (just), ``${{ }}`` (GitHub Actions) and ``$VAR`` (shell, Dockerfile)
stay as they are. Their names end in ``.tmpl`` so that no checker mistakes them for the real
files when this repository checks itself.

Nothing is ever overwritten: a file is written only when neither it nor another spelling that
the tools read instead exists (``.pre-commit-config.yml``, ``Justfile``, ``check.yaml`` ...),
and the ``tasks/*.just`` modules only along with the root justfile (or when an existing
justfile imports them and they are missing).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from mlops_hooks import __version__
from mlops_hooks.config import MAX_TOML_SIZE, read_toml
from mlops_hooks.lazyre import lazy
from mlops_hooks.safeio import read_file
from mlops_hooks.scaffold.detect import Uses, detect

#: The Python version used when neither the flags nor the project say.
DEFAULT_PYTHON = "3.12"
#: Pinned revisions of the hook repositories and tools (update with `pre-commit autoupdate`).
VERSIONS = {
    "pre_commit_hooks_rev": "v6.0.0",
    "ruff_rev": "v0.17.6",
    "bandit_rev": "1.9.4",
    "commitizen_rev": "v4.19.3",
    "mlops_hooks_rev": f"v{__version__}",
    "uv_version": "0.13.9",
}
#: Target path -> template file (relative to the templates folder).
FILES: tuple[tuple[str, str], ...] = (
    (".pre-commit-config.yaml", "pre-commit-config.yaml.tmpl"),
    ("justfile", "justfile.tmpl"),
    ("tasks/check.just", "tasks/check.just.tmpl"),
    ("tasks/clean.just", "tasks/clean.just.tmpl"),
    ("tasks/commit.just", "tasks/commit.just.tmpl"),
    ("tasks/docker.just", "tasks/docker.just.tmpl"),
    ("tasks/format.just", "tasks/format.just.tmpl"),
    ("tasks/install.just", "tasks/install.just.tmpl"),
    ("tasks/package.just", "tasks/package.just.tmpl"),
    (".github/workflows/check.yml", "github/workflows/check.yml.tmpl"),
    (".github/workflows/publish.yml", "github/workflows/publish.yml.tmpl"),
    ("Dockerfile", "docker/uv-multistage.dockerfile.tmpl"),
    (".dockerignore", "docker/dockerignore.tmpl"),
    # A fresh project's `just check` runs mypy on src/ and pytest on tests/: both must exist.
    ("src/@@{package}/__init__.py", "src/package_init.py.tmpl"),
    ("tests/test_@@{package}.py", "tests/test_package.py.tmpl"),
)
#: Other files the tools read in place of a target: when one exists, the target is skipped.
_ALTERNATIVES = {
    ".pre-commit-config.yaml": (".pre-commit-config.yml",),
    ".github/workflows/check.yml": (".github/workflows/check.yaml",),
    ".github/workflows/publish.yml": (".github/workflows/publish.yaml",),
    "Dockerfile": ("dockerfile", "Containerfile"),
}
_NAME = lazy(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")
_PYTHON = lazy(r"^3\.\d{1,2}$")
_VERSION_IN = lazy(r"(\d+)\.(\d+)")
_LOWER_BOUND = lazy(r"(?:>=|~=|==|>)\s*(\d+)\.(\d+)")


class _Template(string.Template):
    # `@@{name}`: a delimiter that no justfile, workflow or Dockerfile uses.
    delimiter = "@@"


def valid_name(name: str) -> bool:
    """A project name as PEP 508 allows it (letters, digits, ``-``, ``_``, ``.``)."""
    return _NAME.match(name) is not None


def valid_python(version: str) -> bool:
    """A ``3.X`` Python version."""
    return _PYTHON.match(version) is not None


def package_name(name: str) -> str:
    """The import name of project ``name`` (``my-Model.x`` -> ``my_model_x``)."""
    package = re.sub(r"[-_.]+", "_", name).lower()
    return package if package.isidentifier() else "app"


@dataclass(frozen=True)
class Facts:
    """What the templates need to know about the project."""

    name: str
    python: str
    has_pyproject: bool = False
    has_commitizen: bool = False
    has_bandit: bool = False
    warnings: tuple[str, ...] = ()
    #: What the project already uses (hook manager, task runner, CI, publishing).
    uses: Uses = field(default_factory=Uses)
    #: ``init --publish``: write the publish workflow even when the project shows no sign of
    #: publishing.
    publish: bool = False

    @property
    def package(self) -> str:
        """The import name."""
        return package_name(self.name)

    def values(self) -> dict[str, str]:
        """The template placeholders."""
        return {**VERSIONS, "name": self.name, "package": self.package, "python": self.python}


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _python_of(root: Path, project: dict[str, Any]) -> str | None:
    """``.python-version`` (what uv uses), else the lower bound of ``requires-python``."""
    pinned = root / ".python-version"
    if pinned.is_file():
        try:
            raw = read_file(pinned, MAX_TOML_SIZE, root.resolve())
            first = raw.decode("utf-8").strip().splitlines()
        except (OSError, UnicodeDecodeError):
            first = []
        match = _VERSION_IN.search(first[0]) if first and "pypy" not in first[0] else None
        if match is not None:
            return f"{match.group(1)}.{match.group(2)}"
    requires = project.get("requires-python")
    if isinstance(requires, str):
        match = _LOWER_BOUND.search(requires)
        if match is not None:
            return f"{match.group(1)}.{match.group(2)}"
    return None


def read_facts(
    root: Path, name: str | None = None, python: str | None = None, publish: bool = False
) -> Facts:
    """The project's name and Python version (flags win over ``pyproject.toml``, which wins
    over the directory name and :data:`DEFAULT_PYTHON`), and which tool tables exist."""
    warnings: list[str] = []
    data: dict[str, Any] = {}
    pyproject = root / "pyproject.toml"
    has_pyproject = pyproject.is_file()
    if has_pyproject:
        try:
            data = read_toml(pyproject, root.resolve())
        except (OSError, ValueError) as exc:
            warnings.append(f"pyproject.toml not read ({exc}); using defaults")
    project = _table(data, "project")
    tool = _table(data, "tool")
    declared = project.get("name")
    if name is None:
        if isinstance(declared, str) and valid_name(declared):
            name = declared
        else:
            folder = root.resolve().name
            name = folder if valid_name(folder) else "app"
    return Facts(
        name=name,
        python=python or _python_of(root, project) or DEFAULT_PYTHON,
        has_pyproject=has_pyproject,
        has_commitizen=isinstance(tool.get("commitizen"), dict),
        has_bandit=isinstance(tool.get("bandit"), dict),
        warnings=tuple(warnings),
        uses=detect(root, data),
        publish=publish,
    )


def render(template: str, values: dict[str, str]) -> str:
    """The text of template file ``template`` (relative to the templates folder)."""
    resource = resources.files("mlops_hooks.scaffold").joinpath("templates")
    for part in template.split("/"):
        resource = resource.joinpath(part)
    return _Template(resource.read_text(encoding="utf-8")).substitute(values)


@dataclass(frozen=True)
class Planned:
    """One file of the scaffold: where it goes, its text, and whether it is written."""

    path: str
    text: str
    write: bool
    reason: str = ""


@dataclass
class Plan:
    """Every file of the scaffold, in a stable order."""

    root: Path
    facts: Facts
    files: list[Planned] = field(default_factory=list)

    @property
    def to_write(self) -> list[Planned]:
        """The files that do not exist yet."""
        return [f for f in self.files if f.write]

    @property
    def skipped(self) -> list[Planned]:
        """The files left alone, with the reason."""
        return [f for f in self.files if not f.write]


def _existing(root: Path, target: str) -> str | None:
    """The path (relative) of an existing file that takes ``target``'s place, if any."""
    if target == "justfile":
        # just finds `justfile` and `.justfile` in any case: one of them is enough.
        try:
            names = sorted(entry.name for entry in root.iterdir())
        except OSError:
            names = []
        return next((n for n in names if n.lower() in ("justfile", ".justfile")), None)
    for candidate in (target, *_ALTERNATIVES.get(target, ())):
        path = root / candidate
        if path.exists() or path.is_symlink():
            return candidate
    return None


def _inside(root: Path, target: str) -> bool:
    """Whether ``target`` resolves inside ``root`` (a symlinked ``.github`` could lead out)."""
    try:
        (root / target).resolve().relative_to(root.resolve())
    except (OSError, ValueError):
        return False
    return True


def make_plan(root: Path, facts: Facts) -> Plan:
    """Decide, for every scaffold file, whether to write it."""
    plan = Plan(root, facts)
    values = facts.values()
    justfile = _existing(root, "justfile")
    imported = ""
    if justfile is not None:
        try:
            raw = read_file(root / justfile, MAX_TOML_SIZE, root.resolve())
            imported = raw.decode("utf-8", errors="replace")
        except OSError:
            imported = ""
    for target_template, template in FILES:
        target = _Template(target_template).substitute(values)
        text = render(template, values)
        existing = _existing(root, target)
        parallel = _parallel(root, target, facts)
        if parallel:
            plan.files.append(Planned(target, text, False, parallel))
        elif existing is not None:
            reason = "exists" if existing == target else f"{existing} exists"
            plan.files.append(Planned(target, text, False, reason))
        elif justfile is not None and target.startswith("tasks/") and target not in imported:
            reason = f"{justfile} exists and does not import it"
            plan.files.append(Planned(target, text, False, reason))
        elif not _inside(root, target):
            plan.files.append(Planned(target, text, False, "outside the project"))
        else:
            plan.files.append(Planned(target, text, True))
    return plan


def _parallel(root: Path, target: str, facts: Facts) -> str:
    """Why ``target`` would be parallel machinery in this project ('' when it is not)."""
    uses = facts.uses
    if target == ".pre-commit-config.yaml" and uses.hook_manager not in (None, "pre-commit"):
        return f"the git hooks run with {uses.hook_manager} ({uses.hook_file}): no second manager"
    runs_just = target == "justfile" or target.startswith("tasks/")
    if uses.task_runner and (runs_just or target == ".github/workflows/check.yml"):
        return f"the tasks run with {uses.task_runner} ({uses.task_file}): no justfile beside it"
    if target.startswith(".github/workflows/"):
        if uses.workflows:
            return f"the project has CI workflows ({', '.join(uses.workflows)}): no second one"
        if uses.other_ci:
            return f"the project's CI is {uses.other_ci}: no second one"
    if target == ".github/workflows/publish.yml" and not (uses.publishes or facts.publish):
        return f"no sign that the project publishes to PyPI ({uses.publish_reason}); --publish"
    if target.startswith("src/") and _has_package(root, facts.package):
        return "the project has its source already"
    if target.startswith("tests/"):
        if any((root / d).exists() for d in ("tests", "test")):
            return "the project has its tests already"
        if _has_package(root, facts.package):
            return "its test imports the scaffold's package, which is not written here"
    return ""


def _has_package(root: Path, package: str) -> bool:
    return (root / "src").exists() or (root / package).exists()


def write(plan: Plan) -> list[Planned]:
    """Write the planned files that do not exist (exclusive create: never overwrite, even if
    a file appeared since the plan); returns those written."""
    written: list[Planned] = []
    for planned in plan.to_write:
        path = plan.root / planned.path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("xb") as handle:
                handle.write(planned.text.encode("utf-8"))
        except FileExistsError:
            continue
        written.append(planned)
    return written


def advice(facts: Facts) -> list[str]:
    """What ``init`` does not write but the scaffold needs: pyproject tables, dev tools."""
    lines: list[str] = []
    tables: list[str] = []
    if not facts.has_commitizen:
        tables += [
            "[tool.commitizen]",
            'name = "cz_conventional_commits"',
            'version_provider = "uv"',
            'tag_format = "v$version"',
            "update_changelog_on_bump = true",
        ]
    if not facts.has_bandit:
        # The bandit hook reads pyproject.toml (`-c pyproject.toml`).
        tables += ([""] if tables else []) + ["[tool.bandit]", 'exclude_dirs = ["tests"]']
    if tables:
        if facts.has_pyproject:
            lines += ["Add to pyproject.toml (init never edits it):", ""]
        else:
            lines += ["Create pyproject.toml (`uv init`), then add to it:", ""]
        lines += [f"    {t}" if t else "" for t in tables]
        lines.append("")
    lines += [
        "Add the tools the tasks and hooks run, then install the git hooks:",
        "",
        "    uv add --dev rust-just ruff mypy pytest bandit commitizen pre-commit",
        "    uv run just install",
    ]
    return lines


def snippets(plan: Plan) -> list[str]:
    """What to merge by hand where the project already has its own file or tool: ``init``
    never edits an existing file."""
    uses = plan.facts.uses
    rev = VERSIONS["mlops_hooks_rev"]
    skipped = {p.path for p in plan.skipped}
    out: list[str] = []

    def block(title: str, *lines: str) -> None:
        out.extend([title, "", *(f"    {line}" if line else "" for line in lines), ""])

    if uses.hook_manager == "pre-commit" and ".pre-commit-config.yaml" in skipped:
        block(
            f"Merge into {uses.hook_file} (under `repos:`):",
            "  - repo: https://github.com/mlops-hooks/mlops-hooks",
            f"    rev: {rev}",
            "    hooks:",
            "      - id: mlops-hooks",
        )
    elif uses.hook_manager == "lefthook":
        block(
            f"Add to {uses.hook_file}:",
            "pre-commit:",
            "  commands:",
            "    mlops-hooks:",
            "      run: mlops-hooks check",
        )
    elif uses.hook_manager == "husky":
        block("Add to .husky/pre-commit:", "mlops-hooks check")
    if uses.task_runner == "make":
        block(
            f"Add to {uses.task_file} (and to the prerequisites of your check target):",
            "check-mlops:",
            "\tmlops-hooks check",
        )
    elif uses.task_runner:
        block(
            f"Run the linter from your check task in {uses.task_file} ({uses.task_runner}):",
            "mlops-hooks check",
        )
    elif "justfile" in skipped:
        block(
            "Add to the justfile (and to the dependencies of `check`):",
            "# check the MLOps conventions",
            "[group('check')]",
            "check-mlops:",
            "    uv run mlops-hooks check",
        )
    if uses.workflows:
        block(
            f"Add to the job that runs your checks ({', '.join(uses.workflows)}):",
            "- name: MLOps conventions",
            "  run: mlops-hooks check --format github",
        )
    return out
