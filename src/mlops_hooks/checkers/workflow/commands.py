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
    wrappers such as ``sudo``), or anywhere after a runner such as ``uv run --frozen``.

    The program may be written as a path (``./bin/flyctl deploy``), and options may come
    between the words of ``wanted`` (``kubectl -n prod apply``, ``terraform -chdir=infra
    apply``); the words returned are the first and the last matched, with what lies between.
    """
    index = 0
    while index < len(command) and _prefix(command[index].text):
        index += 1
    words = command[index:]
    values = [w.text for w in words]
    found = _match_at(values, 0, wanted)
    if found is not None:
        return words[:found]
    for runner in _RUNNERS:
        if tuple(values[: len(runner)]) == runner:
            for start in range(len(runner), len(values)):
                found = _match_at(values, start, wanted)
                if found is not None:
                    return words[start:found]
    return None


def _match_at(values: Sequence[str], start: int, wanted: Sequence[str]) -> int | None:
    """The end index of ``wanted`` matched from ``values[start]``, if it matches: the first
    word by name (or a path's last part), each next one after options and their values."""
    if start >= len(values) or not wanted:
        return None
    if values[start] != wanted[0] and values[start].rsplit("/", 1)[-1] != wanted[0]:
        return None
    i = start + 1
    for word in wanted[1:]:
        takes_value = False
        while i < len(values) and values[i] != word:
            value = values[i]
            if value.startswith("-"):
                takes_value = "=" not in value
            elif takes_value:
                takes_value = False  # the value of the option before: `-n prod`
            else:
                return None  # another subcommand: `terraform plan`, not `apply`
            i += 1
        if i >= len(values):
            return None
        i += 1
    return i
