"""The one escaping of text from checked files on its way out: every reporter and every note.

Two steps, each one function:

- :func:`valid_text`, for every output (machine formats included): text that is not valid
  Unicode cannot be written as UTF-8 (it made every format fail with exit 2). Such text is a
  lone surrogate: an undecodable byte of a file name (Python keeps byte ``0xNN`` as
  ``U+DCNN``) becomes ``\\xNN``; any other lone surrogate (a ``"\\ud800"`` escape evaluated
  from a Python string) becomes ``\\uXXXX``. This is what Python's ``backslashreplace`` shows
  for the name's bytes and the string's escape.
- :func:`printable`, for every human-facing output (text, concise, github, the diff,
  statistics, notes on stderr): control characters (ESC could retitle or clear a terminal,
  CR or LF could start a fake ``::error`` line in a CI log) and line or paragraph separators
  are shown as Python escapes (``\\x1b``, ``\\n``), bidirectional overrides (Trojan Source)
  as ``<U+202E>``. Machine formats (JSON, SARIF) keep the text exact instead: their encoders
  escape controls themselves.
"""

from __future__ import annotations

import re
import unicodedata

from mlops_hooks.lazyre import lazy

#: Invisible characters that reorder text (Trojan Source); always shown as ``<U+XXXX>``.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_SURROGATE = lazy("[\ud800-\udfff]")
#: Categories shown escaped: controls, surrogates, line and paragraph separators.
_ESCAPED = frozenset({"Cc", "Cs", "Zl", "Zp"})


def _surrogate(match: re.Match[str]) -> str:
    point = ord(match.group())
    if 0xDC80 <= point <= 0xDCFF:
        return f"\\x{point - 0xDC00:02x}"
    return f"\\u{point:04x}"


def valid_text(text: str) -> str:
    """``text`` with every lone surrogate escaped, so that it encodes as UTF-8."""
    if text.isascii():
        return text
    return _SURROGATE.sub(_surrogate, text)


def printable(text: str, tabs: bool = False) -> str:
    """One line of valid text safe for a terminal or a CI log (see the module docstring);
    with ``tabs``, tabs stay (a diff line keeps its indentation)."""
    if text.isprintable():
        return text
    out = []
    for char in valid_text(text):
        if char in BIDI_CONTROLS:
            out.append(f"<U+{ord(char):04X}>")
        elif char == "\t":
            out.append(char if tabs else "\\t")
        elif unicodedata.category(char) in _ESCAPED:
            out.append(repr(char)[1:-1])
        else:
            out.append(char)
    return "".join(out)
