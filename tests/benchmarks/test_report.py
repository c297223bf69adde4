"""Result formatting: numbers, verdicts, the RESULTS.md sections and the SVG chart.

No timing is asserted anywhere: the samples are made up, and the one real run below uses
trivial commands only to check that failures are recorded, not how long anything took.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from benchkit import chart, report
from benchkit.measure import Case, Command, Run, Stats, Target, run_case


def _cmd(label: str, *argv: str) -> Command:
    return Command(label, [list(argv or ("true",))], Path("/tmp/corpus"))


def _case(ours: list[float], theirs: list[float], floor: list[float]) -> Case:
    case = Case(
        "dockerfile-1",
        "One Dockerfile",
        "dockerfiles",
        _cmd("mlops-hooks", "mlops-hooks", "check", "Dockerfile"),
        [_cmd("hadolint", "hadolint", "Dockerfile"), _cmd("bare parse process")],
        rounds=len(ours),
        targets=[
            Target("faster than hadolint", "hadolint", max_ratio=1.0),
            Target("<= 1.5x the bare parse process", "bare parse process", max_ratio=1.5),
        ],
    )
    for label, values in (
        ("mlops-hooks", ours),
        ("hadolint", theirs),
        ("bare parse process", floor),
    ):
        case.samples[label] = [Run(v, v / 2, [0]) for v in values]
    return case


def test_number_formats() -> None:
    assert report.ms(0.0084) == "8.4 ms"
    assert report.ms(0.152) == "152 ms"
    assert report.ms(2.612) == "2.61 s"
    assert report.ms(float("nan")) == "n/a"
    assert report.ratio(0.0623) == "0.062"
    assert report.ratio(0.45) == "0.45"
    assert report.ratio(1.437) == "1.44"
    assert report.ratio(23.4) == "23"
    assert report.reads_as(0.25) == "4x faster"
    assert report.reads_as(3.2) == "3.2x slower"
    assert report.reads_as(1.001) == "same time"


def test_stats_and_paired_ratios() -> None:
    case = _case([0.030, 0.020, 0.040], [0.060, 0.050, 0.040], [0.010, 0.010, 0.020])
    assert Stats.of(case.times("mlops-hooks")) == Stats(0.030, 0.020, 0.040, 3)
    assert case.ratios("hadolint") == pytest.approx(
        [0.5, 0.4, 1.0]
    )  # per round, not ratio of medians
    assert case.verdict(case.targets[0]) is True  # median ratio 0.5 <= 1
    assert case.verdict(case.targets[1]) is False  # median ratio 2 > 1.5


def test_extra_time_target() -> None:
    case = _case([0.300, 0.320], [0.150, 0.160], [0.1, 0.1])
    target = Target("< 120 ms on top", "hadolint", max_extra_seconds=0.120)
    assert case.differences("hadolint") == [0.15, 0.16]
    assert case.verdict(target) is False
    assert report.verdicts([Case(**{**case.__dict__, "targets": [target]})])[0].measured == (
        "+155 ms over hadolint"
    )


def test_case_section_has_the_table_and_exact_commands() -> None:
    text = report.case_section(_case([0.03, 0.02, 0.04], [0.06, 0.05, 0.04], [0.01] * 3))
    assert text.startswith("### One Dockerfile\n")
    assert "| **mlops-hooks** | 30.0 ms | 20.0 ms to 40.0 ms | 15.0 ms | n/a | — |  |" in text
    assert "| hadolint | 50.0 ms | 40.0 ms to 60.0 ms | 25.0 ms | n/a | 0.50 (0.40 to 1.00) |" in (
        text
    )
    assert "  mlops-hooks check Dockerfile\n" in text


def test_unmeasured_targets_say_why() -> None:
    case = _case([], [], [])
    case.samples.clear()
    case.skipped = "no `python` checker in this build of mlops-hooks yet"
    (first, _) = report.verdicts([case])
    assert first.holds is None
    assert first.measured == "not measured: no `python` checker in this build of mlops-hooks yet"
    assert "**Skipped**: no `python` checker" in report.case_section(case)


def test_render_summarises_targets_and_machine() -> None:
    case = _case([0.03, 0.02, 0.04], [0.06, 0.05, 0.04], [0.01] * 3)
    text = report.render(
        [case],
        {"Machine": {"nproc": "2", "cpu": "AMD EPYC"}},
        title="results",
        preamble="intro",
        chart="ratios.svg",
        profiles={"One Dockerfile": "import time: ..."},
    )
    assert "1 hold, 1 fail, 0 not measured." in text
    assert "| One Dockerfile | faster than hadolint | 0.50 (2x faster) | **PASS** |" in text
    assert "| <= 1.5x the bare parse process | 3.00 (3x slower) | **FAIL** |" in text
    assert "![mlops-hooks time / other tool's time, log scale](ratios.svg)" in text
    assert "| nproc | 2 |" in text
    assert "## Profiles of the failing targets" in text


def test_chart_is_valid_svg_with_one_bar_per_pair() -> None:
    case = _case([0.03, 0.02, 0.04], [0.06, 0.05, 0.04], [0.01] * 3)
    rows = chart.rows([case])
    assert [(r.label, r.holds) for r in rows] == [
        ("One Dockerfile vs hadolint", True),
        ("One Dockerfile vs bare parse process", False),
    ]
    root = ET.fromstring(chart.svg(rows, "title & more"))
    ns = "{http://www.w3.org/2000/svg}"
    bars = [r for r in root.iter(f"{ns}rect") if r.get("opacity")]
    assert [b.get("fill") for b in bars] == [chart.COLORS[True], chart.COLORS[False]]
    assert any(t.text == "title & more" for t in root.iter(f"{ns}text"))


def test_run_case_records_a_failing_command_and_skips_a_failed_subject(tmp_path: Path) -> None:
    py = sys.executable
    ok = Command("ok", [[py, "-c", "pass"]], tmp_path, frozenset({0}))
    bad = Command("bad", [[py, "-c", "import sys; sys.exit('boom')"]], tmp_path, frozenset({0}))
    missing = Command("gone", [[py]], tmp_path, unavailable="gone not installed")
    case = run_case(Case("k", "t", "c", ok, [bad, missing], rounds=2))
    assert case.failures == {
        "bad": "exit code 1 (expected [0]): boom",
        "gone": "gone not installed",
    }
    assert len(case.samples["ok"]) == 2 and "bad" not in case.samples
    skipped = run_case(Case("k", "t", "c", bad, [ok], rounds=2))
    assert skipped.skipped.startswith("exit code 1")
    assert skipped.samples.get("ok") == []


def test_readme_block_is_replaced_between_markers() -> None:
    case = _case([0.03, 0.02, 0.04], [0.06, 0.05, 0.04], [0.01] * 3)
    block = report.readme_block([case], "2026-01-01 UTC", "ratios.svg")
    assert block.startswith(report.README_START) and block.endswith(report.README_END)
    assert "| One Dockerfile | hadolint | 0.50 | 2x faster | faster than hadolint: PASS |" in block
    assert "| One Dockerfile | bare parse process | 3.00 | 3x slower |" in block
    assert "![mlops-hooks time / other tool's time, log scale](ratios.svg)" in block
    assert "1 of 2 targets hold." in block
    assert (
        "Targets that still fail:\n\n- One Dockerfile: <= 1.5x the bare parse process; "
        "measured 3.00 (3x slower)." in block
    )
    text = f"# Title\n\n{report.README_START}\nold\n{report.README_END}\n\nmore\n"
    assert report.replace_block(text, block) == f"# Title\n\n{block}\n\nmore\n"
    assert report.replace_block("# no markers\n", block) is None


def test_a_timed_out_anchor_bounds_the_ratio() -> None:
    case = _case([2.0, 2.0], [], [])
    case.samples.pop("hadolint")
    case.timeouts["hadolint"] = 400.0
    case.failures["hadolint"] = "timed out after 400 s"
    target = Target(">= 25x faster", "hadolint", max_ratio=1 / 25)
    case.targets = [target]
    assert case.verdict(target) is True  # 2 s / more than 400 s < 1/25
    (verdict,) = report.verdicts([case])
    assert verdict.measured == "< 0.005 (hadolint timed out after 400 s)"
    case.samples["mlops-hooks"] = [Run(30.0, 1.0, [0])]
    assert case.verdict(target) is None  # 30 s / more than 400 s: cannot tell


def test_run_once_kills_a_command_at_its_timeout(tmp_path: Path) -> None:
    slow = Command("slow", [[sys.executable, "-c", "import time; time.sleep(30)"]], tmp_path)
    slow.timeout = 0.5
    case = run_case(
        Case("k", "t", "c", Command("ok", [[sys.executable, "-c", "pass"]], tmp_path), [slow])
    )
    assert case.failures == {"slow": "timed out after 0 s"} or case.timeouts == {"slow": 0.5}
    assert case.timeouts == {"slow": 0.5}


def test_sequences_get_a_per_process_breakdown() -> None:
    hooks = Command("hooks", [["a"], ["b"]], Path("/tmp/c"), part_labels=["mlops-a", "mlops-b"])
    case = Case("commit", "A commit", "commit", hooks, [])
    case.samples["hooks"] = [
        Run(0.03, 0.0, [0, 0], parts=[0.01, 0.02]),
        Run(0.05, 0.0, [0, 0], parts=[0.01, 0.04]),
    ]
    text = report.case_section(case)
    assert "Per process, hooks (medians): mlops-a 10.0 ms, mlops-b 30.0 ms." in text


def test_peak_memory_target() -> None:
    case = _case([0.03], [0.06], [0.01])
    target = Target("peak memory <= 200 MiB", "", max_peak_mib=200.0)
    case.targets = [target]
    assert case.verdict(target) is None  # no peak measured
    case.peak_kb["mlops-hooks"] = 150 * 1024
    assert case.verdict(target) is True
    assert report.verdicts([case])[0].measured == "peak 150 MiB"
    case.peak_kb["mlops-hooks"] = 250 * 1024
    assert case.verdict(target) is False


def test_peak_memory_ratio_target() -> None:
    case = _case([0.03], [0.06], [0.01])
    target = Target("linear memory", "hadolint", max_peak_ratio=12.0)
    case.targets = [target]
    assert case.verdict(target) is None
    case.peak_kb |= {"mlops-hooks": 100 * 1024, "hadolint": 20 * 1024}
    assert case.verdict(target) is True
    assert report.verdicts([case])[0].measured == "peak 100 MiB vs 20 MiB (5.00x)"
    case.peak_kb["hadolint"] = 5 * 1024
    assert case.verdict(target) is False
