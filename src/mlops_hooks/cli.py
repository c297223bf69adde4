"""Command line: ``mlops-hooks check|rules|explain``.

Exit codes: 0 clean, 1 findings (or files fixed), 2 usage, configuration or internal error.
``mlops-hooks FILE ...`` without a subcommand means ``check``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from mlops_hooks import __version__
from mlops_hooks.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Callable

    from mlops_hooks.engine import Engine, FileResult
    from mlops_hooks.reporters import Renderer

SUBCOMMANDS = ("check", "rules", "explain", "init")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, with the terminal width found as :func:`shutil.get_terminal_size`
    finds it but without importing :mod:`shutil` (and the compression modules it imports):
    argparse builds a formatter for every argument added, so every hook process paid for it."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = _terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns``: ``COLUMNS``, else the terminal's, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


class _KindsHelp(_Formatter):
    """Fills ``{kinds}`` in a help text with the registered kinds, when help is printed: a
    new kind shows up without an edit here, and a run that prints no help never loads the
    registry for it."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = super()._get_help_string(action)
        if text is None or "{kinds}" not in text:
            return text
        from mlops_hooks.registry import get_registry

        return text.replace("{kinds}", ", ".join(sorted(get_registry().checkers)))


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(EXIT_ERROR)


def _csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser (also used to document the CLI).

    ``only`` builds just one subcommand's parser: argparse is slow to build, and a hook process
    starts on every commit.
    """
    parser = _Parser(
        prog="mlops-hooks",
        description="Lint the conventions of a uv-managed MLOps project.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"mlops-hooks {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    if only in (None, "check"):
        _add_check(sub)
    if only in (None, "rules"):
        rules = sub.add_parser("rules", help="list the rules")
        rules.add_argument("--format", choices=("text", "json"), default="text")
    if only in (None, "explain"):
        explain = sub.add_parser("explain", help="show a rule's documentation and examples")
        explain.add_argument("rule", metavar="CODE|NAME")
    if only in (None, "init"):
        from mlops_hooks.scaffold.cli import configure_parser

        configure_parser(sub.add_parser("init", help="scaffold the project files that are missing"))
    return parser


def _add_check(sub: Any) -> None:
    check = sub.add_parser(
        "check", help="check files and directories (default: .)", formatter_class=_KindsHelp
    )
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files and directories (default: .); `-` reads standard input",
    )
    check.add_argument(
        "--stdin-filename",
        metavar="NAME",
        help="the name of the file read from standard input: it picks the kind and names "
        "the file in the report",
    )
    check.add_argument("--select", type=_csv, action="extend", help="codes, names or prefixes")
    check.add_argument("--extend-select", type=_csv, action="extend", default=[])
    check.add_argument("--ignore", type=_csv, action="extend", default=[])
    check.add_argument(
        "--kind",
        type=_csv,
        action="extend",
        help="only check files of these kinds ({kinds})",
    )
    check.add_argument("--config", type=Path, help="a pyproject.toml or TOML file to read")
    check.add_argument(
        "--format",
        default=os.environ.get("MLOPS_HOOKS_OUTPUT_FORMAT") or "text",
        metavar="FORMAT",
        help="text (default: source and carets), concise, json, sarif or github "
        "[env: MLOPS_HOOKS_OUTPUT_FORMAT]",
    )
    check.add_argument(
        "-o", "--output-file", type=Path, metavar="PATH", help="write the report to PATH"
    )
    check.add_argument("--fix", action="store_true", help="apply safe fixes")
    check.add_argument(
        "--add-noqa",
        action="store_true",
        help="write a suppression comment at every finding (to adopt mlops-hooks in an "
        "existing repository)",
    )
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix, unsafe too")
    check.add_argument(
        "--diff",
        action="store_true",
        help="print what --fix would change as a unified diff; write nothing "
        "(exit 1 when there is something to fix)",
    )
    check.add_argument(
        "--show-fixes",
        action="store_true",
        help="preview each available fix; with --fix, list the files fixed",
    )
    check.add_argument(
        "--statistics", action="store_true", help="count the findings per rule instead"
    )
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    check.add_argument(
        "--exit-non-zero-on-findings",
        action="store_true",
        help="with --format sarif, exit 1 on findings (SARIF exits 0 so the upload runs)",
    )
    check.add_argument("--no-ignores", action="store_true", help="disregard inline suppressions")
    check.add_argument(
        "--force-exclude",
        action="store_true",
        help="apply `exclude` to files named on the command line too (for pre-commit)",
    )
    check.add_argument(
        "--scope",
        choices=("all", "changed"),
        default="all",
        help="all (default): every finding in the paths; changed (the pre-commit hooks): the "
        "named files of a commit, plus the findings their changes cause in other tracked "
        "files; untracked files and old findings elsewhere are not reported",
    )
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    check.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="worker processes (default: one per core from 64 files; below that one, plus one "
        "beside it for the Python modules that may need LibCST when a core is spare)",
    )


def entry() -> None:
    """The ``mlops-hooks`` command (and ``python -m mlops_hooks``): :func:`main`, then a
    fast exit.

    Tearing the interpreter down (every module, every object of the run) takes about 20 ms
    of a commit's 180: nothing in it matters once the output is written, so the process
    ends there, as mypy's does. Under coverage, which writes its data at exit, it exits
    normally."""
    code = main()
    if "coverage" in sys.modules:
        sys.exit(code)
    from contextlib import suppress

    for stream in (sys.stdout, sys.stderr):
        # The reader went away, or the stream is closed: nothing left to say.
        with suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list:
        from mlops_hooks.inputs import check_subcommand

        try:
            check_subcommand(args_list[0], SUBCOMMANDS)
        except UsageError as exc:
            sys.stderr.write(f"mlops-hooks: error: {exc}\n")
            return EXIT_ERROR
    if not args_list or (
        args_list[0] not in SUBCOMMANDS and args_list[0] not in ("-h", "--help", "-V", "--version")
    ):
        args_list.insert(0, "check")
    try:
        args = build_parser(args_list[0] if args_list[0] in SUBCOMMANDS else None).parse_args(
            args_list
        )
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        if args.command == "rules":
            return _rules(args, sys.stdout)
        if args.command == "explain":
            return _explain(args, sys.stdout)
        if args.command == "init":
            from mlops_hooks.scaffold.cli import run

            return run(args, sys.stdout)
        return _check(args, sys.stdout)
    except BrokenPipeError:
        # The reader went away (`mlops-hooks rules | head`): stop quietly, as other CLIs do,
        # and keep Python from complaining again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FINDINGS
    except Exception as exc:  # the contract is "exit 2 with a message", never a traceback
        from mlops_hooks.registry import RegistryError
        from mlops_hooks.reporters.escape import printable

        # Only the user's mistakes (and a broken installed rule pack) are usage errors; any
        # other exception, a ValueError included, is a bug and says so. Messages quote the
        # checked tree's values: escaped like every note.
        message = printable(str(exc))
        if isinstance(exc, (UsageError, RegistryError)) and not _debug():
            sys.stderr.write(
                "".join(f"mlops-hooks: error: {printable(line)}\n" for line in str(exc).split("\n"))
            )
            return EXIT_ERROR
        if _debug():
            raise
        sys.stderr.write(
            f"mlops-hooks: internal error: {type(exc).__name__}: {message}\n"
            "Set MLOPS_HOOKS_DEBUG=1 for a traceback, and please report it.\n"
        )
        return EXIT_ERROR


def _debug() -> bool:
    return bool(os.environ.get("MLOPS_HOOKS_DEBUG"))


def _use_color(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def _check(args: argparse.Namespace, out: TextIO) -> int:
    from mlops_hooks.config import load_settings
    from mlops_hooks.engine import Engine, RunOptions
    from mlops_hooks.registry import get_registry
    from mlops_hooks.reporters import TEXT_FORMATS, get_renderer

    renderer = get_renderer(args.format)
    if args.statistics:
        from mlops_hooks.reporters.statistics import STATISTICS_FORMATS

        if args.format not in STATISTICS_FORMATS:
            raise UsageError(f"--statistics prints text or json, not --format {args.format}")
    if args.diff and args.format not in TEXT_FORMATS:
        raise UsageError(f"--diff prints a unified diff; it cannot be --format {args.format}")
    registry = get_registry()
    if args.kind:
        unknown = sorted(set(args.kind) - set(registry.checkers))
        if unknown:
            raise UsageError(
                f"unknown kind {unknown[0]!r}; valid kinds: {', '.join(sorted(registry.checkers))}"
            )
    from mlops_hooks.inputs import validate_paths

    if args.add_noqa and (args.fix or args.diff):
        raise UsageError("--add-noqa cannot be combined with --fix or --diff")

    stdin = validate_paths(args.paths, args.stdin_filename)
    settings = load_settings(args.config, Path.cwd())
    options = RunOptions(
        fix=args.fix or args.diff,
        unsafe_fixes=args.unsafe_fixes,
        no_ignores=args.no_ignores,
        kinds=frozenset(args.kind) if args.kind else None,
        force_exclude=args.force_exclude,
        jobs=max(args.jobs, 0),
        add_noqa=args.add_noqa,
        write=not args.diff and not stdin,
    )
    engine = Engine(registry, settings, options, args.select, args.extend_select, args.ignore)
    if stdin:
        results = _check_stdin(engine, args.stdin_filename, out, args.fix and not args.diff)
        if args.fix and not args.diff:
            # The fixed text went to stdout, as ruff does; the report goes to stderr.
            out = sys.stderr
    elif args.scope == "changed":
        from mlops_hooks.scope import run_changed

        results = run_changed(engine, args.paths or ["."])
    else:
        results = engine.run(args.paths or ["."])
    from mlops_hooks.reporters.escape import printable

    # Notes name files: escaped like every human-facing output (a name holding a newline and
    # "::error" would otherwise be a fake annotation in a CI log).
    for note in engine.notes:
        sys.stderr.write(f"mlops-hooks: {printable(note)}\n")
    for result in results:
        for note in result.notes:
            sys.stderr.write(f"mlops-hooks: {printable(note)}\n")
    added = sum(r.suppressions_added for r in results)
    if args.add_noqa:
        files = sum(1 for r in results if r.suppressions_added)
        sys.stderr.write(
            f"Added suppressions of {added} finding{'s' * (added != 1)} "
            f"in {files} file{'s' * (files != 1)}.\n"
        )
    if not results and args.scope != "changed":
        # A hook given only files that other files read (a justfile for the workflow hook)
        # checks none of its own kind: that is no mistake.
        sys.stderr.write(
            "mlops-hooks: warning: no files to check: nothing under the given paths is a kind "
            "of file mlops-hooks checks (or all of it is excluded)\n"
        )
    if args.output_file is not None:
        import io

        from mlops_hooks.safeio import write_output

        buffer = io.StringIO(newline="\n")
        code = _report(args, engine, results, buffer, renderer)
        try:
            # `-o reports/ci.json` into a folder that does not exist yet creates it.
            args.output_file.parent.mkdir(parents=True, exist_ok=True)
            write_output(args.output_file, buffer.getvalue().encode("utf-8"))
        except OSError as exc:
            where = exc.filename or args.output_file
            raise UsageError(f"cannot write {where}: {exc.strerror or exc}") from None
        return code
    return _report(args, engine, results, out, renderer)


def _check_stdin(engine: Engine, filename: str, out: TextIO, print_fixed: bool) -> list[FileResult]:
    """``check -``: one file read from standard input, named ``filename``. With ``--fix``
    the file itself is never written: the fixed text (or the input unchanged, so that
    ``check --fix - < a > b`` never loses ``a``) goes to ``out``, as ruff does."""
    from mlops_hooks.inputs import read_stdin

    raw = read_stdin()
    result = engine.check_stdin(raw, filename)
    if print_fixed:
        if result is not None and result.fixed is not None:
            out.write(result.fixed)
        else:
            out.flush()
            out.buffer.write(raw)
            out.buffer.flush()
    return [] if result is None else [result]


def _report(
    args: argparse.Namespace,
    engine: Engine,
    results: list[FileResult],
    out: TextIO,
    renderer: Renderer,
) -> int:
    """Render the results of a check run to ``out``; returns the exit code."""
    from mlops_hooks.reporters import Report

    color = _use_color(args.color, out)
    if args.diff:
        return _diff(args, results, out, color)
    diagnostics = sorted((d for r in results for d in r.diagnostics), key=lambda d: d.sort_key())
    cwd = Path.cwd()
    report = Report(
        diagnostics=diagnostics,
        files_checked=len(results),
        fixes_applied=sum(r.fixes_applied for r in results),
        files_fixed=sum(1 for r in results if r.fixes_applied),
        source_line=_source_lines(results),
        color=color,
        unsafe_fixes=args.unsafe_fixes,
        # Only SARIF describes the rules; importing them all would cost every other run.
        rules=engine.rules if args.format == "sarif" else (),
        root=str(_repository_root(cwd)),
        cwd=str(cwd),
        show_fixes=args.show_fixes,
        fixed_files=[(r.path, r.fixes_applied) for r in results if r.fixes_applied],
    )
    if args.statistics:
        from mlops_hooks.reporters import statistics

        out.write(statistics.render(report, args.format))
    else:
        out.write(renderer(report))
    if args.exit_zero:
        return EXIT_CLEAN
    if args.format == "sarif" and not args.exit_non_zero_on_findings:
        return EXIT_CLEAN
    return EXIT_FINDINGS if diagnostics or report.fixes_applied else EXIT_CLEAN


def _source_lines(results: list[FileResult]) -> Callable[[str, int], str]:
    """Line ``n`` of a file with findings, from the text the engine checked (never re-read)."""
    import re

    texts = {r.path: r.text for r in results if r.text is not None}
    cache: dict[str, list[str]] = {}

    def source_line(path: str, number: int) -> str:
        if path not in cache:
            cache[path] = re.split(r"\r\n|\r|\n", texts.get(path) or "")
        lines = cache[path]
        return lines[number - 1] if 0 < number <= len(lines) else ""

    return source_line


def _repository_root(cwd: Path) -> Path:
    """What SARIF and GitHub paths are relative to: ``$GITHUB_WORKSPACE`` in Actions, else
    the git work tree around the working directory, else the working directory."""
    from mlops_hooks.project import find_git_root

    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace:
        return Path(workspace).resolve()
    return find_git_root(cwd.resolve()) or cwd.resolve()


def _diff(args: argparse.Namespace, results: list[FileResult], out: TextIO, color: bool) -> int:
    """``--fix --diff``: print what the fixes would change; exit 1 when anything would."""
    from mlops_hooks.reporters import diff

    changes = [
        (r.path, r.original, r.fixed)
        for r in results
        if r.original is not None and r.fixed is not None and r.original != r.fixed
    ]
    out.write(diff.render(changes, color))
    fixes = sum(r.fixes_applied for r in results if r.original != r.fixed)
    if changes:
        sys.stderr.write(
            f"Would fix {fixes} finding{'s' * (fixes != 1)} "
            f"in {len(changes)} file{'s' * (len(changes) != 1)}.\n"
        )
    else:
        sys.stderr.write("No fixes available.\n")
    return EXIT_FINDINGS if changes and not args.exit_zero else EXIT_CLEAN


def _rules(args: argparse.Namespace, out: TextIO) -> int:
    import json

    from mlops_hooks.registry import get_registry
    from mlops_hooks.ruledocs import fix_text

    registry = get_registry()
    rows = [
        {
            "code": r.code,
            "name": r.name,
            "kind": r.kind,
            "severity": r.severity.value,
            "fix": fix_text(r),
            "default": r.default_enabled,
            "summary": r.summary(),
        }
        for r in registry.rules
    ]
    if args.format == "json":
        out.write(json.dumps(rows, indent=2) + "\n")
        return EXIT_CLEAN
    headers = ("code", "name", "kind", "severity", "fix", "default")
    table = [headers] + [
        (
            str(r["code"]),
            str(r["name"]),
            str(r["kind"]),
            str(r["severity"]),
            str(r["fix"]),
            "yes" if r["default"] else "no",
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(headers))]
    for row in table:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        out.write("  ".join(cells).rstrip() + "\n")
    return EXIT_CLEAN


def _explain(args: argparse.Namespace, out: TextIO) -> int:
    from mlops_hooks.registry import get_registry
    from mlops_hooks.ruledocs import render_markdown

    rule = get_registry().lookup(args.rule)
    if rule is None:
        sys.stderr.write(
            f"mlops-hooks: error: unknown rule {args.rule!r}; see `mlops-hooks rules`\n"
        )
        return EXIT_ERROR
    out.write(render_markdown(rule))
    return EXIT_CLEAN
