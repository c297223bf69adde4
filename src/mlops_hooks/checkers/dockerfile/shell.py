"""How a Dockerfile runs shell commands: ``RUN`` shell and exec forms, ``sh -c`` scripts.

The words come from the core lexer (:mod:`mlops_hooks.shell`), which keeps the source offset
of every character; BuildKit hands us a ``RUN`` command as one string with continuations
already removed, so the model rebuilds it from the source text as a
:class:`~mlops_hooks.shell.Stream`. This module adds what is Dockerfile's own: the exec form
(a JSON array of strings), scripts run by ``sh -c``, heredocs whose shebang names another
interpreter, and the prefixes stripped before the command proper (leading ``VAR=value``
assignments, keywords such as ``if``, wrappers such as ``env`` or ``sudo``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from mlops_hooks.lazyre import lazy
from mlops_hooks.shell import Stream, Word, compact, split

#: Shells whose ``-c`` argument or heredoc input is itself a script.
SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "busybox"})

_ASSIGNMENT = lazy(r"^[A-Za-z_][A-Za-z0-9_]*=")
_JSON_STRING = lazy(r'"((?:[^"\\]|\\.)*)"')
_JSON_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}
#: Words that start a compound command or negate one; the command proper follows them.
_KEYWORDS = frozenset({"if", "then", "else", "elif", "do", "while", "until", "!", "{", "}"})
#: Commands that run their arguments as another command (``env UV_FROZEN=1 uv sync``).
_WRAPPERS = frozenset({"env", "sudo", "exec", "nohup", "command", "time", "nice", "doas"})
_WRAPPER_VALUE_OPTIONS = frozenset({"-u", "-g", "-n", "-C", "-D", "-h", "-p"})


class ShellCommand(NamedTuple):
    """A simple command: its words after assignments and wrappers, and what was stripped."""

    words: tuple[Word, ...]
    assignments: tuple[tuple[str, str], ...] = ()
    heredocs: tuple[str, ...] = ()
    #: Whether the words are the strings of an exec-form (JSON array) ``RUN``.
    exec_form: bool = False

    @property
    def argv(self) -> tuple[str, ...]:
        """The words' values."""
        return tuple(w.text for w in self.words)

    @property
    def name(self) -> str:
        """The command's base name (``/usr/bin/pip3`` -> ``pip3``), or ``""``."""
        return self.words[0].text.rsplit("/", 1)[-1] if self.words else ""

    def shell_script(self) -> Word | None:
        """The script word of ``sh -c 'script'`` (also ``bash -ec ...``), if this is one."""
        if self.name not in SHELLS:
            return None
        words = self.words[1:]
        skip = False
        for index, word in enumerate(words):
            text = word.text
            if skip or text.startswith("--"):  # an option's value, or --login and the like
                skip = False
                continue
            if len(text) < 2 or text[0] not in "-+":
                return None  # a script file: the shell does not read a -c string
            if "c" in text[1:]:
                return words[index + 1] if index + 1 < len(words) else None
            skip = text[-1] in "oO"  # -o pipefail, -euxo pipefail: the value follows
        return None


def split_commands(stream: Stream) -> list[ShellCommand]:
    """Split a shell script into simple commands, recursing into ``sh -c`` scripts."""
    commands: list[ShellCommand] = []
    for simple in split(stream):
        command = _command(simple.words, simple.heredocs)
        commands.append(command)
        script = command.shell_script()
        if script is not None:
            commands.extend(split_commands(Stream(script.text, script.offsets)))
    return commands


def exec_form_command(words: list[Word]) -> list[ShellCommand]:
    """The command of an exec-form (JSON array) ``RUN``, plus any ``sh -c`` script in it."""
    if not words:
        return []
    command = _command(words, (), exec_form=True)
    script = command.shell_script()
    nested = split_commands(Stream(script.text, script.offsets)) if script is not None else []
    return [command, *nested]


def foreign_shebang(script: str) -> bool:
    """Whether a heredoc starts with a ``#!`` line naming an interpreter that is no shell."""
    if not script.startswith("#!"):
        return False
    words = script[2:].split("\n", 1)[0].split()
    names = [w.rsplit("/", 1)[-1] for w in words if not w.startswith("-")]
    if names and names[0] == "env" and len(names) > 1:
        names = names[1:]
    return bool(names) and names[0] not in SHELLS


def json_words(stream: Stream) -> list[Word]:
    """The strings of an exec-form JSON array, decoded, with the offset of each character."""
    words = []
    for match in _JSON_STRING.finditer(stream.text):
        chars: list[str] = []
        offsets: list[int] = []
        raw, base = match.group(1), match.start(1)
        i = 0
        while i < len(raw):
            offset = stream.offsets[base + i]
            if raw[i] == "\\" and i + 1 < len(raw):
                code = raw[i + 1]
                if code == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", raw[i + 2 : i + 6]):
                    chars.append(chr(int(raw[i + 2 : i + 6], 16)))
                    i += 6
                else:
                    chars.append(_JSON_ESCAPES.get(code, code))
                    i += 2
            else:
                chars.append(raw[i])
                i += 1
            offsets.append(offset)
        start = stream.offsets[match.start()]
        end = stream.offsets[match.end() - 1] + 1
        words.append(Word("".join(chars), compact(offsets), start, end))
    return words


def _command(
    words: Sequence[Word], heredocs: tuple[str, ...], exec_form: bool = False
) -> ShellCommand:
    """Strip keywords, ``VAR=value`` prefixes and wrappers off a command's words."""
    assignments: list[tuple[str, str]] = []
    i, n = 0, len(words)
    while i < n:
        text = words[i].text
        if text in _KEYWORDS:
            i += 1
        elif _ASSIGNMENT.match(text):
            name, _, value = text.partition("=")
            assignments.append((name, value))
            i += 1
        elif text.rsplit("/", 1)[-1] in _WRAPPERS and i + 1 < n:
            i += 1
            while i < n and words[i].text.startswith("-"):
                i += 2 if words[i].text in _WRAPPER_VALUE_OPTIONS else 1
        else:
            break
    return ShellCommand(tuple(words[i:]), tuple(assignments), heredocs, exec_form)
