"""What `check` reads: typos are errors, `-` reads standard input, zero files is said."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from mlops_hooks.cli import main
from mlops_hooks.registry import Registry


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_missing_path_is_an_error(registry: Registry, project: Path, capsys) -> None:
    (project / "a.fake").write_text("bad\n")
    assert run(["check", "srcc"], capsys) == (
        2,
        "",
        "mlops-hooks: error: srcc: No such file or directory\n",
    )
    # Every missing path is named, and nothing is checked when one is missing.
    assert run(["check", "a.fake", "x/y.fake", "z"], capsys) == (
        2,
        "",
        "mlops-hooks: error: x/y.fake: No such file or directory\n"
        "mlops-hooks: error: z: No such file or directory\n",
    )


def test_mistyped_subcommand_is_an_error(registry: Registry, project: Path, capsys) -> None:
    (project / "a.fake").write_text("all good\n")
    assert run(["chek"], capsys) == (
        2,
        "",
        "mlops-hooks: error: unrecognized subcommand 'chek'; did you mean 'check'?\n",
    )
    assert run(["rule"], capsys)[2] == (
        "mlops-hooks: error: unrecognized subcommand 'rule'; did you mean 'rules'?\n"
    )
    # A word far from every subcommand is a path: it must exist.
    assert run(["zzz"], capsys)[2] == "mlops-hooks: error: zzz: No such file or directory\n"


def test_existing_path_named_like_a_subcommand_is_checked(
    registry: Registry, project: Path, capsys
) -> None:
    (project / "chek").mkdir()
    (project / "chek" / "a.fake").write_text("bad\n")
    code, out, _ = run(["chek"], capsys)
    assert code == 1
    assert out.startswith("chek/a.fake:1:1: FAK001")


def test_zero_files_checked_is_said(registry: Registry, project: Path, capsys) -> None:
    (project / "notes.txt").write_text("bad\n")
    code, out, err = run(["check", "notes.txt"], capsys)
    assert code == 0
    assert out == "All checks passed (0 files checked).\n"
    assert err == (
        "mlops-hooks: warning: no files to check: nothing under the given paths is a kind of "
        "file mlops-hooks checks (or all of it is excluded)\n"
    )
    (project / "a.fake").write_text("fine\n")
    assert run(["check", "a.fake"], capsys)[2] == ""


def test_stdin_with_filename(
    registry: Registry, project: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(b"ok\nbad\n"))
    code, out, _ = run(["check", "-", "--stdin-filename", "sub/in.fake"], capsys)
    assert code == 1
    # The name given routes the kind and names the file; the file itself need not exist.
    assert out.startswith("sub/in.fake:2:1: FAK001 [bad-word] say good, not bad (fixable)\n")
    assert not (project / "sub").exists()


def test_stdin_filename_alone_reads_stdin(
    registry: Registry, project: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "other.fake").write_text("bad\n")
    monkeypatch.setattr(sys, "stdin", _Stdin(b"fine\n"))
    assert run(["check", "--stdin-filename", "in.fake"], capsys)[:2] == (
        0,
        "All checks passed (1 file checked).\n",
    )


def test_stdin_fix_prints_the_fixed_text(
    registry: Registry, project: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "in.fake").write_text("bad\n")
    monkeypatch.setattr(sys, "stdin", _Stdin(b"bad\nrisky\n"))
    code, out, err = run(["check", "--fix", "-", "--stdin-filename", "in.fake"], capsys)
    assert code == 1
    assert out == "good\nrisky\n"
    assert err.startswith("in.fake:2:1: FAK002")
    assert (project / "in.fake").read_text() == "bad\n"  # never written
    monkeypatch.setattr(sys, "stdin", _Stdin(b"fine\n"))
    assert run(["check", "--fix", "-", "--stdin-filename", "in.fake"], capsys)[:2] == (
        0,
        "fine\n",
    )


def test_stdin_usage_errors(registry: Registry, project: Path, capsys) -> None:
    (project / "a.fake").write_text("fine\n")
    assert run(["check", "-"], capsys)[::2] == (
        2,
        "mlops-hooks: error: reading standard input (`-`) needs --stdin-filename NAME: the "
        "name tells which kind of file it is\n",
    )
    assert run(["check", "-", "a.fake", "--stdin-filename", "x.fake"], capsys)[::2] == (
        2,
        "mlops-hooks: error: `-` (standard input) cannot be combined with other paths\n",
    )


def test_stdin_of_no_kind_checks_nothing(
    registry: Registry, project: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(b"bad\n"))
    code, out, err = run(["check", "-", "--stdin-filename", "notes.txt"], capsys)
    assert (code, out) == (0, "All checks passed (0 files checked).\n")
    assert "no files to check" in err


def test_output_file_in_a_missing_folder(registry: Registry, project: Path, capsys) -> None:
    (project / "a.fake").write_text("bad\n")
    code, out, _ = run(["check", "a.fake", "--format", "json", "-o", "reports/ci/out.json"], capsys)
    assert (code, out) == (1, "")
    assert '"FAK001"' in (project / "reports/ci/out.json").read_text()
    (project / "blocker").write_text("a file, not a folder\n")
    code, _, err = run(["check", "a.fake", "-o", "blocker/out.txt"], capsys)
    assert code == 2
    assert err.startswith("mlops-hooks: error: cannot write blocker")
    assert "internal error" not in err
