"""just reads no path that mlops-hooks did not verify.

The justfile tree is parsed by ``just --dump`` on a private copy of the files we read. Any
``import``/``mod`` statement whose form our scanner does not read exactly as just's lexer
does would let just open a path we never checked (and its content would reach the report:
a recipe name in GHA007's "did you mean", a line in JST000's message). Each test writes an
outside file holding a secret recipe name and checks it appears in no output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlops_hooks.cli import main
from mlops_hooks.project.justfile import sandbox as index_module
from mlops_hooks.project.justfile.sandbox import find_just

pytestmark = pytest.mark.skipif(find_just() is None, reason="the rust-just wheel is missing")

SECRET = "topsecretrecipe"
WORKFLOW = (
    "on: push\nconcurrency:\n  group: x\n  cancel-in-progress: true\njobs:\n  a:\n"
    "    runs-on: ubuntu-latest\n    steps:\n      - run: just topsecretrecip\n"
)
TAIL = "\n# list\ndefault:\n    just --list\n"


def _project(tmp_path: Path, justfile: str) -> tuple[Path, Path]:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.just").write_text(f"# doc\n{SECRET}:\n    echo {SECRET}\n")
    repo = tmp_path / "repo"
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (repo / ".github" / "workflows" / "ci.yml").write_text(WORKFLOW)
    (repo / "justfile").write_text(justfile.replace("OUT", str(outside / "x.just")) + TAIL)
    return repo, outside


def _check(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[list[dict[str, object]], str, int]:
    runs: list[list[str]] = []
    real = index_module._run

    def spy(argv: list[str], cwd: Path) -> object:
        runs.append(argv)
        return real(argv, cwd)

    monkeypatch.setattr(index_module, "_run", spy)
    monkeypatch.chdir(repo)
    main(["check", ".", "--select", "ALL", "--format", "json"])
    captured = capsys.readouterr()
    found = json.loads(captured.out)["diagnostics"]
    return found, captured.out + captured.err, len(runs)


# Forms just accepts that the scanner does not read: refused, just never runs.
UNVERIFIABLE = {
    "x-string": ("import x'OUT'\n", 1),
    "continued line": ("import \\\n  'OUT'\n", 1),
    "continued, no space": ("import\\\n'OUT'\n", 1),
    "spaced optional": ("import ? 'OUT'\n", 1),
    "module x-string": ("mod m x'OUT'\n", 1),
    "module continued": ("mod m\\\n 'OUT'\n", 1),
    "attribute on the line": ("[group('a')] mod m 'OUT'\n", 1),
    "inside a multi-line string": ("x := '''\nimport 'OUT'\n'''\n", 2),
}


@pytest.mark.parametrize("case", sorted(UNVERIFIABLE))
def test_statements_the_scanner_cannot_read_are_refused(
    case: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Promise: an import or module statement in a form the scanner does not read is one
    JST000 naming its line, and ``just --dump`` does not run (fail closed)."""
    text, line = UNVERIFIABLE[case]
    repo, _ = _project(tmp_path, text)
    found, output, runs = _check(repo, monkeypatch, capsys)
    assert SECRET not in output
    assert runs == 0
    errors = [d for d in found if d["code"] == "JST000"]
    assert [(d["path"], d["start"]["line"]) for d in errors] == [("justfile", line)]  # type: ignore[index]
    assert "not given to just: an `import` or `mod` in a form" in str(errors[0]["message"])


# Forms the scanner reads, where its reading once differed from just's.
READ_DIFFERENTLY = {
    "string state": "x := \"'''\"\nimport 'OUT'\n",
    "comment with quotes": "x := 'a' # don't '''\nimport 'OUT'\n",
    "unicode escape": 'import "\\u{2F}ESCAPED"\n',
    "link then dot-dot": "import 'tasks/link/../x.just'\n",
}


@pytest.mark.parametrize("case", sorted(READ_DIFFERENTLY))
def test_paths_just_reads_are_the_paths_we_verified(
    case: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Promise: every statement just sees carries a path mlops-hooks wrote (the verified
    copy, or nothing), so escapes, links and a desynchronised string state cannot point
    just outside the copy."""
    text = READ_DIFFERENTLY[case]
    outside_dir = str(tmp_path / "outside")
    text = text.replace("ESCAPED", outside_dir[1:].replace("/", "\\u{2F}") + "\\u{2F}x.just")
    repo, outside = _project(tmp_path, text)
    (repo / "tasks").mkdir()
    (outside / "sub").mkdir()
    (repo / "tasks" / "link").symlink_to(outside / "sub")
    # The file the scanner reads for `\u{2F}...` and for `link/..`: present, harmless.
    literal = "\\u{2F}" + outside_dir[1:].replace("/", "\\u{2F}") + "\\u{2F}x.just"
    (repo / literal).write_text("harmless:\n    true\n")
    (repo / "tasks" / "x.just").write_text("harmless:\n    true\n")
    found, output, _ = _check(repo, monkeypatch, capsys)
    assert SECRET not in output
    assert [d["code"] for d in found if d["code"] == "JST000"] == []
