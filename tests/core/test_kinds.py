"""A sixth kind is one package plus its registration: routed, documented, fuzzed and listed
in the CLI help with no core table edited (the fake kind of ``fakekind.py`` stands in)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_hooks.checkers import Checker, Level
from mlops_hooks.cli import main
from mlops_hooks.docsgen import render_index, render_page
from mlops_hooks.registry import Registry, RegistryError
from mlops_hooks.rule import Good
from mlops_hooks.testing import check_example, example_path
from tests.core.fakekind import FAKE_RULES, BadWord, FakeChecker
from tests.fuzz.engine_harness import assert_spans_inside, check_text, fix_twice, fuzz_paths


def test_the_new_kind_is_routed(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.fake").write_text("a bad line\n")
    (tmp_path / "Dockerfile").write_text("FROM ghcr.io/astral-sh/uv:0.9.0-python3.12-bookworm\n")
    monkeypatch.chdir(tmp_path)
    assert registry.checker_for("sub/x.fake") is registry.checkers["fake"]
    main(["check", "--format", "json", "--kind", "fake"])
    out = json.loads(capsys.readouterr().out)
    assert [(d["path"], d["code"]) for d in out["diagnostics"]] == [("sub/x.fake", "FAK001")]


def test_the_new_kind_is_documented(registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FakeChecker, "title", "Fake file")
    monkeypatch.setattr(FakeChecker, "fence", "text")
    monkeypatch.setattr(FakeChecker, "files", "`*.fake`")
    page = render_page(BadWord)
    assert "- Kind: Fake file (`fake`)" in page
    # Examples are fenced in the kind's language; a path other than the kind's example path
    # is named.
    assert "In `a.fake`:\n\n```text\na bad\n```" in page
    index = render_index(registry, FAKE_RULES)
    assert "## Fake file (`FAK`)\n\nKind `fake`: fake files (`*.fake`).\n" in index
    assert "| [FAK001](FAK001-bad-word.md) | `bad-word` |" in index


def test_examples_without_a_path_go_to_the_kind_example_path(
    registry: Registry, tmp_path: Path
) -> None:
    example = Good("good\n")
    assert example_path(BadWord, example) == "example.fake"
    assert check_example(BadWord, example, tmp_path) == []
    assert (tmp_path / "example.fake").read_text() == "good\n"


def test_the_new_kind_is_listed_in_the_cli_help(registry: Registry, capsys) -> None:
    assert main(["check", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "only check files of these kinds (dockerfile, fake, justfile," in help_text


def test_the_new_kind_is_fuzzed(registry: Registry) -> None:
    paths = fuzz_paths(registry)
    assert paths["fake"] == "example.fake"
    assert set(paths) == set(registry.checkers)

    @settings(max_examples=25, deadline=None, database=None)
    @given(st.text(st.sampled_from("bad risky good !syntax poison\n\t\r#"), max_size=80))
    def properties(text: str) -> None:
        first = check_text(paths["fake"], text, registry)
        assert first == check_text(paths["fake"], text, registry)
        assert_spans_inside(text, first, paths["fake"])
        once, twice = fix_twice(paths["fake"], text, registry)
        assert once == twice

    properties()
    assert check_text(paths["fake"], "bad\n", registry)[0].code == "FAK001"


class _Incomplete(Checker):
    kind: ClassVar[str] = "incomplete"
    title: ClassVar[str] = "Incomplete"
    example_path: ClassVar[str] = "x.inc"
    levels: ClassVar[tuple[Level, ...]] = (Level("check"),)

    def matches(self, relpath: str) -> bool:
        return relpath.endswith(".inc")

    def parse(self, source: Any, project: Any, rules: Any) -> Any:
        return source


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "kind 'incomplete' declares no title"),
        ({"example_path": ""}, "kind 'incomplete' declares no example_path"),
        ({"example_path": "x.txt"}, "does not match its own example_path 'x.txt'"),
        ({"levels": ()}, "kind 'incomplete' declares no levels and no run()"),
    ],
)
def test_a_kind_that_misses_metadata_is_refused(overrides: dict[str, Any], message: str) -> None:
    checker = type("Broken", (_Incomplete,), overrides)()
    with pytest.raises(RegistryError, match=message):
        Registry([checker], [])
    Registry([_Incomplete()], [])  # complete: accepted


def test_levels_call_only_the_hooks_a_rule_overrides() -> None:
    calls: list[str] = []

    class Model:
        parts = ("a", "b")

        def more(self) -> list[str]:
            calls.append("more computed")
            return ["c"]

    class Base:
        def whole(self, model: Model) -> None: ...
        def part(self, item: str) -> None: ...
        def extra(self, item: str, model: Model) -> None: ...

    class Rule(Base):
        def whole(self, model: Model) -> None:
            calls.append("whole")

        def part(self, item: str) -> None:
            calls.append(f"part {item}")

    class Walker(_Incomplete):
        rule_base: ClassVar[type] = Base
        levels: ClassVar[tuple[Level, ...]] = (
            Level("whole"),
            Level("part", "parts"),
            Level("extra", "more", with_model=True),
        )

    Walker().run(Model(), [Rule(), object()])  # type: ignore[list-item]
    assert calls == ["whole", "part a", "part b"]  # `more` is never computed: nobody reads it

    class Other(Base):
        def extra(self, item: str, model: Model) -> None:
            calls.append(f"extra {item} {type(model).__name__}")

    calls.clear()
    Walker().run(Model(), [Other()])  # type: ignore[list-item]
    assert calls == ["more computed", "extra c Model"]


def test_fake_checker_is_a_plain_declaration() -> None:
    # The fake kind declares its levels: no run() of its own.
    assert FakeChecker.run is Checker.run
