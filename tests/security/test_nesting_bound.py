"""The nesting bound that runs before any Python parser (checkers/python/depth.py).

Promise: the bound over-estimates the depth of LibCST's tree, never under-estimates it, and
lets every flat construct through however long it is (real modules never reach it).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_hooks.checkers import ParseError
from mlops_hooks.checkers.python import depth
from mlops_hooks.checkers.python.depth import MAX_NESTING, check_nesting
from mlops_hooks.source import SourceFile

N = MAX_NESTING + 1


def nesting_error(text: str) -> tuple[int, str] | None:
    try:
        check_nesting(SourceFile("m.py", text))
    except ParseError as exc:
        return exc.line, exc.message
    return None


@pytest.mark.parametrize(
    "text",
    [
        "x = [" + ", ".join(["a + 1"] * 5000) + "]\n",  # commas end an element
        "x = " + " < ".join(["a"] * 5000) + "\n",  # comparisons are flat
        "\n".join(f"x{i} = a + b" for i in range(5000)) + "\n",  # lines end a statement
        "x = 1.5 + 2e-3 + ...\n" * 2000,  # numbers and the ellipsis have no attribute dots
        "x = f'{{' + f'}}'\n" * 2000,  # doubled braces are text
        "x = '''" + "+" * 5000 + "'''\n",  # operators inside strings are text
        "if a:\n    pass\n" + "elif a:\n    pass\nelse:\n    pass\nif a:\n    pass\n" * 1200,
        "x = " + " and ".join(["(a)"] * 900) + " or not(b)\n",  # a keyword's bracket is no call
        "x = [" + ", ".join(["f(a[0])"] * 2000) + "]\n",  # calls in a list are side by side
    ],
    ids=[
        "list",
        "comparisons",
        "statements",
        "numbers",
        "braces",
        "string",
        "short-elifs",
        "keyword-brackets",
        "calls-in-a-list",
    ],
)
def test_flat_code_passes_however_long(text: str) -> None:
    assert nesting_error(text) is None


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("x = 1\ny = (" + " +\n".join(["a"] * N) + ")\n", 2 + MAX_NESTING - 1),
        ("x = " + "a." * N + "b\n", 1),
        ("x = " + "[" * N + "]" * N + "\n", 1),
        ("x = a + \\\n" * N + "a\n", N),  # backslash continuations
        ("x = f'{f\"{" + "-" * N + "a}\"}'\n", 1),  # an f-string in an f-string
        ("x = f'{" + "(" * N + "\n", 1),  # an unclosed field still counts
        ("x = 1\ny = a" + "()" * N + "\n", 2),  # each call nests the next
        ("x = a" + "[0]" * N + "\n", 1),
        ("x = a" + " [0]" * N + "\n", 1),
        ("x = 'a'" + "[0]" * N + "\n", 1),
    ],
    ids=[
        "multi-line",
        "attributes",
        "brackets",
        "continuations",
        "nested-f-string",
        "unclosed",
        "call-chain",
        "subscript-chain",
        "spaced-subscripts",
        "string-subscripts",
    ],
)
def test_nesting_past_the_bound_is_reported_at_its_line(text: str, line: int) -> None:
    assert nesting_error(text) == (
        line,
        f"expression nests too deeply to check (more than {MAX_NESTING} levels of operators,"
        " brackets and string pieces)",
    )


def test_same_quote_f_strings_nested_past_the_bound_are_too_deep() -> None:
    # Python 3.12 nests f-strings in the same quotes; the scan sees strings and braces.
    assert nesting_error("x = " + "f'{" * N + "a" + "}'" * N + "\n") is not None


_PIECES = [
    "a", "b.c", " + ", " and ", " not ", "(", ")", "[", "]", "{", "}", ", ", "\n", "\\\n",
    "'s'", '"t"', "f'{", "}'", 'f"{x', '}"', " if ", " for ", "lambda: ", "**", " << ", " >> ",
    "~", "-", "@", "# c\n", "'''m\n'''", "1.5", "...", " -> ", " < ", " <= ", "{{", "}}", ";",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60), st.integers(min_value=0, max_value=12))
def test_the_counted_bound_is_never_below_the_scanned_depth(pieces: list[str], limit: int) -> None:
    # The cheap bound lets check_nesting skip the scan; it must never skip a text the scan
    # would stop. With a small limit, the scan and the bound are compared on short texts.
    text = "".join(pieces)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(depth, "MAX_NESTING", limit)
        if depth._too_deep(text) is not None:
            assert depth._levels_bound(text) > limit


def test_the_counted_bound_lets_a_nested_file_through_to_the_scan() -> None:
    text = "x = " + "a." * N + "b\n"
    assert depth._levels_bound(text) > MAX_NESTING
    assert depth._levels_bound("x = a.b\n" * 100) <= MAX_NESTING
