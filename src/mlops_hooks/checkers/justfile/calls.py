"""Find ``just`` invocations in shell text, with the exact offsets of their words.

Used on workflow ``run:`` scripts and pre-commit ``entry:`` lines (GHA007), and on recipe
bodies (JST007's listing default, JST008's ``just check-x`` lines). It recognises ``just``,
``path/to/just``, ``{{ just_executable() }}``, and the wrappers ``uv run [opts] just``,
``uvx [--from rust-just] just``, ``uv tool run ... just`` and ``pipx run --spec rust-just
just``, after ``env``, ``VAR=value`` assignments and shell keywords (``if``, ``then``,
``time``...). Words are split as a POSIX shell would (quotes, backslashes, ``$(...)``), with
``${{ ... }}`` (GitHub) and ``{{ ... }}`` (just) kept whole; nothing is expanded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol

from mlops_hooks.diagnostics import Span

if TYPE_CHECKING:
    from mlops_hooks.checkers.justfile.index import JustfileIndex

_OPERATORS = ("&&", "||", ";;", ";", "|", "&", "(", ")", "\n")
_BREAKS = frozenset(" \t\r\n;&|()")
_KEYWORDS = frozenset(
    {"if", "then", "elif", "else", "do", "while", "until", "!", "{", "time", "exec", "command"}
)
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_JUST_EXECUTABLE = re.compile(r"^\{\{\s*just_executable\(\)\s*\}\}$")
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


class Word(NamedTuple):
    """A shell word: its value (quotes removed) and ``[start, end)`` offsets in the text."""

    value: str
    start: int
    end: int
    raw: str


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
            name = option.value.split("=", 1)[0]
            if name in _JUST_SUBCOMMANDS:
                return name
        return None

    @property
    def lists(self) -> bool:
        """Whether it lists the recipes (``--list``, ``-l``, ``--summary``)."""
        return self.subcommand in ("-l", "--list", "--summary")


def words(text: str) -> list[Word | str]:
    """Split ``text`` into words and control operators (``str`` items), skipping comments."""
    items: list[Word | str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char in " \t\r":
            i += 1
            continue
        if char == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        operator = next((op for op in _OPERATORS if text.startswith(op, i)), None)
        if operator is not None:
            items.append(operator)
            i += len(operator)
            continue
        start = i
        value: list[str] = []
        while i < n and text[i] not in _BREAKS:
            i = _part(text, i, value)
        items.append(Word("".join(value), start, i, text[start:i]))
    return items


def _part(text: str, i: int, value: list[str]) -> int:
    """Consume one part of a word at ``i`` into ``value``; the offset after it."""
    char = text[i]
    if text.startswith(("${{", "{{"), i):
        end = text.find("}}", i)
        end = len(text) if end < 0 else end + 2
        value.append(text[i:end])
        return end
    if char == "'":
        end = text.find("'", i + 1)
        end = len(text) if end < 0 else end
        value.append(text[i + 1 : end])
        return end + 1
    if char == '"':
        j = i + 1
        while j < len(text) and text[j] != '"':
            if text[j] == "\\" and j + 1 < len(text):
                value.append(text[j + 1] if text[j + 1] in '$`"\\' else text[j : j + 2])
                j += 2
                continue
            value.append(text[j])
            j += 1
        return j + 1
    if char == "\\" and i + 1 < len(text):
        if text[i + 1] != "\n":
            value.append(text[i + 1])
        return i + 2
    if text.startswith("$(", i) or char == "`":
        end = _closing(text, i)
        value.append(text[i:end])
        return end
    value.append(char)
    return i + 1


def _closing(text: str, i: int) -> int:
    if text[i] == "`":
        end = text.find("`", i + 1)
        return len(text) if end < 0 else end + 1
    depth = 0
    for j in range(i + 1, len(text)):
        if text[j] == "(":
            depth += 1
        elif text[j] == ")":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(text)


def commands(text: str) -> list[list[Word]]:
    """The simple commands of ``text``: runs of words between control operators."""
    found: list[list[Word]] = [[]]
    for item in words(text):
        if isinstance(item, str):
            found.append([])
        else:
            found[-1].append(item)
    return [command for command in found if command]


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
    value = word.value
    return value == "just" or value.endswith("/just") or bool(_JUST_EXECUTABLE.match(value))


def invocation_of(command: list[Word]) -> JustInvocation | None:
    """The ``just`` invocation that a simple command is, if it is one."""
    i = _skip_prefix(command)
    if i >= len(command):
        return None
    head = [w.value for w in command[i : i + 3]]
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


def _skip_prefix(command: list[Word]) -> int:
    i = 0
    while i < len(command):
        value = command[i].value
        if value in _KEYWORDS or _ASSIGNMENT.match(value):
            i += 1
        elif value == "env":
            i += 1
            while i < len(command) and command[i].value.startswith("-"):
                i += 1
        else:
            break
    return i


def _skip_wrapper_options(command: list[Word], i: int) -> int:
    while i < len(command) and command[i].value.startswith("-"):
        option = command[i].value
        i += 2 if option in _WRAPPER_VALUED else 1
    return i


def _parse_just(head: Word, rest: list[Word]) -> JustInvocation:
    options: list[Word] = []
    positional: list[Word] = []
    justfile: Word | None = None
    directory: Word | None = None
    i = 0
    while i < len(rest):
        word = rest[i]
        value = word.value
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
            offset = word.start + len(word.raw) - len(inline)
            taken = Word(inline, offset, word.end, inline)
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
    while words and _ASSIGNMENT.match(words[0].value):
        words.pop(0)
    return words


def is_dynamic(value: str) -> bool:
    """Whether a word is only known at run time (``$VAR``, ``${{ matrix.x }}``, globs)."""
    return any(char in value for char in "$`{}*?[")


def unquoted(word: Word) -> tuple[int, int]:
    """The offsets of the word's value inside its quotes, when it is simply quoted."""
    raw = word.raw
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"" and raw[1:-1] == word.value:
        return word.start + 1, word.end - 1
    return word.start, word.end


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
    if named is not None and (index is None or named.value.removeprefix("./") != index.path):
        return []  # another justfile: not the one we know
    unknown: list[Word] = []
    for word in named_recipes(invocation):
        name = word.value
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


class SourceLine(Protocol):
    """A line of shell text as written in a file (a workflow's ``run:`` line)."""

    @property
    def text(self) -> str:
        """The line's text."""

    def span_of(self, start: int, end: int) -> Span:
        """The span of ``text[start:end]`` in the file."""


def logical_lines(
    lines: Sequence[SourceLine],
) -> Iterator[tuple[str, Callable[[int, int], Span]]]:
    """Lines joined where they end with a backslash (as the shell does), each with a function
    that maps ``[start, end)`` offsets in the joined text back to a span in the file."""
    pieces: list[tuple[int, SourceLine]] = []
    text = ""
    for line in lines:
        pieces.append((len(text), line))
        if line.text.endswith("\\"):
            text += line.text[:-1] + " "  # same length: offsets map 1:1 to the line
            continue
        text += line.text
        yield text, _locator(pieces)
        text, pieces = "", []
    if pieces:
        yield text, _locator(pieces)


def _locator(pieces: list[tuple[int, SourceLine]]) -> Callable[[int, int], Span]:
    frozen = list(pieces)

    def locate(start: int, end: int) -> Span:
        offset, line = max((p for p in frozen if p[0] <= start), key=lambda p: p[0])
        return line.span_of(start - offset, min(end - offset, len(line.text)))

    return locate
