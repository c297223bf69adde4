"""Long heredoc bodies kept out of BuildKit's parser, whose time grows with the square of a
heredoc's length (a 30,000-line body takes seconds, a 10 MiB one minutes; even empty lines).

When a file's heredoc bodies are long, BuildKit parses the file with the bodies taken out
(each opener followed directly by its terminator) and the bodies are put back afterwards:
each heredoc's content is its body exactly as written, and line numbers are mapped back to
the file. A body is a script or data that BuildKit does not read at parse time, so nothing
else depends on it. The result is checked against what was taken out (every heredoc found
where it was taken, with an empty body); on any difference, or a parse error, the file is
parsed whole as before, so the fast path never changes what the model says.
"""

from __future__ import annotations

from typing import Any

from mlops_hooks.lazyre import lazy

#: Files whose heredoc bodies hold fewer lines than this (in all) are parsed as written.
MIN_LINES = 1000

# A heredoc opener as BuildKit writes it (`<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'`).
_OPENER = lazy(r"(?<!<)<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\2")


class _Removed:
    """The heredocs of one opener line: their names and bodies, as written."""

    def __init__(self, line: int) -> None:
        self.line = line  # 1-based line of the opener in the reduced text
        self.names: list[str] = []
        self.bodies: list[str] = []


def parse_commands(text: str, min_lines: int | None = None) -> Any:
    """``dockerfile.parse_string(text)``, in time linear in the length of heredoc bodies
    (bodies of fewer than ``min_lines`` lines in all, :data:`MIN_LINES` by default, go to
    BuildKit as written)."""
    import dockerfile

    reduced = _reduce(text, MIN_LINES if min_lines is None else min_lines)
    if reduced is not None:
        short, line_map, removed = reduced
        try:
            commands = dockerfile.parse_string(short)
        except (dockerfile.GoParseError, UnicodeDecodeError):
            commands = None  # parsed whole below: the error as BuildKit words it
        restored = None if commands is None else _restore(commands, line_map, removed)
        if restored is not None:
            return restored
    return dockerfile.parse_string(text)


def _reduce(text: str, min_lines: int) -> tuple[str, list[int], dict[int, _Removed]] | None:
    """The text without its heredoc bodies, the original line of each kept line, and what
    was taken out by opener line; None when the bodies are short or anything is unclear."""
    if text.count("<<") == 0:
        return None
    lines = text.split("\n")
    kept: list[str] = []
    line_map: list[int] = [0]  # 1-based: line_map[reduced line] = original line
    removed: dict[int, _Removed] = {}
    body_lines = 0
    index = 0
    while index < len(lines):
        line = lines[index]
        kept.append(line)
        line_map.append(index + 1)
        index += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or "<<" not in line:
            continue
        markers = _OPENER.findall(line)
        if not markers:
            continue
        if line.rstrip(" \t\r").endswith(("\\", "`")):
            return None  # the instruction goes on: its bodies start later; not worth it
        entry = removed[len(kept)] = _Removed(len(kept))
        for dash, _quote, name in markers:
            body: list[str] = []
            while True:
                if index >= len(lines):
                    return None  # unterminated: BuildKit's own error, parsing whole
                current = lines[index]
                index += 1
                candidate = current.lstrip("\t") if dash else current
                if candidate == name or candidate == name + "\r":
                    kept.append(current)
                    line_map.append(index)
                    break
                if current.strip(" \t\r\f\v") == name:
                    return None  # a terminator BuildKit might read differently
                body.append(current + "\n")
            entry.names.append(name)
            entry.bodies.append("".join(body))
            body_lines += len(body)
    if body_lines < min_lines:
        return None
    return "\n".join(kept), line_map, removed


def _restore(commands: Any, line_map: list[int], removed: dict[int, _Removed]) -> Any:
    """The commands with their bodies and lines put back; None when the parse does not
    match what was taken out."""
    result = []
    matched = 0
    for command in commands:
        start, end = command.start_line, command.end_line
        if not 1 <= start <= end < len(line_map):
            return None
        changes: dict[str, Any] = {"start_line": line_map[start], "end_line": line_map[end]}
        if command.heredocs:
            entries = [removed[n] for n in range(start, end + 1) if n in removed]
            names = [name for entry in entries for name in entry.names]
            bodies = [body for entry in entries for body in entry.bodies]
            if [h.name for h in command.heredocs] != names:
                return None
            if any(h.content for h in command.heredocs):
                return None
            original = _original(command.original, names, bodies)
            if original is None:
                return None
            changes["original"] = original
            changes["heredocs"] = tuple(
                h._replace(content=body) for h, body in zip(command.heredocs, bodies, strict=True)
            )
            matched += len(entries)
        elif any(n in removed for n in range(start, end + 1)):
            return None
        result.append(command._replace(**changes))
    return tuple(result) if matched == len(removed) else None


def _original(original: str, names: list[str], bodies: list[str]) -> str | None:
    """BuildKit's ``original`` text of a heredoc instruction with its bodies put back: it
    ends with each terminator line, which the bodies come before."""
    parts = original.split("\n")
    count = len(names)
    if parts[-1] != "" or len(parts) < count + 2:
        return None
    terminators = parts[-1 - count : -1]
    if [t.strip(" \t\r") for t in terminators] != names:
        return None
    head = "\n".join(parts[: -1 - count]) + "\n"
    return head + "".join(b + t + "\n" for b, t in zip(bodies, terminators, strict=True))
