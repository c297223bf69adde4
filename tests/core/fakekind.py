"""A tiny fake kind of file (``*.fake``) for engine, CLI and fixer tests.

Each line containing ``bad`` is a FAK001 finding with a safe fix (``bad`` -> ``good``); each
``risky`` is FAK002 with an unsafe fix; a line ``!syntax`` makes the file unparsable (FAK000),
and a fix that would write ``!syntax`` is refused by the engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pytest

from mlops_hooks import registry as registry_module
from mlops_hooks.checkers import Checker, Level, ParseError
from mlops_hooks.diagnostics import Edit, Fix, FixSafety, Severity, Span
from mlops_hooks.project import Project
from mlops_hooks.registry import Registry, _builtin
from mlops_hooks.rule import Bad, Good, Rule, option, options
from mlops_hooks.source import SourceFile


@options
class FakeKindOptions:
    suffix: str = option(default=".fake", doc="file suffix")


class FakeRule(Rule):
    kind: ClassVar[str] = "fake"

    def check(self, source: SourceFile) -> None:
        """Per-file hook."""


class FakeChecker(Checker):
    kind: ClassVar[str] = "fake"
    title: ClassVar[str] = "fake"
    description: ClassVar[str] = "fake files"
    example_path: ClassVar[str] = "example.fake"
    rule_base: ClassVar[type] = FakeRule
    levels: ClassVar[tuple[Level, ...]] = (Level("check"),)
    Options: ClassVar[type] = FakeKindOptions
    options: Any = FakeKindOptions()
    parsed: ClassVar[list[str]] = []

    def matches(self, relpath: str) -> bool:
        return relpath.endswith(self.options.suffix)

    def wants(self, source: SourceFile, rules: Sequence[Rule]) -> bool:
        return "skip-me" not in source.text

    def parse(self, source: SourceFile, project: Project, rules: Sequence[Rule]) -> SourceFile:
        FakeChecker.parsed.append(source.path)
        for number in range(1, source.line_count + 1):
            if "!syntax" in source.line(number):
                raise ParseError("bang syntax is not allowed", number, 1)
        return source


class FakeParseError(FakeRule):
    """The fake file cannot be parsed.

    ## What it does
    Reports parse errors.

    ## Why is this bad?
    Nothing else can run.
    """

    code = "FAK000"
    name = "fake-parse-error"
    parse_error = True
    examples = (Good("ok\n", path="a.fake"), Bad("!syntax\n", span=(1, 1, 1, 1), path="a.fake"))


@dataclass(frozen=True)
class BadWordOptions:
    word: str = field(default="bad", metadata={"doc": "the word to flag"})
    limit: int = field(default=100, metadata={"doc": "max findings"})
    enabled_lines: list[int] = field(default_factory=list, metadata={"doc": "lines to check"})
    mapping: dict[str, str] = field(default_factory=dict, metadata={"doc": "a mapping"})
    ratio: float | None = field(default=None, metadata={"doc": "a ratio"})
    strict: bool = field(default=False, metadata={"doc": "a flag"})


class BadWord(FakeRule):
    """A line says bad.

    ## What it does
    Flags `bad`.

    ## Why is this bad?
    It is bad.

    ## Fix safety
    Safe.
    """

    code = "FAK001"
    name = "bad-word"
    severity = Severity.WARNING
    fix_safety = FixSafety.SAFE
    Options: ClassVar[type] = BadWordOptions
    examples = (
        Good("good\n", path="a.fake"),
        Bad(
            "a bad\n",
            span=(1, 3, 1, 6),
            message="say good, not bad",
            fixed="a good\n",
            path="a.fake",
        ),
    )

    def check(self, source: SourceFile) -> None:
        word = self.options.word
        for number in range(1, source.line_count + 1):
            line = source.line(number)
            column = line.find(word)
            if column >= 0:
                span = Span.of(number, column + 1, number, column + 1 + len(word))
                replacement = "!syntax" if "poison" in line else "good"
                self.report(span, f"say good, not {word}", fix=Fix.safe(Edit(span, replacement)))


class RiskyWord(FakeRule):
    """A line says risky.

    ## What it does
    Flags `risky`.

    ## Why is this bad?
    Risk.
    """

    code = "FAK002"
    name = "risky-word"
    fix_safety = FixSafety.UNSAFE
    examples = (
        Good("safe\n", path="a.fake"),
        Bad("risky\n", span=(1, 1, 1, 6), message="risky word", fixed="safe\n", path="a.fake"),
    )

    def check(self, source: SourceFile) -> None:
        for number in range(1, source.line_count + 1):
            column = source.line(number).find("risky")
            if column >= 0:
                span = Span.of(number, column + 1, number, column + 6)
                self.report(span, "risky word", fix=Fix.unsafe(Edit(span, "safe")))


class OffByDefault(FakeRule):
    """Off by default.

    ## What it does
    Flags `quiet`.

    ## Why is this bad?
    Quiet.
    """

    code = "FAK003"
    name = "quiet-word"
    default_enabled = False
    examples = (
        Good("x\n", path="a.fake"),
        Bad("quiet\n", span=(1, 1, 1, 6), message="quiet", path="a.fake"),
    )

    def check(self, source: SourceFile) -> None:
        for number in range(1, source.line_count + 1):
            if "quiet" in source.line(number):
                self.report(Span.of(number, 1, number, 6), "quiet")


FAKE_RULES: list[type[Rule]] = [FakeParseError, BadWord, RiskyWord, OffByDefault]


def fake_registry() -> Registry:
    checkers, rules = _builtin()
    return Registry([*checkers, FakeChecker()], [*rules, *FAKE_RULES])


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Registry:
    """The real registry plus the fake kind, also returned by ``get_registry()``."""
    reg = fake_registry()
    monkeypatch.setattr(registry_module, "get_registry", lambda: reg)
    import mlops_hooks.testing as testing

    monkeypatch.setattr(testing, "get_registry", lambda: reg)
    FakeChecker.parsed.clear()
    return reg
