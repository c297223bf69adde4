"""Helpers to test rules from their examples; public for authors of third-party rule packs.

``check_example(rule, example, tmp_path)`` writes the example (its file plus any extra
``files``) into a fresh directory, runs the real engine over that directory with only this rule
selected, and asserts the exact spans, the first message and the fixed text.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mlops_hooks.config import Settings
from mlops_hooks.diagnostics import Diagnostic
from mlops_hooks.engine import Engine, RunOptions
from mlops_hooks.registry import get_registry
from mlops_hooks.rule import Example, Good, Rule


def write_project(root: Path, files: Mapping[str, str]) -> None:
    """Write ``files`` (relative path -> text, written byte-for-byte as UTF-8) under ``root``."""
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
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
