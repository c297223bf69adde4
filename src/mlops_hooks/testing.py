"""Helpers to test rules through the real engine; public for authors of third-party rule packs.

``check_example(rule, example, tmp_path)`` writes the example (its file plus any extra
``files``) into a fresh directory, runs the real engine over that directory with only this rule
selected, and asserts the exact spans, the first message and the fixed text.

``Lint(tmp_path)`` (the suite's ``lint`` fixture) does the same for any source: it writes the
files, runs the selected rules (or a whole kind) and returns the diagnostics; ``project``
turns them into the plain tuples a test compares, so every kind's tests read the same way::

    def test_pip_in_a_uv_image(lint: Lint) -> None:
        found = lint("FROM python:3.12\nRUN pip install x\n", "DKR002", files={"uv.lock": ""})
        assert project(found, "code", "span") == [("DKR002", (2, 5, 2, 16))]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, TypeVar

from mlops_hooks.config import Settings, selected_codes
from mlops_hooks.diagnostics import Diagnostic
from mlops_hooks.engine import Engine, RunOptions
from mlops_hooks.registry import get_registry
from mlops_hooks.rule import Example, Good, Rule

#: A file's content: text (written byte-for-byte as UTF-8, so ``\r\n`` and a BOM stay) or bytes.
Content = str | bytes
C = TypeVar("C", str, bytes)


def write_project(root: Path, files: Mapping[str, Content]) -> None:
    """Write ``files`` (relative path -> text or bytes, written byte-for-byte; text as UTF-8)
    under ``root``, with a minimal ``pyproject.toml`` unless one is given."""
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    if "pyproject.toml" not in files:
        (root / "pyproject.toml").write_text('[project]\nname = "example"\nversion = "0.1.0"\n')


def run_rules(
    root: Path,
    select: list[str],
    options: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    fix: bool = False,
    unsafe_fixes: bool = False,
    paths: list[str] | None = None,
) -> list[Diagnostic]:
    """Run the engine over ``root`` (or ``paths`` in it) with only ``select`` enabled."""
    settings = Settings(rule_options={k: dict(v) for k, v in (options or {}).items()})
    engine = Engine(
        get_registry(),
        settings,
        RunOptions(fix=fix, unsafe_fixes=unsafe_fixes),
        select=select,
        cwd=root,
    )
    results = engine.run([str(root / p) for p in paths] if paths else [str(root)])
    return sorted((d for r in results for d in r.diagnostics), key=Diagnostic.sort_key)


class Lint:
    """Write files into a project at ``root``, run the real engine, return its diagnostics.

    The suite's ``lint`` fixture is ``Lint(tmp_path)``. Calls share the directory, so a
    later call sees the files of an earlier one (as a user's next commit would).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        #: The relative path of the last source written (what :meth:`read` reads by default).
        self.path: str | None = None

    def __call__(
        self,
        source: Content | Mapping[str, Content],
        select: str | Sequence[str],
        options: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        path: str | None = None,
        files: Mapping[str, Content] | None = None,
        paths: Sequence[str] | None = None,
        fix: bool = False,
        unsafe_fixes: bool = False,
    ) -> list[Diagnostic]:
        """Write ``source`` and run the ``select`` rules (codes, names or prefixes) over the
        project (or only over ``paths`` in it); return the sorted diagnostics.

        ``source`` is one file's content, written to ``path`` (by default the selected kind's
        example path, e.g. ``Dockerfile``), or a mapping of relative paths to contents;
        ``files`` are written beside it.
        """
        codes = [select] if isinstance(select, str) else list(select)
        if isinstance(source, (str, bytes)):
            self.path = path or self.default_path(codes)
            written: dict[str, Content] = {**(files or {}), self.path: source}
        else:
            written = {**(files or {}), **source}
        write_project(self.root, written)
        return run_rules(
            self.root,
            codes,
            options,
            fix=fix,
            unsafe_fixes=unsafe_fixes,
            paths=None if paths is None else [*paths],
        )

    def fixed(
        self,
        source: C,
        select: str | Sequence[str],
        options: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        path: str | None = None,
        files: Mapping[str, Content] | None = None,
        unsafe_fixes: bool = True,
    ) -> C:
        """``source`` after ``--fix`` (and, unless told otherwise, ``--unsafe-fixes``), read
        back as the same type: text to text, bytes to bytes."""
        self(source, select, options, path=path, files=files, fix=True, unsafe_fixes=unsafe_fixes)
        raw = self.read()
        return raw.decode("utf-8") if isinstance(source, str) else raw

    def read(self, path: str | None = None) -> bytes:
        """The bytes of ``path`` (by default the last source written) as they are now."""
        target = path or self.path
        if target is None:
            raise ValueError("nothing written yet: give the path to read")
        return (self.root / target).read_bytes()

    @staticmethod
    def default_path(select: Sequence[str]) -> str:
        """The example path of the one kind the selection covers."""
        registry = get_registry()
        kinds = {registry.refs[c].kind for c in selected_codes(registry, [*select], (), ())}
        checkers = [registry.checkers[k] for k in sorted(kinds) if k in registry.checkers]
        if len(checkers) != 1:
            raise ValueError(f"{select} covers {sorted(kinds)}: give the path of the source")
        return checkers[0].example_path


#: What :func:`project` can take from a diagnostic.
Field = Literal["path", "code", "name", "span", "line", "column", "message", "severity", "fix"]
_DEFAULT_FIELDS: tuple[Field, ...] = ("code", "span", "message")


def project(
    diagnostics: Sequence[Diagnostic], *fields: Field, root: Path | None = None
) -> list[Any]:
    """The diagnostics as plain values to compare: one tuple of ``fields`` each (by default
    ``(code, span, message)``), or the bare value when one field is asked for.

    ``span`` is the ``(line, column, end line, end column)`` tuple, ``line`` and ``column`` its
    start, ``path`` POSIX and relative to ``root`` (when given and under it), ``fix`` the fix's
    safety value or ``None``.
    """
    chosen = fields or _DEFAULT_FIELDS
    rows = [tuple(_field(d, f, root) for f in chosen) for d in diagnostics]
    return [row[0] for row in rows] if len(chosen) == 1 else rows


def _field(diagnostic: Diagnostic, field: Field, root: Path | None) -> Any:
    if field == "span":
        return diagnostic.span.as_tuple()
    if field == "line":
        return diagnostic.span.start.line
    if field == "column":
        return diagnostic.span.start.column
    if field == "path":
        path = Path(diagnostic.path)
        if root is not None and path.is_absolute() and path.is_relative_to(root):
            path = path.relative_to(root)
        return path.as_posix()
    if field == "fix":
        return None if diagnostic.fix is None else diagnostic.fix.safety.value
    if field == "severity":
        return diagnostic.severity.value
    return getattr(diagnostic, field)


def example_path(rule: type[Rule], example: Example) -> str:
    """The relative path an example's source is written to: its own, else its kind's
    :attr:`~mlops_hooks.checkers.Checker.example_path` (``file`` for a kind that is not
    registered)."""
    checker = get_registry().checkers.get(rule.kind)
    return example.path or (checker.example_path if checker is not None else "file")


def check_example(rule: type[Rule], example: Example, tmp_path: Path) -> list[Diagnostic]:
    """Assert that ``rule`` behaves on ``example`` as the example says; return its findings."""
    main = example_path(rule, example)
    write_project(tmp_path, {**example.files, main: example.source})
    options = {rule.code: example.options} if example.options else None
    # Every kind's parse-error rule runs too: an example that does not parse would otherwise
    # pass as Good (nothing flagged) whatever the rule does.
    parse_errors = _parse_error_codes() - {rule.code}
    everything = run_rules(tmp_path, [rule.code, *sorted(parse_errors)], options)
    broken = [d for d in everything if d.code in parse_errors]
    _expect(
        not broken,
        f"{rule.code}: the example does not parse: "
        + "; ".join(f"{d.path}:{d.span.start.line}: {d.code} {d.message}" for d in broken),
    )
    found = [d for d in everything if d.code == rule.code]
    if isinstance(example, Good):
        _expect(not found, f"{rule.code} flagged a Good example: {found}")
        return found
    spans = sorted(d.span.as_tuple() for d in found)
    _expect(
        spans == sorted(example.all_spans),
        f"{rule.code}: expected spans {sorted(example.all_spans)}, got {spans}: "
        + "; ".join(d.message for d in found),
    )
    first = next(d for d in found if d.span.as_tuple() == example.span)
    _expect(bool(first.message), f"{rule.code}: empty message")
    if example.message is not None:
        _expect(
            first.message == example.message,
            f"{rule.code}: message {first.message!r} != {example.message!r}",
        )
    if example.fixed is not None:
        run_rules(tmp_path, [rule.code], options, fix=True, unsafe_fixes=True)
        fixed = (tmp_path / main).read_bytes().decode("utf-8")
        _expect(fixed == example.fixed, f"{rule.code}: fixed text {fixed!r} != {example.fixed!r}")
    return found


def _parse_error_codes() -> set[str]:
    registry = get_registry()
    return {ref.code for ref in registry.refs.values() if ref.parse_error}


def _expect(condition: bool, message: str) -> None:
    # Not `assert`: this helper must also work under `python -O` and is not test code itself.
    if not condition:
        raise AssertionError(message)
