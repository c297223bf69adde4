"""What a ``RUN`` installs: Python installer commands recognised in its shell commands.

An :class:`Install` says which tool runs (``uv``, ``pip``, ``poetry``, ``pipenv``, ``pdm``),
which action (``uv sync``, ``uv pip install``, ``pip install`` ...), whether it installs
third-party dependencies and/or the project from the source tree, editable or not, and the
environment it sees (stage ``ENV``/``ARG``, ``export`` earlier in the same ``RUN``, and
``VAR=value`` prefixes). Several rules share this reading of a ``RUN``.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from mlops_hooks.lazyre import lazy

if TYPE_CHECKING:
    from mlops_hooks.checkers.dockerfile.model import Instruction
    from mlops_hooks.checkers.dockerfile.shell import ShellCommand
    from mlops_hooks.diagnostics import Span
    from mlops_hooks.shell import Word

#: A RUN without any of these cannot install Python packages; skip lexing it.
_MAYBE = lazy(r"uv|pip|poetry|pdm")
_PIP = lazy(r"^pip(\d+(\.\d+)?)?$")
_PYTHON = lazy(r"^python(\d+(\.\d+)?)?$")
_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
#: uv options (before or after the subcommand) that take the next word as their value.
_UV_VALUES = frozenset(
    {
        "--cache-dir",
        "--directory",
        "--project",
        "--config-file",
        "--color",
        "--python",
        "-p",
        "--allow-insecure-host",
        "--python-preference",
        "--index",
        "--default-index",
        "--index-url",
        "-i",
        "--extra-index-url",
        "--find-links",
        "-f",
        "--extra",
        "--group",
        "--only-group",
        "--no-group",
        "--package",
        "--no-install-package",
        "--prefix",
        "--target",
        "-t",
        "--python-version",
        "--python-platform",
        "--override",
        "--constraint",
        "-c",
        "--build-constraint",
        "-b",
        "--no-binary",
        "--only-binary",
        "--index-strategy",
        "--keyring-provider",
        "--resolution",
        "--prerelease",
        "--exclude-newer",
        "--link-mode",
        "--refresh-package",
        "--reinstall-package",
        "--upgrade-package",
        "-P",
        "--root",
        "--src",
        "--script",
        "--output-format",
    }
)


def truthy(value: str | None) -> bool:
    """Whether an environment value means "on" to uv (``1``, ``true``, ``yes``, ``on``)."""
    return value is not None and value.strip().lower() in _TRUE


_NO_ENV: Mapping[str, str] = types.MappingProxyType({})


class Install(NamedTuple):
    """One installer command of a ``RUN``."""

    tool: str
    action: str
    instruction: Instruction
    command: ShellCommand
    #: The words naming the tool and the action (``uv sync``, ``python -m pip install``).
    name_words: tuple[Word, ...]
    #: The remaining arguments and options (uv's global options included).
    args: tuple[str, ...]
    #: Installs third-party dependencies (from a lock, requirements, or project metadata).
    dependencies: bool = False
    #: Installs the project itself from a source tree.
    project: bool = False
    #: The project install is editable (points back at the source tree).
    editable: bool = False
    #: Installs a built wheel or sdist (``dist/*.whl``).
    wheel: bool = False
    #: Package names given on the command line.
    packages: tuple[str, ...] = ()
    env: Mapping[str, str] = _NO_ENV

    @property
    def span(self) -> Span:
        """The span of the tool and action words."""
        return self.instruction.word_span(self.name_words[0], self.name_words[-1])

    @property
    def last_name_word(self) -> Word:
        """The action word (``sync`` of ``uv sync``), where options can be inserted after."""
        return self.name_words[-1]

    def has_option(self, *names: str) -> bool:
        """Whether one of ``names`` (``--locked``, ``--frozen=...``) is among the options."""
        return _has(self.args, names)

    def option_value(self, name: str) -> str | None:
        """The value of ``--name value`` or ``--name=value``."""
        for index, arg in enumerate(self.args):
            if arg == name and index + 1 < len(self.args):
                return self.args[index + 1]
            if arg.startswith(name + "="):
                return arg[len(name) + 1 :]
        return None


def _has(args: tuple[str, ...], names: tuple[str, ...]) -> bool:
    for arg in args:
        if arg == "--":
            return False
        if arg.split("=", 1)[0] in names:
            return True
    return False


def installs(instruction: Instruction) -> list[Install]:
    """The installer commands of a ``RUN`` instruction, in order (computed once)."""
    if instruction.cmd != "RUN":
        return []
    if "installs" not in instruction.memo:
        instruction.memo["installs"] = _installs(instruction)
    found: list[Install] = instruction.memo["installs"]
    return found


def _installs(instruction: Instruction) -> list[Install]:
    text = instruction.original + "".join(instruction.heredocs)
    if not _MAYBE.search(text):
        return []
    stage = instruction.stage
    env = stage.env_at(instruction) if stage is not None else {}
    found: list[Install] = []
    for command in instruction.commands:
        if command.name == "export":
            for word in command.argv[1:]:
                key, sep, value = word.partition("=")
                if sep:
                    env[key] = value
            continue
        command_env = {**env, **dict(command.assignments)}
        install = _classify(instruction, command, command_env)
        if install is not None:
            found.append(install)
    return found


def _classify(
    instruction: Instruction, command: ShellCommand, env: Mapping[str, str]
) -> Install | None:
    words = command.words
    argv = command.argv
    name = command.name
    if name == "uv":
        return _uv(instruction, command, env)
    if _PIP.match(name):
        start = 1
    elif _PYTHON.match(name) and argv[1:3] == ("-m", "pip"):
        start = 3
    elif _PYTHON.match(name) and argv[1:2] == ("-mpip",):
        start = 2
    elif name in ("poetry", "pipenv", "pdm"):
        action = argv[1] if len(argv) > 1 else ""
        if action not in ("install", "sync"):
            return None
        args = argv[2:]
        # poetry and pdm install the project itself editable unless told otherwise.
        if name == "pipenv":
            project, editable = False, False
        elif name == "poetry":
            project = editable = "--no-root" not in args
        else:
            project = "--no-self" not in args
            editable = project and "--no-editable" not in args
        return Install(
            name,
            f"{name} {action}",
            instruction,
            command,
            words[:2],
            args,
            dependencies="--only-root" not in args,
            project=project,
            editable=editable,
            env=env,
        )
    else:
        return None
    index = _subcommand(argv, start, frozenset())
    if index is None or argv[index] != "install":
        return None
    name_words = words[: index + 1]
    return _pip_install("pip", instruction, command, name_words, argv[index + 1 :], env)


def _subcommand(argv: tuple[str, ...], start: int, values: frozenset[str]) -> int | None:
    index = start
    while index < len(argv):
        if not argv[index].startswith("-"):
            return index
        index += 2 if argv[index] in values else 1
    return None


def _uv(instruction: Instruction, command: ShellCommand, env: Mapping[str, str]) -> Install | None:
    argv = command.argv
    first = _subcommand(argv, 1, _UV_VALUES)
    if first is None:
        return None
    before = argv[1:first]
    if argv[first] == "sync":
        args = (*before, *argv[first + 1 :])
        project = not _has(args, _NO_PROJECT)
        editable = project and not (
            _has(args, ("--no-editable",)) or truthy(env.get("UV_NO_EDITABLE"))
        )
        return Install(
            "uv",
            "uv sync",
            instruction,
            command,
            (command.words[0], command.words[first]),
            args,
            dependencies=True,
            project=project,
            editable=editable,
            env=env,
        )
    if argv[first] != "pip":
        return None
    second = _subcommand(argv, first + 1, _UV_VALUES)
    if second is None or argv[second] not in ("install", "sync"):
        return None
    args = (*before, *argv[first + 1 : second], *argv[second + 1 :])
    name_words: tuple[Word, ...] = (command.words[0], command.words[first], command.words[second])
    if argv[second] == "sync":
        return Install(
            "uv", "uv pip sync", instruction, command, name_words, args, dependencies=True, env=env
        )
    return _pip_install("uv", instruction, command, name_words, args, env)


_NO_PROJECT = ("--no-install-project", "--no-install-workspace", "--only-group", "--only-dev")
_PIP_VALUES = _UV_VALUES | {"--requirement", "-r", "--editable", "-e", "--upgrade-strategy"}


def _pip_install(
    tool: str,
    instruction: Instruction,
    command: ShellCommand,
    name_words: tuple[Word, ...],
    args: tuple[str, ...],
    env: Mapping[str, str],
) -> Install:
    requirements = project = editable = wheel = False
    packages: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        value = args[index + 1] if index + 1 < len(args) else ""
        if arg in ("-r", "--requirement") or arg.startswith(("--requirement=", "-r")):
            requirements = True
        elif arg in ("-e", "--editable") or arg.startswith("--editable="):
            target = value if arg in ("-e", "--editable") else arg.split("=", 1)[1]
            editable = project = project or _is_local(target)
        elif arg.startswith("-e") and len(arg) > 2:
            editable = project = project or _is_local(arg[2:])
        elif not arg.startswith("-"):
            if _is_artifact(arg):
                wheel = True
            elif _is_local(arg):
                project = True
            elif "$" not in arg:
                packages.append(arg)
        if arg in _PIP_VALUES:
            index += 1
        index += 1
    no_deps = "--no-deps" in args or "--no-dependencies" in args
    return Install(
        tool,
        f"{tool} pip install" if tool == "uv" else "pip install",
        instruction,
        command,
        name_words,
        args,
        dependencies=requirements or ((project or wheel) and not no_deps),
        project=project,
        editable=editable,
        wheel=wheel,
        packages=tuple(packages),
        env=env,
    )


def _is_local(target: str) -> bool:
    """A path (``.``, ``./pkg``, ``/app``, ``.[dev]``) rather than a package name."""
    target = target.split("[", 1)[0]
    if "://" in target or target.startswith("$") or not target:
        return False
    return target.startswith((".", "/", "~")) or "/" in target


def _is_artifact(target: str) -> bool:
    return target.endswith((".whl", ".tar.gz", ".zip"))
