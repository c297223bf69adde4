"""The CLI in process: exit codes, text and JSON output, selection, config errors, fixes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_hooks import __version__
from mlops_hooks.cli import main
from mlops_hooks.engine import Engine
from mlops_hooks.registry import Registry
from tests.core.fakekind import FakeChecker


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_run_exits_0(registry: Registry, project: Path, capsys) -> None:
    (project / "a.fake").write_text("all good\n")
    code, out, _ = run(["check"], capsys)
    assert code == 0
    assert out == "All checks passed (1 file checked).\n"


def test_findings_text_format(registry: Registry, project: Path, capsys) -> None:
    (project / "a.fake").write_text("one\n\ta bad line\n")
    code, out, _ = run(["check", "a.fake"], capsys)
    assert code == 1
    assert out == (
        "a.fake:2:4: FAK001 [bad-word] say good, not bad (fixable)\n"
        "2 |     a bad line\n"
        "          ^^^\n"
        "Found 1 finding in 1 file (1 checked); 1 fixable with --fix.\n"
    )


def test_default_subcommand_is_check(registry: Registry, project: Path, capsys) -> None:
    (project / "a.fake").write_text("bad\n")
    code, out, _ = run(["a.fake"], capsys)
    assert code == 1
    assert out.startswith("a.fake:1:1: FAK001")


def test_json_contract(registry: Registry, project: Path, capsys) -> None:
    (project / "b.fake").write_text("risky bad\n")
    (project / "a.fake").write_text("x\nbad\n")
    code, out, _ = run(["check", "--format", "json"], capsys)
    assert code == 1
    data = json.loads(out)
    assert data["version"] == 1
    assert [(d["path"], d["code"], d["start"]["line"]) for d in data["diagnostics"]] == [
        ("a.fake", "FAK001", 2),
        ("b.fake", "FAK002", 1),
        ("b.fake", "FAK001", 1),
    ]
    first = data["diagnostics"][0]
    assert first == {
        "code": "FAK001",
        "name": "bad-word",
        "severity": "warning",
        "path": "a.fake",
        "start": {"line": 2, "column": 1},
        "end": {"line": 2, "column": 4},
        "message": "say good, not bad",
        "fix": {
            "safety": "safe",
            "message": "",
            "edits": [
                {
                    "start": {"line": 2, "column": 1},
                    "end": {"line": 2, "column": 4},
                    "content": "good",
                }
            ],
        },
    }
    assert data["diagnostics"][1]["fix"]["safety"] == "unsafe"


def test_exit_zero(registry: Registry, project: Path, capsys) -> None:
    (project / "a.fake").write_text("bad\n")
    assert run(["check", "--exit-zero"], capsys)[0] == 0


def test_select_ignore_and_prefixes(registry: Registry, project: Path, capsys) -> None:
    (project / "a.fake").write_text("bad risky quiet\n")
    codes = lambda args: [
        d["code"] for d in json.loads(run([*args, "--format", "json"], capsys)[1])["diagnostics"]
    ]
    assert codes(["check"]) == ["FAK001", "FAK002"]
    assert codes(["check", "--select", "FAK"]) == ["FAK001", "FAK002"]
    assert codes(["check", "--select", "quiet-word"]) == ["FAK003"]
    assert codes(["check", "--select", "FAK", "--extend-select", "FAK003"]) == [
        "FAK001",
        "FAK003",
        "FAK002",
    ]
    assert codes(["check", "--ignore", "bad-word"]) == ["FAK002"]
    assert codes(["check", "--select", "fak001,FAK002", "--ignore", "FAK002"]) == ["FAK001"]
    assert codes(["check", "--select", "ALL", "--ignore", "DKR"]) == ["FAK001", "FAK002"]


def test_unknown_selector_is_usage_error(registry: Registry, project: Path, capsys) -> None:
    code, out, err = run(["check", "--select", "NOPE123"], capsys)
    assert code == 2
    assert out == ""
    assert "unknown rule 'NOPE123' in select" in err


def test_unknown_format_and_kind(registry: Registry, project: Path, capsys) -> None:
    code, _, err = run(["check", "--format", "xml"], capsys)
    assert code == 2
    assert "unknown format 'xml'" in err
    code, _, err = run(["check", "--kind", "cobol"], capsys)
    assert code == 2
    assert "unknown kind 'cobol'" in err


def test_kind_filter(registry: Registry, project: Path, capsys) -> None:
    (project / "a.fake").write_text("bad\n")
    (project / "Dockerfile").write_text("")
    code, out, _ = run(["check", "--kind", "dockerfile", "--format", "json"], capsys)
    assert [d["code"] for d in json.loads(out)["diagnostics"]] == ["DKR000"]
    _code, out, _ = run(["check", "--kind", "fake", "--format", "json"], capsys)
    assert [d["code"] for d in json.loads(out)["diagnostics"]] == ["FAK001"]


def test_bad_argument_exits_2(registry: Registry, capsys) -> None:
    code, _, err = run(["check", "--color", "purple"], capsys)
    assert code == 2
    assert "invalid choice" in err


def test_version(capsys) -> None:
    code, out, _ = run(["--version"], capsys)
    assert code == 0
    assert out == f"mlops-hooks {__version__}\n"


def test_fix_writes_and_exits_1_then_0(registry: Registry, project: Path, capsys) -> None:
    target = project / "a.fake"
    target.write_bytes(b"bad\r\nrisky\r\n")
    code, out, _ = run(["check", "--fix"], capsys)
    assert code == 1
    assert target.read_bytes() == b"good\r\nrisky\r\n"
    assert out.startswith("a.fake:2:1: FAK002 [risky-word] risky word (unsafe fix available)")
    assert "Fixed 1 finding in 1 file." in out
    code, out, _ = run(["check", "--fix", "--unsafe-fixes"], capsys)
    assert code == 1
    assert target.read_bytes() == b"good\r\nsafe\r\n"
    assert out == "Fixed 1 finding in 1 file. All checks passed (1 file checked).\n"
    code, out, _ = run(["check", "--fix", "--unsafe-fixes"], capsys)
    assert code == 0


def test_check_mode_never_writes(registry: Registry, project: Path, capsys) -> None:
    target = project / "a.fake"
    target.write_text("bad\n")
    target.chmod(0o444)
    project.chmod(0o555)
    try:
        assert run(["check"], capsys)[0] == 1
        assert target.read_text() == "bad\n"
    finally:
        project.chmod(0o755)
        target.chmod(0o644)


def test_config_from_pyproject(registry: Registry, project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.mlops-hooks]\nignore = ["risky-word"]\n'
        '[tool.mlops-hooks.rules.bad-word]\nword = "evil"\n'
    )
    (project / "a.fake").write_text("bad evil risky\n")
    _code, out, _ = run(["check", "--format", "json"], capsys)
    data = json.loads(out)["diagnostics"]
    assert [(d["code"], d["message"]) for d in data] == [("FAK001", "say good, not evil")]


def test_config_found_upward(registry: Registry, project: Path, capsys, monkeypatch) -> None:
    (project / "pyproject.toml").write_text('[tool.mlops-hooks]\nignore = ["FAK001"]\n')
    sub = project / "pkg"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "no-table-here"\n')
    (sub / "a.fake").write_text("bad\n")
    monkeypatch.chdir(sub)
    assert run(["check"], capsys)[0] == 0


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('[tool.mlops-hooks]\nselct = ["X"]\n', "unknown key 'selct' in [tool.mlops-hooks]"),
        ('[tool.mlops-hooks.rules.bad-word]\nwrd = "x"\n', "unknown option 'wrd' for rule FAK001"),
        ('[tool.mlops-hooks.rules.bad-word]\nlimit = "x"\n', "option bad-word.limit: expected int"),
        (
            "[tool.mlops-hooks.rules.nope]\nx = 1\n",
            "unknown rule 'nope' in [tool.mlops-hooks.rules]",
        ),
        ("[tool.mlops-hooks\n", "invalid TOML"),
        ('[tool.mlops-hooks]\nselect = "FAK001"\nignore = [1]\n', "ignore must be a list of str"),
        ('[tool.mlops-hooks.kinds.fake]\nsufix = ".x"\n', "unknown option 'sufix' for kind fake"),
        ("[tool.mlops-hooks.kinds.cobol]\nx = 1\n", "unknown kind 'cobol'"),
    ],
)
def test_config_errors_exit_2(
    registry: Registry, project: Path, capsys, config: str, message: str
) -> None:
    (project / "pyproject.toml").write_text(config)
    (project / "a.fake").write_text("bad\n")
    code, out, err = run(["check"], capsys)
    assert code == 2, err
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_explicit_config_file(registry: Registry, project: Path, capsys) -> None:
    cfg = project / "lint.toml"
    cfg.write_text('ignore = ["FAK001"]\n')
    (project / "a.fake").write_text("bad\n")
    assert run(["check", "--config", str(cfg)], capsys)[0] == 0
    missing = run(["check", "--config", str(project / "missing.toml")], capsys)
    assert missing[0] == 2
    assert "cannot read" in missing[2]
    bare = project / "other" / "pyproject.toml"
    bare.parent.mkdir()
    bare.write_text("[project]\n")
    code, _, err = run(["check", "--config", str(bare)], capsys)
    assert code == 2
    assert "no [tool.mlops-hooks] table" in err


def test_kind_options_route(registry: Registry, project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text('[tool.mlops-hooks.kinds.fake]\nsuffix = ".fk"\n')
    (project / "a.fake").write_text("bad\n")
    (project / "b.fk").write_text("bad\n")
    _code, out, _ = run(["check", "--format", "json"], capsys)
    assert [d["path"] for d in json.loads(out)["diagnostics"]] == ["b.fk"]


def test_inline_suppressions_and_no_ignores(registry: Registry, project: Path, capsys) -> None:
    (project / "a.fake").write_text(
        "# mlops-hooks: ignore[FAK001] reviewed\n\n# another comment\nbad\n"
        "bad  # mlops-hooks: ignore[bad-word]\nbad\n"
    )
    code, out, _ = run(["check", "--format", "json"], capsys)
    assert [d["start"]["line"] for d in json.loads(out)["diagnostics"]] == [6]
    _code, out, _ = run(["check", "--format", "json", "--no-ignores"], capsys)
    assert [d["start"]["line"] for d in json.loads(out)["diagnostics"]] == [4, 5, 6]


def test_file_level_suppression(registry: Registry, project: Path, capsys) -> None:
    (project / "a.fake").write_text("bad risky\n# mlops-hooks: ignore-file[FAK001, nope]\n")
    _code, out, _ = run(["check", "--format", "json"], capsys)
    # `nope` names no rule: MLH001 (unused-suppression) says so.
    assert [d["code"] for d in json.loads(out)["diagnostics"]] == ["FAK002", "MLH001"]


def test_per_file_ignores(registry: Registry, project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.mlops-hooks.per-file-ignores]\n"legacy/**" = ["FAK"]\n"*.fake" = ["risky-word"]\n'
    )
    (project / "legacy").mkdir()
    (project / "legacy" / "old.fake").write_text("bad\n")
    (project / "new.fake").write_text("bad risky\n")
    _code, out, _ = run(["check", "--format", "json"], capsys)
    assert [(d["path"], d["code"]) for d in json.loads(out)["diagnostics"]] == [
        ("new.fake", "FAK001")
    ]


def test_exclude_applies_to_walks_not_explicit_files(
    registry: Registry, project: Path, capsys
) -> None:
    (project / "pyproject.toml").write_text('[tool.mlops-hooks]\nexclude = ["vendor"]\n')
    (project / "vendor").mkdir()
    (project / "vendor" / "x.fake").write_text("bad\n")
    assert run(["check"], capsys)[0] == 0
    assert run(["check", "vendor/x.fake"], capsys)[0] == 1
    assert run(["check", "vendor"], capsys)[0] == 1
    assert run(["check", "--force-exclude", "vendor/x.fake"], capsys)[0] == 0


def test_unknown_files_passed_explicitly_are_skipped(
    registry: Registry, project: Path, capsys
) -> None:
    (project / "notes.txt").write_text("bad\n")
    code, out, _ = run(["check", "notes.txt"], capsys)
    assert code == 0
    assert out == "All checks passed (0 files checked).\n"


def test_prefilter_skips_parse(registry: Registry, project: Path, capsys) -> None:
    (project / "a.fake").write_text("bad skip-me\n")
    (project / "b.fake").write_text("fine\n")
    assert run(["check"], capsys)[0] == 0
    assert FakeChecker.parsed == ["b.fake"]


def test_parse_error_and_other_files_go_on(registry: Registry, project: Path, capsys) -> None:
    (project / "a.fake").write_text("ok\n!syntax\n")
    (project / "b.fake").write_text("bad\n")
    _code, out, _ = run(["check", "--format", "json"], capsys)
    diags = json.loads(out)["diagnostics"]
    assert [(d["path"], d["code"], d["start"]["line"], d["message"]) for d in diags] == [
        ("a.fake", "FAK000", 2, "bang syntax is not allowed"),
        ("b.fake", "FAK001", 1, "say good, not bad"),
    ]


def test_fix_that_breaks_parsing_is_refused(registry: Registry, project: Path, capsys) -> None:
    target = project / "a.fake"
    target.write_text("poison bad\n")
    code, _out, err = run(["check", "--fix"], capsys)
    assert code == 1
    assert target.read_text() == "poison bad\n"
    assert "a fix would make the file unparsable; not applied" in err


def test_rules_table_and_json(registry: Registry, capsys) -> None:
    code, out, _ = run(["rules"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["code", "name", "kind", "severity", "fix", "default"]
    assert "FAK001  bad-word" in out
    row = next(line for line in lines if line.startswith("FAK003"))
    assert row.split() == ["FAK003", "quiet-word", "fake", "error", "no", "no"]
    code, out, _ = run(["rules", "--format", "json"], capsys)
    rows = {r["code"]: r for r in json.loads(out)}
    assert rows["FAK001"] == {
        "code": "FAK001",
        "name": "bad-word",
        "kind": "fake",
        "severity": "warning",
        "fix": "safe",
        "default": True,
        "summary": "A line says bad.",
    }


def test_explain(registry: Registry, capsys) -> None:
    code, out, _ = run(["explain", "bad-word"], capsys)
    assert code == 0
    assert out.startswith("# FAK001 `bad-word`\n\nA line says bad.\n")
    assert "| `word` | `str` | `'bad'` | the word to flag |" in out
    assert "After the fix:\n\n```\na good\n```" in out
    code, _, err = run(["explain", "XYZ999"], capsys)
    assert code == 2
    assert "unknown rule 'XYZ999'" in err


def test_internal_error_exits_2_without_traceback(
    registry: Registry, project: Path, capsys, monkeypatch
) -> None:
    (project / "a.fake").write_text("bad\n")

    def boom(*args: object) -> None:
        raise RuntimeError("kaput")

    # A failure on one file is that file's diagnostic (tests/security); one outside the
    # per-file checking is an internal error of the run.
    monkeypatch.setattr(Engine, "run", boom)
    code, _, err = run(["check"], capsys)
    assert code == 2
    assert "internal error: RuntimeError: kaput" in err
    assert "Traceback" not in err
    monkeypatch.setenv("MLOPS_HOOKS_DEBUG", "1")
    with pytest.raises(RuntimeError):
        main(["check"])


def test_color_only_when_asked(registry: Registry, project: Path, capsys) -> None:
    (project / "a.fake").write_text("bad\n")
    _, out, _ = run(["check", "--color", "always"], capsys)
    assert "\x1b[1;33mFAK001\x1b[0m" in out
    _, out, _ = run(["check", "--color", "never"], capsys)
    assert "\x1b[" not in out
    _, out, _ = run(["check"], capsys)  # not a TTY, NO_COLOR set by conftest
    assert "\x1b[" not in out


def test_python_dash_m_and_console_script(tmp_path: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mlops_hooks", "--version"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=tmp_path,
    )
    assert proc.returncode == 0
    assert proc.stdout == f"mlops-hooks {__version__}\n"


def test_closed_stdout_exits_quietly(tmp_path: Path) -> None:
    proc = subprocess.run(
        f"{sys.executable} -m mlops_hooks rules | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert proc.stdout.startswith("code")
    assert proc.stderr == ""


def test_broken_pipe_in_process(
    registry: Registry, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mlops_hooks.cli as cli

    def closed(*args: object) -> int:
        raise BrokenPipeError

    dup2: list[int] = []
    monkeypatch.setattr(cli, "_rules", closed)
    monkeypatch.setattr(cli.os, "dup2", lambda fd, target: dup2.append(target))
    monkeypatch.setattr(cli.sys, "stdout", type("S", (), {"fileno": lambda self: 99})())
    assert main(["rules"]) == 1
    assert dup2 == [99]


def test_option_type_names() -> None:
    from mlops_hooks.rule import _type_name

    assert _type_name(tuple[str, ...]) == "tuple[str, ...]"
    assert _type_name(dict[str, list[int]] | None) == "dict[str, list[int]] | NoneType"


def test_jobs_flag_gives_the_same_output(registry: Registry, project: Path, capsys) -> None:
    for index in range(5):
        (project / f"f{index}.fake").write_text("bad\n" * index)
    code_serial, serial, _ = run(["check", "--format", "json", "--jobs", "1"], capsys)
    code_pool, pool, _ = run(["check", "--format", "json", "--jobs", "2"], capsys)
    assert (code_serial, serial) == (code_pool, pool)
    assert len(json.loads(pool)["diagnostics"]) == 10


def test_fix_that_breaks_parsing_is_refused_even_unselected(
    registry: Registry, project: Path, capsys
) -> None:
    target = project / "a.fake"
    target.write_text("poison bad\n")
    code, _, err = run(["check", "--fix", "--select", "FAK001"], capsys)
    assert code == 1
    assert target.read_text() == "poison bad\n"
    assert "a fix would make the file unparsable; not applied" in err


def _exits(code: int) -> None:
    raise SystemExit(code)


def test_module_entry_point(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import runpy

    monkeypatch.setattr(sys, "argv", ["mlops-hooks", "--version"])
    monkeypatch.setattr(os, "_exit", _exits)  # the fast exit, which would end pytest
    with pytest.raises(SystemExit) as info:
        runpy.run_module("mlops_hooks", run_name="__main__")
    assert info.value.code == 0
    assert capsys.readouterr().out == f"mlops-hooks {__version__}\n"


def test_the_command_flushes_its_output_then_skips_the_interpreter_teardown(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from mlops_hooks.cli import entry

    exits: list[int] = []

    def fast_exit(code: int) -> None:
        exits.append(code)
        raise SystemExit(code)

    monkeypatch.setattr(sys, "argv", ["mlops-hooks", "--version"])
    monkeypatch.setattr(os, "_exit", fast_exit)
    monkeypatch.delitem(sys.modules, "coverage", raising=False)
    with pytest.raises(SystemExit):
        entry()
    assert exits == [0]
    assert capsys.readouterr().out == f"mlops-hooks {__version__}\n"
    # Under coverage, which saves its data at exit, the process exits normally.
    monkeypatch.setitem(sys.modules, "coverage", sys)
    exits.clear()
    with pytest.raises(SystemExit) as info:
        entry()
    assert (exits, info.value.code) == ([], 0)


def test_the_command_keeps_its_exit_code_and_whole_output_through_a_pipe(tmp_path: Path) -> None:
    # The process ends by os._exit: everything written must still reach the reader.
    for index in range(300):
        (tmp_path / f"Dockerfile.{index}").write_text("FROM python:3.12\n")  # DKR006
    proc = subprocess.run(
        [sys.executable, "-m", "mlops_hooks", "check", "--format", "json", "."],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)["diagnostics"]
    assert len(findings) == 300
    # A report file too is whole once the process has ended.
    proc = subprocess.run(
        [sys.executable, "-m", "mlops_hooks", "check", "--format", "json", "-o", "out.json", "."],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert proc.returncode == 1, proc.stderr
    assert json.loads((tmp_path / "out.json").read_text())["diagnostics"] == findings


def test_help_wraps_at_the_terminal_width(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The width comes from COLUMNS as shutil.get_terminal_size finds it (minus argparse's 2).
    for columns, widest in (("60", 58), ("120", 118)):
        monkeypatch.setenv("COLUMNS", columns)
        assert main(["check", "--help"]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert max(map(len, lines)) <= widest
        assert max(map(len, lines)) > widest - 20


def test_terminal_columns_fall_back_to_80(monkeypatch: pytest.MonkeyPatch) -> None:
    from mlops_hooks.cli import _terminal_columns

    monkeypatch.setenv("COLUMNS", "not a number")
    monkeypatch.setattr(sys, "__stdout__", None)
    assert _terminal_columns() == 80
    monkeypatch.setenv("COLUMNS", "100")
    assert _terminal_columns() == 100


def _imported(cwd: Path, argv: list[str], modules: list[str]) -> str:
    """``main(argv)``'s exit code in a fresh interpreter, and which of ``modules`` it imported."""
    script = (
        "import sys\n"
        "from mlops_hooks.cli import main\n"
        f"code = main({argv!r})\n"
        f"print(code, [m for m in {modules!r} if m in sys.modules])\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=cwd
    )
    assert proc.stdout, proc.stderr
    return proc.stdout.splitlines()[-1]


def test_a_one_dockerfile_run_imports_only_what_it_needs(tmp_path: Path) -> None:
    # A hook process starts on every commit: no compression modules (shutil), no YAML, no
    # LibCST, no subprocess for a Dockerfile.
    (tmp_path / "Dockerfile").write_text("FROM python:3.12\n")  # DKR006
    heavy = ["shutil", "yaml", "libcst", "subprocess", "tempfile"]
    assert _imported(tmp_path, ["check", "--kind", "dockerfile", "Dockerfile"], heavy) == "1 []"


def test_a_short_run_without_costly_files_starts_no_worker_machinery(tmp_path: Path) -> None:
    # Several kinds, a conforming MLflow module that the first pass proves: no file needs
    # the worker beside, so multiprocessing is never imported (about 10 ms of every commit).
    (tmp_path / "Dockerfile").write_text("FROM python:3.12\n")
    (tmp_path / "train.py").write_text(
        'import mlflow\nmlflow.pyfunc.load_model("models:/bikes@champion")\n'
    )
    (tmp_path / "plain.py").write_text("print(1)\n")
    heavy = ["multiprocessing", "concurrent.futures", "libcst", "dataclasses"]
    argv = ["check", "Dockerfile", "train.py", "plain.py"]
    assert _imported(tmp_path, argv, heavy) == "1 []"


def test_the_import_time_profile_shows_the_rule_and_reporter_modules_a_run_imports(
    tmp_path: Path,
) -> None:
    # benchmarks/RESULTS.md reports `python -X importtime` of a one-file run. The rules and
    # the reporter are imported on demand, by name: through importlib.import_module they were
    # missing from that profile (about 16 ms of a typical commit's imports, unreported).
    (tmp_path / "Dockerfile").write_text("FROM python:3.12\n")
    argv = ["check", "--kind", "dockerfile", "--format", "concise", "Dockerfile"]
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mlops_hooks", *argv],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert proc.returncode == 1, proc.stderr
    reported = {
        line.rpartition("|")[2].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "mlops_hooks.checkers.dockerfile.rules.dkr006_full_base_image" in reported
    assert "mlops_hooks.checkers.dockerfile" in reported
    assert "mlops_hooks.reporters.concise_format" in reported
