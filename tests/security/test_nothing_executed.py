"""Nothing from the checked repository is executed, imported or read outside its root.

Each case is a file whose execution (a YAML tag that calls a function, a Python import side
effect, a justfile backtick or recipe, a Dockerfile RUN) would create a marker file; after a
full check with every rule the marker must not exist.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mlops_hooks.cli import main
from mlops_hooks.registry import get_registry

KINDS = set(get_registry().checkers)


def payloads(marker: Path) -> dict[str, tuple[str, str]]:
    touch = f"touch {marker}"
    py = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    yaml_tag = f"!!python/object/apply:os.system [{touch!r}]"
    return {
        "dockerfile": ("Dockerfile", f"FROM python:3.12-slim\nRUN {touch}\nCMD {touch}\n"),
        "justfile": (
            "justfile",
            f"x := `{touch}`\n\ndefault:\n    {touch}\n\n# shebang\nrun:\n    #!/bin/sh\n"
            f"    {touch}\n",
        ),
        "workflow": (
            ".github/workflows/check.yml",
            f"on: push\nname: {yaml_tag}\njobs:\n  a:\n    runs-on: x\n    steps:\n"
            f"      - run: {touch}\n",
        ),
        "precommit": (
            ".pre-commit-config.yaml",
            f"repos:\n  - repo: local\n    hooks:\n      - id: x\n        name: {yaml_tag}\n"
            f"        entry: {touch}\n        language: system\n",
        ),
        "python": (
            "src/app/serving.py",
            f"import mlflow\n{py}\nmlflow.pyfunc.load_model('models:/bikes/3')\n",
        ),
        "python-config": ("confs/serving.yaml", f"model_uri: {yaml_tag}\n"),
    }


@pytest.mark.parametrize("case", sorted(payloads(Path("m"))))
def test_nothing_is_executed(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    kind = case.split("-")[0]
    if kind not in KINDS:
        pytest.skip(f"no {kind} checker")
    marker = tmp_path / "marker"
    relpath, text = payloads(marker)[case]
    repo = tmp_path / "repo"
    (repo / relpath).parent.mkdir(parents=True, exist_ok=True)
    (repo / relpath).write_text(text)
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n')
    monkeypatch.chdir(repo)
    code = main(["check", ".", "--select", "ALL", "--fix", "--unsafe-fixes"])
    capsys.readouterr()
    assert code in (0, 1)
    assert not marker.exists(), f"{case}: something from the repository was executed"


def test_imports_outside_the_root_are_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if "justfile" not in KINDS:
        pytest.skip("no justfile checker")
    secret = tmp_path / "secret.just"
    secret.write_text("stolen:\n    echo TOP-SECRET-CONTENT\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (repo / "justfile").write_text(
        f"import '{os.path.relpath(secret, repo)}'\n\n# list\ndefault:\n    just --list\n"
    )
    real_open = Path.read_bytes

    def guarded(self: Path) -> bytes:
        assert self.resolve() != secret.resolve(), "read a file outside the repository root"
        return real_open(self)

    monkeypatch.setattr(Path, "read_bytes", guarded)
    monkeypatch.chdir(repo)
    main(["check", ".", "--select", "JST", "--format", "json"])
    out = capsys.readouterr().out
    assert "TOP-SECRET-CONTENT" not in out
    assert '"JST' in out
