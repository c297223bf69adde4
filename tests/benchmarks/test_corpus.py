"""The corpus generators: deterministic, the sizes and mixes asked for, and valid input for
the parsers each kind goes through (so the benchmark times real work, not parse errors)."""

from __future__ import annotations

import ast
import json
import shutil
import statistics
import subprocess
from pathlib import Path

import dockerfile
import pytest
import yaml
from benchkit import corpus, pytree
from benchkit.commit import commit_files

from mlops_hooks.checkers.dockerfile import is_dockerfile

REPO = Path(__file__).resolve().parents[2]


def test_dockerfiles_are_deterministic_and_seeded() -> None:
    assert corpus.dockerfiles(12, seed=1) == corpus.dockerfiles(12, seed=1)
    assert corpus.dockerfiles(12, seed=1) != corpus.dockerfiles(12, seed=2)


def test_dockerfiles_route_to_the_checker_and_parse() -> None:
    files = corpus.dockerfiles(97)
    assert len(files) == 97
    assert files["Dockerfile"].startswith("# syntax=docker/dockerfile:1.7\n")
    for path, text in files.items():
        assert is_dockerfile(path.rsplit("/", 1)[-1]), path
        assert dockerfile.parse_string(text), path


def test_dockerfiles_cover_the_styles_users_write() -> None:
    texts = list(corpus.dockerfiles(97).values())

    def count(needle: str) -> int:
        return sum(needle in t for t in texts)

    assert count("uv sync --locked --no-install-project") >= 10  # uv dependency layer first
    assert count("COPY . /app\nRUN uv sync --locked --no-dev\n") >= 1  # and the mistake
    assert count("RUN <<EOF") >= 5  # heredocs
    assert count("uv build --wheel") >= 5  # wheel in the runtime image
    assert count("pip install -r requirements.txt") >= 5  # plain python images
    assert count("nvidia/cuda") >= 5
    assert min(t.count("\nFROM ") + t.startswith("FROM ") for t in texts) >= 1


def test_workflows_are_valid_yaml_with_jobs() -> None:
    files = corpus.workflows(95)
    assert len(files) == 95
    assert ".github/workflows/ci.yml" in files
    triggers = set()
    for path, text in files.items():
        assert path.startswith(".github/workflows/") and path.endswith((".yml", ".yaml"))
        doc = yaml.safe_load(text)
        assert doc["jobs"], path
        on = doc.get("on", doc.get(True))  # YAML 1.1 reads the key `on` as True
        triggers |= set(on)
    assert {"push", "pull_request", "schedule", "workflow_call", "workflow_dispatch"} <= triggers
    assert corpus.workflows(5, seed=3) == corpus.workflows(5, seed=3)


def test_justfiles_import_every_module() -> None:
    files = corpus.justfiles(seed=0, modules=4)
    modules = [p for p in files if p.startswith("tasks/")]
    assert len(modules) == 4
    for module in modules:
        assert f"import '{module}'" in files["justfile"]


def test_justfiles_dump_as_json(tmp_path: Path) -> None:
    just = REPO / ".venv" / "bin" / "just"
    exe = str(just) if just.exists() else shutil.which("just")
    if exe is None:
        pytest.skip("no just binary")
    for rel, text in corpus.justfiles(seed=0).items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    # --dump parses (and resolves imports) without evaluating or running anything.
    out = subprocess.run(
        [exe, "--justfile", str(tmp_path / "justfile"), "--dump", "--dump-format", "json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    recipes = json.loads(out)["recipes"]
    assert {"default", "check", "install", "package"} <= set(recipes)


def test_precommit_config_is_valid_yaml() -> None:
    config = yaml.safe_load(corpus.precommit_config(seed=0))
    assert [r["repo"].rsplit("/", 1)[-1] for r in config["repos"]][:2] == [
        "pre-commit-hooks",
        "ruff-pre-commit",
    ]


def test_python_tree_has_the_exact_mix() -> None:
    spec = pytree.TreeSpec(files=300, mlflow_share=0.79, uri_share=0.11, seed=5)
    files, kinds = pytree.python_tree(spec)
    assert len(kinds) == 300
    assert set(files) - set(kinds) == {"pyproject.toml"}
    counts = {c: sum(1 for k in kinds.values() if k == c) for c in pytree.CATEGORIES}
    assert counts == {"uri": 33, "mention": 204, "plain": 63}
    for path, category in kinds.items():
        text = files[path]
        mentions = "mlflow" in text
        marked = any(marker in text for marker in pytree.URI_MARKERS)
        assert (mentions, marked) == {
            "plain": (False, False),
            "mention": (True, False),
            "uri": (True, True),
        }[category], path


def test_python_tree_compiles_and_has_realistic_sizes() -> None:
    files, kinds = pytree.python_tree(pytree.TreeSpec(files=200, seed=2))
    for path in kinds:
        ast.parse(files[path], path)
    sizes = [len(files[p]) for p in kinds]
    assert 3000 < statistics.median(sizes) < 12000
    assert max(sizes) > 3 * statistics.median(sizes)  # a long tail, like a real tree
    assert any(p.startswith("tests/") for p in kinds)
    assert any(p.endswith("/__init__.py") for p in kinds)


def test_python_tree_without_mlflow_never_mentions_it() -> None:
    files, kinds = pytree.python_tree(pytree.TreeSpec(files=80, mlflow_share=0, uri_share=0))
    assert set(kinds.values()) == {"plain"}
    assert not any("mlflow" in files[p] for p in kinds)


def test_python_tree_is_deterministic() -> None:
    spec = pytree.TreeSpec(files=50, seed=9)
    assert corpus.digest(pytree.python_tree(spec)[0]) == corpus.digest(pytree.python_tree(spec)[0])
    other = pytree.TreeSpec(files=50, seed=10)
    assert corpus.digest(pytree.python_tree(spec)[0]) != corpus.digest(pytree.python_tree(other)[0])


def test_commit_has_files_of_every_kind() -> None:
    files, names = commit_files(seed=0)
    # The commit changes a few files of a larger project: the rest stay as committed.
    assert set(names) < set(files) and len(files) > 2 * len(names)
    assert sum(is_dockerfile(n.rsplit("/", 1)[-1]) for n in names) == 2
    assert sum(n.startswith(".github/workflows/") for n in names) == 2
    assert "justfile" in names and any(n.endswith(".just") for n in names)
    assert ".pre-commit-config.yaml" in names
    assert sum(n.endswith(".py") for n in names) == 6


def test_write_tree_writes_a_git_repo_once(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    files = {"a/Dockerfile": "FROM python:3.12\n", "pyproject.toml": corpus.pyproject("x")}
    assert corpus.write_tree(root, files) is True
    assert (root / ".git").is_dir()
    assert (root / "a" / "Dockerfile").read_text() == "FROM python:3.12\n"
    assert corpus.write_tree(root, files) is False  # same content: reused untouched
    files["a/Dockerfile"] = "FROM python:3.13\n"
    assert corpus.write_tree(root, files, commit=True) is True
    assert (root / "a" / "Dockerfile").read_text() == "FROM python:3.13\n"
    status = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain"], capture_output=True, text=True
    )
    assert status.stdout == ""  # committed: pre-commit sees no unstaged changes


def test_scale_files_have_the_size_asked_for_and_parse() -> None:
    from benchkit import scale

    files = scale.scale_files(20_000, seed=3)
    assert files == scale.scale_files(20_000, seed=3)
    assert set(files) == set(scale.PATHS.values())
    for path, text in files.items():
        assert 19_000 <= len(text) < 22_000, path
    dockerfile.parse_string(files["Dockerfile"])
    for path in (".github/workflows/big.yml", ".pre-commit-config.yaml"):
        assert yaml.safe_load(files[path])
    module = ast.parse(files["dense.py"])
    assert len(module.body) == 20_000 // 68 + 1  # the import, then one call per line
    plain, loads = scale.python_pair(seed=3)
    assert "models:/" not in plain and 'load_model("models:/bikes@champion")' in loads
    ast.parse(loads)
