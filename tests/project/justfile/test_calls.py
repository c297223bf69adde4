"""Finding `just` invocations in shell text, with exact offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_hooks.checkers.justfile.model import is_listing, just_calls, lists_recipes
from mlops_hooks.project import Project
from mlops_hooks.project.justfile.calls import (
    body_invocations,
    just_invocations,
    named_recipes,
    unknown_recipes,
)
from mlops_hooks.project.justfile.index import load_index
from mlops_hooks.project.justfile.sandbox import find_just
from mlops_hooks.project.justfile.types import JustfileIndex
from mlops_hooks.testing import write_project


def recipes_of(text: str) -> list[list[str]]:
    return [[w.text for w in named_recipes(i)] for i in just_invocations(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("just check", [["check"]]),
        ("uv run just check-code", [["check-code"]]),
        ("uv run --frozen --group dev just -v check", [["check"]]),
        ("uvx --from rust-just just package", [["package"]]),
        ("uvx --from=rust-just just package", [["package"]]),
        ("uv tool run --from rust-just just clean", [["clean"]]),
        ("pipx run --spec rust-just just install", [["install"]]),
        (".venv/bin/just docker::build", [["docker::build"]]),
        ("just PACKAGE=x VERSION=1 check test", [["check", "test"]]),
        ("FOO=1 env -i just check", [["check"]]),
        ("if just check; then echo ok; fi", [["check"]]),
        (
            "just a && just b || just c; just d | tee log & just e",
            [["a"], ["b"], ["c"], ["d"], ["e"]],
        ),
        ("(cd src && just t)", [["t"]]),
        ("echo just check  # just comment", []),
        ("just \"check\" 'x y'", [["check", "x y"]]),
        ("just --set a b check", [["check"]]),
        ("just -- --weird", [["--weird"]]),
        ("just ${{ matrix.task }}", [["${{ matrix.task }}"]]),
        ("{{ just_executable() }} check-code", [["check-code"]]),
        ("adjust check", []),
        ("uvx ruff check", []),
        ("just", [[]]),
        ("just check 2>/dev/null", [["check"]]),
    ],
)
def test_recipe_words(text: str, expected: list[list[str]]) -> None:
    assert recipes_of(text) == expected


def test_offsets_and_quotes() -> None:
    text = 'uv run just -f justfile "check-all" arg'
    (invocation,) = just_invocations(text)
    first = named_recipes(invocation)[0]
    assert text[first.start : first.end] == '"check-all"'
    start, end = first.inner()
    assert text[start:end] == "check-all"
    assert invocation.justfile is not None and invocation.justfile.text == "justfile"
    inline = just_invocations("just --justfile=./justfile x")[0].justfile
    assert inline is not None and (inline.text, inline.start, inline.end) == ("./justfile", 16, 26)


def test_subcommands_and_listing() -> None:
    assert [i.subcommand for i in just_invocations("just --list; just -l x; just --fmt")] == [
        "--list",
        "-l",
        "--fmt",
    ]
    assert lists_recipes("@just --list")
    assert lists_recipes("-{{ just_executable() }} --summary")
    assert not lists_recipes("echo just --list")
    assert just_calls("@just check-type\njust --list\njust -f other x\njust V=1 check-code") == [
        "check-type",
        "check-code",
    ]
    assert [i.command.text for i in body_invocations("@just a\n-just b")] == ["just", "just"]


@pytest.fixture
def index(tmp_path: Path) -> JustfileIndex:
    if find_just() is None:
        pytest.skip("the rust-just wheel is not installed")
    write_project(
        tmp_path,
        {
            "justfile": (
                "mod docker\nalias c := check\n\ndefault:\n  @just --list\n"
                "check:\n  echo\nbuild target:\n  echo\n"
            ),
            "docker/mod.just": "image:\n  echo\n",
        },
    )
    loaded = load_index(Project(tmp_path))
    assert loaded is not None and loaded.error is None
    return loaded


@pytest.mark.parametrize(
    ("text", "unknown"),
    [
        ("just check", []),
        ("just c", []),
        ("just nope", ["nope"]),
        ("just check nope", ["nope"]),
        ("just build nope", []),
        ("just docker image", []),
        ("just docker::image", []),
        ("just docker::nope", ["docker::nope"]),
        ("just --list nope", []),
        ("just -f other/justfile nope", []),
        ("just -f ./justfile nope", ["nope"]),
        ("just -d sub nope", []),
        ("just $TASK", []),
        ("just ${{ inputs.task }}", []),
        ("just X=1 nope", ["nope"]),
        ("just", []),
        # Redirections are not recipes (`>` and `2>` were read as recipe names).
        ("just check > log 2>&1", []),
        ("just check >log", []),
    ],
)
def test_unknown_recipes(index: JustfileIndex, text: str, unknown: list[str]) -> None:
    (invocation,) = just_invocations(text)
    assert [w.text for w in unknown_recipes(index, invocation)] == unknown


def test_without_a_justfile_every_recipe_is_unknown() -> None:
    (invocation,) = just_invocations("just check other")
    assert [w.text for w in unknown_recipes(None, invocation)] == ["check"]


def test_is_listing_requires_no_dependencies(index: JustfileIndex) -> None:
    assert is_listing(index.recipes["default"])
    assert not is_listing(index.recipes["check"])
