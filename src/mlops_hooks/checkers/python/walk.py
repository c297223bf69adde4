"""The one pass over a LibCST tree that builds a :class:`PythonModule`.

Light-weight name resolution instead of LibCST's ``QualifiedNameProvider`` (which multiplies
the cost of a parse by about nine): imports and aliases are collected from every scope, client
instances are tracked by the name or attribute they are bound to, module-level constants come
from the module's own statements. The walk uses an explicit stack, so a deep tree cannot
exhaust Python's recursion limit, and visits only fields that hold code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import libcst as cst

from mlops_hooks.checkers import ParseError
from mlops_hooks.checkers.python.context import expects_model_uri, passed_to_model_call
from mlops_hooks.checkers.python.depth import deepest_line
from mlops_hooks.checkers.python.model import CLIENT_CLASSES, MAX_DEPTH, Call, PythonModule
from mlops_hooks.checkers.python.segments import Parsed, parse_source
from mlops_hooks.checkers.python.tree import (
    SCOPES,
    bound_names,
    code_fields,
    dotted,
    recursion_room,
)
from mlops_hooks.checkers.python.uri import SCHEME, STAGE_ATTRIBUTE, find_uris
from mlops_hooks.source import SourceFile

_COMPOSABLE = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)


def parse_module(source: SourceFile, words: Sequence[str] | None = None) -> PythonModule:
    """Parse ``source`` and run the one pass that builds the :class:`PythonModule`.

    With ``words``, LibCST parses only the top-level statements that can matter to rules
    whose triggers and context words they are (see :mod:`.segments`); without, the whole file.
    """
    parsed = parse_source(source, words)  # bounds the nesting (see depth.py) before LibCST
    # Evaluating module constants recurses once or more per level before the walk has
    # measured the depth: room for the deepest tree the nesting bound lets through.
    with recursion_room(MAX_DEPTH):
        return Walker(source, parsed).build()


class Walker:
    """Collects imports, bindings, calls and URI-bearing string expressions in one pass."""

    def __init__(self, source: SourceFile, parsed: Parsed) -> None:
        self.model = PythonModule(source, parsed.segments)
        self.parsed = parsed
        self.bindings: list[tuple[str, cst.BaseExpression]] = []
        self.annotated: list[tuple[str, cst.BaseExpression]] = []
        self.globals: set[str] = set()
        #: id -> (outermost string expression, its scopes, whether a model URI is expected
        #: there, whether it is an argument of a call that loads or registers a model, the
        #: name it is assigned to)
        self.candidates: dict[
            int, tuple[cst.BaseExpression, tuple[cst.CSTNode, ...], bool, bool, str | None]
        ] = {}
        #: Module-level URI constants passed as a whole to a call that loads a model.
        self.loaded_constants: set[str] = set()
        self.uri_constants: frozenset[str] = frozenset()
        #: The index of each segment, by its module (the root of every walked path).
        self.segment_of: dict[cst.CSTNode, int] = {
            segment.module: index for index, segment in enumerate(parsed.segments)
        }

    def build(self) -> PythonModule:
        """Walk the module and return the finished model."""
        model = self.model
        model.imports.update(self.parsed.skipped_imports)  # the parsed segments' own win
        model.constants = module_constants(
            [segment.module for segment in self.parsed.segments], self.parsed.skipped
        )
        self.uri_constants = frozenset(
            name for name in model.constants if SCHEME in model.evaluator.known_text(name)
        )
        model.depth = self._walk()
        for name in self.globals | self.parsed.globals:
            model.constants.pop(name, None)  # rebound by some function: not a constant
        self._resolve_clients()
        with recursion_room(model.depth):
            for root, scope, expected, loaded, target in self.candidates.values():
                value = model.evaluator.value(root, scope)
                if value.kind == "str":
                    uris = find_uris(value.pieces, model, in_context=expected)
                    for uri in uris:
                        uri.loaded = loaded or target in self.loaded_constants
                    model.uris.extend(uris)
        return model

    # -- the walk ---------------------------------------------------------------------------

    def _walk(self) -> int:
        handlers: dict[type, Any] = {
            cst.Import: self._import,
            cst.ImportFrom: self._import_from,
            cst.SimpleString: self._simple_string,
            cst.FormattedString: self._fstring,
            cst.Call: self._call,
            cst.Comparison: self._comparison,
            cst.Assign: self._assign,
            cst.AnnAssign: self._ann_assign,
            cst.FunctionDef: self._function,
            cst.Global: self._global,
        }
        if self.uri_constants:
            handlers[cst.Name] = self._name
        stack: list[tuple[cst.CSTNode, int]] = [
            (segment.module, 0) for segment in reversed(self.parsed.segments)
        ]
        path: list[cst.CSTNode] = []
        deepest = 0
        node_base = cst.CSTNode
        while stack:
            node, depth = stack.pop()
            del path[depth:]
            path.append(node)
            if depth > deepest:
                deepest = depth
                if depth > MAX_DEPTH:
                    # LibCST's nodes hold no positions: the scan's deepest line.
                    line = deepest_line(self.model.source)
                    raise ParseError(f"Python code nested deeper than {MAX_DEPTH} levels", line)
            handler = handlers.get(type(node))
            if handler is not None:
                handler(node, path)
            kids: list[cst.CSTNode] = []
            for name in code_fields(type(node)):
                value = getattr(node, name)
                if isinstance(value, node_base):
                    kids.append(value)
                elif type(value) is tuple or type(value) is list:
                    kids.extend(item for item in value if isinstance(item, node_base))
            depth += 1
            for kid in reversed(kids):
                stack.append((kid, depth))
        return deepest

    def _import(self, node: cst.Import, path: list[cst.CSTNode]) -> None:
        for alias in node.names:
            full = dotted(alias.name)
            if full is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.model.imports[alias.asname.name.value] = full
            else:
                head = full.split(".")[0]
                self.model.imports[head] = head

    def _import_from(self, node: cst.ImportFrom, path: list[cst.CSTNode]) -> None:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return  # relative imports are the project's own code; star imports are opaque
        module = dotted(node.module)
        for alias in node.names:
            if not isinstance(alias.name, cst.Name):
                continue
            local = alias.name.value
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self.model.imports[local] = f"{module}.{alias.name.value}"

    def _simple_string(self, node: cst.SimpleString, path: list[cst.CSTNode]) -> None:
        # Any literal may be a piece of a URI (`BASE + "/3"`): where it is, for its position.
        self.model.owners[node] = self.segment_of[path[0]]
        if SCHEME in node.value:
            self._hit(path)

    def _fstring(self, node: cst.FormattedString, path: list[cst.CSTNode]) -> None:
        owners = self.model.owners
        owners[node] = segment = self.segment_of[path[0]]
        for part in node.parts:
            owners[part] = segment  # a fix edits the text parts
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText) and SCHEME in part.value:
                self._hit(path)
                return

    def _name(self, node: cst.Name, path: list[cst.CSTNode]) -> None:
        if node.value in self.uri_constants:
            self.model.owners[node] = self.segment_of[path[0]]
            if passed_to_model_call(path, len(path) - 1):
                self.loaded_constants.add(node.value)
            self._hit(path)

    def _call(self, node: cst.Call, path: list[cst.CSTNode]) -> None:
        func = node.func
        if isinstance(func, cst.Attribute):
            method = func.attr.value
        elif isinstance(func, cst.Name):
            method = func.value
        else:
            return
        owners = self.model.owners
        owners[node] = owners[func] = self.segment_of[path[0]]
        if isinstance(func, cst.Attribute):
            owners[func.attr] = owners[node]
        self.model.calls.append(Call(self.model, node, method, tuple(path)))

    def _comparison(self, node: cst.Comparison, path: list[cst.CSTNode]) -> None:
        operands = [node.left, *(target.comparator for target in node.comparisons)]
        if any(isinstance(o, cst.Attribute) and o.attr.value == STAGE_ATTRIBUTE for o in operands):
            self.model.stage_comparisons.append(node)

    def _assign(self, node: cst.Assign, path: list[cst.CSTNode]) -> None:
        if not isinstance(node.value, (cst.Call, cst.Name, cst.Attribute)):
            return
        in_class = _in_class_body(path)
        for target in node.targets:
            key = dotted(target.target)
            if key is not None:
                self.bindings.append((key, node.value))
                if in_class:
                    self.bindings.append((f"self.{key}", node.value))

    def _ann_assign(self, node: cst.AnnAssign, path: list[cst.CSTNode]) -> None:
        key = dotted(node.target)
        if key is None:
            return
        keys = [key, f"self.{key}"] if _in_class_body(path) else [key]
        for name in keys:
            self.annotated.append((name, node.annotation.annotation))
            if node.value is not None:
                self.bindings.append((name, node.value))

    def _function(self, node: cst.FunctionDef, path: list[cst.CSTNode]) -> None:
        params = node.params
        for param in (
            *params.posonly_params,
            *params.params,
            *params.kwonly_params,
        ):
            if param.annotation is not None:
                self.annotated.append((param.name.value, param.annotation.annotation))
        if node.returns is not None:
            self.annotated.append((f"{node.name.value}()", node.returns.annotation))

    def _global(self, node: cst.Global, path: list[cst.CSTNode]) -> None:
        self.globals.update(item.name.value for item in node.names)

    # -- string expressions -----------------------------------------------------------------

    def _hit(self, path: list[cst.CSTNode]) -> None:
        """Record the outermost string expression around the node at the end of ``path``."""
        index = _climb(path)
        if index is None:
            return
        root = path[index]
        if index > 0 and isinstance(path[index - 1], cst.Expr):
            return  # a docstring or a bare string statement: never used as a value
        if id(root) not in self.candidates:
            scope = tuple(n for n in path[:index] if isinstance(n, SCOPES))
            expected = expects_model_uri(path, index)
            if expected is None:
                return  # a volume spec after `"-v"`, not a URI
            loaded = passed_to_model_call(path, index)
            parent = path[index - 1] if index > 0 else None
            target = None
            if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
                name = parent.targets[0].target
                target = name.value if isinstance(name, cst.Name) else None
            elif isinstance(parent, cst.AnnAssign) and isinstance(parent.target, cst.Name):
                target = parent.target.value
            self.candidates[id(root)] = (root, scope, expected, loaded, target)  # type: ignore[assignment]

    # -- clients ----------------------------------------------------------------------------

    def _resolve_clients(self) -> None:
        model = self.model
        for key, annotation in self.annotated:
            if self._annotates_client(annotation):
                model.client_names.add(key)
        # A few rounds so that `client = self.client` after `self.client = MlflowClient()`
        # (in any order in the file) resolves too.
        for _ in range(3):
            added = {
                k for k, v in self.bindings if k not in model.client_names and model.is_client(v)
            }
            if not added:
                break
            model.client_names |= added

    def _annotates_client(self, annotation: cst.BaseExpression) -> bool:
        stack: list[cst.CSTNode] = [annotation]
        while stack:
            node = stack.pop()
            if isinstance(node, (cst.Name, cst.Attribute)):
                if self.model.qualify(node) in CLIENT_CLASSES:
                    return True
                if isinstance(node, cst.Attribute):
                    continue
            elif isinstance(node, cst.SimpleString):
                text = node.value.strip("'\"")
                head, _, rest = text.partition(".")
                target = self.model.imports.get(head)
                if target is not None and f"{target}.{rest}".rstrip(".") in CLIENT_CLASSES:
                    return True
            for name in code_fields(type(node)):
                value = getattr(node, name)
                if isinstance(value, cst.CSTNode):
                    stack.append(value)
                elif isinstance(value, (tuple, list)):
                    stack.extend(v for v in value if isinstance(v, cst.CSTNode))
        return False


def _in_class_body(path: list[cst.CSTNode]) -> bool:
    # ClassDef > IndentedBlock > SimpleStatementLine > statement
    return len(path) >= 4 and isinstance(path[-4], cst.ClassDef)


def _composable(node: cst.CSTNode) -> bool:
    if isinstance(node, _COMPOSABLE):
        return True
    if isinstance(node, cst.BinaryOperation):
        return isinstance(node.operator, (cst.Add, cst.Modulo))
    return isinstance(node, cst.Call) and _formats(node)


def _formats(call: cst.Call) -> bool:
    func = call.func
    if isinstance(func, cst.Attribute):
        return func.attr.value == "format"
    return isinstance(func, cst.Name) and func.value == "str"


def _climb(path: list[cst.CSTNode]) -> int | None:
    """The index in ``path`` of the outermost expression that builds a string from the node
    at the end of ``path`` (``None`` when that node is not part of one)."""
    i = len(path) - 1
    root = i if _composable(path[i]) else None
    while i > 0:
        step = _step(path, i)
        if step is None:
            break
        i = root = step
    return root


def _step(path: list[cst.CSTNode], i: int) -> int | None:
    """The index of the string expression that uses ``path[i]`` as one of its parts."""
    parent, child = path[i - 1], path[i]
    grand = path[i - 2] if i >= 2 else None
    if isinstance(parent, cst.ConcatenatedString):
        return i - 1
    if isinstance(parent, cst.BinaryOperation):
        return i - 1 if isinstance(parent.operator, (cst.Add, cst.Modulo)) else None
    if isinstance(parent, cst.FormattedStringExpression):
        # f"...{part}...": the placeholder's expression is a part of the f-string.
        if child is parent.expression and isinstance(grand, cst.FormattedString):
            return i - 2
        return None
    if isinstance(parent, cst.Arg):
        # "...".format(part) and str(part)
        if child is parent.value and isinstance(grand, cst.Call) and _formats(grand):
            return i - 2
        return None
    if isinstance(parent, cst.Attribute):
        # "...{}...".format(...): the template is a part of the call's value.
        if (
            child is parent.value
            and parent.attr.value == "format"
            and isinstance(grand, cst.Call)
            and grand.func is parent
        ):
            return i - 2
        return None
    if isinstance(parent, cst.Element) and i >= 3:
        # "%s/%s" % (part, ...)
        operation = path[i - 3]
        if (
            isinstance(grand, cst.Tuple)
            and isinstance(operation, cst.BinaryOperation)
            and isinstance(operation.operator, cst.Modulo)
            and operation.right is grand
        ):
            return i - 3
    return None


def module_constants(modules: list[cst.Module], skipped: set[str]) -> dict[str, cst.BaseExpression]:
    """Names assigned exactly once at module level, unconditionally, to an expression (not
    also bound by a function or class, parsed or ``skipped``)."""
    values: dict[str, cst.BaseExpression] = {}
    rebound: set[str] = set(skipped)

    def bind(name: str, value: cst.BaseExpression | None, conditional: bool) -> None:
        if name in values or name in rebound or value is None or conditional:
            rebound.add(name)
            values.pop(name, None)
        else:
            values[name] = value

    def scan(statements: Any, conditional: bool) -> None:
        for statement in statements:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    _bind_small(small, bind, conditional)
            elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                bind(statement.name.value, None, True)
            else:
                for block in _blocks(statement):
                    scan(block, True)

    for module in modules:
        scan(module.body, False)
    return values


def _bind_small(small: cst.BaseSmallStatement, bind: Any, conditional: bool) -> None:
    if isinstance(small, cst.Assign):
        for target in small.targets:
            if isinstance(target.target, cst.Name):
                bind(target.target.value, small.value, conditional)
            else:
                for name in bound_names(target.target):
                    bind(name, None, True)
    elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
        bind(small.target.value, small.value, conditional)
    elif isinstance(small, cst.AugAssign) and isinstance(small.target, cst.Name):
        bind(small.target.value, None, True)
    elif isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(
        small.names, cst.ImportStar
    ):
        for alias in small.names:
            bind(alias.evaluated_alias or alias.evaluated_name.split(".")[0], None, True)


def _blocks(statement: cst.CSTNode) -> Any:
    """The statement lists nested in a compound statement (if/else, try/except, for, with...),
    not entering functions or classes."""
    for name in code_fields(type(statement)):
        value = getattr(statement, name)
        items = value if isinstance(value, (tuple, list)) else (value,)
        for item in items:
            if isinstance(item, (cst.IndentedBlock, cst.SimpleStatementSuite)):
                yield item.body
            elif isinstance(
                item,
                (
                    cst.Else,
                    cst.Finally,
                    cst.ExceptHandler,
                    cst.ExceptStarHandler,
                    cst.If,
                    cst.MatchCase,
                ),
            ):
                yield from _blocks(item)
