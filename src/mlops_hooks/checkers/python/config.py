"""YAML configuration files: the ``models:/`` URIs in their string values, at exact positions.

Only PyYAML's event stream is used (``yaml.parse`` with the C loader when available): no
node graph is composed, so aliases are never expanded (an alias bomb costs nothing), nothing
recurses (deep nesting cannot overflow a stack), and nothing is constructed (no tags run).
Each scalar's marks give its exact line and column. A string value is a configuration value,
where a model URI is expected, except under a ``volumes`` key (a compose file's
``models:/app/models`` mounts the volume ``models``), whose values are not URIs at all.
Inside the scalar, a URI's characters are mapped to the source only after checking that the
source has them verbatim at that place; otherwise the URI is located at the whole scalar and
cannot be edited.
"""

from __future__ import annotations

from typing import Any, ClassVar

from mlops_hooks.checkers import ParseError
from mlops_hooks.checkers.python.uri import SCHEME, VOLUME_OPTIONS, ModelUri, Piece, find_uris
from mlops_hooks.diagnostics import Position, Span
from mlops_hooks.source import SourceFile

#: Deeper nesting is a parse error: libyaml slows down on deep flow collections, and no
#: configuration nests this deep.
MAX_DEPTH = 1000
_STR_TAGS = (None, "!", "tag:yaml.org,2002:str")


class ConfigModel:
    """A YAML configuration file and the model URIs in its string values."""

    is_python: ClassVar[bool] = False

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.uris: list[ModelUri] = []

    # The Locator protocol: YAML pieces are anchored at absolute (start, end) offsets.
    def base(self, anchor: object) -> int:
        """Absolute offsets need no base."""
        return 0

    def extent(self, anchor: object) -> tuple[int, int]:
        """The offsets a piece stands for."""
        if not isinstance(anchor, tuple):  # pragma: no cover - pieces are built in this module
            raise TypeError(f"not an offset range: {anchor!r}")
        return int(anchor[0]), int(anchor[1])

    def span(self, start: int, end: int) -> Span:
        """The span between two offsets."""
        return self.source.span(start, end)


def parse_config(source: SourceFile) -> ConfigModel:
    """Parse a YAML file's events and collect the URIs of its string scalars."""
    import yaml

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    model = ConfigModel(source)
    # One frame per open collection: [is a mapping, a key comes next, the key it is under].
    frames: list[list[Any]] = []
    try:
        for event in yaml.parse(source.text, Loader=loader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if len(frames) >= MAX_DEPTH:
                    line, column = _position(event.start_mark)
                    raise ParseError(f"YAML nested deeper than {MAX_DEPTH} levels", line, column)
                key = frames[-1][2] if frames else None
                frames.append([isinstance(event, yaml.MappingStartEvent), True, key])
                continue
            if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                frames.pop()
            elif isinstance(event, yaml.ScalarEvent):
                under = frames[-1][2] if frames else None
                if (
                    SCHEME in event.value
                    and event.tag in _STR_TAGS
                    and str(under).lower() not in VOLUME_OPTIONS
                ):
                    pieces = _pieces(source, event)
                    model.uris.extend(find_uris(pieces, model, in_context=True))
                if frames and frames[-1][0] and frames[-1][1]:
                    frames[-1][1:] = [False, event.value]  # a mapping key: its value comes next
                    continue
            if frames and frames[-1][0]:
                frames[-1][1] = True  # a value ended: a key comes next
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        context = f" ({exc.context})" if exc.context and exc.problem else ""
        line, column = _position(mark)
        raise ParseError(f"YAML parse error: {problem}{context}", line, column) from None
    except yaml.YAMLError as exc:
        raise ParseError(f"YAML parse error: {exc}") from None
    return model


def _position(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _pieces(source: SourceFile, event: Any) -> list[Piece]:
    """The scalar's value as pieces: verified URI runs map 1:1 to the source, the rest is
    located at the whole scalar."""
    start = source.offset(Position(event.start_mark.line + 1, event.start_mark.column + 1))
    end = source.offset(Position(event.end_mark.line + 1, event.end_mark.column + 1))
    value: str = event.value
    raw = source.text[start:end]
    whole = (start, end)
    pieces: list[Piece] = []
    done = 0
    search_raw = 0
    at = value.find(SCHEME)
    while at >= 0:
        stop = at + len(SCHEME)
        while stop < len(value) and not value[stop].isspace() and value[stop] not in "\"'\\":
            stop += 1
        run = value[at:stop]
        found = raw.find(run, search_raw)
        # The k-th URI of the value is the k-th of the source when the source holds the same
        # characters: escapes or line folding inside the URI make it unverifiable.
        if found >= 0 and raw.count(SCHEME, search_raw, found) == 0:
            if at > done:
                pieces.append(_whole(value[done:at], whole))
            chars = tuple(start + found + i for i in range(len(run) + 1))
            pieces.append(Piece(run, run, None, chars))
            done = stop
            search_raw = found + len(run)
        at = value.find(SCHEME, stop)
    if done < len(value):
        pieces.append(_whole(value[done:], whole))
    return pieces


def _whole(text: str, whole: tuple[int, int]) -> Piece:
    return Piece(text, text, whole)
