"""Find ``just`` invocations in shell text, with the exact offsets of their words.

Used on workflow ``run:`` scripts and pre-commit ``entry:`` lines (GHA007), and on recipe
bodies (JST007's listing default, JST008's ``just check-x`` lines). It recognises ``just``,
``path/to/just``, ``{{ just_executable() }}``, and the wrappers ``uv run [opts] just``,
``uvx [--from rust-just] just``, ``uv tool run ... just`` and ``pipx run --spec rust-just
just``, after ``env``, ``VAR=value`` assignments and shell keywords (``if``, ``then``,
``time``...). Words come from the core lexer (:mod:`mlops_hooks.shell`), with ``${{ ... }}``
(GitHub) and ``{{ ... }}`` (just) kept whole; nothing is expanded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from mlops_hooks.lazyre import lazy
from mlops_hooks.shell import Word, compact, split

if TYPE_CHECKING:
    from mlops_hooks.project.justfile.types import JustfileIndex

_KEYWORDS = frozenset(
    {"if", "then", "elif", "else", "do", "while", "until", "!", "{", "time", "exec", "command"}
)
_ASSIGNMENT = lazy(r"^[A-Za-z_][A-Za-z0-9_]*=")
_JUST_EXECUTABLE = lazy(r"^\{\{\s*just_executable\(\)\s*\}\}$")
#: just options that take a value (``--set`` takes two).
_JUST_VALUED = frozenset(
    {
        "-f",
        "--justfile",
        "-d",
        "--working-directory",
        "--color",
        "--command-color",
        "--dotenv-filename",
        "--dotenv-path",
        "-E",
        "--dump-format",
        "--list-heading",
        "--list-prefix",
        "--shell",
        "--shell-arg",
        "--chooser",
        "--tempdir",
        "--timestamp-format",
        "--alias-style",
        "--ceiling",
        "--evaluate-format",
    }
)
#: just options after which the words are not recipes (subcommands).
_JUST_SUBCOMMANDS = frozenset(
    {
        "-l",
        "--list",
        "--summary",
        "--dump",
        "--fmt",
        "--evaluate",
        "--variables",
        "--choose",
        "--init",
        "-e",
        "--edit",
        "--completions",
        "--groups",
        "-V",
        "--version",
        "-h",
        "--help",
        "--changelog",
        "-c",
        "--command",
        "--man",
        "--request",
        "-s",
        "--show",
        "--usage",
    }
)
#: Options of ``uv run``/``uvx``/``pipx run`` that take a value.
_WRAPPER_VALUED = frozenset(
    {
        "--from",
        "--with",
        "--with-editable",
        "--with-requirements",
        "-w",
        "--python",
        "-p",
        "--package",
        "--extra",
        "--group",
        "--only-group",
        "--no-group",
        "--env-file",
        "--directory",
        "--project",
        "--index",
        "--default-index",
        "--index-url",
        "--extra-index-url",
        "--config-file",
        "--cache-dir",
        "--spec",
    }
)


class JustInvocation(NamedTuple):
    """One ``just`` command: its options and its positional words (recipes, arguments)."""

    command: Word
    options: tuple[Word, ...]
    #: The value of ``--justfile``/``-f``, and of ``--working-directory``/``-d``.
    justfile: Word | None
    working_directory: Word | None
    positional: tuple[Word, ...]

    @property
    def subcommand(self) -> str | None:
        """The first option that makes the positional words something else than recipes
        (``--list``, ``--fmt``, ``--show`` ...), if any."""
        for option in self.options:
            name = option.text.split("=", 1)[0]
            if name in _JUST_SUBCOMMANDS:
                return name
        return None

    @property
    def lists(self) -> bool:
        """Whether it lists the recipes (``--list``, ``-l``, ``--summary``)."""
        return self.subcommand in ("-l", "--list", "--summary")


def commands(text: str) -> list[tuple[Word, ...]]:
    """The words of each simple command of ``text`` (``{{ }}`` and ``${{ }}`` kept whole)."""
    return [command.words for command in split(text, templates=True)]


def just_invocations(text: str) -> list[JustInvocation]:
    """Every ``just`` command in ``text``, in order."""
    found = []
    for command in commands(text):
        invocation = invocation_of(command)
        if invocation is not None:
            found.append(invocation)
    return found


def is_just(word: Word) -> bool:
    """``just``, a path to it, or just's own ``{{ just_executable() }}``."""
    value = word.text
    return value == "just" or value.endswith("/just") or bool(_JUST_EXECUTABLE.match(value))


def invocation_of(command: Sequence[Word]) -> JustInvocation | None:
    """The ``just`` invocation that a simple command is, if it is one."""
    i = _skip_prefix(command)
    if i >= len(command):
        return None
    head = [w.text for w in command[i : i + 3]]
    wrapper = 0
    if head[:2] == ["uv", "run"] or head[:2] == ["pipx", "run"]:
        wrapper = 2
    elif head == ["uv", "tool", "run"]:
        wrapper = 3
    elif head[0] == "uvx":
        wrapper = 1
    if wrapper:
        i = _skip_wrapper_options(command, i + wrapper)
    if i >= len(command) or not is_just(command[i]):
        return None
    return _parse_just(command[i], command[i + 1 :])


def _skip_prefix(command: Sequence[Word]) -> int:
    i = 0
    while i < len(command):
        value = command[i].text
        if value in _KEYWORDS or _ASSIGNMENT.match(value):
            i += 1
        elif value == "env":
            i += 1
            while i < len(command) and command[i].text.startswith("-"):
                i += 1
        else:
            break
    return i


def _skip_wrapper_options(command: Sequence[Word], i: int) -> int:
    while i < len(command) and command[i].text.startswith("-"):
        option = command[i].text
        i += 2 if option in _WRAPPER_VALUED else 1
    return i


def _parse_just(head: Word, rest: Sequence[Word]) -> JustInvocation:
    options: list[Word] = []
    positional: list[Word] = []
    justfile: Word | None = None
    directory: Word | None = None
    i = 0
    while i < len(rest):
        word = rest[i]
        value = word.text
        if positional or not value.startswith("-") or value == "-":
            positional.append(word)
            i += 1
            continue
        if value == "--":
            positional.extend(rest[i + 1 :])
            break
        options.append(word)
        name, has_value, inline = value.partition("=")
        taken: Word | None = None
        if name in _JUST_VALUED and not has_value:
            taken = rest[i + 1] if i + 1 < len(rest) else None
            i += 1
        elif name == "--set" and not has_value:
            i += 2
        elif name in _JUST_VALUED:
            at = len(word.text) - len(inline)
            offsets = compact(word.offsets[at:])
            taken = Word(inline, offsets, offsets[0] if offsets else word.end, word.end)
        if name in ("-f", "--justfile"):
            justfile = taken
        elif name in ("-d", "--working-directory"):
            directory = taken
        i += 1
    return JustInvocation(head, tuple(options), justfile, directory, tuple(positional))


def body_invocations(body: str) -> list[JustInvocation]:
    """``just`` commands in a recipe body (lines may start with just's ``@``/``-`` prefixes)."""
    found = []
    for line in body.splitlines():
        found.extend(just_invocations(line.lstrip(" \t@-")))
    return found


def named_recipes(invocation: JustInvocation) -> list[Word]:
    """The positional words after the ``NAME=VALUE`` overrides: the first recipe, then its
    arguments or more recipes (only the justfile's parameters tell which)."""
    words = list(invocation.positional)
    while words and _ASSIGNMENT.match(words[0].text):
        words.pop(0)
    return words


def is_dynamic(value: str) -> bool:
    """Whether a word is only known at run time (``$VAR``, ``${{ matrix.x }}``, globs)."""
    return any(char in value for char in "$`{}*?[")


def unknown_recipes(index: JustfileIndex | None, invocation: JustInvocation) -> list[Word]:
    """The recipe words of ``invocation`` that the root justfile does not define.

    Checks the first recipe, then the next ones while each recipe takes no parameters (after
    a recipe with parameters the words are its arguments). Stops at a module name (``just
    docker build``: the next word is the module's recipe or its default's argument), at a
    dynamic word, and skips commands that name another justfile or directory or run a
    subcommand (``--list``, ``--fmt``...). Without a justfile every recipe is unknown.
    """
    if invocation.subcommand is not None or invocation.working_directory is not None:
        return []
    named = invocation.justfile
    if named is not None and (index is None or named.text.removeprefix("./") != index.path):
        return []  # another justfile: not the one we know
    unknown: list[Word] = []
    for word in named_recipes(invocation):
        name = word.text
        if is_dynamic(name) or (index is not None and name in index.modules):
            break
        recipe = index.resolve(name) if index is not None else None
        if recipe is None:
            if index is None or name not in index.names:
                unknown.append(word)
            break
        if recipe.parameters:
            break
    return unknown
