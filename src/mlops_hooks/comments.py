"""Where a ``#`` comment can go, per syntax: for suppressions and ``check --add-noqa``.

A suppression comment must be a comment of the file's language, on a line the suppression
parser reads for the finding. Some lines cannot take one: a line inside a YAML block scalar,
a Dockerfile heredoc or a Python string spanning lines is text, and a Python line ending with
a backslash cannot end with a comment. These helpers map each such line to its *anchor*: the
line whose suppression covers it (the block scalar's key, the heredoc's instruction, the next
line of the Python statement that can end with a comment). Checkers expose them through
``Checker.suppression_anchors``; nothing here parses more than a scan of the text needs.
"""

from __future__ import annotations

from mlops_hooks.lazyre import lazy
from mlops_hooks.source import SourceFile

_YAML_BLOCK = lazy(r"(?:^|[\s:])[|>][-+1-9]{0,2}[ \t]*(?:#.*)?$")
_YAML_KEY_START = lazy(r"^[ \t]*(?:-[ \t]+)*")
_HEREDOC = lazy(r"(?<!<)<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\2")


def yaml_anchors(source: SourceFile) -> dict[int, int]:
    """The lines of YAML block scalars (``run: |`` ...) -> the line of their key."""
    anchors: dict[int, int] = {}
    count = source.line_count
    number = 1
    while number <= count:
        line = source.line(number)
        stripped = line.lstrip()
        if stripped.startswith("#") or not _YAML_BLOCK.search(line):
            number += 1
            continue
        # Content lines are indented deeper than the key (or the `-` of a list item).
        head = _YAML_KEY_START.match(line)
        key_column = len(line) - len(stripped)
        if head is not None and ":" in line[head.end() :]:
            key_column = head.end()
        header = number
        number += 1
        while number <= count:
            text = source.line(number)
            if text.strip() and len(text) - len(text.lstrip()) <= key_column:
                break
            anchors[number] = header
            number += 1
    return anchors


def dockerfile_anchors(source: SourceFile) -> dict[int, int]:
    """The lines of Dockerfile heredoc bodies (and their terminators) -> the line of their
    instruction. Continuation lines need none: a comment line inside a continuation is
    allowed (BuildKit drops it)."""
    anchors: dict[int, int] = {}
    count = source.line_count
    number = 1
    start = 0  # the first line of the instruction being read
    while number <= count:
        line = source.line(number)
        stripped = line.strip()
        number += 1
        if not stripped or stripped.startswith("#"):
            continue
        start = start or number - 1
        markers = [(m.group(1) == "-", m.group(3)) for m in _HEREDOC.finditer(line)]
        for strip_tabs, word in markers:
            while number <= count:
                body = source.line(number)
                anchors[number] = start
                number += 1
                if (body.lstrip("\t") if strip_tabs else body) == word:
                    break
        if markers or not line.rstrip().endswith("\\"):
            start = 0
    return anchors


def python_lines(source: SourceFile) -> tuple[dict[int, int], dict[int, int]] | None:
    """Python: the lines that cannot end with a comment -> the next line that can, and the
    lines holding a real comment -> its 0-based column; None when the file does not
    tokenize."""
    import io
    import tokenize

    can_end: set[int] = set()
    comments: dict[int, int] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source.text).readline):
            if token.type in (tokenize.NEWLINE, tokenize.NL):
                can_end.add(token.start[0])
            elif token.type == tokenize.COMMENT:
                can_end.add(token.start[0])
                comments[token.start[0]] = token.start[1]
    except (tokenize.TokenError, SyntaxError):
        return None
    anchors: dict[int, int] = {}
    ahead: int | None = None
    for number in range(source.line_count, 0, -1):
        if number in can_end:
            ahead = number
        elif ahead is not None:
            anchors[number] = ahead
    return anchors, comments
