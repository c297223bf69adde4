"""A small POSIX-shell lexer that keeps the source position of every character.

BuildKit hands us a ``RUN`` command as one string with continuations already removed, which
loses positions. To report on ``uv sync`` itself (and to insert ``--locked`` after it), the
checker rebuilds the command from the source text as a :class:`Stream` (text plus the source
offset of each character) and splits it here into simple commands of :class:`Word` values.

The lexer knows what matters for finding commands: quotes, backslash escapes, comments,
``&&``/``||``/``;``/``|``/``&``/parentheses/newlines between commands, redirections (dropped
from the argument list, heredoc delimiters recorded), ``$(...)``/``${...}``/backticks kept
inside a word, leading ``VAR=value`` assignments, and wrappers such as ``env`` or ``sudo``.
It does not expand anything.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

#: Shells whose ``-c`` argument or heredoc input is itself a script.
SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "busybox"})

_PLAIN = re.compile(r"[^\s'\"\\$`&|;()<>#]+")
_DOUBLE_PLAIN = re.compile(r'[^"\\$`]+')
_REDIRECT = re.compile(r"<<<|>>|>&|<&|>\||<>|[<>]")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
#: Words that start a compound command or negate one; the command proper follows them.
_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_JSON_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}
_KEYWORDS = frozenset({"if", "then", "else", "elif", "do", "while", "until", "!", "{", "}"})
#: Commands that run their arguments as another command (``env UV_FROZEN=1 uv sync``).
_WRAPPERS = frozenset({"env", "sudo", "exec", "nohup", "command", "time", "nice", "doas"})
_WRAPPER_VALUE_OPTIONS = frozenset({"-u", "-g", "-n", "-C", "-D", "-h", "-p"})


class Stream(NamedTuple):
    """Text plus the source offset of each of its characters."""

    text: str
    offsets: Sequence[int]

    @classmethod
    def build(cls, pieces: Sequence[tuple[str, int]]) -> Stream:
        """Concatenate ``(text, source offset of its first character)`` pieces."""
        offsets: list[int] = []
        for text, start in pieces:
            offsets.extend(range(start, start + len(text)))
        return cls("".join(text for text, _ in pieces), offsets)


class Word(NamedTuple):
    """One shell word: its value (quotes removed) and where it is in the source.

    ``start``/``end`` are source offsets of the word's first and past its last raw character
    (quotes included); ``offsets`` maps each character of ``text`` to its source offset.
    """

    text: str
    offsets: tuple[int, ...]
    start: int
    end: int
    #: ``exec`` for a string of a JSON (exec form) array, ``shell`` otherwise.
    form: str = "shell"


class ShellCommand(NamedTuple):
    """A simple command: its words after assignments and wrappers, and what was stripped."""

    words: tuple[Word, ...]
    assignments: tuple[tuple[str, str], ...] = ()
    heredocs: tuple[str, ...] = ()

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


def split_commands(stream: Stream, form: str = "shell") -> list[ShellCommand]:
    """Split a shell script into simple commands, recursing into ``sh -c`` scripts."""
    commands: list[ShellCommand] = []
    for command in _Lexer(stream, form).run():
        commands.append(command)
        script = command.shell_script()
        if script is not None:
            commands.extend(split_commands(Stream(script.text, script.offsets)))
    return commands


def exec_form_command(words: list[Word]) -> list[ShellCommand]:
    """The command of an exec-form (JSON array) ``RUN``, plus any ``sh -c`` script in it."""
    if not words:
        return []
    command = _command(words, [])
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
        words.append(Word("".join(chars), tuple(offsets), start, end, "exec"))
    return words


class _Lexer:
    """One pass over a stream; see the module docstring for what it understands."""

    def __init__(self, stream: Stream, form: str) -> None:
        self.text = stream.text
        self.offsets = stream.offsets
        self.form = form
        self.commands: list[ShellCommand] = []
        self.words: list[Word] = []
        self.heredocs: list[str] = []
        self.chars: list[str] = []
        self.char_offsets: list[int] = []
        self.start = -1
        self.end = -1
        self.pending = ""  # "target" or "heredoc": the next word belongs to a redirection

    def run(self) -> list[ShellCommand]:
        text, n, i = self.text, len(self.text), 0
        while i < n:
            match = _PLAIN.match(text, i)
            if match:
                self._take(i, match.end())
                i = match.end()
                continue
            c = text[i]
            if c in " \t\r":
                self._finish_word()
                i += 1
            elif c == "\n":
                self._finish_word()
                self._finish_command()
                i += 1
            elif c == "#":
                if self.start < 0:  # a comment only where a word could start
                    end = text.find("\n", i)
                    i = n if end < 0 else end
                else:
                    self._take(i, i + 1)
                    i += 1
            elif c == "\\":
                i = self._backslash(i)
            elif c == "'":
                end = text.find("'", i + 1)
                end = n if end < 0 else end  # unterminated: the rest of the text
                self._mark(i)
                self._take(i + 1, end)
                if end < n:
                    self._mark(end)
                i = end + 1
            elif c == '"':
                i = self._double(i)
            elif c == "$" or c == "`":
                i = self._expansion(i)
            elif c in "&|;()":
                self._finish_word()
                self._finish_command()
                i += 2 if text[i : i + 2] in ("&&", "||", ";;") else 1
            else:
                i = self._redirect(i)
        self._finish_word()
        self._finish_command()
        return self.commands

    def _backslash(self, i: int) -> int:
        nxt = self.text[i + 1 : i + 2]
        if nxt == "\n":
            return i + 2
        if nxt == "\r" and self.text[i + 2 : i + 3] == "\n":
            return i + 3
        if nxt:
            self._mark(i)
            self._take(i + 1, i + 2)
        return i + 2

    def _double(self, i: int) -> int:
        text, n = self.text, len(self.text)
        self._mark(i)
        j = i + 1
        while j < n and text[j] != '"':
            c = text[j]
            if c == "\\":
                nxt = text[j + 1 : j + 2]
                if nxt in ('"', "\\", "$", "`"):
                    self._take(j + 1, j + 2)
                elif nxt != "\n":
                    self._take(j, j + 2)
                j += 2
            elif c in "$`":
                j = self._expansion(j)
            else:
                match = _DOUBLE_PLAIN.match(text, j)
                end = match.end() if match else j + 1
                self._take(j, end)
                j = end
        self._mark(min(j, n - 1))
        return j + 1

    def _expansion(self, i: int) -> int:
        """``$(...)``, ``${...}``, backticks: kept verbatim inside the current word."""
        text, n = self.text, len(self.text)
        if text.startswith("$(", i) or text.startswith("${", i):
            close = ")" if text[i + 1] == "(" else "}"
            depth, j = 0, i + 1
            while j < n:
                if text[j] == text[i + 1]:
                    depth += 1
                elif text[j] == close:
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
        elif text[i] == "`":
            j = text.find("`", i + 1)
            j = n - 1 if j < 0 else j
        else:
            j = i
        j = min(j, n - 1)
        self._take(i, j + 1)
        return j + 1

    def _redirect(self, i: int) -> int:
        # A word of digits right before the operator is a file descriptor (2>&1), not an arg.
        if self.start >= 0 and "".join(self.chars).isdigit():
            self._reset_word()
        else:
            self._finish_word()
        if self.text.startswith("<<", i) and not self.text.startswith("<<<", i):
            self.pending = "heredoc"
            return i + 3 if self.text.startswith("<<-", i) else i + 2
        match = _REDIRECT.match(self.text, i)
        self.pending = "target"
        return match.end() if match else i + 1

    def _mark(self, i: int) -> None:
        offset = self.offsets[i]
        if self.start < 0:
            self.start = offset
        self.end = offset + 1

    def _take(self, i: int, j: int) -> None:
        if j <= i:
            return
        if self.start < 0:
            self.start = self.offsets[i]
        self.chars.append(self.text[i:j])
        self.char_offsets.extend(self.offsets[i:j])
        self.end = self.offsets[j - 1] + 1

    def _reset_word(self) -> None:
        self.chars, self.char_offsets, self.start, self.end = [], [], -1, -1

    def _finish_word(self) -> None:
        if self.start < 0:
            return
        word = Word("".join(self.chars), tuple(self.char_offsets), self.start, self.end, self.form)
        self._reset_word()
        if self.pending == "heredoc":
            self.heredocs.append(word.text)
        elif not self.pending:
            self.words.append(word)
        self.pending = ""

    def _finish_command(self) -> None:
        if self.words or self.heredocs:
            self.commands.append(_command(self.words, self.heredocs))
        self.words, self.heredocs, self.pending = [], [], ""


def _command(words: list[Word], heredocs: list[str]) -> ShellCommand:
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
    return ShellCommand(tuple(words[i:]), tuple(assignments), tuple(heredocs))
