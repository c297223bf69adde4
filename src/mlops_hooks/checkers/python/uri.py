"""Model registry URIs (``models:/...``) found in string values, for Python and YAML alike.

A value is a list of :class:`Piece` objects: runs of text whose characters map to exact
source offsets (a string literal), text known only through a constant (``VERSION = 3``), or
holes known only at run time (a parameter, an environment variable). :func:`find_uris` finds
every ``models:/`` URI in a value and splits it the way MLflow does:

- ``models:/<name>/<version>``, ``models:/<name>/latest``, ``models:/<name>/<stage>``;
- ``models:/<name>@<alias>``;
- ``models:/<model_id>`` (MLflow 3's logged models).

A URI counts only where it is one by position: at the start of the value or of a word of a
command line (after a space, a quote, ``=``, a bracket or a list separator), never inside a
path (``-v {cwd}/models:/app/models`` is a docker volume mount), and never as the value of a
volume option (``-v models:/app/models`` mounts a volume named ``models``). Each
:class:`ModelUri` also says whether it is the whole value (``standalone``) and whether the
value sits where a model URI is expected (``in_context``: an argument of a call that loads or
resolves a model, a ``*_uri`` name, a configuration value); rules offer safe fixes only there.

Each part of a URI (name, separator, suffix) knows its exact span: the characters inside the
string literal when they are written there, else the code that computes them (an f-string
placeholder, a constant's name). Offsets are resolved lazily through a :class:`Locator`, so a
file whose URIs are all fine never pays for computing positions.

This module imports nothing heavy: rules and the YAML path use it without LibCST.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import NamedTuple, Protocol

from mlops_hooks.diagnostics import Span
from mlops_hooks.lazyre import lazy

SCHEME = "models:/"
STAGES = frozenset({"staging", "production", "archived", "none"})
#: The attribute of an MLflow ``ModelVersion`` that holds its (deprecated) stage.
STAGE_ATTRIBUTE = "current_stage"
#: Characters that end a URI inside a longer text (quotes, brackets, separators of a command
#: line or a sentence); ``<`` starts a placeholder (``models:/<name>/<version>`` in prose).
_TERMINATORS = frozenset(" \t\r\n\f\v\"'`,;()[]<>|\\?#")
#: Sentence punctuation dropped from the end of a URI (``load models:/bikes/3.``).
_TRAILING = ".:!"
#: Characters after which a URI starts a word of a command line or a list: whitespace,
#: quotes, ``--model-uri=``, brackets, list and command separators. After anything else
#: (``/``, ``:``, a letter...) ``models:/`` is part of a path or of another word.
_WORD_START = frozenset(" \t\r\n\f\v\"'`=([,;|&")
#: Options whose value is a volume spec (``models:/app/models`` mounts the volume ``models``).
VOLUME_OPTIONS = frozenset({"-v", "--volume", "--volumes", "volume", "volumes"})
#: Template placeholders that stand for a value chosen at run time: ``{name}`` (str.format,
#: Jinja), ``${VAR}`` (shell, OmegaConf, Compose).
# Placeholders of the template languages a URI is written in: str.format/f-string text,
# ${VAR}/$VAR (shells, OmegaConf), %s/%(name)s (logging, %-formatting), <name> (docs).
_TEMPLATE = lazy(
    r"\$\{[^}]*\}|\{[^{}]*\}|\$[A-Za-z_]\w*|%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrx]|<[^<>/]*>"
)

_ALIAS_CHARS = lazy(r"^[\w\-]*$")
_NOT_A_NAME = lazy(r"[{}$%<>\"'`\s]")
_VERSION_ALIAS = lazy(r"^[vV]\d+$")
MAX_ALIAS_LENGTH = 255


class Locator(Protocol):
    """Turns piece anchors into absolute offsets of the source text, and offsets into spans."""

    def base(self, anchor: object) -> int:
        """The offset where ``anchor`` starts (``chars`` of a piece are relative to it)."""

    def extent(self, anchor: object) -> tuple[int, int]:
        """The offsets of the whole code ``anchor`` stands for."""

    def span(self, start: int, end: int) -> Span:
        """The span between two offsets of the source text."""


class Piece(NamedTuple):
    """A run of a string value.

    ``text`` is ``None`` for a hole (known only at run time). ``anchor`` is the code the piece
    comes from (a parser node, or offsets); ``chars`` (literal text only) gives the offset of
    each character relative to the anchor's start, plus the end, so that a part of the text
    has an exact span and can be edited. ``constant`` names the module-level constant the text
    came from.
    """

    text: str | None
    display: str
    anchor: object
    chars: tuple[int, ...] | None = None
    constant: str | None = None

    @property
    def is_literal(self) -> bool:
        """Whether each character of the text is written in the source at a known place."""
        return self.chars is not None


class UriForm(str, enum.Enum):
    """What a ``models:/`` URI refers to."""

    VERSION = "version"  # models:/name/3
    LATEST = "latest"  # models:/name/latest
    STAGE = "stage"  # models:/name/Production (one of MLflow's four stages)
    WORD = "word"  # models:/name/champion (read as a stage that does not exist)
    DYNAMIC = "dynamic"  # models:/name/{version}: a version or stage chosen at run time
    ALIAS = "alias"  # models:/name@champion
    DYNAMIC_ALIAS = "dynamic-alias"  # models:/name@{alias}
    MODEL_ID = "model-id"  # models:/m-0123abcd (MLflow 3)


class UriPart:
    """A range of a value: its text (``None`` when part of it is a hole) and exact span."""

    __slots__ = ("_end", "_start", "_value")

    def __init__(self, value: _Flat, start: int, end: int) -> None:
        self._value = value
        self._start = start
        self._end = end

    @property
    def text(self) -> str | None:
        """The text, or ``None`` when some of it is only known at run time."""
        return self._value.text(self._start, self._end)

    @property
    def display(self) -> str:
        """The text as written, holes shown as the code that computes them (``{version}``)."""
        return self._value.display(self._start, self._end)

    @property
    def span(self) -> Span:
        """Exact span of this part in the file (the computing code for a hole or constant)."""
        return self._value.span(self._start, self._end)

    @property
    def editable(self) -> bool:
        """Whether the part is written as-is inside one string literal (an edit can replace
        exactly its characters)."""
        return self._value.editable(self._start, self._end)

    def __repr__(self) -> str:
        return f"UriPart({self.display!r})"


class ModelUri:
    """A ``models:/`` URI found in a value, split into name, separator and suffix."""

    __slots__ = (
        "form",
        "in_context",
        "loaded",
        "name",
        "reference",
        "separator",
        "standalone",
        "suffix",
        "whole",
    )

    def __init__(
        self,
        form: UriForm,
        whole: UriPart,
        name: UriPart,
        separator: UriPart | None = None,
        suffix: UriPart | None = None,
        reference: UriPart | None = None,
    ) -> None:
        #: The URI is the whole value (not a word of a longer text).
        self.standalone = False
        #: The value is where a model URI is expected (see :func:`find_uris`).
        self.in_context = False
        #: The value is an argument of a call that loads, imports or registers a model
        #: (Python only; see ``context.passed_to_model_call``).
        self.loaded = False
        self.form = form
        #: The whole URI, from ``models:/`` to its end.
        self.whole = whole
        #: The registered model's name (or MLflow 3's model id).
        self.name = name
        #: ``/`` or ``@``.
        self.separator = separator
        #: The version, stage, ``latest`` or alias after the separator.
        self.suffix = suffix
        #: The separator and the suffix together (``/Production``).
        self.reference = reference

    def by_alias_edits(self, alias: str) -> tuple[tuple[Span, str], ...] | None:
        """Edits that turn ``<name>/<suffix>`` into ``<name>@<alias>`` touching only the
        characters written in string literals, or ``None`` when they are not all there."""
        if self.reference is None or self.separator is None or self.suffix is None:
            return None
        if self.reference.editable:
            return ((self.reference.span, f"@{alias}"),)
        if self.separator.editable and self.suffix.editable:
            return ((self.separator.span, "@"), (self.suffix.span, alias))
        return None

    @property
    def display(self) -> str:
        """The URI as written (holes as their code), e.g. ``models:/{name}/3``."""
        return self.whole.display

    def with_alias(self, alias: str) -> str:
        """The same URI by alias: ``models:/<name>@<alias>``."""
        return f"{SCHEME}{self.name.display}@{alias}"

    def __repr__(self) -> str:
        return f"ModelUri({self.form.value}, {self.display!r})"


class _Flat:
    """A value flattened to one character per text character and one per hole."""

    __slots__ = ("chars", "flat", "locator", "pieces")

    def __init__(self, pieces: Sequence[Piece], locator: Locator) -> None:
        self.pieces = pieces
        self.locator = locator
        flat: list[str] = []
        chars: list[tuple[int, int]] = []
        for index, piece in enumerate(pieces):
            if piece.text is None:
                flat.append("\x00")
                chars.append((index, -1))
            else:
                flat.append(piece.text)
                chars.extend((index, offset) for offset in range(len(piece.text)))
        self.flat = "".join(flat)
        self.chars = chars

    def is_hole(self, index: int) -> bool:
        return self.chars[index][1] < 0

    def text(self, start: int, end: int) -> str | None:
        if any(self.is_hole(i) for i in range(start, end)):
            return None
        return self.flat[start:end]

    def display(self, start: int, end: int) -> str:
        out: list[str] = []
        for i in range(start, end):
            index, offset = self.chars[i]
            out.append(self.pieces[index].display if offset < 0 else self.flat[i])
        return "".join(out)

    def _offset(self, i: int, end: bool) -> int:
        index, offset = self.chars[i]
        piece = self.pieces[index]
        if piece.chars is None or offset < 0:
            start, stop = self.locator.extent(piece.anchor)
            return stop if end else start
        return self.locator.base(piece.anchor) + piece.chars[offset + 1 if end else offset]

    def span(self, start: int, end: int) -> Span:
        if end <= start:
            if start < len(self.chars):
                at = self._offset(start, end=False)
            elif start > 0:
                at = self._offset(start - 1, end=True)
            elif self.pieces:
                piece = self.pieces[0]
                at = self.locator.extent(piece.anchor)[0]
                if piece.chars is not None:
                    at = self.locator.base(piece.anchor) + piece.chars[0]
            else:
                at = 0
            return self.locator.span(at, at)
        return self.locator.span(self._offset(start, end=False), self._offset(end - 1, end=True))

    def editable(self, start: int, end: int) -> bool:
        owners = {self.chars[i][0] for i in range(start, end)}
        if len(owners) != 1 or any(self.is_hole(i) for i in range(start, end)):
            return False
        return self.pieces[owners.pop()].is_literal


def whole_value(pieces: Sequence[Piece], locator: Locator) -> UriPart:
    """The whole value as one part (its text, span and editability)."""
    value = _Flat(pieces, locator)
    return UriPart(value, 0, len(value.flat))


def find_uris(
    pieces: Sequence[Piece], locator: Locator, *, in_context: bool = False
) -> list[ModelUri]:
    """Every registry URI in the value made of ``pieces`` (``models:/`` may even be split
    over two pieces, as in ``PREFIX + "bikes/3"``), where it starts the value or a word.

    ``in_context``: the value is where a model URI is expected (the argument of a call that
    loads or resolves a model, a ``*_uri`` variable, a configuration value); it is copied to
    the URIs that are the whole value.
    """
    value = _Flat(pieces, locator)
    found: list[ModelUri] = []
    at = value.flat.find(SCHEME)
    while at >= 0:
        uri = _parse_at(value, at) if _starts_word(value, at) else None
        if uri is not None:
            uri.standalone = at == 0 and uri.whole._end == len(value.flat)
            uri.in_context = in_context and uri.standalone
            found.append(uri)
        at = value.flat.find(SCHEME, at + len(SCHEME))
    return found


def _starts_word(value: _Flat, at: int) -> bool:
    """Whether ``models:/`` at ``at`` starts the value or a word, and is not the value of a
    volume option (``-v models:/app/models``, ``--volume=models:/data``)."""
    if at == 0:
        return True
    if value.is_hole(at - 1) or value.flat[at - 1] not in _WORD_START:
        return False  # inside a path (`{cwd}/models:/app`) or after a placeholder
    # The word before (`-v`, `--volume=`), past the quote or bracket the URI may start with.
    option = value.flat[max(0, at - 64) : at].rstrip("\"'`([")
    option = option[:-1] if option.endswith("=") else option
    words = option.split()
    return not words or words[-1].lstrip("\"'`([,;|&").lower() not in VOLUME_OPTIONS


def _parse_at(value: _Flat, at: int) -> ModelUri | None:
    flat = value.flat
    if any(value.is_hole(i) for i in range(at, at + len(SCHEME))):
        return None
    if at > 0 and not value.is_hole(at - 1) and (flat[at - 1].isalnum() or flat[at - 1] in "_-"):
        return None  # part of a longer scheme, e.g. "mymodels:/"
    start = at + len(SCHEME)
    end = start
    while end < len(flat) and (value.is_hole(end) or flat[end] not in _TERMINATORS):
        end += 1
    if end < len(flat) and flat[end] == "<":
        return None  # a placeholder in prose: models:/<name>/<version>
    while end > start and not value.is_hole(end - 1) and flat[end - 1] in _TRAILING:
        end -= 1
    if end == start or (not value.is_hole(start) and flat[start] == "/"):
        return None
    if _from_uri_constant(value, at, end):
        return None  # reported once, where the constant is defined
    holes = _template_holes(value, start, end)
    whole = UriPart(value, at, end)
    slashes = [i for i in range(start, end) if flat[i] == "/" and not value.is_hole(i)]
    if len(slashes) > 1:
        return None  # not a registry URI MLflow accepts (too many parts)
    if slashes:
        sep = slashes[0]
        form = _suffix_form(value, sep + 1, end, holes)
        if sep == start or form is None:
            return None
        return ModelUri(
            form,
            whole,
            UriPart(value, start, sep),
            UriPart(value, sep, sep + 1),
            UriPart(value, sep + 1, end),
            UriPart(value, sep, end),
        )
    ats = [i for i in range(start, end) if flat[i] == "@" and not value.is_hole(i)]
    if ats:
        sep = ats[-1]
        if sep == start:
            return None
        form = UriForm.ALIAS if _known(value, sep + 1, end, holes) else UriForm.DYNAMIC_ALIAS
        return ModelUri(
            form,
            whole,
            UriPart(value, start, sep),
            UriPart(value, sep, sep + 1),
            UriPart(value, sep + 1, end),
            UriPart(value, sep, end),
        )
    return ModelUri(UriForm.MODEL_ID, whole, UriPart(value, start, end))


def _from_uri_constant(value: _Flat, start: int, end: int) -> bool:
    owners = {value.chars[i][0] for i in range(start, end)}
    if len(owners) != 1:
        return False
    piece = value.pieces[owners.pop()]
    return piece.constant is not None and not piece.is_literal


def _template_holes(value: _Flat, start: int, end: int) -> list[tuple[int, int]]:
    text = value.flat[start:end]
    if not any(mark in text for mark in "{$%<"):
        return []
    return [(start + m.start(), start + m.end()) for m in _TEMPLATE.finditer(text)]


def _known(value: _Flat, start: int, end: int, holes: list[tuple[int, int]]) -> bool:
    if any(value.is_hole(i) for i in range(start, end)):
        return False
    return not any(a < end and b > start for a, b in holes)


def _suffix_form(
    value: _Flat, start: int, end: int, holes: list[tuple[int, int]]
) -> UriForm | None:
    if start == end:
        return None  # "models:/bikes/": not a URI MLflow accepts
    if not _known(value, start, end, holes):
        return UriForm.DYNAMIC
    suffix = value.flat[start:end]
    if not suffix.strip():
        return None
    if suffix.isdigit():
        return UriForm.VERSION
    if suffix.lower() == "latest":
        return UriForm.LATEST
    if suffix.lower() in STAGES:
        return UriForm.STAGE
    if _NOT_A_NAME.search(suffix):
        return UriForm.DYNAMIC  # template debris ("{", "$x}", "%"), not a name: leave it alone
    return UriForm.WORD


def alias_problem(alias: str) -> str | None:
    """Why MLflow rejects ``alias`` as a registered model alias, or ``None`` if it accepts it.

    The checks are MLflow's own: non-empty, only letters, digits, ``_`` and ``-``, at most 255
    characters, not ``latest`` (any case), not ``v<digits>`` (reserved for versions).
    """
    if not alias:
        return "is empty"
    if not _ALIAS_CHARS.match(alias):
        return "may only contain letters, digits, '_' and '-'"
    if len(alias) > MAX_ALIAS_LENGTH:
        return f"is {len(alias)} characters long (at most {MAX_ALIAS_LENGTH})"
    if alias.lower() == "latest":
        return "is reserved: 'latest' (any case) means the newest version"
    if _VERSION_ALIAS.match(alias):
        return "is reserved: v<number> refers to a model version"
    return None
