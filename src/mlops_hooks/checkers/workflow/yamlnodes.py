"""YAML nodes with exact positions, composed from PyYAML's own parser events.

PyYAML's parser (libyaml through ``CSafeLoader`` when available, else the pure-Python one)
produces the events and PyYAML's resolver tags the scalars; the nodes are composed here, in a
loop rather than by ``yaml.compose``, because:

- ``yaml.compose`` is recursive: the pure-Python composer raises ``RecursionError`` after a few
  hundred levels of nesting, and the C one overflows the C stack (a crash, not an exception)
  near 100,000 levels; here nesting deeper than :data:`MAX_DEPTH` is a parse error at the
  exact place, found before libyaml's scanner slows down on deep flow collections;
- a duplicate key, which GitHub rejects, is reported at the second key as soon as it is seen;
- an alias keeps its own position (the ``*name`` token) while sharing the anchored node's
  children, so nothing is ever expanded: an alias bomb costs one small node per alias.

Keys are never converted: the key ``on`` stays the string ``"on"`` (PyYAML's ``safe_load``
turns it into ``True``). Offsets are code points into :attr:`SourceFile.text` (BOM removed),
turned into 1-based line/column positions by the :class:`SourceFile`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mlops_hooks.checkers import ParseError
from mlops_hooks.diagnostics import Position, Span
from mlops_hooks.source import SourceFile

if TYPE_CHECKING:
    from collections.abc import Iterator

#: Deeper nesting is reported as a parse error (no real workflow nests more than ~20 levels).
MAX_DEPTH = 1000

NULL_TAG = "tag:yaml.org,2002:null"
BOOL_TAG = "tag:yaml.org,2002:bool"
_BOOLS = {"yes": True, "no": False, "true": True, "false": False, "on": True, "off": False}
# The characters PyYAML's reader rejects (its NON_PRINTABLE): libyaml reports them at a byte
# offset, so the exact character offset is found here.
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_LINE_BREAK = re.compile("[\r\n\x85\u2028\u2029]")
_BLOCK_TRAILER = " \t\r\n\x85\u2028\u2029"


@dataclass(eq=False)
class YamlNode:
    """A scalar, sequence or mapping with its exact extent in the file.

    ``start``/``end`` are offsets into the source text; ``end`` is the end of the node's
    *content* (a block collection ends at its last child, not at the comments and blank lines
    that follow it; a block scalar ends at its last non-blank character). An alias node
    (``alias_of`` set) spans its ``*name`` token and shares the anchored node's children.
    """

    kind: str
    tag: str
    start: int
    end: int
    source: SourceFile = field(repr=False)
    value: str = ""
    #: Scalars: None (plain), ``'``, ``"``, ``|`` or ``>``.
    style: str | None = None
    #: Collections: written in flow style (``[a, b]``, ``{a: b}``).
    flow: bool = False
    items: list[YamlNode] = field(default_factory=list, repr=False)
    pairs: list[tuple[YamlNode, YamlNode]] = field(default_factory=list, repr=False)
    anchor: str | None = None
    alias_of: YamlNode | None = field(default=None, repr=False)

    # -- kind and value -----------------------------------------------------------------

    @property
    def is_scalar(self) -> bool:
        """A scalar (string, number, boolean or null)."""
        return self.kind == "scalar"

    @property
    def is_mapping(self) -> bool:
        """A mapping."""
        return self.kind == "mapping"

    @property
    def is_sequence(self) -> bool:
        """A sequence."""
        return self.kind == "sequence"

    @property
    def is_null(self) -> bool:
        """A null scalar: empty, ``~`` or ``null``."""
        return self.kind == "scalar" and self.tag == NULL_TAG

    @property
    def string(self) -> str | None:
        """The value of a non-null scalar, as written (``true`` stays ``"true"``)."""
        return self.value if self.kind == "scalar" and self.tag != NULL_TAG else None

    @property
    def is_expression(self) -> bool:
        """A scalar that contains a ``${{ ... }}`` expression."""
        return self.kind == "scalar" and "${{" in self.value

    def as_bool(self) -> bool | None:
        """The boolean a scalar means: ``true``/``false`` and YAML 1.1's ``yes``/``on``/...
        when plain, ``'true'``/``'false'`` when quoted (GitHub reads those strings too);
        None for anything else (an expression, a number, a collection)."""
        if self.kind != "scalar":
            return None
        lowered = self.value.lower()
        if self.tag == BOOL_TAG:
            return _BOOLS.get(lowered)
        if self.style in ("'", '"') and lowered in ("true", "false"):
            return lowered == "true"
        return None

    # -- positions ----------------------------------------------------------------------

    @property
    def span(self) -> Span:
        """Where the node is written (an alias: its ``*name`` token)."""
        return self.source.span(self.start, self.end)

    @property
    def start_position(self) -> Position:
        """The 1-based position of the node's first character."""
        return self.source.position(self.start)

    @property
    def end_position(self) -> Position:
        """The 1-based position just after the node's content."""
        return self.source.position(self.end)

    def find(self, needle: str, *, ignore_case: bool = False) -> Span | None:
        """The span of the first ``needle`` written inside this node's text (the anchored
        node's text for an alias), if it is written there verbatim."""
        target = self.alias_of or self
        flags = re.IGNORECASE if ignore_case else 0
        match = re.compile(re.escape(needle), flags).search(
            self.source.text, target.start, target.end
        )
        return None if match is None else self.source.span(match.start(), match.end())

    # -- navigation ---------------------------------------------------------------------

    def get(self, key: str) -> YamlNode | None:
        """The value of ``key`` in a mapping (None when absent or not a mapping)."""
        pair = self.pair(key)
        return pair[1] if pair else None

    def key(self, key: str) -> YamlNode | None:
        """The key node of ``key`` in a mapping, for positions."""
        pair = self.pair(key)
        return pair[0] if pair else None

    def pair(self, key: str) -> tuple[YamlNode, YamlNode] | None:
        """The ``(key node, value node)`` of ``key`` in a mapping."""
        for pair in self.pairs:
            if pair[0].kind == "scalar" and pair[0].value == key:
                return pair
        return None

    def keys(self) -> list[str]:
        """The scalar keys of a mapping, in order."""
        return [k.value for k, _ in self.pairs if k.kind == "scalar"]

    def strings(self) -> list[str]:
        """A scalar's value, or the scalar values of a sequence (``[main]`` or ``main``)."""
        if self.kind == "scalar":
            return [] if self.tag == NULL_TAG else [self.value]
        return [item.value for item in self.items if item.kind == "scalar"]

    def walk(self) -> Iterator[YamlNode]:
        """Every node below (and including) this one, each anchored node once, in order."""
        seen: set[int] = set()
        stack = [self]
        while stack:
            node = stack.pop()
            target = node.alias_of or node
            if id(target) in seen:
                continue
            seen.add(id(target))
            yield node
            children = [n for pair in node.pairs for n in pair] if node.pairs else node.items
            stack.extend(reversed(children))


@dataclass
class _Frame:
    node: YamlNode
    children: list[YamlNode] = field(default_factory=list)
    keys: dict[str, YamlNode] = field(default_factory=dict)


def compose(source: SourceFile) -> YamlNode | None:
    """Compose the single YAML document of ``source`` (None when the file has none).

    Raises :class:`ParseError` for invalid YAML, several documents, duplicate keys, undefined
    or self-referencing aliases and nesting deeper than :data:`MAX_DEPTH`.
    """
    import yaml

    loader_class: Any = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    loader: Any = None
    try:
        # The pure-Python reader checks the characters here, in the constructor.
        loader = loader_class(source.text)
        return _Composer(loader, source).document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise _error(source, _yaml_message(exc), mark.index if mark else 0) from None
    except yaml.YAMLError:  # a ReaderError: a character YAML does not allow
        match = _NON_PRINTABLE.search(source.text)
        offset = match.start() if match else 0
        char = f"U+{ord(match.group()):04X}" if match else "a character"
        raise _error(source, f"invalid YAML: {char} is not allowed in YAML", offset) from None
    except RecursionError:  # pragma: no cover - composing is iterative; belt and braces
        raise ParseError("invalid YAML: nesting too deep to check") from None
    finally:
        if loader is not None:
            loader.dispose()


def _yaml_message(exc: Any) -> str:
    problem = str(exc.problem or "syntax error")
    context = exc.context
    if context and exc.context_mark is not None and exc.problem_mark is not None:
        if exc.context_mark.line != exc.problem_mark.line:
            context = f"{context} started on line {exc.context_mark.line + 1}"
        return f"invalid YAML: {problem} ({context})"
    return f"invalid YAML: {problem}"


def _line_end(text: str, offset: int) -> int:
    match = _LINE_BREAK.search(text, offset)
    return match.start() if match else len(text)


def _error(source: SourceFile, message: str, offset: int) -> ParseError:
    position = source.position(offset)
    return ParseError(message, position.line, position.column)


class _Composer:
    """Builds :class:`YamlNode` trees from the loader's event stream, iteratively."""

    def __init__(self, loader: Any, source: SourceFile) -> None:
        self.loader = loader
        self.source = source
        self.anchors: dict[str, YamlNode] = {}
        self.stack: list[_Frame] = []

    def document(self) -> YamlNode | None:
        from yaml import events

        loader = self.loader
        loader.get_event()  # StreamStartEvent
        if loader.check_event(events.StreamEndEvent):
            return None
        loader.get_event()  # DocumentStartEvent
        root: YamlNode | None = None
        while True:
            event = loader.get_event()
            if isinstance(event, events.DocumentEndEvent):
                break
            node = self.node(event, events)
            if node is None:
                continue
            if self.stack:
                self.add(self.stack[-1], node)
            else:
                root = node
        if not loader.check_event(events.StreamEndEvent):
            extra = loader.peek_event()
            raise _error(
                self.source,
                "invalid YAML: a second document; the file must be a single YAML document",
                extra.start_mark.index,
            )
        return root

    def node(self, event: Any, events: Any) -> YamlNode | None:
        """The node an event completes (None when it opens a collection)."""
        from yaml.nodes import MappingNode, ScalarNode, SequenceNode

        start = event.start_mark.index
        anchor, tag = getattr(event, "anchor", None), getattr(event, "tag", None)
        if (anchor is not None or tag is not None) and not isinstance(event, events.AliasEvent):
            start = self.content_start(start)
        if isinstance(event, events.AliasEvent):
            target = self.anchors.get(event.anchor)
            if target is None:
                raise _error(self.source, f"invalid YAML: undefined alias *{event.anchor}", start)
            if any(frame.node is target for frame in self.stack):
                raise _error(
                    self.source, f"invalid YAML: alias *{event.anchor} is inside its anchor", start
                )
            return YamlNode(
                target.kind,
                target.tag,
                start,
                event.end_mark.index,
                self.source,
                value=target.value,
                style=target.style,
                flow=target.flow,
                items=target.items,
                pairs=target.pairs,
                alias_of=target,
            )
        if isinstance(event, events.ScalarEvent):
            tag = event.tag
            if tag is None or tag == "!":
                tag = self.loader.resolve(ScalarNode, event.value, event.implicit)
            style = event.style or None
            end = event.end_mark.index
            if style in ("|", ">"):
                text = self.source.text
                while end > start and text[end - 1] in _BLOCK_TRAILER:
                    end -= 1
            node = YamlNode("scalar", tag, start, end, self.source, event.value, style)
            self.anchor(event, node)
            return node
        if isinstance(event, (events.SequenceStartEvent, events.MappingStartEvent)):
            if len(self.stack) >= MAX_DEPTH:
                raise _error(
                    self.source, f"invalid YAML: nesting deeper than {MAX_DEPTH} levels", start
                )
            mapping = isinstance(event, events.MappingStartEvent)
            tag = event.tag
            if tag is None or tag == "!":
                tag = self.loader.resolve(
                    MappingNode if mapping else SequenceNode, None, event.implicit
                )
            kind = "mapping" if mapping else "sequence"
            node = YamlNode(kind, tag, start, start, self.source, flow=bool(event.flow_style))
            self.anchor(event, node)
            self.stack.append(_Frame(node))
            return None
        # SequenceEndEvent / MappingEndEvent
        frame = self.stack.pop()
        node = frame.node
        children = frame.children
        if node.kind == "mapping":
            node.pairs = list(zip(children[::2], children[1::2], strict=True))
        else:
            node.items = children
        if node.flow:
            node.end = event.end_mark.index
        elif children:
            node.end = max(child.end for child in children[-2:])
        return node

    def content_start(self, offset: int) -> int:
        """Skip a node's properties (``&anchor``, ``!tag``), so that its span is its content."""
        text = self.source.text
        while True:
            while offset < len(text) and text[offset] in " \t\r\n":
                offset += 1
            if offset < len(text) and text[offset] == "#":
                offset = _line_end(text, offset)
            elif offset < len(text) and text[offset] in "&!":
                while offset < len(text) and text[offset] not in " \t\r\n,[]{}":
                    offset += 1
            else:
                return offset

    def anchor(self, event: Any, node: YamlNode) -> None:
        if event.anchor is not None:
            # A later anchor of the same name wins (YAML 1.2), for the aliases after it.
            node.anchor = event.anchor
            self.anchors[event.anchor] = node

    def add(self, frame: _Frame, node: YamlNode) -> None:
        if frame.node.kind == "mapping" and len(frame.children) % 2 == 0 and node.is_scalar:
            first = frame.keys.get(node.value)
            if first is not None:
                line = first.start_position.line
                raise _error(
                    self.source,
                    f"duplicate key {node.value!r} (first on line {line}): GitHub rejects the file",
                    node.start,
                )
            frame.keys[node.value] = node
        frame.children.append(node)
