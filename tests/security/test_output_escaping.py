"""Output: every format writes valid UTF-8, and no human-facing output passes a control
character from the checked tree to a terminal or a CI log (issue 14, items 8 and 13).

Each test is an attack from the security review; its docstring names the promise it guards.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from mlops_hooks import engine as engine_module
from mlops_hooks.cli import main
from mlops_hooks.reporters import FORMATS
from mlops_hooks.reporters.escape import printable, valid_text
from tests.security.conftest import write_tree

# A Python string escape that evaluates to a lone surrogate, inside a model URI (MLF001
# quotes it); an ESC and a BEL in another (MLF004 quotes them); a title change plus a screen
# clear in a comment.
SURROGATE = 'import mlflow\nmlflow.pyfunc.load_model("models:/m\\ud800/1")\n'
TERMINAL_ATTACK = "\x1b]0;pwned\x07\x1b[2J"
CONTROLS = 'import mlflow\nmlflow.pyfunc.load_model("models:/m/\\x1b\\x07")\n'
#: A file name holding a newline and a fake workflow command.
EVIL_DIR = "evil\n::error file=README.md,line=1::pwned"


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    os.chdir(tmp_path)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_lone_surrogate_in_a_string_is_valid_utf8_in_every_format(
    fmt: str, tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Promise: every format produces output (exit 0 or 1, never 2 with nothing), as valid
    UTF-8, when a message quotes a ``"\\ud800"`` escape: it is shown as ``\\ud800``."""
    write_tree(tree, {"serving.py": SURROGATE})
    code = main(["check", "serving.py", "--format", fmt, "--output-file", "report.out"])
    assert code in (0, 1), capsys.readouterr().err
    text = (tree / "report.out").read_bytes().decode("utf-8")  # strict: raises if invalid
    if fmt in ("json", "sarif"):
        json.loads(text)
        text = text.replace("\\\\", "\\")  # JSON escapes the backslash
    assert "models:/m\\ud800/1" in text


def _undecodable_tree(root: Path) -> None:
    write_tree(root, {})
    directory = os.path.join(os.fsencode(root), b"d\xff")
    os.mkdir(directory)
    with open(os.path.join(directory, b"Dockerfile"), "wb") as handle:
        handle.write(b"FROM python:3.12\n")


def test_an_undecodable_byte_in_a_file_name_is_escaped_in_json_and_sarif(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Promise: a file name with a byte that is not UTF-8 keeps JSON and SARIF valid UTF-8;
    the byte is shown as ``\\xNN`` (documented in docs/security.md)."""
    _undecodable_tree(tree)
    assert main(["check", ".", "--format", "json", "--select", "DKR006"]) == 1
    data: dict[str, Any] = json.loads(capsys.readouterr().out.encode("utf-8"))
    assert [d["path"] for d in data["diagnostics"]] == ["d\\xff/Dockerfile"]
    assert main(["check", ".", "--format", "sarif", "--select", "DKR006", "-o", "r.sarif"]) == 0
    sarif = json.loads((tree / "r.sarif").read_bytes().decode("utf-8"))
    [result] = sarif["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "d%5Cxff/Dockerfile"


def test_an_undecodable_file_name_keeps_its_source_snippet(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Promise: the text format shows the escaped name and still the file's source line."""
    _undecodable_tree(tree)
    assert main(["check", ".", "--select", "DKR006"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("d\\xff/Dockerfile:1:6: DKR006 [full-base-image] ")
    assert "1 | FROM python:3.12\n" in out


def test_github_annotations_escape_controls_in_messages(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Promise: ``--format github`` never writes an ESC or BEL from the checked files into
    the log (a title change, a screen clear)."""
    write_tree(tree, {"serving.py": CONTROLS})
    assert main(["check", "serving.py", "--format", "github"]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert 'models:/m/\\x1b\\x07 reads "\\x1b\\x07" as a stage' in out


def test_a_file_name_cannot_forge_a_workflow_command(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Promise: a newline in a file name never starts a line of its own in ``--format
    github`` (it would be a fake ``::error`` annotation)."""
    write_tree(tree, {f"{EVIL_DIR}/Dockerfile": "FROM python:3.12\n"})
    assert main(["check", ".", "--format", "github", "--select", "DKR006"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "::error file=evil%0A%3A%3Aerror file=README.md%2Cline=1%3A%3Apwned/Dockerfile,line=1,"
    )


def test_the_diff_escapes_controls_in_lines_and_names(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Promise: ``--diff`` shows control characters of the changed lines as escapes (the
    terminal never receives the ESC); tabs stay."""
    line = f'm = mlflow.pyfunc.load_model("models:/bikes/champion")\t# {TERMINAL_ATTACK}\n'
    write_tree(tree, {f"{EVIL_DIR}/serving.py": "import mlflow\n" + line})
    assert main(["check", ".", "--fix", "--diff", "--select", "MLF004"]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    name = "evil\\n::error file=README.md,line=1::pwned/serving.py"
    assert out.splitlines() == [
        f"--- a/{name}",
        f"+++ b/{name}",
        "@@ -1,2 +1,2 @@",
        " import mlflow",
        '-m = mlflow.pyfunc.load_model("models:/bikes/champion")\t# \\x1b]0;pwned\\x07\\x1b[2J',
        '+m = mlflow.pyfunc.load_model("models:/bikes@champion")\t# \\x1b]0;pwned\\x07\\x1b[2J',
    ]


def test_the_stale_file_note_on_stderr_is_escaped(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: notes on stderr (here: a file changed while ``--fix`` checked it) escape the
    file name like every human-facing output: no fake ``::error`` line in a CI log."""
    target = tree / EVIL_DIR / "serving.py"
    write_tree(
        tree, {f"{EVIL_DIR}/serving.py": 'import mlflow\nMODEL_URI = "models:/bikes/champion"\n'}
    )
    apply_fixes = engine_module.apply_fixes

    def edited_meanwhile(*args: Any, **kwargs: Any) -> Any:
        target.write_text(target.read_text() + "# edited by someone else\n")
        return apply_fixes(*args, **kwargs)

    monkeypatch.setattr(engine_module, "apply_fixes", edited_meanwhile)
    main(["check", ".", "--fix", "--select", "MLF004"])
    err = capsys.readouterr().err
    assert not any(line.startswith("::") for line in err.splitlines())
    assert "evil\\n::error file=README.md,line=1::pwned/serving.py" in err


def test_one_escaping_for_every_human_facing_output() -> None:
    """Promise: the escaping is one documented function: controls and separators as Python
    escapes, bidi overrides as ``<U+XXXX>``, undecodable bytes as ``\\xNN``."""
    assert printable("a\x1b[2Jb\x07\r\n\x9b\u2028") == "a\\x1b[2Jb\\x07\\r\\n\\x9b\\u2028"
    assert printable("tab\there") == "tab\\there"
    assert printable("tab\there", tabs=True) == "tab\there"
    assert printable("abc\u202edef") == "abc<U+202E>def"
    assert printable("ok ü 日") == "ok ü 日"
    assert valid_text("d\udcff/\ud800") == "d\\xff/\\ud800"
    assert valid_text("ü") == "ü"
