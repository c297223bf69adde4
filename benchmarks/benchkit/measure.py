"""Timing whole processes: warm-up, alternated rounds, medians, spread and paired ratios.

A :class:`Command` is one or more processes run one after the other (a pre-commit run of
several hooks is a sequence); its time is the wall time of the whole sequence, measured with
``perf_counter`` around ``fork``/``exec``/``wait4``, which also gives the CPU time of the
process tree (user + system of the children), so a run that uses both cores shows it. The
peak resident set comes from one more, untimed run under GNU ``time``.

A :class:`Case` times a subject (mlops-hooks) against its anchors: one warm-up run of each
(which also checks that each command works: an unexpected exit code makes the command
``failed`` with the end of its stderr), then ``rounds`` rounds in which the commands run in
alternating order (A B C, then C B A), so drift in machine load hits every command alike. The
ratio of the subject to an anchor is computed per round (both ran within the same second) and
reported as the median of those per-round ratios.
"""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Command:
    """A named, timed command: ``argvs`` run in sequence in ``cwd``."""

    label: str
    argvs: list[list[str]]
    cwd: Path
    ok_codes: frozenset[int] = frozenset({0, 1})
    env: Mapping[str, str] | None = None
    #: A cheaper command run as this one's warm-up (Fixit on one file warms its imports and
    #: bytecode without spending a minute on the whole tree).
    warmup: list[list[str]] | None = None
    #: Why the command cannot run (anchor not installed, ...); it is then reported, not timed.
    unavailable: str = ""
    #: Names of the processes of a sequence (hook ids), for a per-process breakdown.
    part_labels: list[str] = field(default_factory=list)
    #: Seconds after which a run is killed and the command reported as timed out.
    timeout: float | None = None

    def shell(self) -> str:
        """The exact command line(s), for RESULTS.md."""
        import shlex

        return " && ".join(shlex.join(argv) for argv in self.argvs)


@dataclass
class Run:
    """One timed execution of a command."""

    wall: float
    cpu: float
    codes: list[int]
    stderr_tail: str = ""
    timed_out: bool = False
    #: Wall time of each process of the sequence.
    parts: list[float] = field(default_factory=list)


def run_once(
    argvs: Sequence[Sequence[str]],
    cwd: Path,
    env: Mapping[str, str] | None,
    timeout: float | None = None,
) -> Run:
    """Run the processes in sequence and time them (output discarded, stderr kept short).

    With ``timeout``, each process runs in its own session and the whole group is killed when
    the time is up (Fixit's worker processes included)."""
    codes: list[int] = []
    cpu = 0.0
    tail = ""
    timed_out = False
    parts: list[float] = []
    start = time.perf_counter()
    for argv in argvs:
        began = time.perf_counter()
        with subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=timeout is not None,
        ) as proc:
            timer = None
            killed: list[int] = []
            if timeout is not None:
                timer = threading.Timer(timeout, _kill_group, (proc.pid, killed))
                timer.start()
            assert proc.stderr is not None
            err = proc.stderr.read()
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            if timer is not None:
                timer.cancel()
                timed_out = timed_out or bool(killed)
        parts.append(time.perf_counter() - began)
        codes.append(proc.returncode)
        cpu += usage.ru_utime + usage.ru_stime
        if err:
            tail = err.decode("utf-8", "replace")[-600:]
    wall = time.perf_counter() - start
    return Run(wall, cpu, codes, tail, timed_out, parts)


def _kill_group(pid: int, killed: list[int]) -> None:
    killed.append(pid)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


@dataclass
class Stats:
    """Summary of a list of samples."""

    median: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Stats:
        if not values:
            return cls(float("nan"), float("nan"), float("nan"), 0)
        return cls(statistics.median(values), min(values), max(values), len(values))


@dataclass
class Target:
    """A bound on the subject/anchor ratio (``max_ratio``), on the subject's extra time, or
    on the subject's peak memory (``max_peak_mib``, no anchor)."""

    text: str
    anchor: str
    max_ratio: float | None = None
    #: For "less than X ms on top of the anchor": compares the paired difference.
    max_extra_seconds: float | None = None
    #: The peak resident set of the subject's largest process, in MiB.
    max_peak_mib: float | None = None
    #: The subject's peak resident set over the anchor's (memory growing linearly).
    max_peak_ratio: float | None = None


@dataclass
class Case:
    """A subject command and its anchors, timed together."""

    key: str
    title: str
    corpus: str
    subject: Command
    anchors: list[Command]
    rounds: int = 5
    targets: list[Target] = field(default_factory=list)
    note: str = ""
    #: A short name for the chart's rows (default: the title).
    short: str = ""
    #: The mlops-hooks processes to profile when a target fails (default: the subject's).
    profile_argvs: list[list[str]] = field(default_factory=list)
    #: Filled by :func:`run_case`.
    samples: dict[str, list[Run]] = field(default_factory=dict)
    #: Peak resident set (KiB) of the largest process of each command, from one extra run.
    peak_kb: dict[str, int] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    #: Commands killed at their timeout: label -> seconds (a lower bound of their time).
    timeouts: dict[str, float] = field(default_factory=dict)
    skipped: str = ""

    @property
    def commands(self) -> list[Command]:
        return [self.subject, *self.anchors]

    def times(self, label: str) -> list[float]:
        return [run.wall for run in self.samples.get(label, [])]

    def stats(self, label: str) -> Stats:
        return Stats.of(self.times(label))

    def cpu(self, label: str) -> Stats:
        return Stats.of([run.cpu for run in self.samples.get(label, [])])

    def ratios(self, anchor: str) -> list[float]:
        """Per-round subject/anchor ratios (rounds where both ran)."""
        a, b = self.times(self.subject.label), self.times(anchor)
        return [x / y for x, y in zip(a, b, strict=False) if y > 0]

    def ratio_bound(self, anchor: str) -> float | None:
        """An upper bound of the ratio when ``anchor`` timed out (its time > its timeout)."""
        ours = self.times(self.subject.label)
        if anchor not in self.timeouts or not ours:
            return None
        return statistics.median(ours) / self.timeouts[anchor]

    def differences(self, anchor: str) -> list[float]:
        """Per-round subject - anchor differences, in seconds."""
        a, b = self.times(self.subject.label), self.times(anchor)
        return [x - y for x, y in zip(a, b, strict=False)]

    def verdict(self, target: Target) -> bool | None:
        """Whether the target holds (None when it could not be measured)."""
        if target.max_ratio is not None:
            bound = self.ratio_bound(target.anchor)
            if bound is not None:
                # The anchor timed out: holds if even its timeout beats the target.
                return True if bound <= target.max_ratio else None
            ratios = self.ratios(target.anchor)
            return statistics.median(ratios) <= target.max_ratio if ratios else None
        if target.max_extra_seconds is not None:
            diffs = self.differences(target.anchor)
            return statistics.median(diffs) < target.max_extra_seconds if diffs else None
        if target.max_peak_mib is not None:
            peak = self.peak_kb.get(self.subject.label)
            return peak / 1024 <= target.max_peak_mib if peak is not None else None
        if target.max_peak_ratio is not None:
            peaks = self.peak_kb.get(self.subject.label), self.peak_kb.get(target.anchor)
            if peaks[0] is None or not peaks[1]:
                return None
            return peaks[0] / peaks[1] <= target.max_peak_ratio
        return None


def run_case(case: Case, log: object = None) -> Case:
    """Warm up each command, then time ``case.rounds`` alternated rounds."""
    say = log if callable(log) else (lambda _msg: None)
    live: list[Command] = []
    for command in case.commands:
        if command.unavailable:
            case.failures[command.label] = command.unavailable
            continue
        warm = run_once(command.warmup or command.argvs, command.cwd, command.env, command.timeout)
        bad = [c for c in warm.codes if c not in command.ok_codes]
        if warm.timed_out and command.timeout is not None:
            case.timeouts[command.label] = command.timeout
            case.failures[command.label] = f"timed out after {command.timeout:g} s"
            say(f"    {command.label}: {case.failures[command.label]}")
            continue
        if bad:
            case.failures[command.label] = (
                f"exit code {bad[0]} (expected {sorted(command.ok_codes)}): "
                + (warm.stderr_tail.strip().splitlines() or ["no stderr"])[-1]
            )
            say(f"    {command.label}: FAILED {case.failures[command.label]}")
            continue
        live.append(command)
        case.samples[command.label] = []
    if case.subject not in live:
        case.skipped = case.failures.get(case.subject.label, "subject failed")
        return case
    for index in range(case.rounds):
        order = live if index % 2 == 0 else list(reversed(live))
        for command in order:
            if command.label in case.failures:
                continue
            run = run_once(command.argvs, command.cwd, command.env, command.timeout)
            if run.timed_out and command.timeout is not None:
                # A run cut short is no sample: report the bound instead of a wrong time.
                case.timeouts[command.label] = command.timeout
                case.failures[command.label] = f"timed out after {command.timeout:g} s"
                case.samples.pop(command.label, None)
                say(f"    {command.label}: {case.failures[command.label]}")
                continue
            case.samples[command.label].append(run)
    for command in live:
        say(f"    {command.label}: {case.stats(command.label).median * 1000:.1f} ms")
        if command.label not in case.failures and command.timeout is None:
            peak = peak_rss_kb(command)
            if peak is not None:
                case.peak_kb[command.label] = peak
    return case


def peak_rss_kb(command: Command) -> int | None:
    """The largest resident set of the command's processes, from one untimed run under GNU
    ``time`` (a process started by this runner would inherit the runner's own high-water
    mark across exec, so rusage from here overstates small processes); None without it."""
    gnu_time = Path("/usr/bin/time")
    if not gnu_time.exists():
        return None
    peak = 0
    for argv in command.argvs:
        done = subprocess.run(
            [str(gnu_time), "-f", "%M", "-o", "/dev/stderr", *argv],
            cwd=command.cwd,
            env=dict(command.env) if command.env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        if not lines or not lines[-1].strip().isdigit():
            return None
        peak = max(peak, int(lines[-1]))
    return peak
