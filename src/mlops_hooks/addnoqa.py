"""``check --add-noqa``: a suppression comment, with its codes, at every current finding.

The way into a legacy repository: record today's findings where they are, so that the hooks
guard every new line from now on, and fix the old ones over time. Each comment goes where the
suppression parser reads it for that finding and where the file's language takes a comment:

- at the end of the finding's line (justfile, Python), or on a line of its own above it, with
  its indentation (Dockerfile, YAML: a Dockerfile has no end-of-line comments, and a comment
  above a just recipe would become its doc comment);
- for a line inside a block scalar, a heredoc or a Python string spanning lines, at the line
  that covers it (see :mod:`mlops_hooks.comments`);
- where no line can take it (a finding on a blank or comment line, a line ending in a
  backslash), as ``ignore-file[...]`` at the end of the file.

An existing directive on that line (or right above it) gets the new codes instead of a second
comment. The engine checks the result before writing: the file must still parse and the
findings must be suppressed, else every code of the file becomes ``ignore-file``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from mlops_hooks.lazyre import lazy

if TYPE_CHECKING:
    from mlops_hooks.checkers import Checker
    from mlops_hooks.diagnostics import Diagnostic
    from mlops_hooks.source import SourceFile

_LINES = lazy(r"(\r\n|\r|\n)")
_DIRECTIVE = lazy(r"(#\s*mlops-hooks:\s*(ignore-file|ignore)\[)([^\]]*)(\])")


def _merge(line: str, match: re.Match[str], codes: Iterable[str]) -> str:
    """``line`` with ``codes`` added to the brackets of the directive ``match``."""
    present = [t.strip() for t in match.group(3).split(",") if t.strip()]
    merged = present + sorted(set(codes) - {t.upper() for t in present})
    return line[: match.start(3)] + ",".join(merged) + line[match.end(3) :]


def _directive(codes: Iterable[str], file_level: bool = False) -> str:
    word = "ignore-file" if file_level else "ignore"
    return f"# mlops-hooks: {word}[{','.join(sorted(set(codes)))}]"


def suppress(
    source: SourceFile,
    diagnostics: Iterable[Diagnostic],
    checker: Checker,
    *,
    file_level_only: bool = False,
) -> str:
    """The text of ``source`` with a suppression for each of ``diagnostics``."""
    anchors = checker.suppression_anchors(source)
    placement = checker.comment_placement(source)
    by_line: dict[int, set[str]] = {}
    file_codes: set[str] = set()
    for diagnostic in diagnostics:
        line = diagnostic.span.start.line
        target = anchors.get(line, line)
        text = source.line(target)
        stripped = text.strip()
        if (
            file_level_only
            or target > source.line_count
            or not stripped
            or stripped.startswith("#")
            or (placement == "end" and stripped.endswith("\\"))
        ):
            file_codes.add(diagnostic.code)
        else:
            by_line.setdefault(target, set()).add(diagnostic.code)
    parts = _LINES.split(source.text)
    # parts: line 1, ending 1, line 2, ending 2, ..., last line (maybe "").
    contents, endings = parts[0::2], [*parts[1::2], ""]
    newline = source.newline
    inserted: dict[int, str] = {}
    for target, codes in by_line.items():
        content = contents[target - 1]
        if placement == "end":
            match = _DIRECTIVE.search(content)
            if match is not None and match.group(2) == "ignore":
                contents[target - 1] = _merge(content, match, codes)
            else:
                contents[target - 1] = f"{content.rstrip()}  {_directive(codes)}"
            continue
        above = contents[target - 2] if target > 1 else ""
        match = _DIRECTIVE.search(above)
        if (
            match is not None
            and match.group(2) == "ignore"
            and above.strip().startswith("#")
            and target - 1 not in inserted
        ):
            contents[target - 2] = _merge(above, match, codes)
            continue
        indent = content[: len(content) - len(content.lstrip())]
        inserted[target] = f"{indent}{_directive(codes)}{newline}"
    out = []
    for number, (content, ending) in enumerate(zip(contents, endings, strict=True), start=1):
        out.append(inserted.get(number, ""))
        out.append(content + ending)
    text = "".join(out)
    if file_codes:
        if text and not text.endswith(("\n", "\r")):
            text += newline
        text += _directive(file_codes, file_level=True) + newline
    return text
