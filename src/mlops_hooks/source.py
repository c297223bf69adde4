"""Source text with exact positions: decoding, BOMs, line endings, offset <-> line/column.

Every checker works on a :class:`SourceFile`, so positions mean the same thing for every kind
of file. Line breaks are ``\\r\\n``, ``\\r`` and ``\\n`` (what BuildKit, LibCST and just agree
on); columns count code points.
"""

from __future__ import annotations

import bisect
import codecs

from mlops_hooks.diagnostics import Position, Span
from mlops_hooks.lazyre import lazy

_NEWLINE = lazy(r"\r\n|\r|\n")
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class DecodeError(ValueError):
    """The bytes are not text we can check; ``line`` is where the problem is (1-based)."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def decode(raw: bytes, default_encoding: str = "utf-8") -> tuple[str, str, bytes]:
    """Decode ``raw`` into ``(text, encoding, bom)``.

    A BOM selects its encoding and is kept aside so that a fix can write it back. Without
    one, NUL bytes mean a binary file, and the bytes must be valid ``default_encoding``.
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            body = raw[len(bom) :]
            try:
                text = body.decode(encoding)
            except UnicodeDecodeError as exc:
                raise _decode_error(body, exc, encoding) from None
            if "\x00" in text:  # a NUL character, in any encoding, is binary data too
                line = len(_NEWLINE.findall(text, 0, text.index("\x00"))) + 1
                raise DecodeError("binary file (contains NUL bytes); not checked", line)
            return text, encoding, bom
    # Anywhere, not only near the start: BuildKit's parser (and others) stop at a NUL, so a
    # NUL past the first bytes would silently hide the rest of the file.
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise DecodeError("binary file (contains NUL bytes); not checked", line)
    try:
        return raw.decode(default_encoding), default_encoding, b""
    except (UnicodeDecodeError, LookupError) as exc:
        if isinstance(exc, LookupError):
            raise DecodeError(f"unknown encoding {default_encoding!r}") from None
        raise _decode_error(raw, exc, default_encoding) from None


def _decode_error(raw: bytes, exc: UnicodeDecodeError, encoding: str) -> DecodeError:
    before = raw[: exc.start]
    line = len(_NEWLINE.findall(before.decode(encoding, "replace"))) + 1
    last = max(before.rfind(b"\n"), before.rfind(b"\r"))
    column = len(before[last + 1 :].decode(encoding, "replace")) + 1
    return DecodeError(
        f"invalid {encoding.upper()} at byte {exc.start} "
        f"(0x{raw[exc.start]:02x}); the file must be {encoding.upper()}",
        line,
        column,
    )


class SourceFile:
    """A decoded file plus the facts a fix needs to write it back byte-faithfully."""

    __slots__ = ("_line_starts", "bom", "encoding", "path", "raw", "relpath", "text")

    def __init__(
        self,
        path: str,
        text: str,
        relpath: str = "",
        encoding: str = "utf-8",
        bom: bytes = b"",
        raw: bytes | None = None,
    ) -> None:
        self.path = path
        self.text = text
        self.relpath = relpath or path.replace("\\", "/")
        self.encoding = encoding
        self.bom = bom
        self.raw = raw
        self._line_starts: list[int] | None = None

    @property
    def _starts(self) -> list[int]:
        # Computed on first use: most files a prefilter skips never need a position.
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in _NEWLINE.finditer(self.text)]
        return self._line_starts

    def __repr__(self) -> str:
        return f"SourceFile({self.path!r}, {len(self.text)} chars, {self.encoding})"

    @classmethod
    def from_bytes(
        cls, path: str, raw: bytes, relpath: str = "", default_encoding: str = "utf-8"
    ) -> SourceFile:
        """Decode ``raw``; raises :class:`DecodeError` for binary or undecodable bytes."""
        text, encoding, bom = decode(raw, default_encoding)
        return cls(path, text, relpath, encoding, bom, raw)

    @property
    def line_count(self) -> int:
        """Number of lines (a trailing newline does not start a new, counted line)."""
        n = len(self._starts)
        return n - 1 if n > 1 and self._starts[-1] == len(self.text) else n

    @property
    def newline(self) -> str:
        """The file's line ending: the first one found, else ``\\n``."""
        m = _NEWLINE.search(self.text)
        return m.group() if m else "\n"

    def line(self, number: int) -> str:
        """The text of 1-based line ``number`` without its line ending ('' past the end)."""
        if number < 1 or number > len(self._starts):
            return ""
        start = self._starts[number - 1]
        end = self._starts[number] if number < len(self._starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def offset(self, pos: Position) -> int:
        """The string offset of ``pos``, clamped to the text."""
        line = min(max(pos.line, 1), len(self._starts))
        start = self._starts[line - 1]
        return min(start + max(pos.column, 1) - 1, len(self.text))

    def position(self, offset: int) -> Position:
        """The 1-based position of string offset ``offset``."""
        offset = min(max(offset, 0), len(self.text))
        index = bisect.bisect_right(self._starts, offset) - 1
        return Position(index + 1, offset - self._starts[index] + 1)

    def span(self, start: int, end: int) -> Span:
        """The span between two string offsets."""
        return Span(self.position(start), self.position(end))

    def line_span(self, first: int, last: int | None = None) -> Span:
        """The span from the first non-blank character of ``first`` to the end of ``last``."""
        last = first if last is None else last
        text = self.line(first)
        column = len(text) - len(text.lstrip()) + 1
        return Span.of(first, column, last, len(self.line(last)) + 1)

    def find(self, needle: str, first_line: int, last_line: int | None = None) -> Span | None:
        """The span of the first ``needle`` between two lines (inclusive), if present."""
        last_line = first_line if last_line is None else last_line
        start = self._starts[min(max(first_line, 1), len(self._starts)) - 1]
        end = self._starts[last_line] if last_line < len(self._starts) else len(self.text)
        index = self.text.find(needle, start, end)
        if index < 0:
            return None
        return self.span(index, index + len(needle))

    def encode(self, text: str) -> bytes:
        """Encode ``text`` the way this file was encoded, BOM included."""
        return self.bom + text.encode(self.encoding)
