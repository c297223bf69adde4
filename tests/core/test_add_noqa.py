"""`check --add-noqa` and MLH001 (unused-suppression), on real kinds of file."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from mlops_hooks.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


def findings(capsys: pytest.CaptureFixture[str], *args: str) -> list[tuple[str, int, str]]:
    main(["check", "--format", "json", *args])
    data = json.loads(capsys.readouterr().out)
    return [(d["path"], d["start"]["line"], d["code"]) for d in data["diagnostics"]]


def add_noqa(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check", "--add-noqa", *args])
    return code, capsys.readouterr().err


def test_bad_example_checks_clean_and_parses_after_add_noqa(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "bad"
    shutil.copytree(ROOT / "examples" / "bad-ml-project", repo)
    monkeypatch.chdir(repo)
    before = findings(capsys)
    assert len(before) > 40
    code, err = add_noqa(capsys)
    assert code == 0
    # The unused suppression (MLH001) is removed, not suppressed; every other finding is.
    unused = [f for f in before if f[2] == "MLH001"]
    assert unused == [("src/bikes/settings.py", 5, "MLH001")]
    assert f"Added suppressions of {len(before) - 1} findings in " in err
    assert findings(capsys) == []
    assert (repo / "src/bikes/settings.py").read_text().splitlines()[4] == 'MODEL_NAME = "bikes"'
    # Idempotent: a second run finds nothing to add and changes nothing.
    snapshot = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    assert add_noqa(capsys) == (0, "Added suppressions of 0 findings in 0 files.\n")
    assert {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()} == snapshot
    # Every file still parses with its own tool's parser.
    for path in repo.rglob("*.py"):
        ast.parse(path.read_text())
    for path in [*repo.rglob("*.yml"), *repo.rglob("*.yaml")]:
        yaml.safe_load(path.read_text())
    just = shutil.which("just") or str(Path(shutil.which("mlops-hooks") or "just").parent / "just")
    for path in [repo / "justfile", *repo.glob("tasks/*.just")]:
        text = path.read_text()
        # The example's justfile imports a missing file on purpose (JST003): drop that line.
        probe = path.with_name(".probe.just")  # beside it: imports are relative
        probe.write_text("\n".join(x for x in text.splitlines() if "docker.just" not in x))
        subprocess.run([just, "--justfile", str(probe), "--dump"], check=True, capture_output=True)
        probe.unlink()
    from dockerfile import parse_string

    assert parse_string((repo / "Dockerfile").read_text())
    # The comments went where the docs say.
    justfile = (repo / "justfile").read_text()
    assert "install:  # mlops-hooks: ignore[JST005,JST006,JST007]\n" in justfile
    assert justfile.endswith("# mlops-hooks: ignore-file[JST001,JST009]\n")  # line 1: a comment
    assert (
        "# mlops-hooks: ignore[DKR001,DKR003]\nCOPY . /app\n" in (repo / "Dockerfile").read_text()
    )


def test_placement_in_multi_line_constructs(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".github/workflows").mkdir(parents=True)
    (repo / "src").mkdir()
    (repo / "Dockerfile").write_bytes(
        b"FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\r\n"
        b"RUN apt-get update && \\\r\n    uv sync\r\n"
        b"RUN <<EOF\r\nset -e\r\nuv sync --locked\r\nEOF\r\n"
    )
    (repo / ".github/workflows/ci.yml").write_text(
        "on:\n  push:\nconcurrency:\n  group: x-${{ github.ref }}\n  cancel-in-progress: true\n"
        "jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: |\n          echo hi\n          just nothere\n"
    )
    (repo / "src/app.py").write_bytes(
        b'\xef\xbb\xbfimport mlflow\nDOC = """\nmodels:/bikes/3\n"""\n'
        b'm = mlflow.pyfunc.load_model(\n    "models:/bikes/4"\n)\n'
        b'x = "models:/a/1" \\\n    + ""\n'
    )
    assert len(findings(capsys)) == 7
    assert add_noqa(capsys)[0] == 0
    assert findings(capsys) == []
    # Dockerfile: above the continuation line (BuildKit drops comment lines there); for a
    # heredoc line, above the instruction; CRLF kept.
    assert (repo / "Dockerfile").read_bytes() == (
        b"FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\r\n"
        b"RUN apt-get update && \\\r\n"
        b"    # mlops-hooks: ignore[DKR004,DKR005]\r\n    uv sync\r\n"
        b"# mlops-hooks: ignore[DKR005]\r\n"
        b"RUN <<EOF\r\nset -e\r\nuv sync --locked\r\nEOF\r\n"
    )
    # YAML: a block scalar's line is covered from its key.
    assert (
        (repo / ".github/workflows/ci.yml")
        .read_text()
        .endswith(
            "    steps:\n      # mlops-hooks: ignore[GHA007]\n"
            "      - run: |\n          echo hi\n          just nothere\n"
        )
    )
    # Python: at the end of the string, of the line, of the backslash-continued statement;
    # BOM kept.
    assert (repo / "src/app.py").read_bytes() == (
        b'\xef\xbb\xbfimport mlflow\nDOC = """\nmodels:/bikes/3\n'
        b'"""  # mlops-hooks: ignore[MLF001]\n'
        b'm = mlflow.pyfunc.load_model(\n    "models:/bikes/4"  # mlops-hooks: ignore[MLF001]\n)\n'
        b'x = "models:/a/1" \\\n    + ""  # mlops-hooks: ignore[MLF001]\n'
    )


def test_add_noqa_merges_into_an_existing_directive(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "Dockerfile").write_text(
        "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n"
        "# mlops-hooks: ignore[DKR004] reason kept\n"
        "RUN uv sync\n"
    )
    assert add_noqa(capsys)[0] == 0
    assert (repo / "Dockerfile").read_text() == (
        "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n"
        "# mlops-hooks: ignore[DKR004,DKR005] reason kept\n"
        "RUN uv sync\n"
    )


def test_add_noqa_leaves_parse_errors_and_refuses_fix(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "Dockerfile").write_text("FROM\n")
    code, _ = add_noqa(capsys)
    assert code == 1  # DKR000 cannot be suppressed by a comment in a file that does not parse
    assert (repo / "Dockerfile").read_text() == "FROM\n"
    assert main(["check", "--add-noqa", "--fix"]) == 2
    assert "cannot be combined with --fix" in capsys.readouterr().err


def test_unused_suppression_and_its_fix(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "Dockerfile").write_text(
        "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n"
        "COPY uv.lock pyproject.toml ./\n"
        "# mlops-hooks: ignore[DKR004,DKR005] was needed once\n"
        "RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project\n"
        "RUN uv sync  # mlops-hooks: ignore[DKR004,DKR005,DKR001]\n"
    )
    main(["check", "--format", "json"])
    found = json.loads(capsys.readouterr().out)["diagnostics"]
    assert [(d["code"], d["start"]["line"], d["message"]) for d in found] == [
        (
            "MLH001",
            3,
            "unused suppression: `DKR004` (unlocked-sync) suppresses nothing here; "
            "`DKR005` (uv-cache-in-layer) suppresses nothing here",
        ),
        (
            "MLH001",
            5,
            "unused suppression: `DKR001` (dependencies-after-source) suppresses nothing here",
        ),
    ]
    # Not judged when the rule does not run: selecting only MLH001 reports nothing here.
    assert findings(capsys, "--select", "MLH001") == []
    assert main(["check", "--fix"]) == 1  # fixed
    capsys.readouterr()
    assert (repo / "Dockerfile").read_text() == (
        "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n"
        "COPY uv.lock pyproject.toml ./\n"
        "RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project\n"
        "RUN uv sync  # mlops-hooks: ignore[DKR004,DKR005]\n"
    )
    assert findings(capsys) == []


def test_unused_end_of_line_and_file_level(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "src").mkdir()
    (repo / "src/app.py").write_text(
        "import mlflow  # note  # mlops-hooks: ignore[MLF001] old\n"
        'TEXT = """\n# mlops-hooks: ignore[MLF002]\n"""\n'
        "# mlops-hooks: ignore-file[model-uri-by-latest]\n"
    )
    main(["check", "--format", "json"])
    found = json.loads(capsys.readouterr().out)["diagnostics"]
    # Line 3 is text inside a string: not a comment, so not a suppression.
    assert [(d["start"]["line"], d["fix"] is not None) for d in found] == [(1, True), (5, True)]
    assert found[1]["message"] == (
        "unused suppression: `MLF002` (model-uri-by-latest) suppresses nothing in this file"
    )
    main(["check", "--fix"])
    capsys.readouterr()
    assert (repo / "src/app.py").read_text() == (
        'import mlflow  # note\nTEXT = """\n# mlops-hooks: ignore[MLF002]\n"""\n'
    )


def test_unknown_and_foreign_codes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "justfile").write_text(
        "# list\n[group('help')]\ndefault:  # mlops-hooks: ignore[DKR001,nope]\n    just --list\n"
    )
    main(["check", "justfile", "--select", "MLH001", "--format", "concise"])
    assert capsys.readouterr().out.splitlines()[0] == (
        "justfile:3:11: MLH001 [unused-suppression] unused suppression: `DKR001` "
        "(dependencies-after-source) never applies to a justfile file; `nope` is not a rule "
        "code or name (fixable)"
    )
    # A per-file ignore or --no-ignores turns it off.
    assert findings(capsys, "--select", "MLH001", "--no-ignores") == []
