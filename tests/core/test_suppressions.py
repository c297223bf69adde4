"""Suppression comments, parsed centrally."""

from __future__ import annotations

from mlops_hooks.diagnostics import Diagnostic, Span
from mlops_hooks.source import SourceFile
from mlops_hooks.suppressions import parse_suppressions

CODES = {"DKR001": "DKR001", "dependencies-after-source": "DKR001", "DKR003": "DKR003"}


def diag(code: str, line: int, end_line: int | None = None) -> Diagnostic:
    return Diagnostic(code, "n", "f", Span.of(line, 1, end_line or line, 2), "m")


def test_no_marker_means_nothing() -> None:
    result = parse_suppressions(SourceFile("f", "FROM x\n"), CODES.get)
    assert result.file_codes == set()
    assert result.by_line == {}


def test_own_line_applies_to_next_code_line() -> None:
    text = (
        "# mlops-hooks: ignore[DKR001] cache is warm anyway\n"
        "# mlops-hooks: ignore[dependencies-after-source,DKR003]\n"
        "\n"
        "COPY . .\n"
        "RUN x\n"
    )
    result = parse_suppressions(SourceFile("f", text), CODES.get)
    assert result.by_line == {4: {"DKR001", "DKR003"}}
    assert result.suppresses(diag("DKR001", 4))
    assert not result.suppresses(diag("DKR001", 5))


def test_trailing_comment_and_multiline_span() -> None:
    text = "a: 1  # mlops-hooks: ignore[DKR003]\nb\n"
    result = parse_suppressions(SourceFile("f", text), CODES.get)
    assert result.by_line == {1: {"DKR003"}}
    assert result.suppresses(diag("DKR003", 1))
    text = "x\n# mlops-hooks: ignore[DKR003]\ny\n"
    result = parse_suppressions(SourceFile("f", text), CODES.get)
    assert result.suppresses(diag("DKR003", 1, 3))
    assert not result.suppresses(diag("DKR001", 1, 3))


def test_huge_span_checks_only_its_first_lines() -> None:
    text = "x\n" * 300 + "# mlops-hooks: ignore[DKR003]\ny\n"
    result = parse_suppressions(SourceFile("f", text), CODES.get)
    assert not result.suppresses(diag("DKR003", 1, 302))


def test_file_level_and_unknown_codes() -> None:
    text = "RUN x\n# mlops-hooks: ignore-file[DKR003, NOPE999] legacy image\n"
    result = parse_suppressions(SourceFile("f", text), CODES.get)
    assert result.file_codes == {"DKR003"}
    assert result.suppresses(diag("DKR003", 1))
    assert not result.suppresses(diag("DKR001", 1))


def test_marker_without_directive_is_ignored() -> None:
    text = "# mlops-hooks: please ignore me\nCOPY . .\n"
    result = parse_suppressions(SourceFile("f", text), CODES.get)
    assert result.by_line == {}
