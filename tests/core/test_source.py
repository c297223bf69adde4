"""Decoding and exact positions."""

from __future__ import annotations

import codecs

import pytest

from mlops_hooks.diagnostics import Position, Span
from mlops_hooks.source import DecodeError, SourceFile, decode


@pytest.mark.parametrize(
    ("raw", "text", "encoding", "bom"),
    [
        (b"FROM x\n", "FROM x\n", "utf-8", b""),
        (codecs.BOM_UTF8 + b"FROM x\n", "FROM x\n", "utf-8", codecs.BOM_UTF8),
        (codecs.BOM_UTF16_LE + "é\n".encode("utf-16-le"), "é\n", "utf-16-le", codecs.BOM_UTF16_LE),
        (codecs.BOM_UTF16_BE + "é\n".encode("utf-16-be"), "é\n", "utf-16-be", codecs.BOM_UTF16_BE),
        (codecs.BOM_UTF32_LE + "é\n".encode("utf-32-le"), "é\n", "utf-32-le", codecs.BOM_UTF32_LE),
        (b"", "", "utf-8", b""),
    ],
)
def test_decode(raw: bytes, text: str, encoding: str, bom: bytes) -> None:
    assert decode(raw) == (text, encoding, bom)
    source = SourceFile.from_bytes("f", raw)
    assert source.encode(source.text) == raw


def test_invalid_utf8_names_line_and_column() -> None:
    with pytest.raises(DecodeError) as info:
        decode(b"FROM x\nRUN \xe9cho\n")
    assert (info.value.line, info.value.column) == (2, 5)
    assert info.value.message == "invalid UTF-8 at byte 11 (0xe9); the file must be UTF-8"


def test_invalid_utf16_after_bom() -> None:
    with pytest.raises(DecodeError) as info:
        decode(codecs.BOM_UTF16_LE + b"a\x00\x00\xd8")
    assert "invalid UTF-16-LE" in info.value.message


def test_binary_file() -> None:
    with pytest.raises(DecodeError) as info:
        decode(b"line one\nline\x00two")
    assert info.value.message == "binary file (contains NUL bytes); not checked"
    assert info.value.line == 2


def test_unknown_default_encoding() -> None:
    with pytest.raises(DecodeError, match="unknown encoding"):
        decode(b"x", "no-such-codec")


def test_lines_and_positions_with_mixed_endings() -> None:
    source = SourceFile("f", "a\r\nbé\rc\n\nlast")
    assert source.line_count == 5
    assert [source.line(n) for n in range(7)] == ["", "a", "bé", "c", "", "last", ""]
    assert source.newline == "\r\n"
    assert source.position(0) == Position(1, 1)
    assert source.position(3) == Position(2, 1)
    assert source.position(5) == Position(2, 3)
    assert source.position(999) == Position(5, 5)
    assert source.offset(Position(3, 1)) == 6
    assert source.offset(Position(99, 99)) == len(source.text)
    assert source.span(3, 5) == Span.of(2, 1, 2, 3)


def test_line_count_with_trailing_newline() -> None:
    assert SourceFile("f", "a\nb\n").line_count == 2
    assert SourceFile("f", "").line_count == 1
    assert SourceFile("f", "x").newline == "\n"


def test_line_span_and_find() -> None:
    source = SourceFile("f", "FROM x\n  RUN a \\\n    b\n")
    assert source.line_span(2, 3) == Span.of(2, 3, 3, 6)
    assert source.line_span(1) == Span.of(1, 1, 1, 7)
    assert source.find("b", 2, 3) == Span.of(3, 5, 3, 6)
    assert source.find("RUN", 2) == Span.of(2, 3, 2, 6)
    assert source.find("zzz", 1, 3) is None
    assert source.find("x", 1, 99) == Span.of(1, 6, 1, 7)


def test_relpath_defaults_to_path() -> None:
    assert SourceFile("a\\b", "").relpath == "a/b"
    assert SourceFile("a", "", relpath="x/a").relpath == "x/a"


def test_span_helpers() -> None:
    assert Span.point(3) == Span.of(3, 1, 3, 1)
    assert Span.of(1, 2, 3, 4).as_tuple() == (1, 2, 3, 4)
