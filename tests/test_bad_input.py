"""Bad input of every kind: one clear diagnostic naming file and line, and the run goes on.

Each case writes one broken file next to a good file of another kind and checks the whole
directory: the broken file gets exactly one parse-error diagnostic (``XXX000``) at the stated
line, the good file is still checked, and nothing raises. Bounds are in the names: inputs up
to 20 MB (refused above ``max-file-size``, 10 MiB by default, without being read), alias bombs
of 10^9 nodes, 10,000 levels of nesting.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from mlops_hooks.cli import main

GOOD_DOCKERFILE = (
    "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nCOPY dist/*.whl /tmp/\n"
    "RUN --mount=type=cache,target=/root/.cache/uv uv pip install --system /tmp/*.whl\n"
)
BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)
DEEP = "x: " + "[" * 10_000 + "]" * 10_000 + "\n"

# (kind, path, content, expected code, expected line)
CASES = [
    ("binary", "Dockerfile", b"FROM x\x00\x01\x02", "DKR000", 1),
    ("invalid-utf8", "Dockerfile", b"FROM python:3.12\nRUN echo \xff\n", "DKR000", 2),
    (
        "utf16-bom-ok",
        "Dockerfile",
        codecs.BOM_UTF16_LE + GOOD_DOCKERFILE.encode("utf-16-le"),
        None,
        None,
    ),
    ("only-directives", "Dockerfile", b"# syntax=docker/dockerfile:1\n# escape=`\n", "DKR000", 1),
    (
        "justfile-syntax",
        "justfile",
        b"default:\n    echo hi\n\n  bad indentation here\n",
        "JST000",
        4,
    ),
    (
        "python-syntax",
        "src/app/serving.py",
        b"import mlflow\nURI = 'models:/bikes@champion'\ndef f(:\n    pass\n",
        "MLF000",
        3,
    ),
    ("python-null-bytes", "src/app/serving.py", b"import mlflow\x00\n", "MLF000", 1),
    ("workflow-not-mapping", ".github/workflows/check.yml", b"- just\n- a list\n", "GHA000", 1),
    (
        "workflow-duplicate-key",
        ".github/workflows/check.yml",
        b"on: push\njobs: {}\non: pull_request\n",
        "GHA000",
        3,
    ),
    (
        "workflow-alias-bomb-1e9-nodes",
        ".github/workflows/check.yml",
        ("on: push\n" + BOMB).encode(),
        None,
        None,
    ),
    ("workflow-10000-levels", ".github/workflows/check.yml", DEEP.encode(), "GHA000", 1),
    ("precommit-10000-levels", ".pre-commit-config.yaml", DEEP.encode(), "PCC000", 1),
    (
        "precommit-alias-bomb-1e9-nodes",
        ".pre-commit-config.yaml",
        ("repos: []\n" + BOMB).encode(),
        None,
        None,
    ),
    ("precommit-not-mapping", ".pre-commit-config.yaml", b"just a string\n", "PCC000", 1),
    # BuildKit splits lines on LF only: a CR-only file is one line to it (and to docker build).
    ("lone-cr-line-endings", "Dockerfile", b"FROM x\rCOPY <<EOF a\rnever closed\r", "DKR000", 1),
]


def check(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> list[dict[str, object]]:
    code = main(["check", str(root), "--format", "json", "--select", "ALL", *extra])
    out = capsys.readouterr().out
    assert code in (0, 1), out
    data = json.loads(out)
    assert data["version"] == 1
    diagnostics: list[dict[str, object]] = data["diagnostics"]
    return diagnostics


@pytest.mark.parametrize(
    ("name", "path", "content", "code", "line"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_input_gives_one_diagnostic_and_the_run_goes_on(
    name: str,
    path: str,
    content: bytes,
    code: str | None,
    line: int | None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    target = tmp_path / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    other = tmp_path / "docker" / "Dockerfile.good"
    other.parent.mkdir()
    other.write_text("FROM python:3.12\n")  # DKR006: proves the run went on
    monkeypatch.chdir(tmp_path)
    found = check(tmp_path, capsys)
    mine = [d for d in found if str(d["path"]).endswith(path)]
    errors = [d for d in mine if str(d["code"]).endswith("000")]
    if code is None:
        assert errors == []
    else:
        assert [(d["code"], d["start"]["line"]) for d in errors] == [(code, line)]  # type: ignore[index]
        assert errors[0]["message"]
    assert any(d["code"] == "DKR006" for d in found if str(d["path"]).endswith("Dockerfile.good"))


def test_20mb_file_is_refused_unread_above_the_10mib_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    big = tmp_path / "Dockerfile"
    with big.open("wb") as handle:
        handle.write(b"FROM python:3.12-slim\n")
        handle.write((b"RUN echo " + b"x" * 990 + b"\n") * 20_480)
    monkeypatch.chdir(tmp_path)
    [diag] = check(tmp_path, capsys)
    assert diag["code"] == "DKR000"
    assert "above max-file-size (10485760); not checked" in str(diag["message"])


def test_long_lines_of_every_kind_within_1mb(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    long = "x" * 1_000_000
    files = {
        "Dockerfile": f"FROM python:3.12-slim\nRUN echo {long}\n",
        ".github/workflows/check.yml": f"on: workflow_call\nname: {long}\njobs: {{}}\n",
        ".pre-commit-config.yaml": f"# {long}\nrepos: []\n",
        "src/app/serving.py": f"import mlflow\nX = '{long}'\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    monkeypatch.chdir(tmp_path)
    found = check(tmp_path, capsys)
    errors = [(d["path"], d["message"]) for d in found if str(d["code"]).endswith("000")]
    # BuildKit itself refuses Dockerfile lines over 64 KiB; every other kind reads them.
    assert errors == [
        (
            "Dockerfile",
            "Dockerfile parse error: dockerfile line greater than max allowed size of 65535",
        )
    ]


def test_invalid_config_table_is_a_clear_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.mlops-hooks]\nselect = 3\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert "select must be a list of strings, got 3" in err
    assert "Traceback" not in err
