"""Parse only the part of a module that the rules can look at.

LibCST is the expensive step of the whole checker (about 15 times slower than CPython's own
parser), and in a module that mentions ``models:/`` the URI usually sits in one function of
many. CPython's parser, which runs first anyway (see :func:`parse_source`), gives the line
range of every top-level statement; LibCST then parses only:

- every top-level statement that is not a function or a class (imports, constants,
  module-level calls, ``if``/``try`` blocks): they define the names the rest resolves to;
- the functions and classes whose text contains a word of interest: a trigger of an enabled
  rule, or a context word a rule needs around it (``MlflowClient`` for the receivers of client
  calls, ``autolog`` for MLF007).

Each piece is a run of whole lines parsed as a module of its own, at a known offset, so
positions stay exact. Functions and classes left out still count as bindings of their names,
and ``global`` statements anywhere still stop a module-level name from being a constant.
"""

from __future__ import annotations

import ast
import bisect
import re
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mlops_hooks.checkers import ParseError
from mlops_hooks.checkers.python.bindings import record_imports
from mlops_hooks.checkers.python.depth import check_nesting, deepest_line, take_tree
from mlops_hooks.diagnostics import Position
from mlops_hooks.lazyre import lazy
from mlops_hooks.records import field, record
from mlops_hooks.source import SourceFile

if TYPE_CHECKING:
    import libcst as cst

_GLOBAL = lazy(r"^[ \t]*global[ \t]+([\w \t,]+)", re.MULTILINE)
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@record
class Segment:
    """A run of whole lines of the file parsed by LibCST, starting at offset ``start``."""

    module: cst.Module
    start: int
    first_line: int = 1


@record
class Parsed:
    """The LibCST segments of a file, and the names bound where LibCST did not look."""

    segments: list[Segment]
    #: Module-level names bound by the functions and classes left out.
    skipped: set[str] = field(default_factory=set)
    #: Names declared ``global`` somewhere in the file.
    globals: set[str] = field(default_factory=set)
    #: Imports made inside the functions and classes left out (local name -> qualified
    #: name): a module that imports ``mlflow`` in one function and uses it in another
    #: (passed on through a dict or an attribute) still names MLflow's objects.
    skipped_imports: dict[str, str] = field(default_factory=dict)


def parse_source(source: SourceFile, words: Sequence[str] | None) -> Parsed:
    """Parse ``source`` with LibCST: the whole file, or only what matters for ``words``."""
    tree: ast.Module | None = take_tree(source)  # the first pass's, already bounded
    cpython_error = None
    if tree is None:
        check_nesting(source)  # before any parser: LibCST's crashes on deep nesting are fatal
        tree, cpython_error = _cpython(source)
    if tree is None or words is None:
        module = _libcst(source.text, cpython_error, 1)
        return Parsed([Segment(module, 0)])
    kept, skipped, skipped_imports = select(source, tree, words)
    parsed = Parsed([], set(skipped), _globals(source.text), dict(skipped_imports))
    for first, last in _ranges(source, kept):
        start = source.offset(Position(first, 1))
        end = _line_end(source, last)
        module = _libcst(source.text[start:end], None, first)
        parsed.segments.append(Segment(module, start, first))
    return parsed


def _cpython(source: SourceFile) -> tuple[ast.Module | None, SyntaxError | None]:
    # CPython's parser first: it gives the best syntax error messages and positions, the
    # statement ranges for segments, and it rejects pathological nesting that would crash
    # LibCST's native parser (a stack overflow, not an exception).
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes etc. are not ours to report
            return ast.parse(source.text), None
    except SyntaxError as exc:
        if "too many nested" in exc.msg or "too complex" in exc.msg:
            raise ParseError(f"Python syntax error: {exc.msg}", exc.lineno or 1) from None
        # Maybe newer syntax than the running Python knows: LibCST decides.
        return None, exc
    except (RecursionError, MemoryError):
        # CPython's recursion limit says nothing of where: the scan's deepest line.
        raise ParseError("Python code nested too deeply to check", deepest_line(source)) from None


def _libcst(text: str, cpython_error: SyntaxError | None, first_line: int) -> cst.Module:
    import libcst as cst

    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        if cpython_error is not None:
            line, column = cpython_error.lineno or 1, cpython_error.offset or 1
            raise ParseError(f"Python syntax error: {cpython_error.msg}", line, column) from None
        line = first_line + exc.raw_line - 1
        raise ParseError(f"Python syntax error: {exc.message}", line, exc.raw_column + 1) from None
    except Exception as exc:  # the native parser's failures are not typed
        raise ParseError(f"Python code LibCST cannot parse: {exc}", first_line) from None


def select(
    source: SourceFile, tree: ast.Module, words: Sequence[str]
) -> tuple[list[ast.stmt], set[str], dict[str, str]]:
    """The top-level statements LibCST parses for the rules of ``words`` (their triggers and
    context words; :func:`_closure` adds the names that stand for them): every one but the
    functions and classes whose text holds none of the words. With them, the names those
    left out bind and the imports made inside them.

    The first pass (:mod:`.firstpass`) looks at the same statements: what LibCST never parses
    cannot be reported. The answer for the last ``source`` asked about is kept (as the tree
    the first pass hands over, see :func:`.depth.hand_over`): the LibCST pass that follows
    the first pass on a file asks again. Callers copy what they change."""
    last = _SELECTED[0] if _SELECTED else None
    if last is not None and last[0] is source and last[1] is tree and last[2] == words:
        return last[3]
    selected = _select(source, tree, words)
    _SELECTED[:] = [(source, tree, tuple(words), selected)]
    return selected


#: The last answer of :func:`select`: the source, tree and words it was for, and the answer.
_SELECTED: list[
    tuple[SourceFile, ast.Module, tuple[str, ...], tuple[list[ast.stmt], set[str], dict[str, str]]]
] = []


def _select(
    source: SourceFile, tree: ast.Module, words: Sequence[str]
) -> tuple[list[ast.stmt], set[str], dict[str, str]]:
    if not any(isinstance(statement, _DEFINITIONS) for statement in tree.body):
        # Only a function or class is ever left out: none, no words to look for.
        return list(tree.body), set(), {}
    lines = _WordLines(source)
    words = _closure(source, tree, words, lines)
    kept: list[ast.stmt] = []
    skipped: set[str] = set()
    skipped_imports: dict[str, str] = {}
    for statement in tree.body:
        if isinstance(statement, _DEFINITIONS):
            first = _first_line(statement)
            last = statement.end_lineno or statement.lineno
            if not lines.within(words, first, last):
                skipped.add(statement.name)
                # Only a definition whose text holds the keyword can import (most do not:
                # walking every skipped definition's tree cost ~10% of an MLflow tree's run).
                if lines.within(("import",), first, last):
                    skipped_imports.update(_imports_in(statement))
                continue
        kept.append(statement)
    return kept, skipped, skipped_imports


class _WordLines:
    """Whether a word occurs within whole lines of a text: the same answer as searching the
    text from the start of the first line to the end of the last (line break included), found
    from the lines each word occurs on, each word's occurrences found once per text."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.found: dict[str, list[int]] = {}

    def within(self, words: Sequence[str], first: int, last: int) -> bool:
        """Whether some word of ``words`` occurs between line ``first`` and ``last``."""
        for word in words:
            if not word or "\r" in word or "\n" in word:  # may span lines: searched
                source = self.source
                start, end = source.offset(Position(first, 1)), _line_end(source, last)
                if source.text.find(word, start, end) >= 0:
                    return True
                continue
            lines = self.found.get(word)
            if lines is None:
                lines = self.found[word] = self._lines(word)
            # A word without a line break lies on one line: within the range when that line is.
            index = bisect.bisect_left(lines, first)
            if index < len(lines) and lines[index] <= last:
                return True
        return False

    def _lines(self, word: str) -> list[int]:
        text = self.source.text
        lines: list[int] = []
        at = text.find(word)
        if "\r" in text:  # \r and \r\n break lines too: the source's own line table
            while at >= 0:
                lines.append(self.source.position(at).line)
                at = text.find(word, at + 1)
            return lines
        # Only \n breaks lines: counted up to each occurrence (most files never build the
        # line table otherwise).
        line, counted = 1, 0
        while at >= 0:
            line += text.count("\n", counted, at)
            counted = at
            lines.append(line)
            at = text.find(word, at + 1)
        return lines


def _first_line(statement: ast.stmt) -> int:
    if isinstance(statement, _DEFINITIONS):
        return min([statement.lineno, *(d.lineno for d in statement.decorator_list)])
    return statement.lineno


def _ranges(source: SourceFile, kept: list[ast.stmt]) -> list[tuple[int, int]]:
    """The line ranges of the statements to parse, merged when they touch."""
    ranges: list[tuple[int, int]] = []
    for statement in kept:
        first = _first_line(statement)
        last = statement.end_lineno or statement.lineno
        if ranges and first <= ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], max(last, ranges[-1][1]))
        else:
            ranges.append((first, last))
    return ranges


def _imports_in(definition: ast.AST) -> dict[str, str]:
    """The names a function or class binds by ``import`` anywhere inside it."""
    found: dict[str, str] = {}
    for node in ast.walk(definition):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            record_imports(node, found)
    return found


def _closure(
    source: SourceFile, tree: ast.Module, words: Sequence[str], lines: _WordLines | None = None
) -> list[str]:
    """``words`` plus the names that stand for them: an import alias of a word
    (``from mlflow import MlflowClient as Client``), a module-level name whose definition
    contains a word (``PREFIX = "models:/"``), and so on until nothing changes."""
    found = list(dict.fromkeys(words))
    lines = lines or _WordLines(source)
    definitions: list[tuple[list[str], ast.stmt]] = []
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            for alias in statement.names:
                if alias.asname and any(word in alias.name for word in found):
                    found.append(alias.asname)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if names and statement.end_lineno is not None:
                definitions.append((names, statement))
    # Round by round, each definition not yet taken is tested against the words the round
    # before added only (it holds none of the older ones): the same closure as testing every
    # definition against every word until nothing changes, in time linear in the definitions
    # when one round takes them all (a module of 15,000 `model_i = load_model("models:/...")`
    # took seconds, every definition tested against every name).
    seen = set(found)
    fresh = list(found)
    pending = definitions
    while fresh and pending:
        added: list[str] = []
        untaken: list[tuple[list[str], ast.stmt]] = []
        for names, statement in pending:
            if all(n in seen for n in names):
                continue  # nothing left to add
            if _holds(source, statement, fresh, lines):
                for name in names:
                    if name not in seen:
                        seen.add(name)
                        found.append(name)
                        added.append(name)
            else:
                untaken.append((names, statement))
        fresh, pending = added, untaken
    return found


def _holds(source: SourceFile, statement: ast.stmt, words: list[str], lines: _WordLines) -> bool:
    """Whether the text of a top-level assignment, from where it starts to the end of its
    last line, holds a word of ``words``."""
    last = statement.end_lineno or statement.lineno
    if statement.col_offset == 0:  # from the start of its line
        return lines.within(words, statement.lineno, last)
    text = source.text  # after a `;`
    start = source.offset(Position(statement.lineno, statement.col_offset + 1))
    end = _line_end(source, last)
    return any(text.find(word, start, end) >= 0 for word in words)


def _line_end(source: SourceFile, line: int) -> int:
    """The offset just after line ``line`` and its line break."""
    end = source.offset(Position(line, len(source.line(line)) + 1))
    text = source.text
    if text.startswith("\r\n", end):
        return end + 2
    if end < len(text) and text[end] in "\r\n":
        return end + 1
    return end


def _globals(text: str) -> set[str]:
    if "global" not in text:
        return set()
    names: set[str] = set()
    for match in _GLOBAL.finditer(text):
        names.update(n.strip() for n in match.group(1).split(",") if n.strip())
    return names
