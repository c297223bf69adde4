"""The engine: parse each file once, run its rules, suppress, fix.

Which files a run checks, their projects and checkers come from :mod:`mlops_hooks.discovery`.
The engine is the only place that reads or writes checked files. Rules see a parsed model and
report :class:`~mlops_hooks.diagnostics.Diagnostic` values; suppressions, per-file ignores
and fixes are applied here, after the rules have run.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from mlops_hooks.checkers import Checker, ParseError
from mlops_hooks.config import (
    Settings,
    kind_options,
    resolve_codes,
    rule_options,
    selected_codes,
)
from mlops_hooks.diagnostics import Diagnostic, FixSafety, Span
from mlops_hooks.discovery import Discovery, Target
from mlops_hooks.fixes import FixRefusedError, StaleFileError, apply_fixes, write_atomic
from mlops_hooks.project import Project, resolved
from mlops_hooks.registry import Registry
from mlops_hooks.rule import Rule, RuleContext
from mlops_hooks.safeio import FileTooLargeError, UnreadableFileError, read_file
from mlops_hooks.source import DecodeError, SourceFile
from mlops_hooks.suppressions import MARKER, Suppressions, parse_suppressions

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

#: The engine-level rule that reports suppressions suppressing nothing.
UNUSED = "MLH001"

MAX_FIX_ROUNDS = 10
#: Below this many files one process is faster than starting a pool.
PARALLEL_THRESHOLD = 64


class RunOptions(NamedTuple):
    """Per-run switches from the command line."""

    fix: bool = False
    unsafe_fixes: bool = False
    no_ignores: bool = False
    kinds: frozenset[str] | None = None
    write: bool = True
    force_exclude: bool = False
    #: Worker processes: 0 picks automatically (a pool only above PARALLEL_THRESHOLD files).
    jobs: int = 0
    #: Write a suppression comment at every finding (``check --add-noqa``).
    add_noqa: bool = False


class FileResult:
    """The outcome for one file: remaining findings, and what a fix did."""

    __slots__ = (
        "diagnostics",
        "fixed",
        "fixes_applied",
        "notes",
        "original",
        "path",
        "suppressions_added",
        "text",
    )

    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        self.fixes_applied = 0
        self.original: str | None = None
        self.fixed: str | None = None
        self.notes: list[str] = []
        #: The final text of a file with findings (for source snippets).
        self.text: str | None = None
        #: Findings suppressed by ``--add-noqa``.
        self.suppressions_added = 0


class Engine:
    """One configured run over any number of files."""

    def __init__(
        self,
        registry: Registry,
        settings: Settings,
        options: RunOptions | None = None,
        select: list[str] | None = None,
        extend_select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        cwd: Path | None = None,
    ) -> None:
        self.registry = registry
        self.settings = settings
        self.options = options or RunOptions()
        self.cwd = (cwd or Path.cwd()).resolve()
        #: Directories of the files read in this run, resolved (see :meth:`_read`).
        self._directories: dict[Path, Path] = {}
        self.selected = selected_codes(
            registry,
            select if select is not None else settings.select,
            [*settings.extend_select, *extend_select],
            [*settings.ignore, *ignore],
        )
        self.rule_options = rule_options(registry, settings.rule_options)
        self.per_file_ignores = [
            (glob, resolve_codes(registry, codes, f"per-file-ignores {glob!r}"))
            for glob, codes in settings.per_file_ignores.items()
        ]
        configured = kind_options(registry, settings.kind_options)
        self.checkers: list[Checker] = [
            checker.configured(configured[kind]) if kind in configured else checker
            for kind, checker in registry.checkers.items()
        ]
        kinds = {
            kind
            for code in self.selected
            for kind in (registry.refs[code].kind, *registry.refs[code].extra_kinds)
        }
        if any(ref.code in self.selected for ref in registry.engine_refs()):
            kinds |= set(registry.checkers)  # engine rules read every kind
        if self.options.kinds:
            kinds &= self.options.kinds
        self.discovery = Discovery(
            self.checkers,
            self.cwd,
            exclude=settings.exclude,
            force_exclude=self.options.force_exclude or settings.force_exclude,
            kinds=kinds,
        )
        self._by_kind: dict[str, list[type[Rule]]] = {}
        #: Prefilter verdicts (:meth:`Checker.wants`) already given in this run, by relative
        #: path and text: each is used once, by the file's own check (see :meth:`_costly`).
        self._wanted: dict[tuple[str, str], bool] = {}
        #: Files a worker checks because this run's prefilter already wanted them parsed.
        self._parse_known: set[str] = set()

    @property
    def rules(self) -> list[type[Rule]]:
        """The selected rule classes (imports them all; the run itself imports per kind)."""
        return [self.registry.load(code) for code in sorted(self.selected)]

    def rules_for(self, kind: str) -> list[type[Rule]]:
        """The selected rules that run on files of ``kind``, imported on first use."""
        if kind not in self._by_kind:
            self._by_kind[kind] = [
                self.registry.load(ref.code)
                for ref in self.registry.refs_of(kind)
                if ref.code in self.selected
            ]
        return self._by_kind[kind]

    @property
    def notes(self) -> list[str]:
        """Run-level notes for stderr (a directory that could not be read)."""
        return self.discovery.notes

    def collect(self, paths: Iterable[str]) -> list[Target]:
        """The files this run checks under ``paths``, routed (see :mod:`mlops_hooks.discovery`)."""
        return self.discovery.collect(paths)

    # -- checking ------------------------------------------------------------------------

    def run(self, paths: Iterable[str]) -> list[FileResult]:
        """Check (and fix) every file under ``paths``, in a process pool when there are many.

        Each file is independent (repository context is loaded once per process through
        ``Project.cached``), so results are the same in one process or many; they come back
        in the order of the targets.
        """
        # Repository models (the justfile index, ...) are loaded once per run, never reused
        # from an earlier run of the same engine: files may have changed in between.
        self.discovery.reset()
        self._directories.clear()
        self._wanted.clear()
        targets = self.collect(paths)
        jobs = self._jobs(len(targets))
        if jobs <= 1:
            if self._may_fork_beside(targets):
                return self._run_beside(targets)
            return [self.check_target(target) for target in targets]
        # The rules are imported once, here, before the workers fork: each would otherwise
        # import them again.
        for kind in dict.fromkeys(target.checker.kind for target in targets):
            self.rules_for(kind)
        if _can_fork():
            return self._run_forked(targets, jobs)
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        context = multiprocessing.get_context(method)
        chunk, _ = _chunking(len(targets), jobs)
        with ProcessPoolExecutor(
            jobs, mp_context=context, initializer=_init_worker, initargs=(self,)
        ) as pool:
            return list(pool.map(_check_in_worker, targets, chunksize=chunk))

    def _run_forked(self, targets: Sequence[Target], jobs: int) -> list[FileResult]:
        """Check the targets in ``jobs`` processes: this one and ``jobs - 1`` forked from it.

        The targets go out in chunks whose numbers wait in a pipe: each process takes the
        next chunk when it is done with one, so one that draws slow files takes fewer (as a
        pool's ``map`` hands out its chunks). A forked process sends its results back,
        pickled, once the pipe is empty. A bare ``os.fork``, not ``multiprocessing``: its
        import and threads, and this process waiting idle while two workers check, cost a
        run of 95 workflows a fifth of its time. A target whose result does not come back
        (its process was killed) is checked here, and so is every file of a kind whose
        parser this process has loaded and a fork would break
        (:attr:`~mlops_hooks.checkers.Checker.fork_unsafe_parser`).
        """
        here: list[int] = []
        shared: list[int] = []
        for index, target in enumerate(targets):
            (here if _fork_unsafe(target.checker) else shared).append(index)
        if not shared:
            return [self.check_target(target) for target in targets]
        # Pickle carries only what this process's own children send back.
        import pickle  # nosec B403

        size, chunks = _chunking(len(shared), jobs)
        tokens, tokens_in = os.pipe()
        # At most _MAX_CHUNKS four-byte numbers: one write that fits any pipe's buffer.
        os.write(tokens_in, b"".join(c.to_bytes(4, "little") for c in range(chunks)))

        def work() -> list[tuple[int, FileResult]]:
            done: list[tuple[int, FileResult]] = []
            while len(token := os.read(tokens, 4)) == 4:
                first = int.from_bytes(token, "little") * size
                for index in shared[first : first + size]:
                    done.append((index, self.check_target(targets[index])))
            return done

        children: list[tuple[int, int]] = []
        results: dict[int, FileResult] = {}
        try:
            for _ in range(jobs - 1):
                answers, answer_in = os.pipe()
                try:
                    pid = os.fork()
                except OSError:  # no more processes (a limit): this one does the rest
                    os.close(answers)
                    os.close(answer_in)
                    break
                if pid == 0:  # pragma: no cover - the forked process (coverage stays here)
                    status = 1
                    try:
                        os.close(tokens_in)  # the pipe ends once every chunk is taken
                        os.close(answers)
                        data = pickle.dumps(work(), pickle.HIGHEST_PROTOCOL)
                        with os.fdopen(answer_in, "wb") as out:
                            out.write(data)
                        status = 0
                    finally:
                        os._exit(status)  # nothing of this process's exit runs twice
                os.close(answer_in)
                children.append((pid, answers))
            os.close(tokens_in)
            tokens_in = -1
            results.update((index, self.check_target(targets[index])) for index in here)
            results.update(work())
            while children:
                pid, answers = children[0]
                data = _read_all(answers)
                os.waitpid(pid, 0)
                children.pop(0)
                os.close(answers)
                if data:  # empty when the process died before it answered
                    results.update(pickle.loads(data))  # noqa: S301  # nosec B301
        finally:
            for pid, answers in children:  # interrupted: the workers go too
                _end_child(pid, answers)
            if tokens_in >= 0:
                os.close(tokens_in)
            os.close(tokens)
        return [
            results[index] if index in results else self.check_target(target)
            for index, target in enumerate(targets)
        ]

    def _may_fork_beside(self, targets: Sequence[Target]) -> bool:
        """Whether a short run may check the files that need a costly parser in a process
        beside this one: automatic jobs, a spare core, another file to check meanwhile, a
        checker with such a parser, and ``fork`` (a spawned process would import everything
        again)."""
        if self.options.jobs != 0 or (os.cpu_count() or 1) < 2 or len(targets) < 2:
            return False
        if all(type(t.checker).costly is Checker.costly for t in targets):
            return False
        # multiprocessing offers ``fork`` wherever ``os.fork`` exists; it is imported only
        # when a worker starts (most short runs start none).
        return _can_fork()

    def _needs_costly_parse(self, target: Target, read: dict[Path, bytes] | None = None) -> bool:
        """Whether checking ``target`` loads a costly parser: its bytes hold what may need
        one (:meth:`Checker.costly`) and the checker's own prefilter (:meth:`Checker.wants`:
        for Python, the first pass) does not rule the parse out. The verdict is kept for the
        file's check, which so does not prefilter it twice, and the bytes read go into
        ``read`` (by path), so that a check here does not read the file twice. A file that
        cannot be read or decoded is not costly: its check here reports it."""
        checker = target.checker
        if type(checker).costly is Checker.costly or _fork_unsafe(checker):
            return False
        try:
            raw = self._read(target)
            if read is not None:
                read[target.path] = raw
            if not checker.costly(target.relpath, raw, self.rules_for(checker.kind)):
                return False
            source = checker.load(target.display, raw, target.relpath)
            wanted = checker.wants(source, self._instances(source, checker, target.project))
        except Exception:
            return False
        self._wanted[(source.relpath, source.text)] = wanted
        return wanted

    def _instances(self, source: SourceFile, checker: Checker, project: Project) -> list[Rule]:
        """The selected rules of ``checker``'s kind, ready to run on ``source`` (those that
        only report parse errors aside: the engine reports those itself)."""
        context = RuleContext(source, project)
        rules = self.rules_for(checker.kind)
        return [r(context, self.rule_options.get(r.code)) for r in rules if not r.parse_error]

    def _run_beside(self, targets: Sequence[Target]) -> list[FileResult]:
        """Check the targets in this process, except those that need a costly parser
        (:meth:`_needs_costly_parse`): a forked worker checks those meanwhile. It starts at
        the first of them, before this process checks any other file, so the parser's
        import overlaps the other files' checks on a second core. The results are the same
        as in one process (each file is independent)."""
        for kind in dict.fromkeys(target.checker.kind for target in targets):
            self.rules_for(kind)  # imported once, before the fork
        results: dict[int, FileResult] = {}
        futures: dict[int, Future[FileResult]] = {}
        pool: ProcessPoolExecutor | None = None
        try:
            # The worker's files are found first, and each handed over as soon as found, so
            # that the worker starts (and imports the parser) as early as it can.
            here: list[int] = []
            read: dict[Path, bytes] = {}
            for index, target in enumerate(targets):
                if not self._needs_costly_parse(target, read):
                    here.append(index)
                    continue
                if pool is None:
                    pool = _fork_pool(self)
                futures[index] = pool.submit(_check_parsed_in_worker, target)
            for index in here:
                target = targets[index]
                raw = read.get(target.path)
                if raw is None:
                    results[index] = self.check_target(target)
                else:
                    with _collector_paused():
                        results[index] = self._check_raw(target, raw, FileResult(target.display))
            results.update((index, future.result()) for index, future in futures.items())
        finally:
            if pool is not None:
                pool.shutdown()
        return [results[index] for index in range(len(targets))]

    def _jobs(self, count: int) -> int:
        if self.options.jobs > 0:
            return min(self.options.jobs, max(count, 1))
        if count < PARALLEL_THRESHOLD:
            return 1
        return min(os.cpu_count() or 1, 8, count)

    def check_target(self, target: Target) -> FileResult:
        """Read, check and (with ``--fix``) fix one file."""
        with _collector_paused():
            return self._check_target(target)

    def _check_target(self, target: Target) -> FileResult:
        result = FileResult(target.display)
        try:
            raw = self._read(target)
        except (DecodeError, ParseError) as exc:
            result.diagnostics = self._parse_error(target, exc.message, exc.line, exc.column)
            return result
        except UnreadableFileError as exc:
            result.diagnostics = self._parse_error(target, exc.message, 1, 1)
            return result
        except Exception as exc:  # one file's failure is one diagnostic; the run goes on
            result.diagnostics = self._parse_error(target, internal_error(exc), 1, 1)
            return result
        return self._check_raw(target, raw, result)

    def check_stdin(self, raw: bytes, filename: str) -> FileResult | None:
        """Check ``raw`` (read from standard input) as if it were the file ``filename``:
        the name routes it to its kind and project and names it in the report. Never
        writes (``--fix`` leaves the fixed text in ``FileResult.fixed``); ``None`` when no
        selected checker takes that name."""
        target = self.discovery.route(Path(filename))
        if target is None:
            return None
        with _collector_paused():
            return self._check_raw(target, raw, FileResult(target.display))

    def _check_raw(self, target: Target, raw: bytes, result: FileResult) -> FileResult:
        try:
            source = target.checker.load(target.display, raw, target.relpath)
        except (DecodeError, ParseError) as exc:
            result.diagnostics = self._parse_error(target, exc.message, exc.line, exc.column)
            return result
        except Exception as exc:  # one file's failure is one diagnostic; the run goes on
            result.diagnostics = self._parse_error(target, internal_error(exc), 1, 1)
            return result
        diagnostics = self.check_source(source, target.checker, target.project)
        if target.template:  # not rendered yet: Jinja that is not YAML is no parse error
            refs = self.registry.refs
            diagnostics = [
                d for d in diagnostics if not (d.code in refs and refs[d.code].parse_error)
            ]
        if self.options.fix:
            diagnostics = self._fix(target, source, raw, diagnostics, result)
        elif self.options.add_noqa and diagnostics:
            diagnostics = self._add_noqa(target, source, raw, diagnostics, result)
        result.diagnostics = diagnostics
        if diagnostics:
            result.text = result.fixed if result.fixed is not None else source.text
        return result

    def _read(self, target: Target) -> bytes:
        """The file's bytes through the one safe reader (inside the root, a regular file,
        capped at ``max-file-size`` before reading)."""
        # The directory as located (a symlinked directory named on the command line is
        # where it leads); the file itself is checked component by component.
        # Resolved once per directory and run: a tree has thousands of files in a few
        # hundred directories (the reader still checks every component of the file's path).
        parent = target.path.parent
        directory = self._directories.get(parent)
        if directory is None:
            directory = self._directories[parent] = resolved(parent)
        path = directory / target.path.name
        limit = self.settings.max_file_size
        try:
            return read_file(path, limit, target.project.root)
        except FileTooLargeError as exc:
            raise UnreadableFileError(
                f"file is {exc.size_text}, above max-file-size ({limit}); not checked"
            ) from None

    def check_source(
        self, source: SourceFile, checker: Checker, project: Project
    ) -> list[Diagnostic]:
        """Parse ``source`` once, run the selected rules of its kind, filter suppressed."""
        found, broken = self._check(source, checker, project)
        return self._filter(source, project, found, checker, broken)

    def _check(
        self, source: SourceFile, checker: Checker, project: Project
    ) -> tuple[list[Diagnostic], bool]:
        """All findings before filtering, and whether the file failed to parse."""
        instances = self._instances(source, checker, project)
        context = instances[0].context if instances else RuleContext(source, project)
        wanted: bool | None = None
        if self._wanted:  # only a short run with a worker beside keeps verdicts
            wanted = self._wanted.pop((source.relpath, source.text), None)
        if self._parse_known and source.relpath in self._parse_known:
            wanted = True  # a worker's file: this run's first prefilter said so
            self._parse_known.discard(source.relpath)
        if wanted is None:
            wanted = checker.wants(source, instances)
        if not wanted:
            return [], False
        try:
            model: Any = checker.parse(source, project, instances)
            checker.run(model, instances)
        except ParseError as exc:
            error = self._error(checker.kind, source.path, exc.message, exc.line, exc.column)
            return error, True
        except Exception as exc:  # a bug or a limit hit on this file: the run goes on
            return self._error(checker.kind, source.path, internal_error(exc), 1, 1), True
        refs = self.registry.refs
        # A finding made twice (a rule reached one YAML node through several aliases) is one.
        found = list(dict.fromkeys(context.sink))
        return found, any(d.code in refs and refs[d.code].parse_error for d in found)

    def _filter(
        self,
        source: SourceFile,
        project: Project,
        diagnostics: list[Diagnostic],
        checker: Checker | None = None,
        broken: bool = False,
    ) -> list[Diagnostic]:
        """Drop what is unselected, ignored for the file or suppressed; then report the
        suppressions that suppressed nothing (``MLH001``, when selected)."""
        selected = self.selected
        ignored: set[str] = set()
        for glob, codes in self.per_file_ignores:
            if self.discovery.matches([glob], project, source.relpath):
                ignored |= codes
        kept = [d for d in diagnostics if d.code in selected and d.code not in ignored]
        if self.options.no_ignores or MARKER not in source.text:
            return sorted(kept, key=Diagnostic.sort_key)
        report_unused = (
            checker is not None and not broken and UNUSED in selected and UNUSED not in ignored
        )
        if not kept and not report_unused:
            return []
        suppressions = parse_suppressions(
            source, self._resolve, checker.comment_lines(source) if checker is not None else None
        )
        if checker is not None and suppressions.directives:
            suppressions.anchors = checker.suppression_anchors(source)
        kept = [d for d in kept if not suppressions.suppresses(d)]
        if report_unused and checker is not None and suppressions.directives:
            kept += self._unused(source, suppressions, checker, ignored)
        return sorted(kept, key=Diagnostic.sort_key)

    def _unused(
        self, source: SourceFile, suppressions: Suppressions, checker: Checker, ignored: set[str]
    ) -> list[Diagnostic]:
        from mlops_hooks.engine_rules.mlh001_unused_suppression import unused_suppressions

        refs = self.registry.refs
        applies = {r.code for r in self.registry.refs_of(checker.kind)}
        applies |= {r.code for r in self.registry.engine_refs()}
        found = unused_suppressions(
            suppressions,
            source,
            lambda code: code in self.selected and code not in ignored,
            applies,
            lambda code: f"`{code}` ({refs[code].name})",
            checker.kind,
        )
        return [d for d in found if not suppressions.suppresses(d)]

    def _resolve(self, token: str) -> str | None:
        return self.registry.resolve(token)

    def _error(
        self, kind: str, path: str, message: str, line: int, column: int
    ) -> list[Diagnostic]:
        rule = self.registry.parse_error_rule(kind)
        if rule is None:
            return []
        span = Span.point(max(line, 1), max(column, 1))
        return [Diagnostic(rule.code, rule.name, path, span, message, rule.severity)]

    def _parse_error(
        self, target: Target, message: str, line: int, column: int
    ) -> list[Diagnostic]:
        found = self._error(target.checker.kind, target.display, message, line, column)
        return [d for d in found if d.code in self.selected]

    def _check_writable(self, path: Path, display: str) -> None:
        """Refuse a fix reached through a symbolic link to a directory inside the working
        tree (``check --fix docs`` where ``docs`` is a committed link to elsewhere): the
        file is not the tree's to write. Links above the working directory (``/tmp`` on
        macOS) are the system's and are not considered; an absolute path outside the
        working directory is the user's explicit choice."""
        named = path if path.is_absolute() else self.cwd / path
        try:
            below = named.parent.relative_to(self.cwd)
        except ValueError:
            return
        current = self.cwd
        for part in below.parts:
            current = current / part
            if current.is_symlink():
                shown = current.relative_to(self.cwd).as_posix()
                raise FixRefusedError(
                    f"{display}: reached through the symbolic link {shown}; not fixed"
                )

    def _applicable(self, diagnostic: Diagnostic) -> bool:
        fix = diagnostic.fix
        if fix is None:
            return False
        return fix.safety is FixSafety.SAFE or self.options.unsafe_fixes

    def _fix(
        self,
        target: Target,
        source: SourceFile,
        raw: bytes,
        diagnostics: list[Diagnostic],
        result: FileResult,
    ) -> list[Diagnostic]:
        original = source
        current, current_diags = source, diagnostics
        total = 0
        for _ in range(MAX_FIX_ROUNDS):
            fixes = [d.fix for d in current_diags if d.fix is not None and self._applicable(d)]
            if not fixes:
                break
            text, applied = apply_fixes(current, fixes)
            if applied == 0 or text == current.text:
                break
            candidate = SourceFile(
                current.path, text, current.relpath, current.encoding, current.bom
            )
            found, broken = self._check(candidate, target.checker, target.project)
            new_diags = self._filter(candidate, target.project, found, target.checker, broken)
            # Refused whatever is selected: a fix must never leave a file unparsable.
            if broken:
                result.notes.append(
                    f"{target.display}: a fix would make the file unparsable; not applied"
                )
                break
            current, current_diags, total = candidate, new_diags, total + applied
        if total:
            result.fixes_applied = total
            result.original, result.fixed = original.text, current.text
            if self.options.write:
                try:
                    self._check_writable(target.path, target.display)
                    write_atomic(target.path, original.encode(current.text), expected=raw)
                except (StaleFileError, FixRefusedError, OSError) as exc:
                    result.notes.append(str(exc))
                    result.fixes_applied = 0
                    return diagnostics
        return current_diags

    def _add_noqa(
        self,
        target: Target,
        source: SourceFile,
        raw: bytes,
        diagnostics: list[Diagnostic],
        result: FileResult,
    ) -> list[Diagnostic]:
        """Suppress every finding in place (``--add-noqa``); returns what remains.

        Parse errors cannot be suppressed (the file does not parse), and ``MLH001`` findings
        are removed by ``--fix``, not suppressed. The new text is checked before it is
        written: it must parse, and the findings must be gone; else the codes go into one
        ``ignore-file`` comment, checked the same way.
        """
        from mlops_hooks.addnoqa import suppress

        original = source
        # Unused suppressions are removed (their safe fix), not suppressed: after --add-noqa
        # the repository checks clean.
        unused = [d.fix for d in diagnostics if d.code == UNUSED and d.fix is not None]
        if unused:
            text, _ = apply_fixes(source, unused)
            source = SourceFile(source.path, text, source.relpath, source.encoding, source.bom)
            found, broken = self._check(source, target.checker, target.project)
            diagnostics = self._filter(source, target.project, found, target.checker, broken)
        refs = self.registry.refs
        todo = [
            d
            for d in diagnostics
            if d.code != UNUSED and not (d.code in refs and refs[d.code].parse_error)
        ]
        if not todo and source is original:
            return diagnostics
        codes = {d.code for d in todo}
        for file_level_only in (False, True):
            text = suppress(source, todo, target.checker, file_level_only=file_level_only)
            candidate = SourceFile(source.path, text, source.relpath, source.encoding, source.bom)
            found, broken = self._check(candidate, target.checker, target.project)
            remaining = self._filter(candidate, target.project, found, target.checker, broken)
            if not broken and not any(d.code in codes for d in remaining):
                break
        else:
            result.notes.append(
                f"{target.display}: no suppression comment keeps it parsing; not changed"
            )
            return diagnostics
        if self.options.write:
            try:
                write_atomic(target.path, original.encode(text), expected=raw)
            except (StaleFileError, OSError) as exc:
                result.notes.append(str(exc))
                return diagnostics
        result.suppressions_added = len(todo)
        result.original, result.fixed = original.text, text
        return remaining


class _collector_paused:  # noqa: N801 - used as a context manager, like contextlib's
    """Pause Python's cyclic garbage collector while one file is checked.

    A file's models are trees of many small objects built in one go: the collector would
    walk them again and again while they grow (a third of the time on a 1 MB file) and find
    next to nothing, since they are freed by reference counting. It runs again between
    files, so a file's garbage cycles never outlive the next one.
    """

    __slots__ = ("enabled",)

    def __enter__(self) -> None:
        self.enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            gc.enable()


#: At most this many chunks of targets for forked processes (their numbers fill 4 KB).
_MAX_CHUNKS = 1024


def _chunking(count: int, jobs: int) -> tuple[int, int]:
    """``(targets per chunk, chunks)`` for ``count`` targets in ``jobs`` processes: about
    four chunks per process, at most 32 targets per chunk unless that makes more than
    :data:`_MAX_CHUNKS` chunks."""
    size = max(1, min(32, count // (jobs * 4)), -(-count // _MAX_CHUNKS))
    return size, -(-count // size)


def _fork_unsafe(checker: Checker) -> bool:
    """Whether a process forked now could not check ``checker``'s files: their parser is
    loaded here and breaks in a forked child (see ``Checker.fork_unsafe_parser``)."""
    module = type(checker).fork_unsafe_parser
    return module is not None and module in sys.modules


def _can_fork() -> bool:
    """Whether worker processes can be forked (not on Windows)."""
    return hasattr(os, "fork")


def _read_all(fd: int) -> bytes:
    parts = []
    while part := os.read(fd, 1 << 16):
        parts.append(part)
    return b"".join(parts)


def _end_child(pid: int, answers: int) -> None:
    """Stop a forked worker whose results are no longer awaited, and reap it."""
    import signal
    from contextlib import suppress

    with suppress(OSError):  # already closed
        os.close(answers)
    with suppress(OSError):  # already gone
        os.kill(pid, signal.SIGTERM)
    os.waitpid(pid, 0)


_WORKER_ENGINE: Engine | None = None


def _fork_pool(engine: Engine) -> ProcessPoolExecutor:
    """One forked worker for :meth:`Engine._run_beside` (the pool's modules imported now)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        1,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_init_worker,
        initargs=(engine,),
    )


def _init_worker(engine: Engine) -> None:
    global _WORKER_ENGINE  # one engine per worker process, set once
    _WORKER_ENGINE = engine


def _check_in_worker(target: Target) -> FileResult:
    if _WORKER_ENGINE is None:  # pragma: no cover - the pool initializer always ran
        raise RuntimeError("worker engine not initialised")
    return _WORKER_ENGINE.check_target(_WORKER_ENGINE.discovery.adopt(target))


def _check_parsed_in_worker(target: Target) -> FileResult:
    """Check a file whose prefilter the parent ran already: it wanted the file parsed."""
    if _WORKER_ENGINE is None:  # pragma: no cover - the pool initializer always ran
        raise RuntimeError("worker engine not initialised")
    _WORKER_ENGINE._parse_known.add(target.relpath)
    return _check_in_worker(target)


def internal_error(exc: BaseException) -> str:
    """The message of the ``XXX000`` diagnostic for an unexpected failure on one file."""
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return f"internal error while checking this file: {detail}"
