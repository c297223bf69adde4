"""Explain a failing target: where the time of one mlops-hooks process goes.

Small cases are start-up bound, so they get ``python -X importtime`` (the largest imports by
cumulative time, and the total against ``python -c pass``). Large cases get ``cProfile`` of
the same check run in one process (the pool disabled, so every call is seen), sorted by
cumulative time.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from .cases import bench_env
from .env import Environment
from .measure import Case, run_once

#: Cases whose subject handles one or a few small files: start-up dominates.
STARTUP_BOUND = ("dockerfile-1", "workflow-1", "justfile-1", "precommit-1", "commit")

CPROFILE = """
import contextlib, cProfile, io, pstats, sys
import mlops_hooks.engine as engine
engine.PARALLEL_THRESHOLD = 10**9  # one process, so the profile sees every call
from mlops_hooks.cli import main
profiler = cProfile.Profile()
with contextlib.redirect_stdout(io.StringIO()):
    profiler.enable()
    main(sys.argv[2:])
    profiler.disable()
stats = pstats.Stats(profiler, stream=sys.stderr)
stats.sort_stats("cumulative").print_stats(int(sys.argv[1]))
"""


def explain(case: Case, env: Environment) -> str:
    """A text profile of the case's mlops-hooks process (of each, for a commit's hooks)."""
    cwd = case.subject.cwd
    if len(case.profile_argvs) > 1:
        return "\n\n".join(importtime(env, argv, cwd, 3000) for argv in case.profile_argvs)
    argv = case.profile_argvs[0] if case.profile_argvs else case.subject.argvs[0]
    if case.key.startswith(STARTUP_BOUND):
        return importtime(env, argv, cwd) + "\n\n" + cprofile(env, argv, cwd, lines=18)
    if case.stats(case.subject.label).median > 60:
        return "(mlops-hooks takes over a minute here; not profiled)"
    return cprofile(env, argv, cwd)


def importtime(env: Environment, argv: list[str], cwd: Path, threshold_us: int = 2000) -> str:
    """``python -X importtime`` of one mlops-hooks process: the import tree, top-down, of
    the modules whose cumulative import time is at least ``threshold_us``."""
    script, python = argv[0], str(env.repo_python)
    run_env = bench_env()
    wall = min(run_once([[python, script, *argv[1:]]], cwd, run_env).wall for _ in range(3))
    floor = min(run_once([[python, "-c", "pass"]], cwd, run_env).wall for _ in range(3))
    done = subprocess.run(
        [python, "-X", "importtime", script, *argv[1:]],
        cwd=cwd,
        env=run_env,
        capture_output=True,
        text=True,
        check=False,
    )
    rows: list[tuple[int, int, str]] = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        parts = line.split(":", 1)[1].split("|")
        try:
            self_us, cumulative, name = int(parts[0]), int(parts[1]), parts[2].rstrip()[1:]
        except (IndexError, ValueError):
            continue
        rows.append((cumulative, self_us, name))
    total = sum(self_us for _, self_us, _ in rows)
    ours = sum(s for _, s, name in rows if name.strip().startswith("mlops_hooks"))
    # importtime prints a module after its imports (post-order): reversed, parents come first.
    tree = [row for row in reversed(rows) if row[0] >= threshold_us]
    lines = [
        f"$ python -X importtime {Path(script).name} {_shorten(argv[1:])}",
        f"whole process: {wall * 1000:.0f} ms (best of 3); python -c pass: {floor * 1000:.0f} ms;"
        f" all imports: {total / 1000:.0f} ms, of which mlops_hooks modules' own code "
        f"{ours / 1000:.0f} ms",
        "",
        f"{'cumulative ms':>13}  {'self ms':>8}  module "
        f"(import tree, >= {threshold_us / 1000:g} ms)",
    ]
    lines += [f"{c / 1000:13.1f}  {s / 1000:8.1f}  {name}" for c, s, name in tree]
    return "\n".join(lines)


def cprofile(env: Environment, argv: list[str], cwd: Path, lines: int = 28) -> str:
    """cProfile of one mlops-hooks run, in one process, sorted by cumulative time."""
    done = subprocess.run(
        [str(env.repo_python), "-c", CPROFILE, str(lines), *argv[1:]],
        cwd=cwd,
        env=bench_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    text = "\n".join(line.rstrip() for line in done.stderr.strip().splitlines())
    head = f"$ cProfile: mlops-hooks {_shorten(argv[1:])} (one process, pool disabled)"
    return head + "\n" + text[-8000:]


def _shorten(args: list[str], keep: int = 6) -> str:
    shown = " ".join(args[:keep])
    return shown + (f" ... ({len(args) - keep} more)" if len(args) > keep else "")
