"""``mlops-hooks init``: writes only what is missing, and what it writes passes every check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_hooks.cli import main
from mlops_hooks.project.justfile.sandbox import find_just
from mlops_hooks.scaffold.plan import FILES, VERSIONS, make_plan, read_facts, render, write


def targets(package: str, publish: bool = False) -> list[str]:
    """The files a scaffold writes into an empty directory for ``package``."""
    found = [t.replace("@@{package}", package) for t, _ in FILES]
    return found if publish else [t for t in found if t != ".github/workflows/publish.yml"]


def package_of(path: Path) -> str:
    from mlops_hooks.scaffold.plan import package_name

    return package_name(path.name)


PYPROJECT = '[project]\nname = "Bikes-Forecast"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def init(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["init", *argv])
    return code, capsys.readouterr().out


def test_empty_dir_gets_every_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = init(capsys, str(tmp_path))
    assert code == 0
    written = targets(package_of(tmp_path))
    assert sorted(snapshot(tmp_path)) == sorted(written)
    for target in written:
        assert f"  wrote: {target}\n" in out
    # No [build-system]: no sign that the project publishes, so no publish workflow.
    assert (
        "  skipped: .github/workflows/publish.yml (no sign that the project publishes to PyPI "
        "(pyproject.toml has no [build-system]); --publish)\n"
    ) in out
    assert "14 written, 1 skipped." in out
    assert 'version_provider = "uv"' in out  # [tool.commitizen] advice, not written
    # No pyproject.toml: the directory names the project.
    assert f"project {tmp_path.name!r}" in out


def test_missing_directory_is_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "new" / "project"
    code, _ = init(capsys, str(target), "--publish")
    assert code == 0
    assert sorted(snapshot(target)) == sorted(targets("project", publish=True))


def test_scaffolded_project_passes_every_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    monkeypatch.chdir(tmp_path)
    assert init(capsys)[0] == 0
    # The step init prints next: `uv add --dev rust-just ruff ...` (written as uv writes it).
    with (tmp_path / "pyproject.toml").open("a") as pyproject:
        pyproject.write('\n[dependency-groups]\ndev = ["rust-just>=1.40", "ruff>=0.14"]\n')
    code = main(["check", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert out["diagnostics"] == []
    assert code == 0
    # Every scaffolded file was checked (the workflows, justfile, Dockerfile, config...).
    assert main(["check"]) == 0
    assert capsys.readouterr().out == "All checks passed (13 files checked).\n"


@pytest.mark.skipif(find_just() is None, reason="the rust-just wheel is not installed")
def test_just_parses_the_justfile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert init(capsys, str(tmp_path))[0] == 0
    just = find_just()
    assert just is not None
    proc = subprocess.run(
        [just, "--justfile", str(tmp_path / "justfile"), "--list"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    for recipe in ("check", "clean", "commit", "docker", "format", "install", "package"):
        assert f"\n    {recipe} " in proc.stdout
    assert proc.stdout.startswith("Available recipes:\n    default ")


def test_pre_commit_accepts_the_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed next to the interpreter")
    assert init(capsys, str(tmp_path))[0] == 0
    proc = subprocess.run(
        [str(pre_commit), "validate-config", str(tmp_path / ".pre-commit-config.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == proc.stderr == ""  # not even a warning (mutable rev, stage names)


def test_half_populated_dir_keeps_every_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = {
        "pyproject.toml": PYPROJECT + '\n[tool.commitizen]\nname = "cz_conventional_commits"\n',
        ".pre-commit-config.yml": "repos: []\n",
        "Justfile": "import 'tasks/check.just'\n\n# mine\nbuild:\n\techo mine\n",
        "tasks/clean.just": "# clean\nclean:\n    rm -rf dist\n",
        ".github/workflows/check.yaml": "on: push\r\njobs: {}\r\n",
        "Dockerfile": "\ufeffFROM scratch\n",
    }
    for rel, text in existing.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(text.encode("utf-8"))
    before = snapshot(tmp_path)
    code, out = init(capsys, str(tmp_path))
    assert code == 0
    after = snapshot(tmp_path)
    assert {k: after[k] for k in before} == before
    assert sorted(set(after) - set(before)) == [
        ".dockerignore",
        "src/bikes_forecast/__init__.py",
        "tasks/check.just",  # imported by the existing Justfile, and missing
        "tests/test_bikes_forecast.py",
    ]
    assert "  skipped: .pre-commit-config.yaml (.pre-commit-config.yml exists)\n" in out
    assert "  skipped: justfile (Justfile exists)\n" in out
    assert "  skipped: tasks/clean.just (exists)\n" in out
    assert "  skipped: tasks/docker.just (Justfile exists and does not import it)\n" in out
    ci = "the project has CI workflows (.github/workflows/check.yaml): no second one"
    assert f"  skipped: .github/workflows/check.yml ({ci})\n" in out
    assert f"  skipped: .github/workflows/publish.yml ({ci})\n" in out
    assert "  skipped: Dockerfile (exists)\n" in out
    assert "4 written, 11 skipped." in out
    # Where a file exists, the snippet to merge into it.
    assert (
        "Merge into .pre-commit-config.yml (under `repos:`):\n\n"
        "      - repo: https://github.com/mlops-hooks/mlops-hooks\n"
    ) in out
    assert "Add to the justfile (and to the dependencies of `check`):\n" in out
    assert (
        "Add to the job that runs your checks (.github/workflows/check.yaml):\n\n"
        "    - name: MLOps conventions\n      run: mlops-hooks check --format github\n"
    ) in out
    assert "[tool.commitizen]" not in out  # already there
    assert "[tool.bandit]" in out


def test_second_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert init(capsys, str(tmp_path))[0] == 0
    first = snapshot(tmp_path)
    code, out = init(capsys, str(tmp_path))
    assert code == 0
    assert snapshot(tmp_path) == first
    assert "0 written, 15 skipped." in out
    assert "wrote:" not in out


def test_dry_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    before = snapshot(tmp_path)
    code, out = init(capsys, str(tmp_path), "--dry-run")
    assert code == 0
    assert snapshot(tmp_path) == before
    assert "  would write: .pre-commit-config.yaml\n" in out
    assert "  skip (exists): Dockerfile\n" in out
    assert "\n==> justfile <==\n# Tasks of the " in out
    assert "==> Dockerfile <==" not in out
    assert out.endswith("Dry run: nothing written.\n")
    missing = tmp_path / "missing"
    assert init(capsys, str(missing), "--dry-run")[0] == 0
    assert not missing.exists()


def test_name_and_python_from_the_project(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    facts = read_facts(tmp_path)
    assert (facts.name, facts.package, facts.python) == ("Bikes-Forecast", "bikes_forecast", "3.11")
    (tmp_path / ".python-version").write_text("3.13.1\n")
    assert read_facts(tmp_path).python == "3.13"
    assert read_facts(tmp_path, name="other", python="3.10").python == "3.10"
    dockerfile = next(
        p for p in make_plan(tmp_path, read_facts(tmp_path)).files if p.path == "Dockerfile"
    )
    assert "ARG PYTHON_VERSION=3.13\n" in dockerfile.text
    assert 'CMD ["python", "-m", "bikes_forecast"]\n' in dockerfile.text


def test_flags_override_the_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    code, out = init(capsys, str(tmp_path), "--name", "churn", "--python", "3.10")
    assert code == 0
    assert "project 'churn' (package churn), Python 3.10" in out
    assert 'PACKAGE := "churn"' in (tmp_path / "justfile").read_text()


@pytest.mark.parametrize(
    "argv", [["--python", "3"], ["--python", "python3.12"], ["--name", "-bad"], ["--name", "a b"]]
)
def test_invalid_flags_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert main(["init", str(tmp_path), *argv]) == 2
    assert list(tmp_path.iterdir()) == []


def test_a_file_is_not_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    assert main(["init", str(target)]) == 2
    assert "is not a directory" in capsys.readouterr().err


def test_invalid_pyproject_falls_back_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text("[project\n")
    code, out = init(capsys, str(tmp_path), "--dry-run")
    assert code == 0
    assert out.startswith("warning: pyproject.toml not read (")


def test_a_file_created_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    plan = make_plan(tmp_path, read_facts(tmp_path))
    (tmp_path / "justfile").write_text("mine\n")
    written = {p.path for p in write(plan)}
    assert "justfile" not in written
    assert (tmp_path / "justfile").read_text() == "mine\n"


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_symlinked_directory_leading_outside_is_skipped(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    project = tmp_path / "project"
    project.mkdir()
    (project / ".github").symlink_to(outside, target_is_directory=True)
    plan = make_plan(project, read_facts(project))
    skipped = {p.path: p.reason for p in plan.skipped}
    assert skipped == {
        ".github/workflows/check.yml": "outside the project",
        ".github/workflows/publish.yml": "no sign that the project publishes to PyPI "
        "(pyproject.toml has no [build-system]); --publish",
    }
    write(plan)
    assert list(outside.iterdir()) == []


def test_every_template_renders_completely(tmp_path: Path) -> None:
    values = read_facts(tmp_path, name="demo", python="3.12").values()
    for _, template in FILES:
        text = render(template, values)
        assert "@@" not in text, template
        assert text.endswith("\n") and not text.endswith("\n\n"), template
    config = render("pre-commit-config.yaml.tmpl", values)
    for rev in VERSIONS.values():
        assert rev in config or rev == VERSIONS["uv_version"]
