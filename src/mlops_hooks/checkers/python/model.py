"""The Python model: one LibCST parse, one light pass over the tree, positions on demand.

The pass (:mod:`.walk`, with an explicit stack, so deep trees cannot overflow Python's recursion
limit) collects:

- imports and their aliases (``import mlflow as mf``, ``from mlflow import pyfunc``), from
  any scope: enough to resolve ``mf.pyfunc.load_model`` to ``mlflow.pyfunc.load_model``;
- ``MlflowClient`` instances bound to names or attributes (``client = MlflowClient()``,
  ``self.client = mlflow.MlflowClient()``, ``client: MlflowClient`` parameters and fields,
  functions annotated to return one);
- every call whose callee is a name or an attribute;
- the string expressions that contain ``models:/`` (or a module-level constant that does),
  evaluated as values by :mod:`mlops_hooks.checkers.python.evaluate`.

LibCST's metadata providers are not used: ``QualifiedNameProvider`` multiplies the cost of a
parse by about nine and ``PositionProvider`` by about three. Offsets come from one plain
code-generation pass (:class:`_OffsetState`), run only when a rule reports something. And
LibCST parses only the top-level statements that can matter (:mod:`.segments`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar

import libcst as cst
from libcst._nodes.internal import CodegenState

from mlops_hooks.checkers.python.evaluate import Evaluator
from mlops_hooks.checkers.python.segments import Segment
from mlops_hooks.checkers.python.tree import SCOPES, dotted, recursion_room
from mlops_hooks.checkers.python.uri import ModelUri, UriPart, whole_value
from mlops_hooks.diagnostics import Span
from mlops_hooks.source import SourceFile

#: The qualified names under which MLflow exports its client class.
CLIENT_CLASSES = frozenset(
    {
        "mlflow.MlflowClient",
        "mlflow.client.MlflowClient",
        "mlflow.tracking.MlflowClient",
        "mlflow.tracking.client.MlflowClient",
    }
)
#: Deeper trees are reported as MLF000: no real module nests this deep, and position
#: computation recurses once per level.
MAX_DEPTH = 1000
# Code generation of a node needs a module only for its indentation and newline defaults.
_BLANK = cst.Module(body=())


class Call:
    """A call whose callee is a name or an attribute (``load_model(...)``, ``c.f(...)``)."""

    __slots__ = ("_path", "method", "model", "node")

    def __init__(
        self, model: PythonModule, node: cst.Call, method: str, path: tuple[cst.CSTNode, ...]
    ) -> None:
        self.model = model
        self.node = node
        #: The last name of the callee: ``get_latest_versions`` for ``c.get_latest_versions()``.
        self.method = method
        self._path = path

    @property
    def qualified_name(self) -> str | None:
        """The callee through the imports (``mlflow.pyfunc.load_model``), if it resolves."""
        return self.model.qualify(self.node.func)

    @property
    def receiver(self) -> cst.BaseExpression | None:
        """The object a method is called on (``client`` in ``client.f()``)."""
        func = self.node.func
        return func.value if isinstance(func, cst.Attribute) else None

    @property
    def on_client(self) -> bool:
        """Whether the method is called on an ``MlflowClient`` (an instance or the class)."""
        receiver = self.receiver
        return receiver is not None and self.model.is_client(receiver)

    @property
    def ancestors(self) -> tuple[cst.CSTNode, ...]:
        """The nodes from the module down to the call (the call last)."""
        return self._path

    @property
    def scope(self) -> tuple[cst.CSTNode, ...]:
        """The functions, lambdas and comprehensions around the call, outermost first."""
        return tuple(n for n in self._path if isinstance(n, SCOPES))

    def argument(self, index: int | None = None, keyword: str | None = None) -> cst.Arg | None:
        """The argument passed by keyword ``keyword`` or at position ``index``."""
        position = 0
        for arg in self.node.args:
            if arg.star:
                return None  # *args / **kwargs: positions are unknown from here on
            if arg.keyword is not None:
                if arg.keyword.value == keyword:
                    return arg
            elif index is not None and position == index:
                return arg
            else:
                position += 1
        return None

    @property
    def name_span(self) -> Span:
        """The span of the called name (``get_latest_versions``)."""
        func = self.node.func
        return self.model.span(func.attr if isinstance(func, cst.Attribute) else func)

    @property
    def span(self) -> Span:
        """The span of the whole call."""
        return self.model.span(self.node)

    def __repr__(self) -> str:
        return f"Call({self.method!r})"


class PythonModule:
    """A parsed Python module with resolved imports, client instances, calls and model URIs."""

    is_python: ClassVar[bool] = True

    def __init__(self, source: SourceFile, segments: list[Segment], depth: int = 0) -> None:
        self.source = source
        #: What LibCST parsed: the whole file, or the top-level statements that matter (see
        #: :mod:`mlops_hooks.checkers.python.segments`).
        self.segments = segments
        self.depth = depth
        #: Local name -> qualified module or object (``mf`` -> ``mlflow``).
        self.imports: dict[str, str] = {}
        self.calls: list[Call] = []
        #: Comparisons with a ``.current_stage`` attribute among their operands (hand-rolled
        #: stage loading: ``version.current_stage == "Production"``).
        self.stage_comparisons: list[cst.Comparison] = []
        self.uris: list[ModelUri] = []
        #: Names and attributes bound to ``MlflowClient`` instances (``client``,
        #: ``self.client``), and factories annotated to return one (``get_client()``).
        self.client_names: set[str] = set()
        #: Module-level names assigned exactly once, unconditionally: name -> value.
        self.constants: dict[str, cst.BaseExpression] = {}
        #: The offsets of the nodes of the segments measured so far (measured on demand: a
        #: finding usually needs one segment of several).
        self._ranges: dict[cst.CSTNode, tuple[int, int]] = {}
        self._measured: set[int] = set()
        #: The segment (its index) that holds a node, for the nodes a finding is most often
        #: about (calls and their callee's name, string literals, names; filled by the walk):
        #: a position asked of one of them measures that segment alone.
        self.owners: dict[cst.CSTNode, int] = {}
        self.evaluator = Evaluator(self)

    # -- positions (the Locator protocol) -------------------------------------------------

    def extent(self, anchor: object) -> tuple[int, int]:
        """The offsets of a node (without its parentheses)."""
        ranges = self._ranges
        node: cst.CSTNode = anchor  # type: ignore[assignment]
        found = ranges.get(node)
        if found is not None:
            return found
        # Each segment is measured on its own (from its own start offset): which ones are
        # measured, and in what order, changes no offset.
        measured = self._measured
        owner = self.owners.get(node)
        if owner is not None and owner not in measured:
            _measure(self.segments[owner], self.depth, ranges)
            measured.add(owner)
            found = ranges.get(node)
        index = 0
        while found is None and index < len(self.segments):
            if index not in measured:
                _measure(self.segments[index], self.depth, ranges)
                measured.add(index)
                found = ranges.get(node)
            index += 1
        if found is None:
            raise KeyError(anchor)
        return found

    def base(self, anchor: object) -> int:
        """The offset where a node starts."""
        return self.extent(anchor)[0]

    def span(self, start: int | cst.CSTNode, end: int | None = None) -> Span:
        """The span of a node, or between two offsets."""
        if isinstance(start, cst.CSTNode):
            first, last = self.extent(start)
            return self.source.span(first, last)
        return self.source.span(start, start if end is None else end)

    def code(self, node: cst.CSTNode) -> str:
        """The source code of a node."""
        return _BLANK.code_for_node(node)

    # -- names ----------------------------------------------------------------------------

    def qualify(self, expr: cst.BaseExpression) -> str | None:
        """``mlflow.pyfunc.load_model`` for ``mf.pyfunc.load_model`` after ``import mlflow as
        mf``; ``None`` when the chain does not start at an imported name."""
        name = dotted(expr)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        target = self.imports.get(head)
        if target is None:
            return None
        return f"{target}.{rest}" if rest else target

    def is_client(self, expr: cst.BaseExpression) -> bool:
        """Whether ``expr`` is an ``MlflowClient`` instance (or the class itself)."""
        if isinstance(expr, cst.Call):
            return self._makes_client(expr)
        if self.qualify(expr) in CLIENT_CLASSES:
            return True
        key = dotted(expr)
        return key is not None and key in self.client_names

    def _makes_client(self, call: cst.Call) -> bool:
        if self.qualify(call.func) in CLIENT_CLASSES:
            return True
        key = dotted(call.func)
        if key is None:
            return False
        # A factory annotated `-> MlflowClient`, called as `f()` or `self.f()`.
        return f"{key}()" in self.client_names or (
            key.count(".") == 1
            and key.split(".")[0] in ("self", "cls")
            and f"{key.split('.')[1]}()" in self.client_names
        )

    def string_value(
        self, expr: cst.BaseExpression, scope: tuple[cst.CSTNode, ...] = ()
    ) -> UriPart | None:
        """The string value of ``expr`` (text ``None`` when only known at run time), or
        ``None`` when ``expr`` is not a string."""
        value = self.evaluator.value(expr, scope)
        if value.kind != "str":
            return None
        return whole_value(value.pieces, self)


@dataclasses.dataclass
class _OffsetState(CodegenState):
    """Code generation that records each node's offsets instead of building the text.

    The same walk as LibCST's ``PositionProvider`` (syntactic ranges: parentheses and owned
    whitespace excluded), but counting code points instead of splitting every token into
    lines: about five times cheaper.
    """

    offset: int = 0
    ranges: dict[cst.CSTNode, tuple[int, int]] = dataclasses.field(default_factory=dict)
    starts: list[int] = dataclasses.field(default_factory=list)

    def add_token(self, value: str) -> None:
        self.offset += len(value)

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.offset += len(token)

    def before_codegen(self, node: cst.CSTNode) -> None:
        self.starts.append(self.offset)

    def after_codegen(self, node: cst.CSTNode) -> None:
        start = self.starts.pop()
        if node not in self.ranges:
            self.ranges[node] = (start, self.offset)

    @contextmanager
    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> Iterator[None]:
        start = self.offset
        try:
            yield
        finally:
            end = self.offset
            if start_node is not None:
                start = self.ranges[start_node][0]
            if end_node is not None:
                end = self.ranges[end_node][1]
            self.ranges[node] = (start, end)


def _measure(segment: Segment, depth: int, ranges: dict[cst.CSTNode, tuple[int, int]]) -> None:
    """Record the offsets of every node of ``segment`` in ``ranges``."""
    module = segment.module
    with recursion_room(depth):
        state = _OffsetState(
            default_indent=module.default_indent,
            default_newline=module.default_newline,
            offset=segment.start,
            ranges=ranges,
        )
        module._codegen(state)
