"""Hook scope (``check --scope changed``): the named files, plus what their changes break.

A per-kind pre-commit hook is given the files of the commit. It reports:

- every finding in a named file that differs from ``HEAD`` (the commit's own files);
- in a tracked file that does not differ from ``HEAD``, only the findings that a change
  causes (a recipe renamed in the justfile breaks the workflow that calls it), each reported
  by the invocation that is given the file whose change causes it; an old finding there is
  reported only when the file is named (``pre-commit run --all-files``), never as the fault
  of an unrelated commit;
- never anything in an untracked file.

Which findings a change causes is computed on a mirror of the tracked files (untracked files
play no part), once per step of a chain: every *context file* that differs from ``HEAD`` (a
file that the selected kinds read for their facts: the justfile tree, ``pyproject.toml`` ...)
starts at its ``HEAD`` content, then they take their current content one at a time, in path
order. A finding that appears at a step is caused by that step's file. The chain depends on
git alone, never on which files one invocation is given, so however pre-commit splits the
file list into batches, each caused finding is reported by exactly one of them.
"""

from __future__ import annotations

import copy
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from mlops_hooks.project import MAX_FACT_BYTES, find_git_root, git_command, resolved

if TYPE_CHECKING:
    from mlops_hooks.checkers import Checker
    from mlops_hooks.diagnostics import Diagnostic
    from mlops_hooks.engine import Engine, FileResult

#: A finding's identity across the worlds of the chain: code, file, start and end. The
#: message is not part of it (it may quote the changed file: "did you mean ...").
Key = tuple[str, str, int, int, int, int]


class GitState(NamedTuple):
    """What git says about the work tree, relative to its top level (posix paths)."""

    tracked: frozenset[str]
    #: Tracked paths whose work-tree content differs from ``HEAD`` (added and deleted too).
    changed: frozenset[str]
    has_head: bool


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    """The output of ``git args`` at ``root`` through the safe invocation, None on failure."""
    argv, env = git_command(root, *args)
    # Only fixed git read commands run here; never anything from the repository.
    import subprocess  # nosec B404

    try:
        return subprocess.run(  # nosec B603 B607
            argv, cwd=root, env=env, input=stdin, capture_output=True, check=True, timeout=60
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None


class Started:
    """A git read command started now, its output taken later (``git args`` at ``root``
    through the safe invocation): git answers on another core while this process checks
    the named files."""

    def __init__(self, root: Path, *args: str) -> None:
        argv, env = git_command(root, *args)
        # Only fixed git read commands run here; never anything from the repository.
        import subprocess  # nosec B404

        self._process: subprocess.Popen[bytes] | None
        try:
            self._process = subprocess.Popen(  # nosec B603 B607
                argv,
                cwd=root,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self._process = None

    def output(self) -> bytes | None:
        """What git wrote, None on failure (as :func:`_git`)."""
        process = self._process
        if process is None:
            return None
        import subprocess  # nosec B404

        try:
            out, _ = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.close()
            return None
        finally:
            self._process = None
        return out if process.returncode == 0 else None

    def close(self) -> None:
        """Stop git if its output was not taken."""
        if self._process is not None:
            self._process.kill()
            self._process.communicate()
            self._process = None


#: ``git diff``'s arguments for :func:`git_changed`.
DIFF_ARGS = ("diff", "--name-only", "--no-renames", "-z", "HEAD", "--")
#: ``git ls-files``'s arguments for :func:`git_listing`.
LISTING_ARGS = ("ls-files", "-z", "-t", "--cached", "--others", "--exclude-standard")


def _names(out: bytes) -> frozenset[str]:
    return frozenset(n for n in out.decode("utf-8", "surrogateescape").split("\0") if n)


def git_changed(root: Path, started: Started | None = None) -> tuple[frozenset[str], bool] | None:
    """The tracked paths that differ from ``HEAD`` (every tracked path before the first
    commit), and whether there is a ``HEAD``; None when git cannot tell. ``started``: the
    ``git diff`` (:data:`DIFF_ARGS`) already under way."""
    diff = started.output() if started is not None else _git(root, *DIFF_ARGS)
    if diff is not None:
        return _names(diff), True
    if _git(root, "rev-parse", "-q", "--verify", "HEAD^{commit}") is not None:
        return None  # there is a HEAD, yet git cannot tell what differs from it
    listed = _git(root, "ls-files", "-z", "--cached")
    return None if listed is None else (_names(listed), False)


def git_state(root: Path, changed: tuple[frozenset[str], bool] | None = None) -> GitState | None:
    """The tracked files and those that differ from ``HEAD`` (``changed``: as
    :func:`git_changed` said); None when git cannot tell."""
    changed = changed or git_changed(root)
    listed = _git(root, "ls-files", "-z", "--cached")
    if changed is None or listed is None:
        return None
    return GitState(_names(listed), *changed)


def git_listing(
    root: Path, started: Started | None = None
) -> tuple[frozenset[str], frozenset[str]] | None:
    """The tracked paths and the untracked, not ignored ones, from one ``git ls-files``
    (its ``-t`` tag: ``?`` untracked); None when git cannot tell. ``started``: that
    ``git ls-files`` (:data:`LISTING_ARGS`) already under way."""
    listed = started.output() if started is not None else _git(root, *LISTING_ARGS)
    if listed is None:
        return None
    tracked: set[str] = set()
    others: set[str] = set()
    for entry in listed.decode("utf-8", "surrogateescape").split("\0"):
        if len(entry) > 2:
            (others if entry[0] == "?" else tracked).add(entry[2:])
    return frozenset(tracked), frozenset(others)


def head_blob(root: Path, relpath: str) -> bytes | None:
    """The content of ``relpath`` at ``HEAD`` (None: not in ``HEAD``)."""
    return _git(root, "cat-file", "blob", f"HEAD:{relpath}")


def head_blobs(root: Path, relpaths: Sequence[str]) -> dict[str, bytes | None]:
    """The contents of ``relpaths`` at ``HEAD`` (None: not in ``HEAD``, or not a file), read
    by one ``git cat-file --batch`` (a path holding a newline, which a batch line cannot
    carry, by a ``cat-file`` of its own)."""
    batched = [rel for rel in relpaths if "\n" not in rel]
    found: dict[str, bytes | None] = {rel: head_blob(root, rel) for rel in relpaths if "\n" in rel}
    request = b"".join(f"HEAD:{rel}\n".encode("utf-8", "surrogateescape") for rel in batched)
    out = _git(root, "cat-file", "--batch", stdin=request) if batched else b""
    if out is None:
        return found | {rel: head_blob(root, rel) for rel in batched}
    at = 0
    for rel in batched:
        end = out.find(b"\n", at)
        header = out[at:end].split(b" ")
        at = end + 1
        if len(header) != 3 or not header[2].isdigit():
            found[rel] = None  # "<name> missing", "ambiguous"
            continue
        size = int(header[2])
        found[rel] = out[at : at + size] if header[1] == b"blob" else None
        at += size + 1
    return found


def context_pattern(checkers: Iterable[Checker]) -> re.Pattern[str] | None:
    """The files whose change may cause findings in *other* files of these kinds: the files
    of the facts they read, and their own files when their findings span files."""
    from mlops_hooks.project.facts import fact_files

    parts: list[str] = []
    for checker in checkers:
        parts += fact_files(checker.facts)
        if checker.cross_file:
            parts.append(checker.hook_files)
    parts = [p for p in dict.fromkeys(parts) if p]
    return re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None


class Mirror:
    """A private copy of the tracked files (hard links where the file system allows), in
    which a context file can be put at its ``HEAD`` or its current content."""

    def __init__(self, root: Path, tracked: Iterable[str]) -> None:
        self.root = root
        import tempfile  # only a run whose context files changed makes a copy

        self._tmp = tempfile.TemporaryDirectory(prefix="mlops-hooks-scope-")
        self.path = Path(self._tmp.name).resolve()
        # The real root is a git work tree: so is the copy, for the project's location.
        (self.path / ".git").mkdir()
        # Per directory, whether it is inside (the copy's: made; the work tree's: no link
        # out), asked once: the index holds no path under a tracked link, so it never changes.
        self._made: dict[Path, bool] = {}
        self._within: dict[Path, bool] = {}
        self._fill(sorted(tracked))

    def _fill(self, tracked: Sequence[str]) -> None:
        """Put every tracked file at its work-tree content in the empty copy: what
        :meth:`current` does per file, with one ``lstat`` per file and the checks per
        directory (a commit that changes a context file pays this per tracked file)."""
        from mlops_hooks.safeio import inside

        root = str(self.root)
        made: dict[str, str | None] = {}  # directory -> its copy, None: not made
        within: dict[str, bool] = {}
        for rel in tracked:
            if ".git" in rel.split("/"):
                continue
            folder, _, name = rel.rpartition("/")
            copy_dir = made.get(folder, "")
            if copy_dir == "":
                copy_dir = made[folder] = self._made_dir(folder)
            if copy_dir is None:
                continue
            source = f"{root}/{rel}"
            try:
                status = os.lstat(source)
            except OSError:
                continue  # deleted in the work tree
            target = f"{copy_dir}/{name}"
            if stat.S_ISLNK(status.st_mode):
                Path(target).symlink_to(Path(source).readlink())  # rare: the Path cost is fine
                continue
            if not stat.S_ISREG(status.st_mode):
                continue  # a submodule
            ok = within.get(folder)
            if ok is None:
                ok = within[folder] = inside(self.root, self.root / folder)
            if not ok:
                continue  # a directory replaced by a link out of the tree
            try:
                os.link(source, target, follow_symlinks=False)
            except OSError:
                self._copy(Path(source), Path(target), status.st_size)

    def _made_dir(self, folder: str) -> str | None:
        """The copy's directory for the work tree's ``folder`` (made), None when it would
        not be inside the copy."""
        parent = self.path / folder if folder else self.path
        made = self._made.get(parent)
        if made is None:
            made = self._made[parent] = parent.resolve().is_relative_to(self.path)
            if made:
                parent.mkdir(parents=True, exist_ok=True)
        return str(parent) if made else None

    def close(self) -> None:
        """Delete the copy."""
        self._tmp.cleanup()

    def _target(self, rel: str) -> Path | None:
        target = self.path / rel
        if ".git" in Path(rel).parts:
            return None
        parent = target.parent
        made = self._made.get(parent)
        if made is None:
            made = self._made[parent] = parent.resolve().is_relative_to(self.path)
            if made:
                parent.mkdir(parents=True, exist_ok=True)
        if not made:
            return None
        if os.path.lexists(target):
            if target.is_symlink() and not target.resolve().is_relative_to(self.path):
                return None
            # Never written through: a hard link shares its content with the work tree.
            os.unlink(target)
        return target

    def current(self, rel: str) -> None:
        """Put ``rel`` at its work-tree content (absent when the work tree has none)."""
        from mlops_hooks.safeio import inside

        source = self.root / rel
        target = self._target(rel)
        if target is None or not os.path.lexists(source):
            return
        if source.is_symlink():
            target.symlink_to(source.readlink())
            return
        within = self._within.get(source.parent)
        if within is None:
            within = self._within[source.parent] = inside(self.root, source.parent)
        if not source.is_file() or not within:
            return  # a submodule, or a directory replaced by a link out of the tree
        try:
            os.link(source, target, follow_symlinks=False)
            return
        except OSError:
            pass
        self._copy(source, target, source.stat().st_size)

    @staticmethod
    def _copy(source: Path, target: Path, size: int) -> None:
        """Copy a file where it cannot be hard-linked (another file system)."""
        if size > MAX_FACT_BYTES:
            # Too large for any reader: only its size is ever looked at.
            with target.open("wb") as handle:
                handle.truncate(size)
        else:
            import shutil

            shutil.copyfile(source, target, follow_symlinks=False)

    def head(self, rel: str) -> None:
        """Put ``rel`` at its ``HEAD`` content (absent when ``HEAD`` has none)."""
        self.put(rel, head_blob(self.root, rel))

    def put(self, rel: str, blob: bytes | None) -> None:
        """Put ``rel`` at the content ``blob`` (None: absent)."""
        target = self._target(rel)
        if target is not None and blob is not None:
            target.write_bytes(blob)


def _key(diagnostic: Diagnostic, rel: str) -> Key:
    span = diagnostic.span
    return (
        diagnostic.code,
        rel,
        span.start.line,
        span.start.column,
        span.end.line,
        span.end.column,
    )


def _display(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


def _mirror_engine(engine: Engine, mirror: Path) -> Engine:
    """The engine's rule selection and settings, run in ``mirror``: check only."""
    from mlops_hooks.discovery import Discovery

    twin = copy.copy(engine)
    twin.cwd = mirror
    twin.options = engine.options._replace(fix=False, add_noqa=False, write=False)
    twin.discovery = Discovery(
        engine.checkers,
        mirror,
        exclude=engine.discovery.exclude,
        force_exclude=engine.discovery.force_exclude,
        kinds=engine.discovery.kinds,
    )
    return twin


def _findings(
    engine: Engine, mirror: Path, files: Sequence[str]
) -> dict[Key, tuple[Diagnostic, FileResult]]:
    results = engine.run([str(mirror / rel) for rel in files])
    found: dict[Key, tuple[Diagnostic, FileResult]] = {}
    for result in results:
        for diagnostic in result.diagnostics:
            found[_key(diagnostic, result.path)] = (diagnostic, result)
    return found


class Chain(NamedTuple):
    """The findings of the final world, and for each one not in the ``HEAD`` world, the
    context file whose change caused it."""

    final: dict[Key, tuple[Diagnostic, FileResult]]
    caused_by: dict[Key, str]


def chain(
    engine: Engine,
    root: Path,
    state: GitState,
    steps: Sequence[str],
    files: Sequence[str],
    attribute: bool = True,
) -> Chain:
    """Check ``files`` (tracked, unchanged) in the ``HEAD`` world of the context files
    ``steps`` (in path order), then after each step. Without ``attribute`` the steps are
    taken as one, and every caused finding is put down to the first.

    The copy starts as the final world (every file at its current content). Only a file with
    a finding there can have a caused one, so the earlier worlds check those files alone (a
    file's findings do not depend on the other files checked with it), and no earlier world
    is needed when the final one has no finding."""
    mirror = Mirror(root, state.tracked)
    try:
        twin = _mirror_engine(engine, mirror.path)
        final = _findings(twin, mirror.path, files)
        found = {key[1] for key in final}
        suspects = [rel for rel in files if rel in found]
        if len(suspects) < len(found):
            suspects = list(files)  # a finding under another name (never seen): check all
        if not suspects or not steps:
            return Chain(final, {})
        for rel, blob in head_blobs(root, steps).items():
            mirror.put(rel, blob)
        worlds = [_findings(twin, mirror.path, suspects)]
        # After the last step the copy is the final world again: it is not checked twice.
        for rel in steps[:-1] if attribute else []:
            mirror.current(rel)
            worlds.append(_findings(twin, mirror.path, suspects))
        worlds.append(final)
    finally:
        mirror.close()
    base = worlds[0]
    caused_by: dict[Key, str] = {}
    for key in final:
        if key in base:
            continue  # an old finding, whatever happened in between
        for step in range(len(worlds) - 1, 0, -1):
            if key not in worlds[step - 1]:
                caused_by[key] = steps[step - 1]
                break
    return Chain(final, caused_by)


def _relative(path: Path, cwd: Path, root: Path) -> str | None:
    absolute = Path(os.path.abspath(cwd / path))
    for candidate in (absolute, resolved(absolute.parent) / absolute.name):
        try:
            return candidate.relative_to(root).as_posix()
        except ValueError:
            continue
    return None


def run_changed(engine: Engine, paths: Sequence[str]) -> list[FileResult]:
    """``check --scope changed PATH...``: see the module docstring. Outside a git work
    tree (or where git cannot list it) every named file is checked, as without the scope."""
    from mlops_hooks.project.justfile.sandbox import shared_dumps

    # The worlds mostly hold the same justfile tree: each distinct tree is dumped once.
    with shared_dumps():
        return _run_changed(engine, paths)


def _run_changed(engine: Engine, paths: Sequence[str]) -> list[FileResult]:
    engine.discovery.tracked_only = True
    root = find_git_root(engine.cwd)
    if root is None:
        return engine.run(paths)
    # A check leaves the files as they are: git answers while the named files are checked.
    # A fix writes them: git is asked first.
    checking = not (engine.options.fix or engine.options.add_noqa)
    diff = Started(root, *DIFF_ARGS) if checking else None
    listing = Started(root, *LISTING_ARGS) if checking else None
    try:
        return _run_started(engine, paths, root, diff, listing)
    finally:
        for started in (diff, listing):
            if started is not None:
                started.close()


def _run_started(
    engine: Engine,
    paths: Sequence[str],
    root: Path,
    diff: Started | None,
    started_listing: Started | None,
) -> list[FileResult]:
    changes = git_changed(root) if diff is None else None
    if diff is None and changes is None:
        return engine.run(paths)
    engine.discovery.reset()
    targets = engine.collect(paths)
    results = engine.run(paths)
    if diff is not None:
        changes = git_changed(root, diff)
    if changes is None:
        return results
    named: dict[str, FileResult] = {}
    for target, result in zip(targets, results, strict=True):
        rel = _relative(target.path, engine.cwd, root)
        if rel is not None:
            named[rel] = result
    kinds = engine.discovery.kinds
    checkers = [c for c in engine.checkers if kinds is None or c.kind in kinds]
    # One pattern per kind, compiled once (_kinds_reading asks them again): their union
    # would be compiled anew, for as long as all of them together.
    patterns = [p for p in (context_pattern([c]) for c in checkers) if p is not None]
    if not patterns:
        return results  # the kinds read no other file: nothing is caused

    def context(rel: str) -> bool:
        return any(p.search(rel) for p in patterns)

    steps = sorted(r for r in changes[0] if context(r))
    # An untracked file that the kinds read as context (a scratch workflow, a `tasks/*.just`
    # never added) must not change what the commit is judged on: the named files of the kinds
    # that read it are then checked on the copy of the tracked files too (a fix writes the
    # work tree: not then).
    # (one ``git ls-files`` lists the tracked files, for the copy, and the untracked ones)
    listing = None if started_listing is None else git_listing(root, started_listing)
    untracked = [] if listing is None else sorted(r for r in listing[1] if context(r))
    if not steps and not untracked:
        return results
    state = git_state(root, changes) if listing is None else GitState(listing[0], *changes)
    if state is None:
        return results
    # Only a kind whose own context changed can have a caused finding (the all-in-one hook
    # runs every kind: a changed justfile never sends the Python files through the chain).
    stepped = _kinds_reading(checkers, steps)
    shadowed = _kinds_reading(checkers, untracked)
    responsible = [s for s in steps if s in named or _named_rel(s, paths, engine.cwd, root)]
    unchanged = sorted(state.tracked - state.changed)
    # The untouched files named (--all-files, --files): their findings are sorted into old
    # ones and caused ones. The others: only when this invocation holds a cause.
    inside = [r for r in unchanged if r in named and stepped and _kind(engine, root / r) in stepped]
    outside = (
        _of_kinds(engine, root, [r for r in unchanged if r not in named], stepped)
        if responsible and stepped
        else []
    )
    if outside:
        accepts = precommit_filter(root, _hook_id(checkers, engine.options.kinds))
        if accepts is not None:
            outside = [rel for rel in outside if accepts(rel)]
    rechecked = sorted(r for r in named if shadowed and _kind(engine, root / r) in shadowed)
    files = sorted({*rechecked, *inside, *outside})
    if not files:
        return results
    # Attribution (a world per step) is needed only when this invocation holds some causes
    # and another invocation the others (pre-commit split the file list). Holding none, or
    # all of them (the usual commit), the HEAD world and the final one tell old findings from
    # caused ones, and every caused finding is put down to the first step.
    attribute = bool(responsible) and len(responsible) < len(steps)
    found = chain(engine, root, state, steps, files, attribute=attribute)
    if rechecked:
        _take_mirrored({rel: named[rel] for rel in rechecked}, found)
    allowed = (None, *responsible)
    for rel in inside:
        result = named[rel]
        result.diagnostics = [
            d for d in result.diagnostics if found.caused_by.get(_key(d, rel)) in allowed
        ]
    from mlops_hooks.engine import FileResult as Result

    extra: dict[str, FileResult] = {}
    for key, (diagnostic, mirrored) in found.final.items():
        rel = key[1]
        if rel in named or found.caused_by.get(key) not in responsible:
            continue
        if rel not in extra:
            extra[rel] = Result(_display(root / rel, engine.cwd))
            extra[rel].text = mirrored.text
        extra[rel].diagnostics.append(diagnostic._replace(path=extra[rel].path, fix=None))
    return results + [extra[rel] for rel in sorted(extra)]


def _kinds_reading(checkers: Sequence[Checker], files: Sequence[str]) -> frozenset[str]:
    """The kinds among ``checkers`` that read one of ``files`` as context."""
    kinds = set()
    for checker in checkers:
        pattern = context_pattern([checker])
        if pattern is not None and any(pattern.search(rel) for rel in files):
            kinds.add(checker.kind)
    return frozenset(kinds)


def _hook_id(checkers: Sequence[Checker], kinds: frozenset[str] | None) -> str:
    """The hook whose ``files:``/``exclude:`` a caused finding must pass: the kind's own
    (``--kind``, one), or the all-in-one hook's (no ``--kind``); none for several kinds."""
    from mlops_hooks.hooks import ALL_IN_ONE

    if kinds is None:
        return ALL_IN_ONE
    return next((c.hook_id for c in checkers if c.kind in kinds), "") if len(kinds) == 1 else ""


def _take_mirrored(named: dict[str, FileResult], found: Chain) -> None:
    """The named files' findings as checked on the copy of the tracked files."""
    by_file: dict[str, list[Diagnostic]] = {rel: [] for rel in named}
    texts: dict[str, str | None] = {}
    for key, (diagnostic, mirrored) in found.final.items():
        if key[1] in by_file:
            by_file[key[1]].append(diagnostic._replace(path=named[key[1]].path))
            texts[key[1]] = mirrored.text
    for rel, result in named.items():
        result.diagnostics = sorted(by_file[rel], key=lambda d: d.sort_key())
        result.text = texts.get(rel, result.text)


CONFIG_NAMES = (".pre-commit-config.yaml", ".pre-commit-config.yml")


def precommit_filter(root: Path, hook_id: str) -> Callable[[str], bool] | None:
    """Whether pre-commit would give ``hook_id`` a path, by the ``files:``/``exclude:`` of
    the repository's pre-commit config (its top level and the hook's). A caused finding is
    reported only in a file the hook would check. None when it cannot tell: no config at
    the root (``pre-commit run --config elsewhere``), the hook not in it, or configured
    twice with different filters."""
    from mlops_hooks.project import Project
    from mlops_hooks.source import DecodeError, SourceFile
    from mlops_hooks.yamlnodes import compose

    project = Project(root)
    for name in CONFIG_NAMES:
        text = project.read_text(root / name, 1_000_000)
        if text is None:
            continue
        try:
            document = compose(SourceFile.from_bytes(name, text.encode("utf-8"), name))
        except (ValueError, DecodeError):
            return None
        return _filter(document, hook_id)
    return None


def _filter(document: object, hook_id: str) -> Callable[[str], bool] | None:
    from mlops_hooks.yamlnodes import YamlNode

    if not isinstance(document, YamlNode) or not document.is_mapping:
        return None

    def text(node: YamlNode | None, default: str) -> str | None:
        if node is None:
            return default
        return node.target.string

    found: set[tuple[str | None, str | None]] = set()
    repos = document.get("repos")
    for repo in repos.target.items if repos is not None and repos.target.is_sequence else []:
        hooks = repo.target.get("hooks") if repo.target.is_mapping else None
        if hooks is None or not hooks.target.is_sequence:
            continue
        for hook in hooks.target.items:
            hook = hook.target
            if hook.is_mapping and text(hook.get("id"), "") == hook_id:
                found.add((text(hook.get("files"), ""), text(hook.get("exclude"), "^$")))
    if len(found) != 1:
        return None
    files, exclude = found.pop()
    top = (text(document.get("files"), ""), text(document.get("exclude"), "^$"))
    try:
        patterns = [
            (re.compile(f), re.compile(e))
            for f, e in ((files, exclude), top)
            if f is not None and e is not None
        ]
    except re.error:
        return None
    if len(patterns) != 2:
        return None
    return lambda rel: all(f.search(rel) and not e.search(rel) for f, e in patterns)


def _named_rel(step: str, paths: Sequence[str], cwd: Path, root: Path) -> bool:
    return any(_relative(Path(p), cwd, root) == step for p in paths)


def _of_kinds(engine: Engine, root: Path, rels: Sequence[str], kinds: frozenset[str]) -> list[str]:
    """The files among ``rels`` that are checked as one of ``kinds`` (see :func:`_kind`).

    Routing a file costs a file-system check or two; a commit of a large repository routes
    thousands. A file is routed only when a checker of ``kinds`` matches its path from the
    top level or from one of its directories (the path from its project's root is one of
    those, when its directory is no link): the others cannot be of those kinds."""
    checkers = [c for c in engine.discovery.checkers if c.kind in kinds]
    plain: dict[str, bool] = {}  # directory -> whether it resolves to itself
    found = []
    for rel in rels:
        parent = rel.rpartition("/")[0]
        if parent not in plain:
            directory = root / parent
            plain[parent] = resolved(directory) == directory
        suffixes = [rel, *(rel[at + 1 :] for at, char in enumerate(rel) if char == "/")]
        if plain[parent] and not any(c.matches(s) for c in checkers for s in suffixes):
            continue
        if _kind(engine, root / rel) in kinds:
            found.append(rel)
    return found


def _kind(engine: Engine, path: Path) -> str | None:
    """The kind ``path`` is checked as (None: not a file of a selected kind)."""
    if not path.is_file():
        return None
    target = engine.discovery.route(path)
    return None if target is None else target.checker.kind
