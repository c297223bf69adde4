"""File discovery, routing, projects and unreadable files."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from mlops_hooks.config import Settings
from mlops_hooks.diagnostics import Diagnostic
from mlops_hooks.engine import Engine, FileResult, RunOptions
from mlops_hooks.registry import Registry


def engine(registry: Registry, cwd: Path, **settings: object) -> Engine:
    return Engine(registry, Settings(**settings), RunOptions(), cwd=cwd)  # type: ignore[arg-type]


def codes(results: list) -> list[tuple[str, str]]:
    return [(d.path, d.code) for r in results for d in r.diagnostics]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_git_walk_lists_tracked_and_untracked_not_ignored(
    registry: Registry, tmp_path: Path
) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text("ignored.fake\nbuild/\n")
    for name in ("tracked.fake", "untracked.fake", "ignored.fake", "build/out.fake"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("bad\n")
    git(tmp_path, "add", "tracked.fake")
    found = [t.display for t in engine(registry, tmp_path).collect([str(tmp_path)])]
    assert [Path(p).name for p in found] == ["tracked.fake", "untracked.fake"]


def test_walk_outside_git_skips_tool_dirs(registry: Registry, tmp_path: Path) -> None:
    for name in ("a.fake", ".venv/x.fake", "node_modules/y.fake", "sub/b.fake", "build/c.fake"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n")
    eng = engine(registry, tmp_path)
    assert [t.relpath for t in eng.collect([str(tmp_path)])] == ["a.fake", "sub/b.fake"]


def test_display_paths(registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.fake").write_text("x\n")
    monkeypatch.chdir(tmp_path)
    eng = engine(registry, tmp_path)
    assert [t.display for t in eng.collect(["./sub/../sub/a.fake"])] == ["sub/a.fake"]
    assert [t.display for t in eng.collect([str(tmp_path / "sub" / "a.fake")])] == ["sub/a.fake"]
    assert [t.display for t in eng.collect(["."])] == ["sub/a.fake"]
    other = engine(registry, tmp_path / "sub")
    outside = tmp_path / "a2.fake"
    outside.write_text("x\n")
    assert [t.display for t in other.collect([str(outside)])] == [outside.as_posix()]


def test_duplicates_are_checked_once(registry: Registry, tmp_path: Path) -> None:
    (tmp_path / "a.fake").write_text("bad\n")
    eng = engine(registry, tmp_path)
    assert len(eng.collect([str(tmp_path), str(tmp_path / "a.fake")])) == 1


def test_sub_project_root(registry: Registry, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "examples" / "demo" / "deep").mkdir(parents=True)
    (tmp_path / "examples" / "demo" / "pyproject.toml").write_text("")
    (tmp_path / "examples" / "demo" / "deep" / "a.fake").write_text("x\n")
    eng = engine(registry, tmp_path)
    [target] = eng.collect([str(tmp_path / "examples")])
    assert target.project.root == (tmp_path / "examples" / "demo").resolve()
    assert target.relpath == "deep/a.fake"


def test_directory_named_like_a_file_kind(registry: Registry, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").mkdir()
    (tmp_path / "Dockerfile" / "inner.fake").write_text("bad\n")
    results = engine(registry, tmp_path).run([str(tmp_path / "Dockerfile")])
    assert codes(results) == [("Dockerfile/inner.fake", "FAK001")]


def test_max_file_size(registry: Registry, tmp_path: Path) -> None:
    (tmp_path / "big.fake").write_text("x" * 200)
    results = engine(registry, tmp_path, max_file_size=100).run([str(tmp_path)])
    [diag] = results[0].diagnostics
    assert diag.code == "FAK000"
    assert diag.message == "file is 200 bytes, above max-file-size (100); not checked"


def test_unreadable_file(registry: Registry, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "a.fake"
    target.write_text("bad\n")
    real = os.open

    def denied(path: str, flags: int, *args: int) -> int:
        if Path(path).name == "a.fake":
            raise PermissionError(13, "Permission denied")
        return real(path, flags, *args)

    monkeypatch.setattr(os, "open", denied)
    [diag] = engine(registry, tmp_path).run([str(target)])[0].diagnostics
    assert (diag.code, diag.span.as_tuple()) == ("FAK000", (1, 1, 1, 1))
    assert diag.message == "cannot read file: Permission denied"


def test_dangling_symlink_and_outside_symlink(registry: Registry, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "pyproject.toml").write_text("")
    (root / "dangling.fake").symlink_to(root / "missing.fake")
    secret = tmp_path / "secret.fake"
    secret.write_text("bad\n")
    (root / "outside.fake").symlink_to(secret)
    results = engine(registry, root).run([str(root)])
    assert [(Path(r.path).name, [d.message for d in r.diagnostics]) for r in results] == [
        ("dangling.fake", ["cannot read file: No such file or directory"]),
        ("outside.fake", ["symbolic link to a file outside the repository; not read"]),
    ]


def test_file_deleted_between_listing_and_reading(registry: Registry, tmp_path: Path) -> None:
    (tmp_path / "a.fake").write_text("bad\n")
    eng = engine(registry, tmp_path)
    [target] = eng.collect([str(tmp_path)])
    (tmp_path / "a.fake").unlink()
    [diag] = eng.check_target(target).diagnostics
    assert (diag.code, diag.message) == ("FAK000", "cannot read file: No such file or directory")


def test_parse_error_rule_not_selected_drops_it(registry: Registry, tmp_path: Path) -> None:
    (tmp_path / "a.fake").write_bytes(b"\x00")
    eng = Engine(registry, Settings(), RunOptions(), ignore=["FAK000"], cwd=tmp_path)
    assert codes(eng.run([str(tmp_path)])) == []


def test_stale_file_is_not_overwritten(registry: Registry, tmp_path: Path, monkeypatch) -> None:
    from mlops_hooks import engine as engine_module

    target = tmp_path / "a.fake"
    target.write_text("bad\n")
    eng = Engine(registry, Settings(), RunOptions(fix=True), cwd=tmp_path)
    original = engine_module.write_atomic

    def racing_write(path: Path, data: bytes, expected: bytes | None = None) -> None:
        path.write_text("edited by the user\n")
        original(path, data, expected)

    monkeypatch.setattr(engine_module, "write_atomic", racing_write)
    [result] = eng.run([str(target)])
    assert target.read_text() == "edited by the user\n"
    assert result.fixes_applied == 0
    assert [d.code for d in result.diagnostics] == ["FAK001"]
    assert "changed on disk while being checked; not fixed" in result.notes[0]


def test_fix_in_memory_without_writing(registry: Registry, tmp_path: Path) -> None:
    target = tmp_path / "a.fake"
    target.write_text("bad bad\n")
    eng = Engine(registry, Settings(), RunOptions(fix=True, write=False), cwd=tmp_path)
    [result] = eng.run([str(target)])
    assert (result.original, result.fixed, result.fixes_applied) == ("bad bad\n", "good good\n", 2)
    assert target.read_text() == "bad bad\n"
    assert result.diagnostics == []


@pytest.mark.parametrize("jobs", [2, 0])
def test_pool_gives_the_same_results_as_one_process(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    _pool_project(tmp_path, monkeypatch)
    serial = _serial(registry, tmp_path)
    parallel = Engine(registry, Settings(), RunOptions(jobs=jobs), cwd=tmp_path)
    assert parallel._jobs(13) == (2 if jobs else min(os.cpu_count() or 1, 8, 13))
    results = parallel.run([str(tmp_path)])
    assert _outcomes(results) == _outcomes(serial)
    assert len(results) == 13


needs_fork = pytest.mark.skipif(
    not hasattr(os, "fork"), reason="a process beside the main one is forked, never spawned"
)


def _pool_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: int = 12) -> None:
    from mlops_hooks import engine as engine_module

    monkeypatch.setattr(engine_module, "PARALLEL_THRESHOLD", 5)
    for index in range(files):
        (tmp_path / f"f{index:02}.fake").write_text("ok\n" * index + "bad risky\n")
    (tmp_path / "broken.fake").write_text("!syntax\n")


def _serial(registry: Registry, tmp_path: Path) -> list[FileResult]:
    """The results of checking ``tmp_path`` in one process."""
    return Engine(registry, Settings(), RunOptions(jobs=1), cwd=tmp_path).run([str(tmp_path)])


def _outcomes(results: list[FileResult]) -> list[tuple[str, list[Diagnostic]]]:
    return [(r.path, r.diagnostics) for r in results]


def test_where_processes_cannot_be_forked_a_pool_of_spawned_ones_checks_the_same(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlops_hooks import engine as engine_module

    _pool_project(tmp_path, monkeypatch)
    serial = _serial(registry, tmp_path)
    monkeypatch.setattr(engine_module, "_can_fork", lambda: False)
    forked: list[object] = []

    def run_forked(*args: object) -> list[FileResult]:
        forked.append(args)
        return []

    monkeypatch.setattr(Engine, "_run_forked", run_forked)
    results = Engine(registry, Settings(), RunOptions(jobs=2), cwd=tmp_path).run([str(tmp_path)])
    assert _outcomes(results) == _outcomes(serial)
    assert forked == []


@needs_fork
def test_the_files_of_a_forked_worker_that_dies_are_checked_here(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pool_project(tmp_path, monkeypatch, files=40)
    serial = _serial(registry, tmp_path)
    here = os.getpid()
    checked_here = []
    check_target = Engine.check_target

    def dies_in_a_worker(self: Engine, target: object) -> object:
        if os.getpid() != here:
            os._exit(3)  # killed at its first file, with a chunk taken
        checked_here.append(target)
        return check_target(self, target)  # type: ignore[arg-type]

    monkeypatch.setattr(Engine, "check_target", dies_in_a_worker)
    results = Engine(registry, Settings(), RunOptions(jobs=3), cwd=tmp_path).run([str(tmp_path)])
    assert _outcomes(results) == _outcomes(serial)
    assert len(checked_here) == 41  # every file, once
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # and no worker is left unreaped


@needs_fork
def test_a_run_that_cannot_fork_another_worker_checks_the_rest_itself(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pool_project(tmp_path, monkeypatch)
    serial = _serial(registry, tmp_path)
    fork = os.fork
    forks: list[int] = []

    def one_fork_only() -> int:
        if forks:
            raise BlockingIOError("fork: Resource temporarily unavailable")
        forks.append(1)
        return fork()

    monkeypatch.setattr(os, "fork", one_fork_only)
    results = Engine(registry, Settings(), RunOptions(jobs=3), cwd=tmp_path).run([str(tmp_path)])
    assert _outcomes(results) == _outcomes(serial)
    assert forks == [1]
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@needs_fork
def test_an_interrupted_run_ends_its_forked_workers(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    _pool_project(tmp_path, monkeypatch)
    here = os.getpid()

    def interrupted(self: Engine, target: object) -> object:
        if os.getpid() != here:
            time.sleep(60)  # a worker still busy: ended, not waited for
        raise KeyboardInterrupt

    monkeypatch.setattr(Engine, "check_target", interrupted)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        Engine(registry, Settings(), RunOptions(jobs=2), cwd=tmp_path).run([str(tmp_path)])
    assert time.monotonic() - started < 30
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@needs_fork
@pytest.mark.parametrize(("module", "all_here"), [("json", True), ("not_a_loaded_module", False)])
def test_files_whose_parser_a_fork_breaks_are_checked_where_it_was_loaded(
    registry: Registry,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    module: str,
    all_here: bool,
) -> None:
    # The Dockerfile parser embeds a Go runtime: a worker forked after this process loaded it
    # could wait forever in it (seen with `--scope changed`, whose later runs fork after the
    # first checked a Dockerfile here). Once loaded, the kind's files stay here.
    from tests.core.fakekind import FakeChecker

    _pool_project(tmp_path, monkeypatch)
    serial = _serial(registry, tmp_path)
    monkeypatch.setattr(FakeChecker, "fork_unsafe_parser", module)
    FakeChecker.parsed.clear()
    results = Engine(registry, Settings(), RunOptions(jobs=2), cwd=tmp_path).run([str(tmp_path)])
    assert _outcomes(results) == _outcomes(serial)
    assert (len(FakeChecker.parsed) == 13) is all_here  # the parses of this process


@needs_fork
def test_a_costly_file_whose_parser_a_fork_breaks_is_not_checked_beside(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.core.fakekind import FakeChecker

    _beside_project(tmp_path, monkeypatch)
    monkeypatch.setattr(FakeChecker, "fork_unsafe_parser", "json")
    eng = Engine(registry, Settings(), RunOptions(), cwd=tmp_path)
    targets = eng.collect([str(tmp_path)])
    assert not any(eng._needs_costly_parse(t) for t in targets)
    FakeChecker.parsed.clear()
    eng.run([str(tmp_path)])
    assert len(FakeChecker.parsed) == 4


def test_only_the_dockerfile_parser_is_known_to_break_in_a_fork() -> None:
    from mlops_hooks.checkers import Checker
    from mlops_hooks.registry import get_registry

    unsafe = {
        c.kind: c.fork_unsafe_parser
        for c in get_registry().checkers.values()
        if c.fork_unsafe_parser is not Checker.fork_unsafe_parser
    }
    assert unsafe == {"dockerfile": "dockerfile"}


@pytest.mark.parametrize(
    ("count", "jobs", "expected"),
    [(13, 2, (1, 13)), (95, 2, (11, 9)), (2006, 2, (32, 63)), (10**6, 8, (977, 1024))],
)
def test_forked_workers_take_chunks_of_at_most_32_files_unless_that_makes_too_many(
    count: int, jobs: int, expected: tuple[int, int]
) -> None:
    from mlops_hooks.engine import _chunking

    assert _chunking(count, jobs) == expected


def _beside_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.core.fakekind import FakeChecker

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(FakeChecker, "costly", lambda self, rel, raw, rules: b"heavy" in raw)
    (tmp_path / "a.fake").write_text("bad\n")
    (tmp_path / "b.fake").write_text("heavy bad risky\n")
    (tmp_path / "c.fake").write_text("ok\n")
    (tmp_path / "d.fake").write_text("heavy\n!syntax\n")


@needs_fork
def test_costly_files_are_checked_beside_the_others(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.core.fakekind import FakeChecker

    _beside_project(tmp_path, monkeypatch)
    serial = _serial(registry, tmp_path)
    eng = Engine(registry, Settings(), RunOptions(), cwd=tmp_path)
    targets = eng.collect([str(tmp_path)])
    assert [i for i, t in enumerate(targets) if eng._needs_costly_parse(t)] == [1, 3]
    FakeChecker.parsed.clear()
    results = eng.run([str(tmp_path)])
    assert [(r.path, r.diagnostics) for r in results] == [(r.path, r.diagnostics) for r in serial]
    assert [[d.code for d in r.diagnostics] for r in results] == [
        ["FAK001"],
        ["FAK001", "FAK002"],
        [],
        ["FAK000"],
    ]
    # The costly files were parsed in the forked worker, not in this process.
    assert sorted(Path(p).name for p in FakeChecker.parsed) == ["a.fake", "c.fake"]


@needs_fork
def test_a_fix_beside_the_others_writes_the_file(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _beside_project(tmp_path, monkeypatch)
    results = Engine(registry, Settings(), RunOptions(fix=True), cwd=tmp_path).run([str(tmp_path)])
    assert [r.fixes_applied for r in results] == [1, 1, 0, 0]
    assert (tmp_path / "b.fake").read_text() == "heavy good risky\n"
    assert (tmp_path / "a.fake").read_text() == "good\n"


def test_a_file_its_prefilter_rules_out_stays_here_and_is_prefiltered_once(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.core.fakekind import FakeChecker

    _beside_project(tmp_path, monkeypatch)
    (tmp_path / "e.fake").write_text("heavy skip-me bad\n")  # costly bytes, wants() says no
    calls: list[str] = []
    wants = FakeChecker.wants

    def counted(self: FakeChecker, source: object, rules: object) -> bool:
        calls.append(Path(source.path).name)  # type: ignore[attr-defined]
        return wants(self, source, rules)  # type: ignore[arg-type]

    monkeypatch.setattr(FakeChecker, "wants", counted)
    eng = Engine(registry, Settings(), RunOptions(), cwd=tmp_path)
    targets = eng.collect([str(tmp_path)])
    assert [t.relpath for t in targets][4] == "e.fake"
    assert [i for i, t in enumerate(targets) if eng._needs_costly_parse(t)] == [1, 3]
    calls.clear()
    results = eng.run([str(tmp_path)])
    assert results[4].diagnostics == []  # skipped by its prefilter, as in one process
    # In this process each file's prefilter ran once: b, d and e's to decide (b and d were
    # then checked in the worker, whose calls this process does not see), e's verdict kept
    # for its check here, a and c's in their checks.
    assert sorted(calls) == ["a.fake", "b.fake", "c.fake", "d.fake", "e.fake"]


@needs_fork
def test_a_file_read_to_decide_is_not_read_again(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _beside_project(tmp_path, monkeypatch)
    reads: list[str] = []
    read = Engine._read

    def counted(self: Engine, target: object) -> bytes:
        reads.append(Path(target.path).name)  # type: ignore[attr-defined]
        return read(self, target)  # type: ignore[arg-type]

    monkeypatch.setattr(Engine, "_read", counted)
    results = engine(registry, tmp_path).run([str(tmp_path)])
    assert [[d.code for d in r.diagnostics] for r in results] == [
        ["FAK001"],
        ["FAK001", "FAK002"],
        [],
        ["FAK000"],
    ]
    # Read once each in this process (b and d again in the worker, which this one does not
    # see): the bytes read to decide are the ones checked.
    assert sorted(reads) == ["a.fake", "b.fake", "c.fake", "d.fake"]


def test_no_process_beside_when_it_cannot_overlap(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _beside_project(tmp_path, monkeypatch)
    targets = engine(registry, tmp_path).collect([str(tmp_path)])
    assert engine(registry, tmp_path)._may_fork_beside(targets)
    # Explicit jobs (-j 1 means one process), one file, or one core.
    jobs = Engine(registry, Settings(), RunOptions(jobs=1), cwd=tmp_path)
    assert not jobs._may_fork_beside(targets)
    assert not engine(registry, tmp_path)._may_fork_beside(targets[:1])
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert not engine(registry, tmp_path)._may_fork_beside(targets)


@needs_fork
def test_no_worker_when_no_file_needs_the_costly_parser(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.core.fakekind import FakeChecker

    _beside_project(tmp_path, monkeypatch)
    for name in ("b.fake", "d.fake"):
        (tmp_path / name).write_text("light bad\n")
    FakeChecker.parsed.clear()
    results = engine(registry, tmp_path).run([str(tmp_path)])
    assert [[d.code for d in r.diagnostics] for r in results] == [["FAK001"]] * 2 + [[]] + [
        ["FAK001"]
    ]
    assert sorted(Path(p).name for p in FakeChecker.parsed) == [
        "a.fake",
        "b.fake",
        "c.fake",
        "d.fake",
    ]


def test_small_runs_stay_in_one_process(registry: Registry, tmp_path: Path) -> None:
    eng = Engine(registry, Settings(), RunOptions(), cwd=tmp_path)
    assert eng._jobs(3) == 1
    assert Engine(registry, Settings(), RunOptions(jobs=4), cwd=tmp_path)._jobs(2) == 2


def test_symlink_loop_is_a_diagnostic_not_a_crash(registry: Registry, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "loop.fake").symlink_to(tmp_path / "loop.fake")
    (tmp_path / "ok.fake").write_text("bad\n")
    results = engine(registry, tmp_path).run([str(tmp_path)])
    by_name = {Path(r.path).name: [d.code for d in r.diagnostics] for r in results}
    assert by_name["ok.fake"] == ["FAK001"]
    assert by_name["loop.fake"] == ["FAK000"]


def test_projects_are_fresh_for_each_run(registry: Registry, tmp_path: Path) -> None:
    (tmp_path / "a.fake").write_text("x\n")
    eng = engine(registry, tmp_path)
    [first] = eng.collect([str(tmp_path)])
    first.project.cached("k", lambda p: 1)
    eng.run([str(tmp_path)])
    [second] = eng.collect([str(tmp_path)])
    assert second.project.cached("k", lambda p: 2) == 2


def test_the_cyclic_collector_is_paused_per_file_and_restored(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    (tmp_path / "a.fake").write_text("bad\n")
    eng = engine(registry, tmp_path)
    (target,) = eng.collect([str(tmp_path)])
    seen: list[bool] = []
    real = type(target.checker).parse

    def parse(self: object, *args: object) -> object:
        seen.append(gc.isenabled())
        return real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(type(target.checker), "parse", parse)
    assert gc.isenabled()
    with_gc = eng.check_target(target)
    assert seen == [False]
    assert gc.isenabled()
    # Left disabled by a caller: still disabled after, and the findings are the same.
    gc.disable()
    try:
        assert codes([eng.check_target(target)]) == codes([with_gc]) != []
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert eng.check_stdin(b"bad\n", "b.fake") is not None
    assert seen == [False, False, False]


def test_a_worker_loads_a_projects_models_once_for_all_its_chunks(
    registry: Registry, tmp_path: Path
) -> None:
    # Regression (issue 19): every chunk of targets sent to a worker carried its own copy of
    # the project, and each copy loaded the repository's models again (every workflow of
    # the repository parsed once per chunk: 9 times over for 95 workflows on two cores).
    import pickle

    from mlops_hooks import engine as engine_module

    for index in range(3):
        (tmp_path / f"f{index}.fake").write_text("bad\n")
    eng = engine(registry, tmp_path)
    targets = eng.collect([str(tmp_path)])
    own = targets[0].project
    own.cached("model", lambda p: "loaded before the fork")
    loads: list[str] = []
    engine_module._init_worker(eng)
    try:
        for target in targets:
            sent = pickle.loads(pickle.dumps(target))  # what one chunk carries
            # Only the root travels, never the loaded models.
            assert sent.project is not own
            assert sent.project.root == own.root
            assert sent.project.cached("model", lambda p: "reloaded") == "reloaded"
            adopted = eng.discovery.adopt(sent)
            assert adopted.project is own
            adopted.project.cached("other", lambda p, shown=target.display: loads.append(shown))
            result = engine_module._check_in_worker(sent)
            assert [d.code for d in result.diagnostics] == ["FAK001"]
    finally:
        engine_module._WORKER_ENGINE = None
    assert loads == [targets[0].display]
    assert own.cached("model", lambda p: "reloaded") == "loaded before the fork"
