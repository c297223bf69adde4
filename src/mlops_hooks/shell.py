"""One positioned POSIX-shell lexer, shared by every kind that reads shell commands.

Commands turn up in many files: a Dockerfile's ``RUN``, a workflow step's ``run:``, a
justfile recipe body, a pre-commit hook's ``entry``. Each kind hands its text here as a
:class:`Stream` (the text plus the source offset of each character, so a text rebuilt from
several physical lines still maps back exactly) and gets back the simple commands, each as
:class:`Word` values that know their source offsets.

What the lexer understands: blanks, quotes (``'...'``, ``"..."``), backslash escapes and
backslash-newline continuations, comments (a ``#`` where a word could start), the control
operators ``;`` ``;;`` ``&&`` ``||`` ``|`` ``&`` ``(`` ``)`` and newlines between commands,
redirections (dropped from the words, with their target; heredoc delimiters recorded and
heredoc bodies skipped), ``$(...)``, ``${...}``, ``$((...))``, ``((...))`` and backticks kept
verbatim inside a word, and, with ``templates=True``, ``{{ ... }}`` (just) and ``${{ ... }}``
(GitHub Actions) kept whole. It expands nothing and never raises: unterminated quotes run to
the end of the text.

Kind-specific readings stay in the kinds: Dockerfile heredocs and exec form, ``just``
invocations, which words are wrappers (``env``, ``sudo``) or runners (``uv run``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from mlops_hooks.lazyre import lazy

_PLAIN = lazy(r"[^ \t\r\n\f\v'\"\\$`&|;()<>#]+")
#: With templates, ``{`` also ends a plain run, so that ``{{`` can be seen.
_PLAIN_TEMPLATES = lazy(r"[^ \t\r\n\f\v'\"\\$`&|;()<>#{]+")
_DOUBLE_PLAIN = lazy(r'[^"\\$`]+')
_DOUBLE_PLAIN_TEMPLATES = lazy(r'[^"\\$`{]+')
_BLANKS = frozenset(" \t\r\f\v")
#: Redirection operators other than heredocs, longest first.
_REDIRECT = lazy(r"&>>|&>|<<<|>>|>&|<&|>\||<>|[<>]")


class Stream(NamedTuple):
    """Text plus the source offset of each of its characters."""

    text: str
    offsets: Sequence[int]

    @classmethod
    def of(cls, text: str) -> Stream:
        """A stream whose offsets are the positions in ``text`` itself."""
        return cls(text, range(len(text)))

    @classmethod
    def build(cls, pieces: Iterable[tuple[str, int]]) -> Stream:
        """Concatenate ``(text, source offset of its first character)`` pieces.

        The offsets take no memory per character when the pieces follow each other in the
        source (a ``range``), and eight bytes when they do not (an ``array``): a list would
        hold an int object per character, the bulk of a large Dockerfile's model."""
        texts: list[str] = []
        runs: list[list[int]] = []  # [first source offset, length], adjacent pieces merged
        for text, start in pieces:
            texts.append(text)
            if runs and runs[-1][0] + runs[-1][1] == start:
                runs[-1][1] += len(text)
            else:
                runs.append([start, len(text)])
        if len(runs) <= 1:
            first, length = runs[0] if runs else (0, 0)
            return cls("".join(texts), range(first, first + length))
        from array import array

        offsets = array("q")
        for first, length in runs:
            offsets.extend(range(first, first + length))
        return cls("".join(texts), offsets)

    def after(self, at: int) -> Stream:
        """The stream of ``text[at:]``."""
        return Stream(self.text[at:], self.offsets[at:])


def compact(offsets: Sequence[int]) -> Sequence[int]:
    """``offsets`` as a ``range`` when they run without a gap (a word written in one piece
    then takes no memory per character), else as a tuple: one form for the same offsets,
    so that words compare as their values do."""
    count = len(offsets)
    if not count:
        return ()
    first = offsets[0]
    if offsets[-1] - first == count - 1:
        run = range(first, first + count)
        if count <= 2 or isinstance(offsets, range) or list(offsets) == list(run):
            return run
    return tuple(offsets)


class Word(NamedTuple):
    """One shell word: its value (quotes and escapes removed) and where it is in the source.

    ``start``/``end`` are the source offsets of the word's first and past its last raw
    character (quotes included); ``offsets`` maps each character of ``text`` to its source
    offset.
    """

    text: str
    #: A ``range`` when the characters follow each other in the source (see :func:`compact`).
    offsets: Sequence[int]
    start: int
    end: int

    def inner(self) -> tuple[int, int]:
        """The source offsets of the value alone when the word is one quoted string written
        without escapes (``'x'``, ``"x"``: the quotes left out); else ``(start, end)``."""
        inside = self.end - self.start - 2
        if inside < 0 or len(self.text) != inside:
            return self.start, self.end
        if self.text and not (
            self.offsets[0] == self.start + 1 and self.offsets[-1] == self.end - 2
        ):
            return self.start, self.end
        return self.start + 1, self.end - 1


class Command(NamedTuple):
    """A simple command: its words (redirections left out), the delimiters of the heredocs
    it reads, and the control operator that ends it (``""`` at the end of the text)."""

    words: tuple[Word, ...]
    heredocs: tuple[str, ...] = ()
    separator: str = ""

    @property
    def argv(self) -> tuple[str, ...]:
        """The words' values."""
        return tuple(w.text for w in self.words)


def split(source: str | Stream, *, templates: bool = False) -> list[Command]:
    """The simple commands of a shell script, in order (empty commands left out).

    ``source`` is a plain string (offsets are its own) or a :class:`Stream`. With
    ``templates``, ``{{ ... }}`` and ``${{ ... }}`` are kept whole, as just and GitHub
    Actions substitute them before the shell runs.
    """
    if not isinstance(source, str):
        return _Lexer(source, templates).run()
    key = (source, templates)
    found = _SPLITS.get(key)
    if found is None:
        found = tuple(_Lexer(Stream.of(source), templates).run())
        if len(source) <= _SPLIT_LONGEST:
            if len(_SPLITS) >= _SPLIT_ENTRIES:
                _SPLITS.clear()
            _SPLITS[key] = found
    return list(found)


#: The commands of the plain strings split lately, by ``(text, templates)``: the rules
#: that look for deploys each split every step of a workflow, and a script recurs across
#: files. Commands and words are immutable, so every caller can share them. At most
#: ``_SPLIT_ENTRIES`` texts of at most ``_SPLIT_LONGEST`` characters are kept: enough for
#: the steps of a workflow, and little for a huge file to keep alive (a budget of 1 MB of
#: text made a 10 MB workflow 8% slower and 38 MB larger).
_SPLITS: dict[tuple[str, bool], tuple[Command, ...]] = {}
_SPLIT_ENTRIES = 256
_SPLIT_LONGEST = 8192


class LogicalLine(NamedTuple):
    """Physical lines joined where they end with a line-continuing backslash.

    Each continuing backslash is replaced by a space, so ``text`` keeps the length of the
    lines it joins and every offset maps back to one physical line (:meth:`locate`).
    """

    text: str
    #: Index (in the lines given to :func:`logical_lines`) of the first physical line.
    first: int
    #: Offset in ``text`` where each physical line starts.
    starts: tuple[int, ...]

    def locate(self, offset: int) -> tuple[int, int]:
        """``(index of the physical line, column in it)`` of ``text[offset]``."""
        part = len(self.starts) - 1
        while part > 0 and self.starts[part] > offset:
            part -= 1
        return self.first + part, offset - self.starts[part]


def _continues(line: str) -> bool:
    """Whether a line ends with a backslash that continues it (an odd run of backslashes)."""
    run = len(line) - len(line.rstrip("\\"))
    return run % 2 == 1


def logical_lines(lines: Iterable[str]) -> Iterator[LogicalLine]:
    """The logical lines of ``lines`` (physical lines without their line breaks)."""
    text = ""
    starts: list[int] = []
    first = 0
    for index, line in enumerate(lines):
        if not starts:
            first = index
        starts.append(len(text))
        if _continues(line):
            text += line[:-1] + " "
            continue
        yield LogicalLine(text + line, first, tuple(starts))
        text, starts = "", []
    if starts:
        yield LogicalLine(text, first, tuple(starts))


class _Lexer:
    """One pass over a stream; see the module docstring for what it understands."""

    def __init__(self, stream: Stream, templates: bool) -> None:
        self.text = stream.text
        self.offsets = stream.offsets
        self.templates = templates
        self.plain = _PLAIN_TEMPLATES if templates else _PLAIN
        self.double_plain = _DOUBLE_PLAIN_TEMPLATES if templates else _DOUBLE_PLAIN
        self.commands: list[Command] = []
        self.words: list[Word] = []
        self.heredocs: list[str] = []
        #: ``(delimiter, strip leading tabs)`` of heredocs whose bodies start at the next line.
        self.bodies: list[tuple[str, bool]] = []
        self.chars: list[str] = []
        self.char_offsets: list[int] = []
        self.start = -1
        self.end = -1
        #: "target", "heredoc" or "heredoc-": the next word belongs to a redirection.
        self.pending = ""

    def run(self) -> list[Command]:
        text, n, i = self.text, len(self.text), 0
        while i < n:
            match = self.plain.match(text, i)
            if match:
                self._take(i, match.end())
                i = match.end()
                continue
            c = text[i]
            if c in _BLANKS:
                self._finish_word()
                i += 1
            elif c == "\n":
                self._finish_word()
                self._finish_command("\n")
                i = self._skip_bodies(i + 1)
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
                i = self._single(i)
            elif c == '"':
                i = self._double(i)
            elif c == "$" or c == "`":
                i = self._expansion(i)
            elif c == "{":
                i = self._template(i) if text.startswith("{{", i) else self._take_one(i)
            elif c == "(" and text.startswith("((", i) and self.start < 0 and not self.words:
                i = self._verbatim(i, "((", "))")  # bash arithmetic: `<<` there is a shift
            elif c in "&|;()" and not text.startswith("&>", i):  # `&>` is a redirection
                end = i + (2 if text[i : i + 2] in ("&&", "||", ";;") else 1)
                self._finish_word()
                self._finish_command(text[i:end])
                i = end
            else:
                i = self._redirect(i)
        self._finish_word()
        self._finish_command("")
        return self.commands

    # -- the parts of a word ----------------------------------------------------------------

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

    def _single(self, i: int) -> int:
        n = len(self.text)
        end = self.text.find("'", i + 1)
        end = n if end < 0 else end  # unterminated: the rest of the text
        self._mark(i)
        self._take(i + 1, end)
        if end < n:
            self._mark(end)
        return end + 1

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
                    self._take(j, min(j + 2, n))  # a backslash that ends the text stays
                j += 2
            elif c in "$`":
                j = self._expansion(j)
            elif c == "{":
                j = self._template(j) if text.startswith("{{", j) else self._take_one(j)
            else:
                match = self.double_plain.match(text, j)
                end = match.end() if match else j + 1
                self._take(j, end)
                j = end
        if j < n:
            self._mark(j)
        return j + 1

    def _expansion(self, i: int) -> int:
        """``$(...)``, ``${...}``, backticks: kept verbatim inside the current word."""
        text, n = self.text, len(self.text)
        if self.templates and text.startswith("${{", i):
            return self._template(i)
        if text.startswith("$(", i) or text.startswith("${", i):
            opening = text[i + 1]
            close = ")" if opening == "(" else "}"
            depth, j = 0, i + 1
            while j < n:
                if text[j] == opening:
                    depth += 1
                elif text[j] == close:
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
        elif text[i] == "`":
            j = i + 1
            while j < n and text[j] != "`":
                j += 2 if text[j] == "\\" else 1
        else:
            j = i
        j = min(j, n - 1)
        self._take(i, j + 1)
        return j + 1

    def _template(self, i: int) -> int:
        """``{{ ... }}`` or ``${{ ... }}``: kept whole, up to the first ``}}``."""
        end = self.text.find("}}", i)
        end = len(self.text) if end < 0 else end + 2
        self._take(i, end)
        return end

    def _verbatim(self, i: int, opening: str, closing: str) -> int:
        """Nested ``opening``...``closing`` kept verbatim as one word."""
        depth, j = 0, i
        n = len(self.text)
        while j < n:
            if self.text.startswith(opening, j):
                depth += 1
                j += len(opening)
            elif self.text.startswith(closing, j):
                depth -= 1
                j += len(closing)
                if depth == 0:
                    break
            else:
                j += 1
        self._take(i, j)
        return j

    def _take_one(self, i: int) -> int:
        self._take(i, i + 1)
        return i + 1

    def _redirect(self, i: int) -> int:
        # A word of digits right before the operator is a file descriptor (2>&1), not an arg.
        if self.start >= 0 and "".join(self.chars).isdigit():
            self._reset_word()
        else:
            self._finish_word()
        if self.text.startswith("<<", i) and not self.text.startswith("<<<", i):
            dash = self.text.startswith("<<-", i)
            self.pending = "heredoc-" if dash else "heredoc"
            return i + 3 if dash else i + 2
        match = _REDIRECT.match(self.text, i)
        self.pending = "target"
        return match.end() if match else i + 1

    def _skip_bodies(self, i: int) -> int:
        """Skip the bodies of the heredocs started on the line that ended before ``i``."""
        text, n = self.text, len(self.text)
        for delimiter, strip_tabs in self.bodies:
            while i < n:
                end = text.find("\n", i)
                end = n if end < 0 else end
                line = text[i:end].rstrip("\r")
                i = end + 1
                if (line.lstrip("\t") if strip_tabs else line) == delimiter:
                    break
        self.bodies = []
        return min(i, n)

    # -- building words and commands ------------------------------------------------------

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
        word = Word("".join(self.chars), compact(self.char_offsets), self.start, self.end)
        self._reset_word()
        if self.pending.startswith("heredoc"):
            self.heredocs.append(word.text)
            self.bodies.append((word.text, self.pending == "heredoc-"))
        elif not self.pending:
            self.words.append(word)
        self.pending = ""

    def _finish_command(self, separator: str) -> None:
        if self.words or self.heredocs:
            self.commands.append(Command(tuple(self.words), tuple(self.heredocs), separator))
        self.words, self.heredocs, self.pending = [], [], ""
