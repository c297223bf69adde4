"""``python benchmarks/run.py [--quick] [REPO]``: generate, measure, write RESULTS.md + chart."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import cases as casebook
from . import chart, env, measure, profile, report
from . import commit as commitbook
from . import repo as repobook
from . import scale as scalebook

TITLE = "mlops-hooks benchmark results"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="benchmarks/run.py",
        description="Time mlops-hooks against the tools users would pick instead "
        "(see benchmarks/README.md).",
    )
    parser.add_argument("repo", nargs="?", type=Path, help="also measure this real repository")
    parser.add_argument("--quick", action="store_true", help="small corpora, few rounds")
    parser.add_argument("--rounds", type=int, help="timed rounds per case (default by mode)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument(
        "--only", default="", help="comma-separated case-key prefixes (dockerfile,commit,repo)"
    )
    parser.add_argument("--no-fixit", action="store_true", help="skip the Fixit cases")
    parser.add_argument("--no-install", action="store_true", help="use the bench venv as is")
    parser.add_argument("--no-profile", action="store_true", help="no profiles of failures")
    parser.add_argument("--output", type=Path, help="RESULTS.md path (default by mode)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    sizes = casebook.QUICK if args.quick else casebook.FULL
    if args.rounds:
        sizes = casebook.Sizes(
            sizes.dockerfiles,
            sizes.workflows,
            sizes.python_files,
            sizes.plain_files,
            args.rounds,
            args.rounds,
            sizes.rounds_fixit,
            sizes.scale_small,
            sizes.scale_large,
        )
    output = args.output or (
        env.WORK / "RESULTS-quick.md" if args.quick else env.BENCH / "RESULTS.md"
    )
    svg_path = output.with_name("ratios-quick.svg" if args.quick else "ratios.svg")
    log("preparing the anchors' venv (benchmarks/.work/venv)")
    environment = env.prepare(install=not args.no_install)
    for name, why in environment.missing.items():
        log(f"  anchor {name} unavailable: {why}")
    pyc_before = env.pyc_state(environment, casebook.bench_env())
    source_before = env.source_fingerprint()
    log("generating corpora")
    corpora = casebook.build_corpora(sizes, args.seed, log)
    all_cases = casebook.generated_cases(environment, corpora, sizes)
    all_cases += commitbook.commit_cases(
        environment,
        args.seed,
        sizes.rounds_small,
        env.have_module(environment.repo_python, "pre_commit"),
    )
    all_cases += scalebook.scale_cases(
        environment, sizes.scale_small, sizes.scale_large, args.seed, sizes.rounds_small
    )
    if args.repo:
        all_cases += repobook.repo_cases(
            environment, args.repo.resolve(), sizes.rounds_large, with_fixit=not args.no_fixit
        )
    selected = [c for c in all_cases if _wanted(c, args)]
    load_before = env.load()
    for case in selected:
        log(f"case {case.key}: {case.title} ({case.rounds} rounds)")
        measure.run_case(case, log)
    load_after = env.load()
    source_after = env.source_fingerprint()
    if source_after != source_before:
        log("WARNING: src/ changed during the run; the results mix two versions of the code")
    profiles: dict[str, str] = {}
    if not args.no_profile:
        for verdict in report.verdicts(selected):
            if verdict.holds is False and verdict.case.title not in profiles:
                log(f"profiling {verdict.case.key}")
                profiles[verdict.case.title] = profile.explain(verdict.case, environment)
        # Start-up: what every hook process pays, profiled whether or not a target fails.
        for key, what in (
            ("dockerfile-1", "one Dockerfile"),
            ("python-conforming-1", "one conforming MLflow module"),
        ):
            case = next((c for c in selected if c.key == key and not c.skipped), None)
            if case is not None:
                argv, cwd = case.subject.argvs[0], case.subject.cwd
                profiles[f"Start-up: import-time profile of a one-file run ({what})"] = (
                    profile.importtime(environment, argv, cwd, 1000)
                )
    elapsed = time.perf_counter() - started
    meta = {
        "Run": {
            "date (UTC)": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M"),
            "mode": ("quick" if args.quick else "full") + f", seed {args.seed}",
            "command": "uv run python benchmarks/run.py "
            + " ".join(sys.argv[1:] if argv is None else argv),
            "total runtime": f"{elapsed:.0f} s (corpus generation, warm-ups, rounds, profiles)",
            "load average before / after": f"{load_before} / {load_after}",
            "environment of the timed commands": _env_note(),
            "source under test (src/*.py hash)": source_before
            if source_after == source_before
            else f"**changed during the run** ({source_before} -> {source_after}): the cases "
            "mix two versions of the code; run again",
        },
        "Machine": env.machine(),
        "Versions": env.versions(environment),
        ".pyc files (modules with bytecode / modules)": {
            f"{k} (before warm-up)": v for k, v in pyc_before.items()
        }
        | {f"{k} (after)": v for k, v in env.pyc_state(environment, casebook.bench_env()).items()},
    }
    if environment.missing:
        meta["Anchors not installed"] = dict(environment.missing)
    chart_name = None
    data = chart.rows(selected)
    if data:
        svg_path.write_text(chart.svg(data, TITLE + f" ({meta['Run']['date (UTC)']} UTC)"))
        chart_name = svg_path.name if svg_path.parent == output.parent else str(svg_path)
    preamble = (
        "Generated by `benchmarks/run.py` (`just bench`); do not edit by hand. Every ratio is "
        "**mlops-hooks time / the other command's time** from the same rounds (below 1: "
        "mlops-hooks is faster). Whole processes, wall time, medians; see "
        "[README.md](README.md) for the method."
    )
    output.write_text(
        report.render(
            selected,
            meta,
            title=TITLE,
            preamble=preamble,
            chart=chart_name,
            profiles=profiles,
        )
    )
    (env.WORK / ("results-quick.json" if args.quick else "results.json")).write_text(
        json.dumps(_raw(selected, meta), indent=1) + "\n"
    )
    log(f"wrote {output} and {svg_path} in {elapsed:.0f} s")
    if source_after != source_before:
        log("not refreshing the ratios quoted in the READMEs: src/ changed during the run")
    elif not args.quick and args.output is None and not args.only:
        # The READMEs quote the ratios: refresh any marked block from this full run.
        when = meta["Run"]["date (UTC)"] + " UTC"
        for readme in (env.BENCH / "README.md", env.REPO / "README.md"):
            text = readme.read_text() if readme.exists() else ""
            svg = svg_path.relative_to(readme.parent).as_posix() if chart_name else None
            updated = report.replace_block(text, report.readme_block(selected, when, svg))
            if updated is not None and updated != text:
                readme.write_text(updated)
                log(f"updated the ratios in {readme}")
    for verdict in report.verdicts(selected):
        log(
            f"  {report.mark(verdict.holds):4}  {verdict.case.title}: {verdict.target.text}: "
            f"{verdict.measured}"
        )
    return 0


def _env_note() -> str:
    import os

    was = os.environ.get("PYTHONDONTWRITEBYTECODE")
    note = (
        "the caller's, plus NO_COLOR=1, PRE_COMMIT_HOME=benchmarks/.work/pre-commit-home and "
        "PYTHONPYCACHEPREFIX=benchmarks/.work/pycache (bytecode on)"
    )
    if was:
        note += f"; the caller's PYTHONDONTWRITEBYTECODE={was} removed"
    return note


def _wanted(case: measure.Case, args: argparse.Namespace) -> bool:
    if args.no_fixit and "fixit" in case.key:
        return False
    prefixes = [p.strip() for p in args.only.split(",") if p.strip()]
    return not prefixes or any(case.key.startswith(p) for p in prefixes)


def _raw(cases: Sequence[measure.Case], meta: object) -> dict[str, object]:
    """Everything measured, for scripts (benchmarks/.work/results.json)."""
    return {
        "meta": meta,
        "cases": [
            {
                "key": c.key,
                "title": c.title,
                "rounds": c.rounds,
                "skipped": c.skipped,
                "failures": c.failures,
                "commands": [
                    {
                        "label": cmd.label,
                        "argvs": cmd.argvs,
                        "cwd": str(cmd.cwd),
                        "wall": c.times(cmd.label),
                        "cpu": [r.cpu for r in c.samples.get(cmd.label, [])],
                        "peak_rss_kb": c.peak_kb.get(cmd.label),
                        "ratio": c.ratios(cmd.label) if cmd is not c.subject else None,
                    }
                    for cmd in c.commands
                ],
                "targets": [
                    {"text": t.text, "anchor": t.anchor, "holds": c.verdict(t)} for t in c.targets
                ],
            }
            for c in cases
        ],
    }


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
