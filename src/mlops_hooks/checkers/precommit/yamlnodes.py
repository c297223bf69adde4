"""YAML nodes for the pre-commit checker: compose safely, check, and read mappings.

``yaml.compose`` builds nodes with marks and constructs nothing. libyaml's C loader is used
when available, except for text that might nest deeply: its composer recurses in C and would
crash the process, where the pure-Python one raises ``RecursionError``. Walks are iterative
and visit each node once, so aliases (even recursive ones) cannot loop or blow up.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from mlops_hooks.checkers import ParseError

if TYPE_CHECKING:
    from mlops_hooks.source import SourceFile

#: Above this conservative nesting bound, compose with the pure-Python loader: libyaml's
#: composer recurses in C and crashes the process on deep nesting, Python raises instead.
MAX_C_DEPTH = 1000

YAML_TAG = "tag:yaml.org,2002:"
_SAFE_TAGS = frozenset(
    YAML_TAG + name
    for name in (
        "null",
        "bool",
        "int",
        "float",
        "binary",
        "timestamp",
        "omap",
        "pairs",
        "set",
        "str",
        "seq",
        "map",
        "merge",
        "value",
    )
)
_TYPE_NAMES = {
    "str": "a string",
    "int": "an integer",
    "float": "a float",
    "bool": "a boolean",
    "null": "null",
    "timestamp": "a timestamp",
    "binary": "binary data",
    "seq": "a list",
    "map": "a mapping",
}


def _nesting_bound(text: str) -> int:
    """An upper bound of how deep the YAML nodes of ``text`` can nest (cheap, conservative):
    every flow bracket, plus per line twice the indentation and every character that could be
    an indicator (``-``, ``?``, ``:``) on the line."""
    flow = text.count("[") + text.count("{")
    block = 0
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        bound = 2 * indent + stripped.count("-") + stripped.count(":") + stripped.count("?")
        block = max(block, bound)
    return flow + block + 2


def compose(source: SourceFile) -> Any:
    """The root node of ``source`` (None for an empty stream); :class:`ParseError` with the
    position of the problem for anything a YAML loader refuses."""
    import yaml

    text = source.text
    c_loader = getattr(yaml, "CSafeLoader", None)
    loader = c_loader if c_loader and _nesting_bound(text) <= MAX_C_DEPTH else yaml.SafeLoader
    try:
        return yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = f"invalid YAML: {exc.problem or exc.context or 'syntax error'}"
        if exc.context and exc.problem and exc.context_mark is not None:
            message += f" ({exc.context} on line {exc.context_mark.line + 1})"
        if mark is None:
            raise ParseError(message) from None
        pos = source.position(_mark_offset(mark, text))
        raise ParseError(message, pos.line, pos.column) from None
    except yaml.reader.ReaderError as exc:
        offset = exc.position
        if loader is c_loader:  # libyaml reports a UTF-8 byte offset
            offset = len(text.encode("utf-8")[:offset].decode("utf-8", "ignore"))
        pos = source.position(offset)
        raise ParseError(
            f"invalid YAML: character {_codepoint(exc.character)} is not allowed ({exc.reason})",
            pos.line,
            pos.column,
        ) from None
    except yaml.YAMLError as exc:
        raise ParseError(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise ParseError("invalid YAML: the nodes nest too deeply to be read") from None


def _codepoint(character: object) -> str:
    # PyYAML gives the code point as an int (C loader) or a one-character string.
    value = ord(character) if isinstance(character, str) and len(character) == 1 else character
    return f"U+{value:04X}" if isinstance(value, int) else repr(character)


def _mark_offset(mark: Any, text: str) -> int:
    index = int(getattr(mark, "index", 0) or 0)
    return min(max(index, 0), len(text))


def check_nodes(root: Any, source: SourceFile) -> None:
    """Reject what YAML loaders get wrong silently (duplicate keys) or refuse (unknown tags);
    the earliest problem in the file wins. Iterative, visiting each node once."""
    problems: list[tuple[int, str]] = []
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        tag = str(node.tag)
        if tag not in _SAFE_TAGS:
            shown = "!!" + tag[len(YAML_TAG) :] if tag.startswith(YAML_TAG) else tag
            problems.append(
                (
                    node.start_mark.index,
                    f"unsupported YAML tag `{shown}`: pre-commit's safe loader cannot load it",
                )
            )
        if node.id == "mapping":
            first: dict[tuple[str, str], Any] = {}
            for key, value in node.value:
                stack.extend((key, value))
                if key.id != "scalar" or key.tag == YAML_TAG + "merge":
                    continue
                marker = (str(key.tag), str(key.value))
                if marker in first:
                    line = source.position(first[marker].start_mark.index).line
                    problems.append(
                        (
                            key.start_mark.index,
                            f"duplicate key `{key.value}` (first on line {line}):"
                            " YAML loaders keep only the last one",
                        )
                    )
                else:
                    first[marker] = key
        elif node.id == "sequence":
            stack.extend(node.value)
    if problems:
        offset, message = min(problems)
        pos = source.position(offset)
        raise ParseError(message, pos.line, pos.column)


def pairs(node: Any) -> list[tuple[Any, Any]]:
    """The (key, value) nodes of a mapping, merge keys applied (explicit keys win, as in
    PyYAML's safe loader); non-scalar keys are skipped."""
    explicit: list[tuple[Any, Any]] = []
    merged: list[tuple[Any, Any]] = []
    for key, value in node.value:
        if key.tag == YAML_TAG + "merge":
            sources = value.value if value.id == "sequence" else [value]
            for item in sources:
                if item.id == "mapping" and item is not node:
                    merged.extend(_merged_pairs(item, {id(node)}))
        elif key.id == "scalar":
            explicit.append((key, value))
    names = {str(k.value) for k, _ in explicit}
    inherited: dict[str, tuple[Any, Any]] = {}
    for key, value in merged:
        if str(key.value) not in names and str(key.value) not in inherited:
            inherited[str(key.value)] = (key, value)
    return [*explicit, *inherited.values()]


def _merged_pairs(node: Any, seen: set[int]) -> Iterator[tuple[Any, Any]]:
    if id(node) in seen:
        return
    seen = {*seen, id(node)}
    later: list[tuple[Any, Any]] = []
    for key, value in node.value:
        if key.tag == YAML_TAG + "merge":
            sources = value.value if value.id == "sequence" else [value]
            for item in sources:
                if item.id == "mapping":
                    later.extend(_merged_pairs(item, seen))
        elif key.id == "scalar":
            yield key, value
    yield from later


def describe(node: Any) -> str:
    tag = str(node.tag)
    if tag.startswith(YAML_TAG):
        return _TYPE_NAMES.get(tag[len(YAML_TAG) :], f"a {tag[len(YAML_TAG) :]}")
    return f"a {node.id}"
