"""RESULTS.md: summary of the targets, per-case tables, exact commands, machine, profiles.

Ratios are always *mlops-hooks time / the other command's time*, the median of the per-round
ratios: below 1 mlops-hooks is faster. "Reads as" turns that into words (``3.2x faster``).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .measure import Case, Command, Stats, Target


def ms(seconds: float) -> str:
    """Seconds as a short human duration: ``8.4 ms``, ``152 ms``, ``2.61 s``."""
    if math.isnan(seconds):
        return "n/a"
    if seconds < 0.1:
        return f"{seconds * 1000:.1f} ms"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"


def spread(stats: Stats) -> str:
    """``min-max`` of the samples."""
    if stats.n == 0:
        return "n/a"
    return f"{ms(stats.low)} to {ms(stats.high)}"


def ratio(value: float) -> str:
    """A ratio with two significant digits below 10 (``0.062``, ``1.4``, ``23``)."""
    if math.isnan(value):
        return "n/a"
    if value >= 10:
        return f"{value:.0f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.2g}" if value < 0.1 else f"{value:.2f}"


def reads_as(value: float) -> str:
    """A ratio of our time to theirs in words."""
    if math.isnan(value) or value <= 0:
        return "n/a"
    if abs(value - 1) < 0.005:
        return "same time"
    if value < 1:
        return f"{1 / value:.3g}x faster"
    return f"{value:.3g}x slower"


@dataclass
class Verdict:
    """One target of one case, evaluated."""

    case: Case
    target: Target
    holds: bool | None
    measured: str


def verdicts(cases: Sequence[Case]) -> list[Verdict]:
    """Every target of every case with its measured value and whether it holds."""
    out: list[Verdict] = []
    for case in cases:
        for target in case.targets:
            holds = None if case.skipped else case.verdict(target)
            if case.skipped:
                measured = f"not measured: {case.skipped}"
            elif case.ratio_bound(target.anchor) is not None:
                bound = case.ratio_bound(target.anchor) or 0.0
                measured = f"< {ratio(bound)} ({target.anchor} {case.failures[target.anchor]})"
            elif target.anchor in case.failures:
                measured = f"not measured: {case.failures[target.anchor]}"
            elif target.max_peak_mib is not None:
                peak = case.peak_kb.get(case.subject.label)
                measured = f"peak {peak / 1024:.0f} MiB" if peak is not None else "not measured"
            elif target.max_peak_ratio is not None:
                mine, theirs = case.peak_kb.get(case.subject.label), case.peak_kb.get(target.anchor)
                measured = (
                    f"peak {mine / 1024:.0f} MiB vs {theirs / 1024:.0f} MiB ({mine / theirs:.2f}x)"
                    if mine is not None and theirs
                    else "not measured"
                )
            elif target.max_extra_seconds is not None:
                diffs = case.differences(target.anchor)
                med = statistics.median(diffs) if diffs else float("nan")
                measured = f"+{ms(med)} over {target.anchor}" if med >= 0 else f"-{ms(-med)}"
            else:
                ratios = case.ratios(target.anchor)
                med = statistics.median(ratios) if ratios else float("nan")
                measured = f"{ratio(med)} ({reads_as(med)})"
            out.append(Verdict(case, target, holds, measured))
    return out


def mark(holds: bool | None) -> str:
    return {True: "PASS", False: "FAIL", None: "n/a"}[holds]


def case_section(case: Case) -> str:
    """The table, commands and notes of one case."""
    lines = [f"### {case.title}", ""]
    order = "alternated (A B C, then C B A)"
    lines.append(
        f"Corpus `{case.corpus}`; {case.rounds} timed round(s) after one warm-up, order "
        f"{order}; ratio = mlops-hooks / command, median of the per-round ratios."
    )
    lines.append("")
    if case.note:
        lines += [case.note, ""]
    if case.skipped:
        lines += [f"**Skipped**: {case.skipped}", ""]
    lines += [
        "| command | median | min to max | CPU (median) | peak RSS | ratio | reads as |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for command in case.commands:
        label = command.label
        if label in case.failures:
            lines.append(f"| {label} | — | — | — | — | — | {case.failures[label]} |")
            continue
        stats = case.stats(label)
        if stats.n == 0:
            lines.append(f"| {label} | — | — | — | — | — | not run |")
            continue
        if command is case.subject:
            cells = ("—", "")
        else:
            ratios = case.ratios(label)
            med = statistics.median(ratios) if ratios else float("nan")
            shown = ratio(med)
            if len(ratios) > 1:
                shown += f" ({ratio(min(ratios))} to {ratio(max(ratios))})"
            cells = (shown, reads_as(med))
        name = f"**{label}**" if command is case.subject else label
        lines.append(
            f"| {name} | {ms(stats.median)} | {spread(stats)} | "
            f"{ms(case.cpu(label).median)} | {rss(case, label)} | {cells[0]} | {cells[1]} |"
        )
    lines += _breakdown(case)
    lines += ["", "<details><summary>exact commands</summary>", ""]
    for command in case.commands:
        lines.append(f"- {command.label} (in `{command.cwd.name}/`):")
        lines += ["", "  ```sh", *(f"  {line}" for line in _commands(command)), "  ```", ""]
    lines += ["</details>", ""]
    return "\n".join(lines)


def _breakdown(case: Case) -> list[str]:
    """Per-process medians of the commands that run several processes (one per hook)."""
    out: list[str] = []
    for command in case.commands:
        runs = case.samples.get(command.label, [])
        if len(command.argvs) < 2 or not runs or not command.part_labels:
            continue
        medians = [
            statistics.median(run.parts[i] for run in runs) for i in range(len(command.argvs))
        ]
        cells = ", ".join(
            f"{name} {ms(value)}" for name, value in zip(command.part_labels, medians, strict=False)
        )
        out += ["", f"Per process, {command.label} (medians): {cells}."]
    return out


def rss(case: Case, label: str) -> str:
    """The largest resident set of any process of the command (one extra, untimed run)."""
    kb = case.peak_kb.get(label)
    return f"{kb / 1024:.0f} MB" if kb else "n/a"


def _commands(command: Command) -> list[str]:
    """The exact command lines, with the environment variables that differ from the common
    benchmark environment (stated once in the Run section)."""
    import shlex

    from .cases import bench_env

    common = bench_env()
    env = command.env or {}
    prefix = " ".join(
        f"{k}={shlex.quote(_short(v))}" for k, v in sorted(env.items()) if common.get(k) != v
    )
    out = []
    for argv in command.argvs:
        text = shlex.join(_short(a) for a in argv)
        out.append(f"{prefix} {text}" if prefix else text)
    return out


def _short(arg: str) -> str:
    """Long file lists stay exact but readable: paths relative to the repository."""
    from .env import REPO

    root = str(REPO) + "/"
    return arg.replace(root, "") if arg.startswith(root) else arg


def summary(vs: Sequence[Verdict]) -> str:
    """The targets table."""
    lines = [
        "| case | target | measured (mlops-hooks / other) | verdict |",
        "| --- | --- | --- | --- |",
    ]
    for v in vs:
        lines.append(f"| {v.case.title} | {v.target.text} | {v.measured} | **{mark(v.holds)}** |")
    return "\n".join(lines)


def render(
    cases: Sequence[Case],
    meta: Mapping[str, Mapping[str, str]],
    *,
    title: str,
    preamble: str,
    chart: str | None,
    profiles: Mapping[str, str],
) -> str:
    """The whole RESULTS.md."""
    vs = verdicts(cases)
    held = sum(1 for v in vs if v.holds)
    failed = sum(1 for v in vs if v.holds is False)
    unmeasured = sum(1 for v in vs if v.holds is None)
    out = [f"# {title}", "", preamble, ""]
    out += [
        "## Targets",
        "",
        f"{held} hold, {failed} fail, {unmeasured} not measured.",
        "",
        summary(vs),
        "",
    ]
    if chart:
        out += [f"![mlops-hooks time / other tool's time, log scale]({chart})", ""]
    for section, values in meta.items():
        out += [f"## {section}", "", "| | |", "| --- | --- |"]
        out += [f"| {k} | {_cell(v)} |" for k, v in values.items()]
        out.append("")
    out += ["## Cases", ""]
    out += [case_section(case) for case in cases]
    if profiles:
        out += [
            "## Profiles of the failing targets",
            "",
            "Collected by the runner after the timings (so they do not disturb them).",
            "",
        ]
        for name, text in profiles.items():
            out += [f"### {name}", "", "```text", text.rstrip(), "```", ""]
    return "\n".join(out).rstrip() + "\n"


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", "<br>")


README_START = "<!-- bench:ratios:start -->"
README_END = "<!-- bench:ratios:end -->"


def readme_block(cases: Sequence[Case], when: str, chart_path: str | None = None) -> str:
    """The speed results for a README, between the markers the runner replaces: one row per
    (case, other tool) with the ratio, the chart, then the targets that still fail, in words."""
    vs = verdicts(cases)
    lines = [
        README_START,
        f"Measured by `just bench` on {when} (2 cores; the machine, the load, the exact "
        "commands and the spread are in benchmarks/RESULTS.md). Ratio = mlops-hooks time / "
        "the other command's time in the same rounds: below 1, mlops-hooks is faster.",
        "",
        "| case | compared with | ratio | reads as | target |",
        "| --- | --- | ---: | --- | --- |",
    ]
    for case in cases:
        if case.skipped:
            continue
        for command in case.anchors:
            ratios = case.ratios(command.label)
            if not ratios:
                continue
            med = statistics.median(ratios)
            targets = [v for v in vs if v.case is case and v.target.anchor == command.label]
            target = "; ".join(f"{v.target.text}: {mark(v.holds)}" for v in targets)
            lines.append(
                f"| {case.short or case.title} | {command.label} | {ratio(med)} | "
                f"{reads_as(med)} | {target} |"
            )
    if chart_path:
        lines += ["", f"![mlops-hooks time / other tool's time, log scale]({chart_path})"]
    held = sum(1 for v in vs if v.holds)
    failing = [v for v in vs if v.holds is False]
    unmeasured = [v for v in vs if v.holds is None]
    lines += ["", f"{held} of {len(vs)} targets hold."]
    if failing:
        lines += ["", "Targets that still fail:", ""]
        lines += [f"- {v.case.title}: {v.target.text}; measured {v.measured}." for v in failing]
    if unmeasured:
        lines += ["", "Not measured in this run:", ""]
        lines += [f"- {v.case.title}: {v.target.text} ({v.measured})." for v in unmeasured]
    lines.append(README_END)
    return "\n".join(lines)


def replace_block(text: str, block: str) -> str | None:
    """``text`` with the marked block replaced; None when the markers are absent."""
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        return None
    return text[:start] + block + text[end + len(README_END) :]
