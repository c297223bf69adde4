"""Find a command (``uv publish``) among the simple commands of a shell script.

The words come from the core shell lexer (:mod:`mlops_hooks.shell`), each with its offsets in
the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mlops_hooks.shell import Word

#: Words before the command proper: ``sudo uv publish`` publishes.
_SKIPPED = frozenset({"env", "sudo", "exec", "time", "command", "nohup", "then", "do", "else"})
#: Runners whose command comes after their own options: ``uv run --frozen twine upload``.
_RUNNERS: tuple[tuple[str, ...], ...] = (
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


def _prefix(value: str) -> bool:
    """A word before the command proper: a wrapper, or a ``VAR=value`` assignment."""
    name, eq, _ = value.partition("=")
    return value in _SKIPPED or (bool(eq) and name.isidentifier())


def find_command(command: Sequence[Word], wanted: Sequence[str]) -> Sequence[Word] | None:
    """The words of ``command`` that run ``wanted``: at its start (after ``VAR=value`` and
    wrappers such as ``sudo``), or anywhere after a runner such as ``uv run --frozen``."""
    index = 0
    while index < len(command) and _prefix(command[index].text):
        index += 1
    words = command[index:]
    values = [w.text for w in words]
    size = len(wanted)
    if values[:size] == list(wanted):
        return words[:size]
    for runner in _RUNNERS:
        if tuple(values[: len(runner)]) == runner:
            for start in range(len(runner), len(values) - size + 1):
                if values[start : start + size] == list(wanted):
                    return words[start : start + size]
    return None
