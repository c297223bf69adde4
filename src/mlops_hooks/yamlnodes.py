"""YAML nodes with exact positions, composed from PyYAML's own parser events.

Every YAML kind of file (GitHub workflows, pre-commit configs) is read through this module.
PyYAML's parser (libyaml through ``CSafeLoader`` when available, else the pure-Python one)
produces the events and PyYAML's resolver tags the scalars; the nodes are composed here, in a
loop rather than by ``yaml.compose``, because:

- ``yaml.compose`` is recursive: the pure-Python composer raises ``RecursionError`` after a few
  hundred levels of nesting, and the C one overflows the C stack (a crash, not an exception)
  near 100,000 levels; here nesting deeper than :data:`MAX_DEPTH` is a parse error at the
  exact place, found before libyaml's scanner slows down on deep flow collections;
- a duplicate key is reported at the second key as soon as it is seen;
- an alias keeps its own position (the ``*name`` token) while sharing the anchored node's
  children, so nothing is ever expanded: an alias bomb costs one small node per alias.

Keys are never converted: the key ``on`` stays the string ``"on"`` (PyYAML's ``safe_load``
turns it into ``True``). Offsets are code points into :attr:`SourceFile.text` (BOM removed),
turned into 1-based line/column positions by the :class:`SourceFile`. What differs between
the programs that read the files (what they refuse, and how the refusal is worded) is a
:class:`YamlDialect`. ``yaml`` is imported only when a file is composed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from mlops_hooks.checkers import ParseError
from mlops_hooks.diagnostics import Position, Span
from mlops_hooks.lazyre import lazy
from mlops_hooks.records import field, record
from mlops_hooks.source import SourceFile

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

#: Deeper nesting is reported as a parse error (no real config nests more than ~20 levels).
MAX_DEPTH = 1000

YAML_TAG = "tag:yaml.org,2002:"
NULL_TAG = YAML_TAG + "null"
BOOL_TAG = YAML_TAG + "bool"
MERGE_TAG = YAML_TAG + "merge"
#: The tags PyYAML's safe loader constructs (any other tag makes it fail).
SAFE_TAGS = frozenset(
    YAML_TAG + name
    for name in (
        *("null", "bool", "int", "float", "binary", "timestamp", "omap", "pairs", "set"),
        *("str", "seq", "map", "merge", "value"),
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
_BOOLS = {"yes": True, "no": False, "true": True, "false": False, "on": True, "off": False}
# The characters PyYAML's reader rejects (its NON_PRINTABLE): libyaml reports them at a byte
# offset, so the exact character offset is found here.
# Compiled only for a file YAML refuses (a few milliseconds: the class spans all of Unicode).
_NON_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
_LINE_BREAK = lazy("[\r\n\x85\u2028\u2029]")
_BLOCK_TRAILER = " \t\r\n\x85\u2028\u2029"


@record(frozen=True)
class YamlDialect:
    """What the program that reads a kind of YAML file refuses, and how a refusal is worded.

    Messages are :meth:`str.format` templates; their fields are named on each attribute.
    """

    #: Fields ``key`` (the key's text) and ``line`` (where the key is first written).
    duplicate_key: str = "duplicate key {key!r} (first on line {line})"
    #: Field ``line``: where the first document's root node starts.
    second_document: str = (
        "invalid YAML: a second document; the file must be a single YAML document"
    )
    #: Two keys are the same when their text and resolved tag are (``1`` and ``'1'`` differ,
    #: as the values a YAML 1.1 loader constructs do); else when their text is (``on`` and
    #: ``"on"`` are the same key for a reader that takes every key as a string).
    typed_keys: bool = False
    #: ``<<`` keys are merge keys (the reader applies them), so repeating one is no duplicate.
    merge_keys: bool = False
    #: The (resolved) tags a node may have; None allows any tag.
    tags: frozenset[str] | None = None
    #: Field ``tag``: the tag as written (``!!name`` for a tag of the YAML namespace).
    unknown_tag: str = "unsupported YAML tag `{tag}`"
    #: An alias may stand inside its own anchor (PyYAML builds a recursive structure).
    recursive_aliases: bool = False
    #: Fields ``anchor`` and ``line`` (of the first one); None: a later anchor of the same
    #: name replaces the earlier one for the aliases after it (YAML 1.2).
    duplicate_anchor: str | None = None
    #: Report duplicate keys and tags only once the whole document parses, the earliest
    #: first, as a reader that parses before it constructs does; else as soon as seen.
    syntax_errors_first: bool = False


DEFAULT_DIALECT = YamlDialect()


@record(eq=False, slots=True)
class YamlNode:
    """A scalar, sequence or mapping with its exact extent in the file.

    ``start``/``end`` are offsets into the source text; ``end`` is the end of the node's
    *content* (a block collection ends at its last child, not at the comments and blank lines
    that follow it; a block scalar ends at its last non-blank character; properties such as
    ``&anchor`` and ``!tag`` are not content). An alias node (``alias_of`` set) spans its
    ``*name`` token and shares the anchored node's children.
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
    #: A sequence's items, a mapping's pairs: lists (filled in place while composing); a
    #: scalar's are the shared empty tuple (most nodes are scalars: two empty lists each
    #: were a quarter of a large file's nodes).
    items: Sequence[YamlNode] = field(default=(), repr=False)
    pairs: Sequence[tuple[YamlNode, YamlNode]] = field(default=(), repr=False)
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
    def target(self) -> YamlNode:
        """The anchored node of an alias; the node itself otherwise."""
        return self.alias_of or self

    def as_bool(self) -> bool | None:
        """The boolean a YAML 1.1 loader reads: ``true``/``false``, ``yes``/``no``,
        ``on``/``off`` when plain; None for anything else (a quoted ``'true'`` is a string)."""
        if self.kind != "scalar" or self.tag != BOOL_TAG:
            return None
        return _BOOLS.get(self.value.lower())

    def describe(self) -> str:
        """What the node is, in words: ``a string``, ``an integer``, ``a list``..."""
        if self.tag.startswith(YAML_TAG):
            name = self.tag[len(YAML_TAG) :]
            return _TYPE_NAMES.get(name, f"a {name}")
        return f"a {self.kind}"

    # -- positions ----------------------------------------------------------------------

    @property
    def span(self) -> Span:
        """Where the node is written (an alias: its ``*name`` token)."""
        return self.source.span(self.start, self.end)

    @property
    def start_position(self) -> Position:
        """The 1-based position of the node's first character."""
        return self.source.position(self.start)

    def find(self, needle: str, *, ignore_case: bool = False) -> Span | None:
        """The span of the first ``needle`` written inside this node's text (the anchored
        node's text for an alias), if it is written there verbatim."""
        target = self.target
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

    def merged_pairs(self) -> list[tuple[YamlNode, YamlNode]]:
        """The scalar-keyed pairs of a mapping with its merge keys (``<<: *base``) applied:
        its own keys first, then those of the merged mappings (depth first, in order) that
        are not set already, as PyYAML's safe loader resolves them. Each mapping is read
        once, so recursive merges cannot loop."""
        own: list[tuple[YamlNode, YamlNode]] = []
        nested: list[YamlNode] = []
        for key, value in self.pairs:
            if key.tag == MERGE_TAG:
                nested.extend(_merge_sources(value))
            elif key.is_scalar:
                own.append((key, value))
        names = {key.value for key, _ in own}
        seen = {id(self.target)}
        stack = nested[::-1]
        while stack:
            node = stack.pop()
            if id(node.target) in seen or not node.is_mapping:
                continue
            seen.add(id(node.target))
            nested = []
            for key, value in node.pairs:
                if key.tag == MERGE_TAG:
                    nested.extend(_merge_sources(value))
                elif key.is_scalar and key.value not in names:
                    names.add(key.value)
                    own.append((key, value))
            stack.extend(reversed(nested))
        return own

    def walk(self) -> Iterator[YamlNode]:
        """Every node below (and including) this one, each anchored node once, in order."""
        seen: set[int] = set()
        stack = [self]
        while stack:
            node = stack.pop()
            if id(node.target) in seen:
                continue
            seen.add(id(node.target))
            yield node
            children = [n for pair in node.pairs for n in pair] if node.pairs else node.items
            stack.extend(reversed(children))


def _merge_sources(value: YamlNode) -> list[YamlNode]:
    """The mappings a merge key's value names: ``*base`` or ``[*a, *b]``."""
    return list(value.items) if value.is_sequence else [value]


#: Tags the resolver gave, by ``(node class, value, implicit)``, for short values (at most
#: ``_RESOLVED_LENGTH`` characters): the first ``_RESOLVED_MAX`` met are kept (keys and
#: common values recur in every file; a huge file's own values would only churn them).
_RESOLVED: dict[tuple[Any, str | None, Any], str] = {}
_RESOLVED_LENGTH = 64
_RESOLVED_MAX = 4096


@record
class _Frame:
    node: YamlNode
    children: list[YamlNode] = field(default_factory=list)
    keys: dict[object, YamlNode] = field(default_factory=dict)


def compose(source: SourceFile, dialect: YamlDialect = DEFAULT_DIALECT) -> YamlNode | None:
    """Compose the single YAML document of ``source`` (None when the file has none).

    Raises :class:`ParseError` for invalid YAML, several documents, duplicate keys, undefined
    aliases, nesting deeper than :data:`MAX_DEPTH`, and what ``dialect`` refuses (an alias
    inside its anchor by default; tags and repeated anchors when it says so).
    """
    import yaml

    loader_class: Any = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    loader: Any = None
    try:
        # The pure-Python reader checks the characters here, in the constructor.
        loader = loader_class(source.text)
        return _Composer(loader, source, dialect).document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise _error(source, _yaml_message(exc), mark.index if mark else 0) from None
    except yaml.YAMLError:  # a ReaderError: a character YAML does not allow
        match = re.search(_NON_PRINTABLE, source.text)
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

    def __init__(self, loader: Any, source: SourceFile, dialect: YamlDialect) -> None:
        self.loader = loader
        self.source = source
        self.dialect = dialect
        self.anchors: dict[str, YamlNode] = {}
        self.stack: list[_Frame] = []
        #: The ids of the collections being composed (``stack``), for a constant-time
        #: "is this alias inside its anchor" at any depth.
        self.open: set[int] = set()
        self.deferred: tuple[int, str] | None = None  # the earliest problem held back
        self.anchor_starts: dict[str, int] = {}

    def document(self) -> YamlNode | None:
        from yaml import events

        loader = self.loader
        loader.get_event()  # StreamStartEvent
        if loader.check_event(events.StreamEndEvent):
            return None
        loader.get_event()  # DocumentStartEvent
        root: YamlNode | None = None
        first: int | None = None  # where the root node starts, properties included
        while True:
            event = loader.get_event()
            if isinstance(event, events.DocumentEndEvent):
                break
            first = event.start_mark.index if first is None else first
            node = self.node(event, events)
            if node is None:
                continue
            if self.stack:
                self.add(self.stack[-1], node)
            else:
                root = node
        if not loader.check_event(events.StreamEndEvent):
            line = self.source.position(first or 0).line
            raise _error(
                self.source,
                self.dialect.second_document.format(line=line),
                loader.peek_event().start_mark.index,
            )
        if self.deferred is not None:
            raise _error(self.source, self.deferred[1], self.deferred[0])
        return root

    def problem(self, offset: int, message: str) -> None:
        """A duplicate key or refused tag: raised now, or once the document parses."""
        if not self.dialect.syntax_errors_first:
            raise _error(self.source, message, offset)
        if self.deferred is None or offset < self.deferred[0]:
            self.deferred = (offset, message)

    def node(self, event: Any, events: Any) -> YamlNode | None:
        """The node an event completes (None when it opens a collection)."""
        from yaml.nodes import MappingNode, ScalarNode, SequenceNode

        start = event.start_mark.index
        if isinstance(event, events.ScalarEvent):  # most events: tested first
            if event.anchor is not None or event.tag is not None:
                start = self.content_start(start)
            tag = self.tag(event, ScalarNode, event.value)
            style = event.style or None
            end = event.end_mark.index
            start = min(start, end)  # an empty scalar ends where its properties end
            if style in ("|", ">"):
                text = self.source.text
                while end > start and text[end - 1] in _BLOCK_TRAILER:
                    end -= 1
            node = YamlNode("scalar", tag, start, end, self.source, event.value, style)
            if event.anchor is not None:
                self.anchor(event, node)
            return node
        if isinstance(event, events.AliasEvent):
            return self.alias(event, start)
        if getattr(event, "anchor", None) is not None or getattr(event, "tag", None) is not None:
            start = self.content_start(start)
        if isinstance(event, (events.SequenceStartEvent, events.MappingStartEvent)):
            if len(self.stack) >= MAX_DEPTH:
                raise _error(
                    self.source, f"invalid YAML: nesting deeper than {MAX_DEPTH} levels", start
                )
            mapping = isinstance(event, events.MappingStartEvent)
            tag = self.tag(event, MappingNode if mapping else SequenceNode, None)
            kind = "mapping" if mapping else "sequence"
            node = YamlNode(kind, tag, start, start, self.source, flow=bool(event.flow_style))
            if mapping:
                node.pairs = []
            else:
                node.items = []
            self.anchor(event, node)
            self.stack.append(_Frame(node))
            self.open.add(id(node))
            return None
        # SequenceEndEvent / MappingEndEvent. The children are added in place: an alias
        # inside its own anchor (when the dialect allows it) shares these very lists.
        frame = self.stack.pop()
        node = frame.node
        self.open.discard(id(node))
        children = frame.children
        if node.kind == "mapping":
            cast("list[tuple[YamlNode, YamlNode]]", node.pairs).extend(
                zip(children[::2], children[1::2], strict=True)
            )
        else:
            cast("list[YamlNode]", node.items).extend(children)
        if node.flow:
            node.end = event.end_mark.index
        elif children:
            node.end = max(child.end for child in children[-2:])
        return node

    def alias(self, event: Any, start: int) -> YamlNode:
        target = self.anchors.get(event.anchor)
        if target is None:
            raise _error(self.source, f"invalid YAML: undefined alias *{event.anchor}", start)
        if not self.dialect.recursive_aliases and id(target) in self.open:
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

    def tag(self, event: Any, node_class: Any, value: str | None) -> str:
        """The event's tag, resolved as PyYAML resolves it, if the dialect allows it."""
        tag: str | None = event.tag
        if tag is None or tag == "!":
            # The resolver's answer depends only on these (SafeLoader and CSafeLoader share
            # PyYAML's Resolver, which has no path resolvers): keys such as `name` or `run`
            # recur, and each resolution tries a list of patterns in Python.
            key = (node_class, value, event.implicit)
            tag = _RESOLVED.get(key)
            if tag is None:
                tag = str(self.loader.resolve(node_class, value, event.implicit))
                short = value is None or len(value) <= _RESOLVED_LENGTH
                if short and len(_RESOLVED) < _RESOLVED_MAX:
                    _RESOLVED[key] = tag
        allowed = self.dialect.tags
        if allowed is not None and tag not in allowed:
            shown = "!!" + tag[len(YAML_TAG) :] if tag.startswith(YAML_TAG) else tag
            self.problem(event.start_mark.index, self.dialect.unknown_tag.format(tag=shown))
        return tag

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
        if event.anchor is None:
            return
        template = self.dialect.duplicate_anchor
        if template is not None:
            # Both at the properties (``&name``), which start the event.
            first = self.anchor_starts.setdefault(event.anchor, event.start_mark.index)
            if first != event.start_mark.index:
                line = self.source.position(first).line
                message = template.format(anchor=event.anchor, line=line)
                raise _error(self.source, message, event.start_mark.index)
        # Else a later anchor of the same name wins (YAML 1.2), for the aliases after it.
        node.anchor = event.anchor
        self.anchors[event.anchor] = node

    def add(self, frame: _Frame, node: YamlNode) -> None:
        is_key = frame.node.kind == "mapping" and len(frame.children) % 2 == 0
        dialect = self.dialect
        if is_key and node.is_scalar and not (dialect.merge_keys and node.tag == MERGE_TAG):
            identity = (node.tag, node.value) if dialect.typed_keys else node.value
            first = frame.keys.get(identity)
            if first is None:
                frame.keys[identity] = node
            else:
                line = first.start_position.line
                self.problem(node.start, dialect.duplicate_key.format(key=node.value, line=line))
        frame.children.append(node)
