"""``text`` (full) and ``concise`` on the shared diagnostics: exact output, colour, safety."""

from __future__ import annotations

from mlops_hooks.diagnostics import Diagnostic, Edit, Fix, Span
from mlops_hooks.reporters import Report, get_renderer
from mlops_hooks.reporters.escape import printable
from mlops_hooks.reporters.snippet import MAX_WIDTH, render_fix, render_snippet
from mlops_hooks.reporters.terminal import cells
from tests.reporters.cases import report

SUMMARY = (
    "Found 6 findings in 5 files (6 checked); 2 fixable with --fix, "
    "1 more with --fix --unsafe-fixes.\n"
)

FULL = (
    "Dockerfile:2:1: FAK002 [risky-word] source copied before `uv sync` (unsafe fix available)\n"
    "2 | COPY . .\n"
    "    ^^^^^^^^\n"
    "ci dir, v2/release.yml:3:3: FAK003 [quiet-word] job `build` has no concurrency: 100%, of "
    "runs\\nrepeat\n"
    "3 |   build:\n"
    "      ^^^^^^\n"
    "4 |     runs-on: ubuntu-latest\n"
    "5 |     steps: []\n"
    "        ^^^^^^^^^\n"
    "image.bin:1:1: FAK000 [fake-parse-error] binary file (contains NUL bytes); not checked\n"
    "justfile:1:6: FAK003 [quiet-word] recipe `test` has no doc comment\n"
    "1 | test:\n"
    "         ^\n"
    "justfile:2:2: FAK001 [bad-word] use `just test` arguments (fixable)\n"
    "2 |     uv run pytest   -q\n"
    "        ^^^^^^^^^^^^^\n"
    "src/名前.py:2:34: FAK001 [bad-word] model loaded by version 3; load an alias (fixable)\n"
    '2 | model = mlflow.pyfunc.load_model("models:/模型/3")  # ✓\n'
    "                                     ^^^^^^^^^^^^^^^^\n" + SUMMARY
)

CONCISE = (
    "Dockerfile:2:1: FAK002 [risky-word] source copied before `uv sync` (unsafe fix available)\n"
    "ci dir, v2/release.yml:3:3: FAK003 [quiet-word] job `build` has no concurrency: 100%, of "
    "runs\\nrepeat\n"
    "image.bin:1:1: FAK000 [fake-parse-error] binary file (contains NUL bytes); not checked\n"
    "justfile:1:6: FAK003 [quiet-word] recipe `test` has no doc comment\n"
    "justfile:2:2: FAK001 [bad-word] use `just test` arguments (fixable)\n"
    "src/名前.py:2:34: FAK001 [bad-word] model loaded by version 3; load an alias (fixable)\n"
    + SUMMARY
)


def test_full_text() -> None:
    assert get_renderer("text")(report()) == FULL


def test_concise() -> None:
    assert get_renderer("concise")(report()) == CONCISE


def test_full_text_with_fix_previews() -> None:
    out = get_renderer("text")(report(show_fixes=True))
    assert out == (
        "Dockerfile:2:1: FAK002 [risky-word] source copied before `uv sync` "
        "(unsafe fix available)\n"
        "2 | COPY . .\n"
        "    ^^^^^^^^\n"
        "  fix (unsafe): copy the lock file first\n"
        "  2 + COPY uv.lock pyproject.toml ./\n"
        "  3 + RUN uv sync --no-install-project\n"
        "ci dir, v2/release.yml:3:3: FAK003 [quiet-word] job `build` has no concurrency: 100%, "
        "of runs\\nrepeat\n"
        "3 |   build:\n"
        "      ^^^^^^\n"
        "4 |     runs-on: ubuntu-latest\n"
        "5 |     steps: []\n"
        "        ^^^^^^^^^\n"
        "image.bin:1:1: FAK000 [fake-parse-error] binary file (contains NUL bytes); not checked\n"
        "justfile:1:6: FAK003 [quiet-word] recipe `test` has no doc comment\n"
        "1 | test:\n"
        "         ^\n"
        "justfile:2:2: FAK001 [bad-word] use `just test` arguments (fixable)\n"
        "2 |     uv run pytest   -q\n"
        "        ^^^^^^^^^^^^^\n"
        "  fix (safe): apply the fix\n"
        "  2 -     uv run pytest   -q\n"
        "  2 +     uv run pytest -q\n"
        "src/名前.py:2:34: FAK001 [bad-word] model loaded by version 3; load an alias (fixable)\n"
        '2 | model = mlflow.pyfunc.load_model("models:/模型/3")  # ✓\n'
        "                                     ^^^^^^^^^^^^^^^^\n"
        "  fix (safe): load `@champion`\n"
        '  2 - model = mlflow.pyfunc.load_model("models:/模型/3")  # ✓\n'
        '  2 + model = mlflow.pyfunc.load_model("models:/模型@champion")  # ✓\n' + SUMMARY
    )


def test_fixed_files_are_listed_with_show_fixes() -> None:
    fixed = [("a b.fake", 2), ("c.fake", 1)]
    base = {"diagnostics": [], "fixes_applied": 3, "files_fixed": 2, "fixed_files": fixed}
    quiet = get_renderer("concise")(report(**base))
    assert quiet == "Fixed 3 findings in 2 files. All checks passed (6 files checked).\n"
    listed = get_renderer("text")(report(**base, show_fixes=True))
    assert listed == (
        "Fixed 3 findings:\n"
        "- a b.fake: 2 fixes\n"
        "- c.fake: 1 fix\n"
        "Fixed 3 findings in 2 files. All checks passed (6 files checked).\n"
    )


def test_colour_marks_path_code_carets_and_diff_lines() -> None:
    out = get_renderer("text")(report(color=True, show_fixes=True))
    first = out.splitlines()[0]
    assert first == (
        "\x1b[1mDockerfile:2:1:\x1b[0m \x1b[1;31mFAK002\x1b[0m [risky-word] "
        "source copied before `uv sync` (unsafe fix available)"
    )
    assert "\x1b[2m2 | \x1b[0mCOPY . .\n    \x1b[1;31m^^^^^^^^\x1b[0m\n" in out
    assert "\x1b[1;33mFAK001\x1b[0m" in out  # warning
    assert "\x1b[1;36mFAK003\x1b[0m" in out  # info
    assert "\x1b[32m  2 + COPY uv.lock pyproject.toml ./\x1b[0m" in out
    plain = get_renderer("concise")(report())
    assert "\x1b" not in plain


def test_terminal_control_characters_are_never_printed_raw() -> None:
    d = Diagnostic("FAK001", "bad-word", "evil\x1b]0;x\x07.fake", Span.of(1, 1, 1, 4), "m\x1b[2J")
    lines = {"evil\x1b]0;x\x07.fake": ["bad\x1b[31m \u202eevil\u202c"]}
    source = Report(
        [d], 1, source_line=lambda path, n: lines.get(path, [""])[n - 1] if n == 1 else ""
    )
    out = get_renderer("text")(source)
    assert "\x1b" not in out
    assert "\x07" not in out
    assert out.splitlines()[:3] == [
        "evil\\x1b]0;x\\x07.fake:1:1: FAK001 [bad-word] m\\x1b[2J",
        "1 | bad␛[31m <U+202E>evil<U+202C>",
        "    ^^^",
    ]


def test_cells_measure_display_width() -> None:
    assert cells("\ta\tb") == [("    ", 4), ("a", 1), ("   ", 3), ("b", 1)]
    assert cells("日e\u0301") == [("日", 2), ("e", 1), ("\u0301", 0)]
    assert cells("\x00\x7f\x85") == [("␀", 1), ("␡", 1), ("\ufffd", 1)]
    assert printable("tab\there\nnext") == "tab\\there\\nnext"
    assert printable("ok ü 日") == "ok ü 日"


def _snippet(lines: list[str], span: Span) -> list[str]:
    d = Diagnostic("FAK001", "bad-word", "f", span, "m")
    return render_snippet(d, lambda _p, n: lines[n - 1] if 0 < n <= len(lines) else "", False)


def test_long_multi_line_span_elides_the_middle() -> None:
    lines = [f"line {n}" for n in range(1, 13)]
    assert _snippet(lines, Span.of(2, 6, 11, 7)) == [
        " 2 | line 2",
        "          ^",
        " 3 | line 3",
        "...",
        "10 | line 10",
        "11 | line 11",
        "     ^^^^^^",
    ]


def test_span_ending_at_the_start_of_a_line_ends_on_the_line_before() -> None:
    assert _snippet(["keep", "  drop me", "next"], Span.of(2, 1, 3, 1)) == [
        "2 |   drop me",
        "    ^^^^^^^^^",
    ]


def test_point_span_and_missing_source() -> None:
    assert _snippet(["abc"], Span.point(1, 4)) == ["1 | abc", "       ^"]
    assert _snippet([], Span.point(1, 1)) == []


def test_long_lines_are_cut_around_the_span() -> None:
    line = "x" * 100 + "TARGET" + "y" * 200
    out = _snippet([line], Span.of(1, 101, 1, 107))
    drawn, carets = out
    assert drawn.startswith("1 | …" + "x" * 24 + "TARGET")
    assert drawn.endswith("…")
    assert len(drawn) == len("1 | ") + MAX_WIDTH + 1
    assert carets == " " * (4 + 25) + "^^^^^^"
    # A span running past the cut ends at the ellipsis.
    wide = _snippet([line], Span.of(1, 101, 1, 301))
    assert wide[1] == " " * (4 + 25) + "^" * (MAX_WIDTH - 25 + 1)


def test_fix_preview_of_edits_far_apart_shows_two_hunks() -> None:
    lines = ["a = 1", "b = 2", "c = 3", "d = 4", "e = 5"]
    fix = Fix.safe(
        Edit(Span.of(1, 5, 1, 6), "10"),
        Edit(Span.of(5, 1, 5, 1), "# new\n"),
        message="two places",
    )
    d = Diagnostic("FAK001", "bad-word", "f", Span.of(1, 1, 1, 2), "m", fix=fix)
    out = render_fix(d, lambda _p, n: lines[n - 1] if 0 < n <= len(lines) else "", False)
    assert out == [
        "  fix (safe): two places",
        "  1 - a = 1",
        "  1 + a = 10",
        "  5 + # new",
    ]
