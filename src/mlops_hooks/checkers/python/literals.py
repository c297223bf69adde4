"""Python string literals decoded with the source offset of every character.

A fix that edits ``/3`` inside ``"models:/bikes/3"`` must touch exactly those characters of the
literal, whatever its prefix, quotes or escapes: :func:`decode_body` returns the value of a
literal's body together with, for each character of the value, where it starts in the body.
"""

from __future__ import annotations

import re
import unicodedata

from mlops_hooks.lazyre import lazy

_SIMPLE_ESCAPES = {
    "\\": "\\",
    "'": "'",
    '"': '"',
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
}
_ESCAPE = lazy(
    r"\\(?:(\r\n|\n|\r)|([0-7]{1,3})|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})"
    r"|U([0-9a-fA-F]{8})|N\{([^}]*)\}|(.))",
    re.DOTALL,
)


def split_literal(code: str) -> tuple[str, str, str] | None:
    """``(prefix, quote, body)`` of a string literal as written, e.g. ``rb'''x'''``."""
    prefix_end = 0
    while prefix_end < len(code) and code[prefix_end].isalpha():
        prefix_end += 1
    rest = code[prefix_end:]
    for quote in ('"""', "'''", '"', "'"):
        if rest.startswith(quote) and rest.endswith(quote) and len(rest) >= 2 * len(quote):
            return code[:prefix_end], quote, rest[len(quote) : len(rest) - len(quote)]
    return None


def decode_body(body: str, *, raw: bool, fstring: bool) -> tuple[str, tuple[int, ...]] | None:
    """The value of a literal's ``body`` and the body offset of each character (plus the end).

    ``fstring`` decodes ``{{``/``}}`` in the text parts of an f-string. Returns ``None`` for a
    body Python would reject (an invalid escape such as ``\\x4``, an unknown ``\\N{...}``).
    """
    out: list[str] = []
    offsets: list[int] = []
    i = 0
    n = len(body)
    while i < n:
        ch = body[i]
        if ch == "\\" and not raw and fstring and (i + 1 == n or body[i + 1] in "{}"):
            # f"\{x}", f"\{{": a backslash does not escape a brace; it stays as written.
            out.append(ch)
            offsets.append(i)
            i += 1
        elif ch == "\\" and not raw:
            match = _ESCAPE.match(body, i)
            if match is None:
                return None
            decoded = _escape_value(match)
            if decoded is None:
                return None
            for k, char in enumerate(decoded):
                out.append(char)
                # An unknown escape keeps the backslash: each character has its own place.
                offsets.append(i + k if len(decoded) > 1 else i)
            i = match.end()
        elif fstring and ch in "{}" and i + 1 < n and body[i + 1] == ch:
            out.append(ch)
            offsets.append(i)
            i += 2
        else:
            out.append(ch)
            offsets.append(i)
            i += 1
    offsets.append(n)
    return "".join(out), tuple(offsets)


def _escape_value(match: re.Match[str]) -> str | None:
    newline, octal, hex2, hex4, hex8, name, other = match.groups()
    if newline is not None:
        return ""  # a backslash-newline continues the literal on the next line
    if octal is not None:
        return chr(int(octal, 8))
    code = hex2 or hex4 or hex8
    if code is not None:
        value = int(code, 16)
        return chr(value) if value <= 0x10FFFF else None
    if name is not None:
        try:
            return unicodedata.lookup(name)
        except KeyError:
            return None
    if other in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[other]
    if other in ("x", "u", "U", "N"):
        return None  # a truncated escape: Python rejects the literal
    return "\\" + other
