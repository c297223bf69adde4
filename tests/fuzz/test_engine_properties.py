"""Properties of the whole engine on generated and mutated documents of every kind.

The engine never raises; every span lies inside the file; output is deterministic; applying
all fixes twice equals applying them once. Runs a bounded profile in the test suite and a long
campaign under `just fuzz` (HYPOTHESIS_PROFILE=campaign).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlops_hooks.registry import get_registry
from tests.fuzz.engine_harness import assert_spans_inside, check_text, fix_twice, fuzz_paths

ROOT = Path(__file__).resolve().parents[2]
PATHS = fuzz_paths(get_registry())
KINDS = list(PATHS)

# Characters that stress parsers and position bookkeeping.
ALPHABET = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Z", "Cc"),
    include_characters="\t\r\n\\'\"`$@{}[]:#-*&!|>%\u2028\ufeff",
)


def seeds(kind: str) -> list[str]:
    """The bundled examples of ``kind``: the starting points of raw mutations."""
    name = PATHS[kind].rsplit("/", 1)[-1]
    found = []
    for example in sorted((ROOT / "examples").glob(f"*/**/{name}")):
        found.append(example.read_text(encoding="utf-8"))
    return found or [""]


@st.composite
def mutated(draw: st.DrawFn, kind: str) -> str:
    text = draw(st.sampled_from(seeds(kind)))
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        at = draw(st.integers(0, len(text)))
        if op == "insert":
            text = text[:at] + draw(st.text(ALPHABET, max_size=12)) + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + draw(st.integers(0, 40)) :]
        elif op == "replace":
            text = text[:at] + draw(st.text(ALPHABET, min_size=1, max_size=4)) + text[at + 1 :]
        else:
            end = min(len(text), at + draw(st.integers(0, 80)))
            text = text[:end] + text[at:end] + text[end:]
    return text


@pytest.mark.parametrize("kind", KINDS)
@given(data=st.data())
def test_engine_never_raises_and_spans_fit(kind: str, data: st.DataObject) -> None:
    text = data.draw(st.one_of(mutated(kind), st.text(ALPHABET, max_size=300)))
    relpath = PATHS[kind]
    first = check_text(relpath, text)
    second = check_text(relpath, text)
    assert first == second
    assert_spans_inside(text, first, relpath)


@pytest.mark.parametrize("kind", KINDS)
@given(data=st.data())
def test_fixes_are_idempotent(kind: str, data: st.DataObject) -> None:
    text = data.draw(mutated(kind))
    once, twice = fix_twice(PATHS[kind], text)
    assert once == twice
