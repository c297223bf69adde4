"""Patterns compiled on first use: the same answers as ``re``, and every one of ours valid."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import mlops_hooks
from mlops_hooks.lazyre import LazyPattern, lazy


def test_compiled_only_when_first_used() -> None:
    pattern = lazy(r"(?P<word>[a-z]+)-(\d+)", re.IGNORECASE)
    assert pattern._compiled is None
    assert pattern.pattern == r"(?P<word>[a-z]+)-(\d+)"
    assert pattern.flags == re.IGNORECASE
    match = pattern.match("Abc-12 def-3")
    assert match is not None
    assert match.group("word") == "Abc"
    assert pattern._compiled is re.compile(r"(?P<word>[a-z]+)-(\d+)", re.IGNORECASE)
    # After the first call, the compiled pattern's methods answer without the wrapper.
    assert pattern.search == pattern._compiled.search
    assert pattern.sub == pattern._compiled.sub


def test_every_method_answers_as_the_compiled_pattern() -> None:
    text = "a-1 b-22 c-333"
    pattern = lazy(r"([a-z])-(\d+)")
    compiled = re.compile(r"([a-z])-(\d+)")
    found, expected = pattern.search(text, 1), compiled.search(text, 1)
    assert found is not None and expected is not None
    assert found.span() == expected.span() == (4, 8)
    whole = pattern.fullmatch("b-22")
    assert whole is not None and whole.group(2) == "22"
    assert pattern.fullmatch(text) is None
    inner = pattern.match(text, 4, 8)
    assert inner is not None and inner.group() == "b-22"
    assert [m.span() for m in pattern.finditer(text)] == [(0, 3), (4, 8), (9, 14)]
    assert pattern.findall(text) == [("a", "1"), ("b", "22"), ("c", "333")]
    assert pattern.split(text, 1) == ["", "a", "1", " b-22 c-333"]
    assert pattern.sub(r"\2\1", text) == "1a 22b 333c"
    assert pattern.sub(lambda m: m.group(1).upper(), text, count=2) == "A B c-333"
    assert pattern.subn("x", text) == ("x x x", 3)
    assert lazy(r"(?P<n>\d)").groupindex == {"n": 1}
    assert lazy(rb"\d+").findall(b"a1b22") == [b"1", b"22"]


def test_an_invalid_pattern_fails_when_used() -> None:
    pattern = lazy(r"(unclosed")
    with pytest.raises(re.error):
        pattern.search("x")


def test_every_module_level_pattern_of_the_package_compiles() -> None:
    # A lazy pattern no longer fails at import: this is where a typo in one shows.
    found = 0
    for info in pkgutil.walk_packages(mlops_hooks.__path__, "mlops_hooks."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, LazyPattern):
                assert isinstance(value.compiled, re.Pattern), value
                found += 1
    assert found >= 90
