"""Safe discovery of the justfile tree: which files the root justfile's imports reach.

Security-critical. The root justfile (``justfile`` in any case, or ``.justfile``) is found at
the project root, and its ``import``/``mod`` statements are followed textually (positions
from :mod:`mlops_hooks.project.justfile.scan`). A target that resolves outside the project
root (``../``, absolute paths, ``~``, symlinks) is never read or stat'ed: it is recorded as
``outside``, and :mod:`mlops_hooks.project.justfile.sandbox` hides it from just as well.
What is read is bounded (:data:`MAX_FILES` files of at most :data:`MAX_FILE_SIZE` bytes), so a
hostile tree cannot exhaust memory.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from mlops_hooks.lazyre import lazy
from mlops_hooks.project.justfile.scan import Statement, scan
from mlops_hooks.project.justfile.types import Include, JustError, JustfileIndex, TreeFile
from mlops_hooks.safeio import UnreadableFileError, read_file, resolve_within
from mlops_hooks.source import DecodeError, SourceFile

if TYPE_CHECKING:
    from mlops_hooks.project import Project

#: Bounds on what we read, so a hostile tree cannot exhaust memory.
MAX_FILES = 500


MAX_FILE_SIZE = 1_000_000


def read_tree(
    project: Project, relroot: str, index: JustfileIndex, overrides: Mapping[str, SourceFile]
) -> tuple[list[Include], bool]:
    """Read every file of the tree into ``index.files``; the statements, and whether the
    whole tree was read."""
    includes: list[Include] = []
    queue: list[tuple[str, str]] = [(relroot, "")]
    while queue:
        rel, module = queue.pop(0)
        if rel in index.files:
            continue
        if len(index.files) >= MAX_FILES:
            index.error = JustError(f"more than {MAX_FILES} justfiles imported", relroot, 1, 1)
            return includes, False
        path = project.root / rel
        try:
            source = overrides.get(rel) or _read(path, rel, project.root)
        except DecodeError as exc:
            # Keep reading: the other files still get their statements checked.
            index.unreadable[rel] = JustError(exc.message, rel, exc.line, exc.column)
            index.error = index.error or index.unreadable[rel]
            continue
        except UnreadableFileError as exc:
            index.unreadable[rel] = JustError(exc.message, rel, 1, 1)
            index.error = index.error or index.unreadable[rel]
            continue
        scanned = scan(source)
        index.files[rel] = TreeFile(rel, source, scanned, module)
        for statement in scanned.statements:
            include = _resolve(project, rel, module, statement)
            includes.append(include)
            if include.target is not None:
                child = module
                if statement.keyword == "mod" and statement.name:
                    child = f"{module}::{statement.name}" if module else statement.name
                queue.append((include.target, child))
    return includes, True


#: A line that just may read as an ``import``/``mod`` statement: the keyword in column 1
#: (just rejects indented items), or after attributes on the same line (rejected by just
#: today, refused here in case a later just accepts it).
_MAYBE_STATEMENT = lazy(r"^(?:\[[^\n]*\][ \t]*)?(?:import|mod)(?![A-Za-z0-9_-])")
#: ...unless it is a recipe or variable of that name (``mod:``, ``import := ...``).
_NAMED_LIKE_A_KEYWORD = lazy(r"^(?:import|mod)[ \t]*:")


def unverified(index: JustfileIndex) -> JustError | None:
    """Fail closed: a line that just may read as an ``import``/``mod`` statement but that
    the scanner did not read as one (an x-string path, a continued line, a statement the
    scanner's string tracking skipped) is refused, and just never runs: just must open no
    path that was not verified."""
    for rel, tree in index.files.items():
        known = {statement.line for statement in tree.scanned.statements}
        source = tree.source
        for number in range(1, source.line_count + 1):
            text = source.line(number)
            if (
                number not in known
                and _MAYBE_STATEMENT.match(text)
                and not _NAMED_LIKE_A_KEYWORD.match(text)
            ):
                return JustError(
                    "not given to just: an `import` or `mod` in a form mlops-hooks cannot"
                    " verify (continued on the next line, an x-string path, attributes on its"
                    " line, or inside a multi-line string); write it as `import 'path'` on one"
                    " line",
                    rel,
                    number,
                    1,
                )
    return None


def _read(path: Path, rel: str, root: Path) -> SourceFile:
    # The safe reader: inside the root, a regular file, the size refused before reading.
    return SourceFile.from_bytes(rel, read_file(path, MAX_FILE_SIZE, root), rel)


def _resolve(project: Project, rel: str, module: str, statement: Statement) -> Include:
    try:
        outside, target = _target(project, rel, statement)
    except (OSError, ValueError, RuntimeError):
        # A name too long, a NUL byte, a symlink loop (RuntimeError before Python 3.13): no
        # such file.
        outside, target = False, None
    return Include(
        keyword=statement.keyword,
        optional=statement.optional,
        name=statement.name,
        literal=statement.literal,
        path=rel,
        line=statement.line,
        span=statement.span,
        target=project.relpath(target) if target is not None else None,
        missing=target is None and not outside,
        outside=outside,
        module=module,
    )


def _target(project: Project, rel: str, statement: Statement) -> tuple[bool, Path | None]:
    """Whether the statement's file is outside the root, and the file (None if missing)."""
    base = (project.root / rel).parent
    outside = False
    target: Path | None = None
    literal = statement.literal
    if literal is not None:
        if literal.startswith("~") or "\0" in literal:
            outside = True
        else:
            # Resolved physically (``link/..`` is where the link leads, as just reads it),
            # one component at a time: a path or link leading outside is refused from its
            # text, before anything outside is stat'ed; a link loop raises (missing).
            candidate = resolve_within(project.root, base / literal)
            if candidate is None:
                outside = True
            elif statement.keyword == "mod" and candidate.is_dir():
                target = _module_file(candidate, None)
            elif candidate.is_file():
                target = candidate
    elif statement.name is not None:
        target = _module_file(base, statement.name)
    if target is not None and not project.contains(target):
        outside, target = True, None
    return outside, target


def _module_file(directory: Path, name: str | None) -> Path | None:
    """The file ``mod name`` loads: ``name.just``, ``name/mod.just``, ``name/justfile``..."""
    folder = directory / name if name is not None else directory
    candidates = [directory / f"{name}.just"] if name is not None else []
    candidates.append(folder / "mod.just")
    if folder.is_dir():
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            entries = []
        candidates.extend(e for e in entries if e.name.lower() in ("justfile", ".justfile"))
    return next((c for c in candidates if c.is_file()), None)
