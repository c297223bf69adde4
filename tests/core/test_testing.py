"""The example harness (``mlops_hooks.testing``) cannot pass by accident."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_hooks.registry import get_registry
from mlops_hooks.rule import Bad, Good
from mlops_hooks.testing import Lint, check_example, project

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


# -- the `lint` fixture and `project` ------------------------------------------------------


def test_lint_writes_the_source_at_the_kind_example_path(lint: Lint, tmp_path: Path) -> None:
    found = lint("on: push\njobs:\n  a:\n    runs-on: x\n", "GHA001")
    assert lint.path == ".github/workflows/check.yml"
    assert project(found, "path", "code", "line", "column") == [
        (".github/workflows/check.yml", "GHA001", 1, 1)
    ]
    assert (tmp_path / "pyproject.toml").read_text().startswith("[project]")


def test_lint_takes_a_mapping_of_files_and_bytes(lint: Lint) -> None:
    found = lint({"Dockerfile": b"FROM python:3.12\nRUN \x00\n"}, "DKR000")
    assert project(found, "code", "line", "message") == [
        ("DKR000", 2, "binary file (contains NUL bytes); not checked")
    ]
    assert lint.path is None


def test_lint_needs_a_path_when_the_selection_spans_kinds(lint: Lint) -> None:
    with pytest.raises(ValueError, match=r"covers \['dockerfile', 'workflow'\]: give the path"):
        lint("FROM python\n", ["DKR006", "GHA001"])
    with pytest.raises(ValueError, match="nothing written yet"):
        lint.read()


def test_lint_fixed_returns_the_type_it_was_given(lint: Lint) -> None:
    assert lint.fixed("FROM python\n", "DKR006") == "FROM python:slim\n"
    assert lint.fixed(b"FROM python\r\n", "DKR006") == b"FROM python:slim\r\n"
    # without --unsafe-fixes an unsafe fix is not applied
    assert lint.fixed("FROM python\n", "DKR006", unsafe_fixes=False) == "FROM python\n"


def test_project_fields(lint: Lint, tmp_path: Path) -> None:
    found = lint("FROM python\n", "DKR006")
    message = (
        "the final stage runs on `python`, a full Debian image with compilers and headers the"
        " application does not need at run time; use `python:slim`"
    )
    assert project(found) == [("DKR006", (1, 6, 1, 12), message)]
    assert project(found, "span") == [(1, 6, 1, 12)]
    assert project(found, "name", "severity", "fix") == [("full-base-image", "error", "unsafe")]
    absolute = [found[0]._replace(path=str(tmp_path / "Dockerfile"))]
    assert project(absolute, "path", root=tmp_path) == ["Dockerfile"]
    assert project(lint("FROM python:3.12-slim\n", "DKR006"), "fix") == []
