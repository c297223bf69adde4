"""One generator for every generated file, and a rule scaffold: a new rule is one file plus
``just gen``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_hooks import gen, newrule
from tests.conftest import REPO

#: A generated file, and an edit that makes it stale.
GENERATED = {
    "src/mlops_hooks/_index.py": ("'DKR001'", "'DKR0O1'"),
    ".pre-commit-hooks.yaml": ("id: mlops-dockerfile", "id: mlops-docker"),
    "README.md": ("| DKR001 |", "| DKR0O1 |"),
    "docs/rules/index.md": ("[DKR001]", "[DKR0O1]"),
    "docs/rules/DKR001-dependencies-after-source.md": ("# DKR001", "# DKR0O1"),
}


def checkout(tmp_path: Path) -> Path:
    """A copy of what the generator reads and writes (source, docs, manifest, README)."""
    root = tmp_path / "checkout"
    shutil.copytree(REPO / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "docs", root / "docs")
    for name in ("README.md", ".pre-commit-hooks.yaml", "pyproject.toml"):
        shutil.copy2(REPO / name, root / name)
    return root


def test_the_checkout_is_current() -> None:
    assert gen.changes(REPO) == []


def test_check_reports_every_kind_of_change_and_write_repairs_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = checkout(tmp_path)
    for rel, (old, new) in GENERATED.items():
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, rel
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    (root / "docs/rules/XYZ999-removed-rule.md").write_text("old\n")
    (root / "docs/rules/notes.txt").write_text("not ours\n")
    (root / "docs/rules/JST007-missing-default-recipe.md").unlink()

    assert gen.main(["--check", "--root", str(root)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "stale: .pre-commit-hooks.yaml",
        "stale: README.md",
        "stale: docs/rules/DKR001-dependencies-after-source.md",
        "missing: docs/rules/JST007-missing-default-recipe.md",
        "stale: docs/rules/index.md",
        "stale: src/mlops_hooks/_index.py",
        "extra: docs/rules/XYZ999-removed-rule.md",
        "Generated files are out of date: run `python -m mlops_hooks.gen` (`just gen`).",
    ]
    assert gen.main(["--root", str(root)]) == 0
    assert capsys.readouterr().out.splitlines()[-2:] == [
        "deleted docs/rules/XYZ999-removed-rule.md",
        "Every generated file is up to date.",
    ]
    for rel in GENERATED:
        assert (root / rel).read_bytes() == (REPO / rel).read_bytes(), rel
    assert (root / "docs/rules/notes.txt").read_text() == "not ours\n"
    assert gen.main(["--check", "--root", str(root)]) == 0


def test_a_root_that_is_not_a_checkout_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert gen.main(["--check", "--root", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"error: {tmp_path} is not a checkout of mlops-hooks (no src/mlops_hooks)\n"
    )


def test_a_readme_without_the_table_markers_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = checkout(tmp_path)
    (root / "README.md").write_text("# no table\n")
    assert gen.main(["--root", str(root)]) == 2
    assert "README.md: no <!-- rules:start --> ... <!-- rules:end --> block" in (
        capsys.readouterr().err
    )


def test_generated_headers_name_the_generator() -> None:
    for rel in ("src/mlops_hooks/_index.py", ".pre-commit-hooks.yaml", "docs/rules/index.md"):
        head = (REPO / rel).read_text(encoding="utf-8")[:300]
        assert "python -m mlops_hooks.gen" in head, rel


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run(
        [sys.executable, *args], cwd=root, env=env, capture_output=True, text=True, check=False
    )


def test_a_new_rule_is_one_file_plus_gen(tmp_path: Path) -> None:
    root = checkout(tmp_path)
    made = _run(root, "-m", "mlops_hooks.newrule", "dockerfile", "copy-before-sync")
    assert made.returncode == 0, made.stderr
    module = root / "src/mlops_hooks/checkers/dockerfile/rules/dkr008_copy_before_sync.py"
    assert made.stdout.startswith(f"wrote {module.relative_to(root)}\n")
    text = module.read_text(encoding="utf-8")
    assert 'code = "DKR008"' in text
    assert 'name = "copy-before-sync"' in text
    assert "class CopyBeforeSync(DockerfileRule):" in text
    assert "def check_instruction(self, instruction: Instruction) -> None:" in text
    assert (
        "    from mlops_hooks.checkers.dockerfile.model import DockerfileModel, Instruction, Stage"
        in text
    )
    # The scaffold is valid, typed Python that the repository's own linters accept.
    config = str(REPO / "pyproject.toml")
    for command in (["check", "--quiet"], ["format", "--check", "--quiet"]):
        lint = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--config", config, str(module)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert lint.returncode == 0, lint.stdout + lint.stderr

    stale = _run(root, "-m", "mlops_hooks.gen", "--check")
    assert stale.returncode == 1
    assert "missing: docs/rules/DKR008-copy-before-sync.md" in stale.stdout
    assert _run(root, "-m", "mlops_hooks.gen").returncode == 0
    assert _run(root, "-m", "mlops_hooks.gen", "--check").returncode == 0

    listed = _run(root, "-m", "mlops_hooks", "rules")
    assert "DKR008" in listed.stdout and "copy-before-sync" in listed.stdout
    assert "DKR008" in (root / "src/mlops_hooks/_index.py").read_text(encoding="utf-8")
    assert "| DKR008 | `copy-before-sync` |" in (root / "README.md").read_text(encoding="utf-8")
    # ... and the meta-tests refuse it until its author writes its examples.
    examples = _run(
        root,
        "-c",
        "from mlops_hooks.registry import get_registry; "
        "print(len(get_registry().load('DKR008').examples))",
    )
    assert examples.stdout.strip() == "0"


@pytest.mark.parametrize(
    ("kind", "name", "message"),
    [
        ("dockerfile", "Bad_Name", "'Bad_Name' is not a kebab-case rule name"),
        ("nosuchkind", "some-rule", "unknown kind 'nosuchkind'; kinds: dockerfile, justfile"),
        ("dockerfile", "dependencies-after-source", "already has a rule named"),
    ],
)
def test_scaffold_refuses(
    kind: str, name: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = checkout(tmp_path)
    assert newrule.main([kind, name, "--root", str(root)]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["dockerfile", "justfile", "workflow", "precommit", "python"])
def test_every_kind_scaffolds_an_importable_rule(kind: str, tmp_path: Path) -> None:
    root = checkout(tmp_path)
    path = newrule.scaffold(root, kind, "some-new-thing")
    compile(path.read_text(encoding="utf-8"), str(path), "exec")
    code = path.name[:6].upper()
    loaded = _run(
        root,
        "-c",
        f"from mlops_hooks.registry import get_registry; r = get_registry().load({code!r}); "
        "print(r.code, r.name, r.kind)",
    )
    assert loaded.stdout.split() == [code, "some-new-thing", kind], loaded.stderr
