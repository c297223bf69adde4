"""Which git hooks the project's task runners install, and with which hook types.

:func:`git_hook_installs` finds every place that runs ``pre-commit install`` (or prek's):
justfile recipes (the bodies from the justfile tree, :mod:`mlops_hooks.project.justfile`),
Makefile targets, invoke tasks (``tasks.py``, ``tasks/*.py``), nox sessions
(``noxfile.py``), tox environments (``tox.ini``), shell scripts (``scripts/*.sh``) and
``package.json`` scripts. Each install installs the hook types its ``--hook-type``/``-t``
flags name, else the ``default_install_hook_types`` of ``.pre-commit-config.yaml`` (else
``pre-commit``), as pre-commit does. When no install is found the state is ``unknown``: the
hooks may be installed by hand or by a tool we do not read, so a rule must not conclude that
a hook never runs.

Only text is read (Python with :mod:`ast`, JSON with :mod:`json`, YAML through the safe
:mod:`mlops_hooks.yamlnodes` layer, ``tox.ini`` with :mod:`configparser`), bounded and inside
the root; nothing is imported or executed.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from mlops_hooks.lazyre import lazy
from mlops_hooks.shell import Word, logical_lines, split

if TYPE_CHECKING:
    from pathlib import Path

    from mlops_hooks.project import Project

#: Commands that are pre-commit (or its drop-in replacement prek) when followed by ``install``.
_CLIENTS = ("pre-commit", "prek", "pre_commit")


class InstallRecipe(NamedTuple):
    """A justfile recipe that runs ``pre-commit install`` and the hook types it names."""

    recipe: str
    hook_types: frozenset[str]


def justfile_installs(project: Project) -> tuple[InstallRecipe, ...] | None:
    """The recipes of the project's justfile that run ``pre-commit install`` (None without a
    justfile). When just cannot parse the tree, the files' indented lines are read instead."""
    return project.cached("githooks.justfile-installs", _load_installs)


def _load_installs(project: Project) -> tuple[InstallRecipe, ...] | None:
    from mlops_hooks.project.justfile.index import justfile_index

    index = justfile_index(project)
    if index is None:
        return None
    found: list[InstallRecipe] = []
    if index.loaded:
        for name, recipe in sorted(index.recipes.items()):
            types = install_hook_types(recipe.body.splitlines())
            if types is not None:
                found.append(InstallRecipe(name, types))
    else:
        for path, tree in sorted(index.files.items()):
            lines = tree.source.text.splitlines()
            body = [line for line in lines if line[:1] in (" ", "\t")]
            types = install_hook_types(body)
            if types is not None:
                found.append(InstallRecipe(path, types))
    return tuple(found)


def install_hook_types(lines: Iterable[str]) -> frozenset[str] | None:
    """The ``--hook-type``/``-t`` values of every ``pre-commit install`` in ``lines`` (an
    empty set for a bare ``pre-commit install``); None when no line runs it."""
    found: set[str] | None = None
    for line in logical_lines(lines):
        # just's `@` (quiet) and `-` (ignore errors) prefixes are not part of the command.
        text = line.text.strip().lstrip("@-")
        for command in split(text, templates=True):
            words = command.words
            for start, word in enumerate(words[:-1]):
                name = word.text.rsplit("/", 1)[-1]
                if name not in _CLIENTS or words[start + 1].text != "install":
                    continue
                found = set() if found is None else found
                found |= _types_after(words[start + 2 :])
    return None if found is None else frozenset(found)


def _types_after(words: Sequence[Word]) -> set[str]:
    types: set[str] = set()
    expect = False
    for word in words:
        value = word.text
        if expect:
            types.add(value)
            expect = False
        elif value in ("-t", "--hook-type"):
            expect = True
        elif value.startswith("--hook-type="):
            types.add(value.split("=", 1)[1])
        elif value.startswith("-t") and not value.startswith("--") and len(value) > 2:
            types.add(value[2:].lstrip("="))
    return types


#: What ``pre-commit install`` installs without ``--hook-type`` and without
#: ``default_install_hook_types`` in the config.
DEFAULT_HOOK_TYPES = frozenset({"pre-commit"})
#: The most read of one task file.
MAX_TASK_FILE = 1_000_000
#: The runners, in report order.
RUNNERS = ("just", "make", "invoke", "nox", "tox", "script", "npm")
_MAKEFILES = ("GNUmakefile", "makefile", "Makefile")
_MAKE_TARGET = lazy(r"^(?P<names>[^\s:=#][^:=#]*?)\s*::?(?!=)")


class HookInstall(NamedTuple):
    """One place that runs ``pre-commit install``, and the git hook types it installs.

    ``task`` is the recipe, target, task, session, environment or script name (``""`` for a
    whole file); ``explicit`` says whether ``--hook-type`` flags named the types (else they
    are the config's ``default_install_hook_types``).
    """

    runner: str
    path: str
    task: str
    hook_types: frozenset[str]
    explicit: bool

    def describe(self) -> str:
        """How a user runs it: ``just install``, ``make hooks``, ``scripts/setup.sh`` ..."""
        commands = {"just": "just", "make": "make", "invoke": "invoke", "nox": "nox -s"}
        if self.runner in commands:
            return f"`{commands[self.runner]} {self.task}`"
        if self.runner == "tox":
            return f"`tox -e {self.task}`"
        if self.runner == "npm":
            return f"`npm run {self.task}`"
        return f"`{self.path}`"


class GitHookInstalls(NamedTuple):
    """Every install path found, and what plain ``pre-commit install`` installs."""

    installs: tuple[HookInstall, ...]
    default_types: frozenset[str]

    @property
    def state(self) -> str:
        """``known`` when an install path was found, else ``unknown``."""
        return "known" if self.installs else "unknown"

    @property
    def hook_types(self) -> frozenset[str]:
        """The git hook types some install path installs."""
        return frozenset(t for install in self.installs for t in install.hook_types)

    def installing(self, hook_type: str) -> tuple[HookInstall, ...]:
        """The install paths that install ``hook_type``."""
        return tuple(i for i in self.installs if hook_type in i.hook_types)


def git_hook_installs(project: Project) -> GitHookInstalls:
    """The project's git hook install paths (see the module doc), loaded once per run."""
    return project.cached("githooks.installs", _load_git_hook_installs)


def installed_types(
    lines: Iterable[str], defaults: frozenset[str]
) -> tuple[frozenset[str], bool] | None:
    """The hook types the ``pre-commit install`` commands in ``lines`` install (a command
    without ``--hook-type`` installs ``defaults``) and whether every command named them;
    None when no line runs it."""
    found: set[str] | None = None
    explicit = True
    for line in logical_lines(lines):
        text = line.text.strip().lstrip("@-")
        for command in split(text, templates=True):
            words = command.words
            for start, word in enumerate(words[:-1]):
                name = word.text.rsplit("/", 1)[-1]
                if name not in _CLIENTS or words[start + 1].text != "install":
                    continue
                named = _types_after(words[start + 2 :])
                found = (found or set()) | (named or defaults)
                explicit = explicit and bool(named)
    return None if found is None else (frozenset(found), explicit)


def default_hook_types(project: Project) -> frozenset[str]:
    """``default_install_hook_types`` of the root ``.pre-commit-config.yaml`` (or ``.yml``),
    else ``pre-commit``."""
    from mlops_hooks.source import DecodeError, SourceFile
    from mlops_hooks.yamlnodes import compose

    for name in (".pre-commit-config.yaml", ".pre-commit-config.yml"):
        text = project.read_text(project.root / name, MAX_TASK_FILE)
        if text is None:
            continue
        try:
            document = compose(SourceFile.from_bytes(name, text.encode("utf-8"), name))
        except (ValueError, DecodeError):
            return DEFAULT_HOOK_TYPES  # an invalid config: pre-commit itself refuses it
        node = document.get("default_install_hook_types") if document is not None else None
        if node is not None and node.is_sequence:
            types = frozenset(s for s in node.strings() if s)
            return types or DEFAULT_HOOK_TYPES
        return DEFAULT_HOOK_TYPES
    return DEFAULT_HOOK_TYPES


def _load_git_hook_installs(project: Project) -> GitHookInstalls:
    defaults = default_hook_types(project)
    installs: list[HookInstall] = []
    for runner, path, task, lines in _task_sources(project):
        result = installed_types(lines, defaults)
        if result is not None:
            installs.append(HookInstall(runner, path, task, result[0], result[1]))
    return GitHookInstalls(tuple(installs), defaults)


def _task_sources(project: Project) -> Iterator[tuple[str, str, str, list[str]]]:
    """(runner, file, task, command lines) for every task of every runner we read."""
    yield from _just_tasks(project)
    root = project.root
    for name in _MAKEFILES:
        text = project.read_text(root / name, MAX_TASK_FILE)
        if text is not None:
            yield from (("make", name, t, body) for t, body in make_targets(text))
            break
    invoke = [root / "tasks.py"]
    invoke += sorted((root / "tasks").glob("*.py")) if (root / "tasks").is_dir() else []
    for path in invoke:
        yield from _python_tasks(project, path, "invoke")
    yield from _python_tasks(project, root / "noxfile.py", "nox")
    yield from _tox_envs(project)
    scripts = sorted((root / "scripts").glob("*.sh")) if (root / "scripts").is_dir() else []
    for path in scripts:
        text = project.read_text(path, MAX_TASK_FILE)
        if text is not None:
            yield "script", project.relpath(path), "", text.splitlines()
    yield from _npm_scripts(project)


def _just_tasks(project: Project) -> Iterator[tuple[str, str, str, list[str]]]:
    index = project.justfile
    if index is None:
        return
    if index.loaded:
        for name, recipe in sorted(index.recipes.items()):
            yield "just", recipe.path or index.path, name, recipe.body.splitlines()
        return
    # just cannot parse the tree: the files' indented lines are what recipes would run.
    for path, tree in sorted(index.files.items()):
        lines = [line for line in tree.source.text.splitlines() if line[:1] in (" ", "\t")]
        yield "just", path, "", lines


def make_targets(text: str) -> list[tuple[str, list[str]]]:
    """Each rule of a Makefile: its first target's name and its recipe lines (tab-indented
    lines after the rule line; a ``;`` recipe on the rule line counts)."""
    rules: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("\t"):
            if rules:
                rules[-1][1].append(line[1:])
            continue
        match = _MAKE_TARGET.match(line)
        if match is None or line.lstrip().startswith(("define", "export", "ifeq", "ifneq")):
            continue
        names = match.group("names").split()
        rest = line[match.end() :]
        body = [rest.split(";", 1)[1]] if ";" in rest else []
        rules.append((names[0] if names else "", body))
    return rules


def _python_tasks(
    project: Project, path: Path, runner: str
) -> Iterator[tuple[str, str, str, list[str]]]:
    """The commands each function of a task file runs, read with :mod:`ast` (never imported):
    its string constants (``c.run("pre-commit install")``) and the constant arguments of its
    ``.run(...)`` calls joined (``session.run("pre-commit", "install", "-t", "pre-push")``)."""
    text = project.read_text(path, MAX_TASK_FILE)
    if text is None:
        return
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield runner, project.relpath(path), node.name, list(_function_commands(node))


def _function_commands(function: ast.AST) -> Iterator[str]:
    import shlex

    # A string that is a statement on its own (a docstring) documents, it runs nothing.
    prose = {
        id(node.value)
        for node in ast.walk(function)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    for node in ast.walk(function):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in prose:
                yield node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr.startswith("run")
        ):
            words = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if words and all(isinstance(w, str) for w in words):
                yield shlex.join(str(w) for w in words)


def _tox_envs(project: Project) -> Iterator[tuple[str, str, str, list[str]]]:
    text = project.read_text(project.root / "tox.ini", MAX_TASK_FILE)
    if text is None:
        return
    import configparser  # only for a project with a tox.ini

    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return
    for section in parser.sections():
        if section == "testenv" or section.startswith("testenv:"):
            commands = parser.get(section, "commands", fallback="")
            env = section.partition(":")[2] or "py"
            yield "tox", "tox.ini", env, commands.splitlines()


def _npm_scripts(project: Project) -> Iterator[tuple[str, str, str, list[str]]]:
    text = project.read_text(project.root / "package.json", MAX_TASK_FILE)
    if text is None:
        return
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return
    scripts = data.get("scripts") if isinstance(data, dict) else None
    for name, command in (scripts or {}).items() if isinstance(scripts, dict) else ():
        if isinstance(command, str):
            yield "npm", "package.json", str(name), [command]
