"""The nesting scan's helpers answer as their first, plainer versions did."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_hooks.checkers.python import depth

_WORD = re.compile(r"\w+\Z")


def _called_as_written_first(text: str, offset: int) -> bool:
    """`depth._called` as first written: the word before the bracket read from 20 characters."""
    if text[offset] == "{":
        return False
    before = offset - 1
    while before >= 0 and text[before] in " \t":
        before -= 1
    if before < 0:
        return False
    char = text[before]
    if char in ")]}\"'":
        return True
    if not (char.isalnum() or char == "_"):
        return False
    word = _WORD.search(text, max(0, before - 19), before + 1)
    return word is not None and word.group() not in depth._NOT_CALLED


PIECES = st.sampled_from(
    [*sorted(depth._NOT_CALLED), "x", "_", "9", "é", "٣", "ab" * 6, " ", "\t", "\n", ".", "'", ")"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=6), st.sampled_from(["(", "[", "{"]))
def test_called_reads_the_word_before_a_bracket_as_before(pieces: list[str], bracket: str) -> None:
    text = "".join(pieces) + bracket
    assert depth._called(text, len(text) - 1) == _called_as_written_first(text, len(text) - 1)


@pytest.mark.parametrize(
    ("text", "called"),
    [
        ("nonlocal(", False),
        ("xnonlocal(", True),
        ("a" * 30 + "if(", True),
        ("x = f (", True),
        ("return\t[", False),
        ("print(", True),
        ("(", False),
    ],
)
def test_called(text: str, called: bool) -> None:
    assert depth._called(text, len(text) - 1) is called
