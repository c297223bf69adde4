"""Simple commands of a ``run:`` script, each word with its exact span in the workflow file.

Not a shell: a lexer that knows quotes, backslashes, comments, ``${{ }}`` expressions and the
operators that separate commands (``;``, ``&``, ``&&``, ``|``, ``||``, parentheses and, in a
literal block, line ends unless continued with a backslash). Enough to find ``uv publish`` or
``just check`` at the start of a command, never enough to run anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mlops_hooks.checkers.workflow.model import RunScript, ScriptLine
from mlops_hooks.diagnostics import Span

_OPERATORS = ("&&", "||", ";;", ";", "&", "|", "(", ")")
#: Words that run the command after them: ``sudo uv publish`` publishes.
WRAPPERS = frozenset({"sudo", "exec", "time", "command", "nohup", "env", "then", "do", "else"})
#: Runners whose command comes after their own options: ``uv run --frozen twine upload``.
RUNNERS: tuple[tuple[str, ...], ...] = (
    ("uv", "run"),
    ("uv", "tool", "run"),
    ("uvx",),
    ("pipx", "run"),
    ("poetry", "run"),
    ("hatch", "run"),
    ("pdm", "run"),
    ("python", "-m"),
    ("python3", "-m"),
)


@dataclass(frozen=True)
class Word:
    """A shell word: its text with quotes removed, and the span of the word as written."""

    text: str
    span: Span


def commands(script: RunScript) -> list[list[Word]]:
    """The simple commands of ``script``, in order, each a non-empty list of words."""
    literal = (script.node.alias_of or script.node).style == "|"
    result: list[list[Word]] = []
    current: list[Word] = []
    for line in script.lines:
        continued = _lex_line(line, current, result)
        # A literal block keeps line breaks (they end commands); other styles fold them
        # into spaces, except a blank line.
        if (literal and not continued) or (not literal and not line.text.strip()):
            _flush(current, result)
    _flush(current, result)
    return result


def command_words(command: Sequence[Word]) -> list[Word]:
    """The words of a command after leading ``NAME=value`` assignments and wrappers."""
    index = 0
    while index < len(command):
        text = command[index].text
        name, eq, _ = text.partition("=")
        if (eq and name.isidentifier()) or text in WRAPPERS:
            index += 1
        else:
            break
    return list(command[index:])


def find_command(command: Sequence[Word], wanted: Sequence[str]) -> list[Word] | None:
    """The words of ``command`` that run ``wanted`` (``["uv", "publish"]``): at the start,
    after assignments and wrappers, or anywhere after a runner such as ``uv run``."""
    words = command_words(command)
    texts = [w.text for w in words]
    size = len(wanted)
    if texts[:size] == list(wanted):
        return words[:size]
    for runner in RUNNERS:
        if tuple(texts[: len(runner)]) == runner:
            for start in range(len(runner), len(texts) - size + 1):
                if texts[start : start + size] == list(wanted):
                    return words[start : start + size]
    return None


def _flush(current: list[Word], result: list[list[Word]]) -> None:
    if current:
        result.append(list(current))
        current.clear()


def _lex_line(line: ScriptLine, current: list[Word], result: list[list[Word]]) -> bool:
    """Add the words of one line to ``current`` (flushing at operators); True when the line
    ends with a backslash continuation."""
    text = line.text
    i = 0
    while i < len(text):
        char = text[i]
        if char in " \t":
            i += 1
            continue
        if char == "#":
            return False
        operator = _operator(text, i)
        if operator is not None:
            _flush(current, result)
            i += len(operator)
            continue
        if char == "\\" and i == len(text.rstrip()) - 1:
            return True
        start = i
        word, i = _word(text, i)
        current.append(Word(word, line.span_of(start, i)))
    return False


def _operator(text: str, i: int) -> str | None:
    if text.startswith("&>", i) or (i > 0 and text[i] == "&" and text[i - 1] in "<>"):
        return None
    return next((op for op in _OPERATORS if text.startswith(op, i)), None)


def _word(text: str, i: int) -> tuple[str, int]:
    """Read one word from ``text[i:]``: its unquoted text and the index after it."""
    out: list[str] = []
    while i < len(text):
        char = text[i]
        if char in " \t" or _operator(text, i) is not None:
            break
        if text.startswith(("<&", ">&", "&>"), i):  # redirections, not operators: 2>&1
            out.append(text[i : i + 2])
            i += 2
        elif text.startswith("${{", i):
            end = text.find("}}", i + 3)
            end = len(text) if end < 0 else end + 2
            out.append(text[i:end])
            i = end
        elif char in "'\"":
            end = i + 1
            while end < len(text) and text[end] != char:
                end += 2 if char == '"' and text[end] == "\\" else 1
            out.append(text[i + 1 : end].replace('\\"', '"') if char == '"' else text[i + 1 : end])
            i = min(end + 1, len(text))
        elif char == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out), i
