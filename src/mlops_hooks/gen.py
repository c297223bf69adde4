"""Write every generated artefact of a checkout of mlops-hooks, or check that they are current.

    python -m mlops_hooks.gen            # write what is stale (`just gen`)
    python -m mlops_hooks.gen --check    # change nothing; exit 1 when anything is stale (CI)

The artefacts, all derived from the rules' code:

- ``src/mlops_hooks/_index.py``: the rule index the registry reads at start-up;
- ``docs/rules/``: one page per built-in rule and the index (pages of removed rules deleted);
- ``.pre-commit-hooks.yaml``: the hook manifest;
- the rule table of ``README.md`` (between ``<!-- rules:start -->`` and ``<!-- rules:end -->``).

This is a tool for developers of mlops-hooks, run from (or pointed with ``--root`` at) a
checkout; it never runs on a checked project.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from mlops_hooks.registry import Registry, get_registry

COMMAND = "python -m mlops_hooks.gen"
README_START, README_END = "<!-- rules:start -->", "<!-- rules:end -->"


class Change(NamedTuple):
    """One generated file that differs from what the code says: what to do, and where."""

    status: str  # "missing", "stale" or "extra"
    path: str  # relative to the root, posix style
    text: str | None  # the content to write (None for "extra": delete it)


def readme_table(registry: Registry) -> str:
    """The README's rule table: every rule, with its kind, fix and summary."""
    from mlops_hooks.ruledocs import fix_text

    lines = ["| code | name | kind | fix | summary |", "| --- | --- | --- | --- | --- |"]
    for rule in registry.rules:
        default = "" if rule.default_enabled else " (off by default)"
        lines.append(
            f"| {rule.code} | `{rule.name}` | {rule.kind} | {fix_text(rule)} | "
            f"{rule.summary()}{default} |"
        )
    return "\n".join(lines)


def _readme(registry: Registry) -> Callable[[str | None], str | None]:
    def splice(current: str | None) -> str | None:
        if current is None or README_START not in current or README_END not in current:
            return None  # nothing to splice into: reported by check()
        before, rest = current.split(README_START, 1)
        _, after = rest.split(README_END, 1)
        return f"{before}{README_START}\n{readme_table(registry)}\n{README_END}{after}"

    return splice


def expected(registry: Registry) -> dict[str, str | Callable[[str | None], str | None]]:
    """Every generated file (relative path -> content, or a function of the current text)."""
    from mlops_hooks import docsgen
    from mlops_hooks.hooks import render_manifest
    from mlops_hooks.registry import render_index

    files: dict[str, str | Callable[[str | None], str | None]] = {
        "src/mlops_hooks/_index.py": render_index(),
        ".pre-commit-hooks.yaml": render_manifest(registry),
        "README.md": _readme(registry),
    }
    for name, text in docsgen.render_all(registry).items():
        files[f"{docsgen.DEFAULT_OUTPUT.as_posix()}/{name}"] = text
    return files


def changes(root: Path, registry: Registry | None = None) -> list[Change]:
    """What differs between the checkout at ``root`` and what the code generates."""
    from mlops_hooks import docsgen

    registry = registry or get_registry()
    found: list[Change] = []
    wanted = expected(registry)
    for rel, content in sorted(wanted.items()):
        path = root / rel
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        text = content(current) if callable(content) else content
        if text is None:
            raise GenError(f"{rel}: no {README_START} ... {README_END} block to fill")
        if current is None:
            found.append(Change("missing", rel, text))
        elif current != text:
            found.append(Change("stale", rel, text))
    pages = root / docsgen.DEFAULT_OUTPUT
    if pages.is_dir():
        for path in sorted(pages.iterdir()):
            rel = path.relative_to(root).as_posix()
            if docsgen.PAGE_RE.match(path.name) and rel not in wanted:
                found.append(Change("extra", rel, None))
    return found


class GenError(Exception):
    """The root is not a checkout the generator can write."""


def apply(root: Path, found: Sequence[Change]) -> None:
    """Write the missing and stale files, delete the extra ones."""
    for change in found:
        path = root / change.path
        if change.text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(change.text, encoding="utf-8", newline="\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or with ``--check`` verify) every generated artefact; returns the exit code."""
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 when anything is stale"
    )
    parser.add_argument(
        "--root", type=Path, default=Path(), help="the checkout (default: the working directory)"
    )
    args = parser.parse_args(argv)
    root: Path = args.root
    if not (root / "src" / "mlops_hooks").is_dir():
        sys.stderr.write(f"error: {root} is not a checkout of mlops-hooks (no src/mlops_hooks)\n")
        return 2
    try:
        found = changes(root)
    except GenError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    if args.check:
        for change in found:
            sys.stdout.write(f"{change.status}: {change.path}\n")
        if found:
            sys.stdout.write(f"Generated files are out of date: run `{COMMAND}` (`just gen`).\n")
        return 1 if found else 0
    apply(root, found)
    verbs = {"missing": "wrote", "stale": "rewrote", "extra": "deleted"}
    for change in found:
        sys.stdout.write(f"{verbs[change.status]} {change.path}\n")
    sys.stdout.write("Every generated file is up to date.\n")
    return 0


if __name__ == "__main__":  # pragma: no cover - exercised through main() in the tests
    raise SystemExit(main())
