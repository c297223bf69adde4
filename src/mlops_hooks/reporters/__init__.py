"""Reporters: one module per output format, each receiving only diagnostics.

A reporter module defines ``render(report: Report) -> str``. The CLI picks the module by the
``--format`` name, importing only that one. Reporters never read files: the source lines they
show come through :attr:`Report.source_line`, and paths are made repository-relative with
:meth:`Report.artifact_path` (pure path arithmetic).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Protocol

from mlops_hooks.diagnostics import Diagnostic
from mlops_hooks.reporters.escape import valid_text

if TYPE_CHECKING:
    from mlops_hooks.rule import Rule

#: Every ``--format``; ``text`` is the default (full: source snippet and carets).
FORMATS = ("text", "concise", "json", "sarif", "github")
#: The formats that ``--statistics`` and ``--show-fixes`` apply to (the human-readable ones).
TEXT_FORMATS = ("text", "concise")


def _no_source(path: str, line: int) -> str:
    return ""


class Report:
    """Everything a reporter may use.

    A plain class, not a dataclass: it is built on every run, and ``dataclasses`` costs more
    start-up time than a small check (see ``diagnostics.py``).
    """

    def __init__(
        self,
        diagnostics: list[Diagnostic],
        files_checked: int = 0,
        fixes_applied: int = 0,
        files_fixed: int = 0,
        source_line: Callable[[str, int], str] = _no_source,
        color: bool = False,
        unsafe_fixes: bool = False,
        rules: Sequence[type[Rule]] = (),
        root: str | None = None,
        cwd: str | None = None,
        show_fixes: bool = False,
        fixed_files: list[tuple[str, int]] | None = None,
    ) -> None:
        # Every format writes UTF-8: paths and messages that are not valid Unicode (an
        # undecodable byte in a file name, a lone surrogate from a string) are escaped once,
        # here, for all of them (see escape.py).
        self.diagnostics = [_valid(d) for d in diagnostics]
        raw = {
            d.path: original.path for d, original in zip(self.diagnostics, diagnostics, strict=True)
        }
        if any(shown != original for shown, original in raw.items()):
            source_line = _by_raw_path(source_line, raw)
        self.files_checked = files_checked
        self.fixes_applied = fixes_applied
        self.files_fixed = files_fixed
        self.source_line = source_line
        self.color = color
        self.unsafe_fixes = unsafe_fixes
        #: The rules of the run (selected), for formats that describe rules (SARIF).
        self.rules = rules
        #: Absolute path of the repository root that artifact paths are relative to.
        self.root = root
        #: Absolute path that relative diagnostic paths are relative to (the working directory).
        self.cwd = cwd
        #: ``--show-fixes``: preview each available fix, and list the files ``--fix`` changed.
        self.show_fixes = show_fixes
        #: ``(path, fixes applied)`` for every file ``--fix`` changed, in check order.
        self.fixed_files = [(valid_text(path), count) for path, count in fixed_files or []]

    def artifact_path(self, path: str) -> str:
        """``path`` relative to :attr:`root`, with ``/`` separators.

        Code scanning, annotations and editors resolve paths against the repository root,
        whatever directory the check ran in. A path outside the root comes back absolute
        (when the working directory is known), else unchanged.
        """
        if self.root is None:
            return path.replace(os.sep, "/")
        given = PurePath(path)
        joined = given if given.is_absolute() else PurePath(self.cwd or self.root) / given
        absolute = os.path.normpath(joined)
        try:
            relative = os.path.relpath(absolute, self.root)
        except ValueError:  # another drive on Windows
            relative = os.pardir
        if relative == os.pardir or relative.startswith(os.pardir + os.sep):
            return absolute.replace(os.sep, "/")
        return relative.replace(os.sep, "/")


def _valid(d: Diagnostic) -> Diagnostic:
    """``d`` with its path and messages as valid Unicode (the same object when they are)."""
    fix_message = d.fix.message if d.fix is not None else ""
    if d.path.isascii() and d.message.isascii() and fix_message.isascii():
        return d
    fix = d.fix._replace(message=valid_text(d.fix.message)) if d.fix is not None else None
    return d._replace(path=valid_text(d.path), message=valid_text(d.message), fix=fix)


def _by_raw_path(
    source_line: Callable[[str, int], str], raw: dict[str, str]
) -> Callable[[str, int], str]:
    """``source_line`` looked up by the path as the engine had it, not as it is shown."""

    def line(path: str, number: int) -> str:
        return source_line(raw.get(path, path), number)

    return line


class Renderer(Protocol):
    """The signature every reporter module's ``render`` has."""

    def __call__(self, report: Report) -> str: ...


def get_renderer(name: str) -> Renderer:
    """The ``render`` function of the reporter for ``--format name``."""
    if name not in FORMATS:
        from mlops_hooks.errors import UsageError

        raise UsageError(f"unknown format {name!r}; valid formats: {', '.join(FORMATS)}")
    # The import statement's path, which ``-X importtime`` reports (see registry.import_module).
    module_name = f"{__name__}.{name}_format"
    __import__(module_name)
    module = sys.modules[module_name]
    render: Renderer = module.render
    return render
