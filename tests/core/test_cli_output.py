"""The output options of ``mlops-hooks check`` end to end, in process, on the fake kind."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from mlops_hooks.cli import _use_color, main
from mlops_hooks.registry import Registry
from tests.core.fakekind import registry
from tests.reporters.sarif_schema import validate_sarif

__all__ = ["registry"]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.delenv("MLOPS_HOOKS_OUTPUT_FORMAT", raising=False)
    return tmp_path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_sarif_exits_0_with_findings_unless_asked(
    registry: Registry, project: Path, capsys
) -> None:
    (project / "my dir").mkdir()
    (project / "my dir" / "a,b.fake").write_text("x\nrisky bad\n")
    code, out, _ = run(["check", "--format", "sarif"], capsys)
    assert code == 0
    document = json.loads(out)
    validate_sarif(document)
    run_ = document["runs"][0]
    assert [r["ruleId"] for r in run_["results"]] == ["FAK002", "FAK001"]
    assert run_["originalUriBaseIds"] == {"%SRCROOT%": {"uri": project.resolve().as_uri() + "/"}}
    location = run_["results"][1]["locations"][0]["physicalLocation"]
    assert location == {
        "artifactLocation": {"uri": "my%20dir/a%2Cb.fake", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 2, "startColumn": 7, "endLine": 2, "endColumn": 10},
    }
    # The run's rules are described (FAK003 is off by default, so not in the run).
    described = {r["id"] for r in run_["tool"]["driver"]["rules"]}
    assert {"FAK000", "FAK001", "FAK002"} <= described
    assert "FAK003" not in described
    code, _, _ = run(["check", "--format", "sarif", "--exit-non-zero-on-findings"], capsys)
    assert code == 1
    (project / "my dir" / "a,b.fake").write_text("fine\n")
    code, out, _ = run(["check", "--format", "sarif", "--exit-non-zero-on-findings"], capsys)
    assert code == 0
    validate_sarif(json.loads(out))


def test_sarif_and_github_paths_are_relative_to_the_repository_root(
    registry: Registry, project: Path, capsys, monkeypatch
) -> None:
    (project / "sub").mkdir()
    (project / "sub" / "a.fake").write_text("bad\n")
    monkeypatch.chdir(project / "sub")
    _, out, _ = run(["check", "a.fake", "--format", "github"], capsys)
    assert out == (
        "::warning file=sub/a.fake,line=1,col=1,endLine=1,endColumn=4,title=FAK001 bad-word"
        "::say good, not bad\n"
    )
    monkeypatch.setenv("GITHUB_WORKSPACE", str(project / "sub"))
    code, out, _ = run(["check", "a.fake", "--format", "github"], capsys)
    assert code == 1
    assert out.startswith("::warning file=a.fake,line=1,")


def test_concise_and_format_from_the_environment(
    registry: Registry, project: Path, capsys, monkeypatch
) -> None:
    (project / "a.fake").write_text("bad\n")
    monkeypatch.setenv("MLOPS_HOOKS_OUTPUT_FORMAT", "concise")
    code, out, _ = run(["check"], capsys)
    assert code == 1
    assert out == (
        "a.fake:1:1: FAK001 [bad-word] say good, not bad (fixable)\n"
        "Found 1 finding in 1 file (1 checked); 1 fixable with --fix.\n"
    )
    code, out, _ = run(["check", "--format", "json"], capsys)  # the flag wins
    assert json.loads(out)["version"] == 1


def test_statistics(registry: Registry, project: Path, capsys) -> None:
    (project / "a.fake").write_text("bad\nbad\nrisky\n")
    code, out, _ = run(["check", "--statistics"], capsys)
    assert code == 1
    assert out == (
        "2  FAK001  bad-word    2 fixable\n"
        "1  FAK002  risky-word  1 unsafe fix\n"
        "Found 3 findings in 1 file (1 checked); 2 fixable with --fix, "
        "1 more with --fix --unsafe-fixes.\n"
    )
    _, out, _ = run(["check", "--statistics", "--format", "json"], capsys)
    assert [(r["code"], r["count"]) for r in json.loads(out)["statistics"]] == [
        ("FAK001", 2),
        ("FAK002", 1),
    ]
    code, out, err = run(["check", "--statistics", "--format", "sarif"], capsys)
    assert (code, out) == (2, "")
    assert "--statistics prints text or json, not --format sarif" in err


def test_show_fixes_previews_and_lists_fixed_files(
    registry: Registry, project: Path, capsys
) -> None:
    (project / "a.fake").write_text("one\n\ta bad line\n")
    code, out, _ = run(["check", "--show-fixes"], capsys)
    assert code == 1
    assert out == (
        "a.fake:2:4: FAK001 [bad-word] say good, not bad (fixable)\n"
        "2 |     a bad line\n"
        "          ^^^\n"
        "  fix (safe): apply the fix\n"
        "  2 -     a bad line\n"
        "  2 +     a good line\n"
        "Found 1 finding in 1 file (1 checked); 1 fixable with --fix.\n"
    )
    (project / "b.fake").write_text("bad bad\n")
    code, out, _ = run(["check", "--fix", "--show-fixes"], capsys)
    assert code == 1
    assert out == (
        "Fixed 3 findings:\n"
        "- a.fake: 1 fix\n"
        "- b.fake: 2 fixes\n"
        "Fixed 3 findings in 2 files. All checks passed (2 files checked).\n"
    )


def test_fix_diff_prints_and_writes_nothing(registry: Registry, project: Path, capsys) -> None:
    target = project / "a.fake"
    target.write_bytes(b"keep\r\nbad\r\nrisky\r\n")
    code, out, err = run(["check", "--fix", "--diff"], capsys)
    assert code == 1
    assert out == (
        "--- a/a.fake\n+++ b/a.fake\n@@ -1,3 +1,3 @@\n keep\r\n-bad\r\n+good\r\n risky\r\n"
    )
    assert err == "Would fix 1 finding in 1 file.\n"
    assert target.read_bytes() == b"keep\r\nbad\r\nrisky\r\n"
    code, out, err = run(["check", "--diff", "--unsafe-fixes"], capsys)  # --diff implies --fix
    assert code == 1
    assert out.endswith(" keep\r\n-bad\r\n-risky\r\n+good\r\n+safe\r\n")
    assert err == "Would fix 2 findings in 1 file.\n"
    assert target.read_bytes() == b"keep\r\nbad\r\nrisky\r\n"
    assert run(["check", "--fix"], capsys)[0] == 1
    code, out, err = run(["check", "--fix", "--diff"], capsys)
    assert (code, out, err) == (0, "", "No fixes available.\n")
    code, out, err = run(["check", "--fix", "--diff", "--format", "json"], capsys)
    assert code == 2
    assert "--diff prints a unified diff; it cannot be --format json" in err


def test_output_file(registry: Registry, project: Path, capsys) -> None:
    (project / "a.fake").write_text("bad\n")
    code, out, _ = run(["check", "--format", "sarif", "-o", "results.sarif"], capsys)
    assert (code, out) == (0, "")
    document = json.loads((project / "results.sarif").read_text(encoding="utf-8"))
    validate_sarif(document)
    assert document["runs"][0]["results"][0]["ruleId"] == "FAK001"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_on_a_terminal_only_and_never_with_no_color(monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert _use_color("auto", _Terminal()) is True
    assert _use_color("auto", io.StringIO()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert _use_color("auto", _Terminal()) is False
    assert _use_color("always", io.StringIO()) is True
    assert _use_color("never", _Terminal()) is False
