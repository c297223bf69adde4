"""The ``init`` subcommand's arguments and entry point (kept light: templates load lazily)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO


def _name(value: str) -> str:
    from mlops_hooks.scaffold.plan import valid_name

    if not valid_name(value):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a project name (letters, digits, '-', '_', '.')"
        )
    return value


def _python(value: str) -> str:
    from mlops_hooks.scaffold.plan import valid_python

    if not valid_python(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a Python version like 3.12")
    return value


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Add the ``init`` arguments."""
    parser.description = (
        "Write the conventional files that DIR lacks: .pre-commit-config.yaml, a justfile with"
        " tasks/*.just, GitHub workflows, a multi-stage uv Dockerfile and .dockerignore."
        " Existing files are never overwritten."
    )
    parser.add_argument("directory", nargs="?", type=Path, default=Path(), metavar="DIR")
    parser.add_argument("--dry-run", action="store_true", help="print what would be written")
    parser.add_argument(
        "--publish",
        action="store_true",
        help="write the PyPI publish workflow even when the project shows no sign of publishing",
    )
    parser.add_argument(
        "--name", type=_name, help="project name (default: [project].name, else DIR's name)"
    )
    parser.add_argument(
        "--python",
        type=_python,
        metavar="X.Y",
        help="Python version (default: .python-version, else requires-python, else 3.12)",
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Write the missing files (or print them with ``--dry-run``); returns the exit code."""
    from mlops_hooks.scaffold.plan import advice, make_plan, read_facts, snippets, write

    root: Path = args.directory
    if root.exists() and not root.is_dir():
        from mlops_hooks.errors import UsageError

        raise UsageError(f"{root} is not a directory")
    facts = read_facts(root, args.name, args.python, args.publish)
    for warning in facts.warnings:
        out.write(f"warning: {warning}\n")
    plan = make_plan(root, facts)
    out.write(f"{root}: project {facts.name!r} (package {facts.package}), Python {facts.python}\n")
    if args.dry_run:
        for planned in plan.files:
            verb = "would write" if planned.write else f"skip ({planned.reason})"
            out.write(f"  {verb}: {planned.path}\n")
        for planned in plan.to_write:
            out.write(f"\n==> {planned.path} <==\n{planned.text}")
        merge = snippets(plan)
        if merge:
            out.write("\n" + "\n".join(merge))
        out.write("\nDry run: nothing written.\n")
        return 0
    root.mkdir(parents=True, exist_ok=True)
    written = {p.path for p in write(plan)}
    for planned in plan.files:
        if planned.path in written:
            out.write(f"  wrote: {planned.path}\n")
        else:
            out.write(f"  skipped: {planned.path} ({planned.reason or 'exists'})\n")
    out.write(f"{len(written)} written, {len(plan.files) - len(written)} skipped.\n\n")
    merge = snippets(plan)
    if merge:
        out.write("\n".join(merge) + "\n")
    out.write("\n".join(advice(facts)) + "\n")
    return 0
