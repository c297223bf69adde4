"""The example harness (``mlops_hooks.testing``) cannot pass by accident."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_hooks.registry import get_registry
from mlops_hooks.rule import Bad, Good
from mlops_hooks.testing import check_example

MISSING_CONCURRENCY = get_registry().load("GHA001")


def test_an_unparsable_good_example_fails(tmp_path: Path) -> None:
    # Nothing is flagged in a file that does not parse, so without the parse-error check a
    # Good example that is not even YAML would pass.
    example = Good("on: [push\njobs: {\n")
    with pytest.raises(AssertionError, match=r"GHA001: the example does not parse: .*GHA000"):
        check_example(MISSING_CONCURRENCY, example, tmp_path)


def test_an_unparsable_extra_file_fails(tmp_path: Path) -> None:
    rule = get_registry().load("GHA007")
    example = Good(
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: just check\n",
        files={"justfile": "check:\n\techo tab\n    echo spaces\n"},
    )
    with pytest.raises(AssertionError, match=r"does not parse: justfile:\d+: JST000"):
        check_example(rule, example, tmp_path)


def test_a_parseable_good_example_passes(tmp_path: Path) -> None:
    example = Good(
        "on: push\nconcurrency:\n  group: ${{ github.workflow }}-${{ github.ref }}\n"
        "  cancel-in-progress: true\njobs:\n  a:\n    runs-on: x\n    steps:\n"
        "      - run: echo\n"
    )
    assert check_example(MISSING_CONCURRENCY, example, tmp_path) == []


def test_a_bad_example_with_the_wrong_span_fails(tmp_path: Path) -> None:
    example = Bad("on: push\njobs:\n  a:\n    runs-on: x\n", span=(9, 9, 9, 9))
    with pytest.raises(AssertionError, match=r"GHA001: expected spans \[\(9, 9, 9, 9\)\]"):
        check_example(MISSING_CONCURRENCY, example, tmp_path)
