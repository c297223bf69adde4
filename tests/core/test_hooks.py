"""The pre-commit manifest: generated from the registry, valid, and matching the right files."""

from __future__ import annotations

import re

import pytest
import yaml

from mlops_hooks.hooks import ALL_IN_ONE, render_manifest
from tests.conftest import REPO as ROOT

MANIFEST = ROOT / ".pre-commit-hooks.yaml"

# Paths (repo-relative, as pre-commit passes them) each hook must and must not run on.
MATCHES: dict[str, tuple[list[str], list[str]]] = {
    "mlops-dockerfile": (
        [
            "Dockerfile",
            "docker/Dockerfile",
            "Dockerfile.prod",
            "api.Dockerfile",
            "x.dockerfile",
            "Containerfile",
            "dockerfile",
        ],
        ["Dockerfile.md/readme.txt", "docs/dockerfiles.md", "Dockerfilez", "src/app.py"],
    ),
    "mlops-justfile": (
        ["justfile", "Justfile", ".justfile", "tasks/check.just", "sub/justfile"],
        ["justfile.md", "src/just.py", "adjust.txt"],
    ),
    "mlops-workflows": (
        [
            ".github/workflows/check.yml",
            ".github/workflows/publish.yaml",
            "justfile",
            "tasks/check.just",
        ],
        [".github/dependabot.yml", "workflows/check.yml", "src/app.py"],
    ),
    "mlops-mlflow": (
        ["src/bikes/serving.py", "scripts/promote.py", "confs/serving.yaml", "confs/x/y.yml"],
        ["README.md", "src/app.pyc", "data/config.json"],
    ),
    "mlops-pre-commit-config": (
        [".pre-commit-config.yaml", "justfile", "tasks/install.just", "pyproject.toml"],
        ["pre-commit-config.yaml", ".pre-commit-hooks.yaml", "src/pyproject.py"],
    ),
}

# Paths no hook runs on, so the all-in-one hook does not either.
NO_KIND = ["README.md", "data/config.json", "docs/dockerfiles.md", "adjust.txt", "LICENSE"]


def hooks() -> list[dict[str, object]]:
    data = yaml.safe_load(render_manifest())
    assert isinstance(data, list)
    return data


def test_committed_manifest_is_generated() -> None:
    assert MANIFEST.read_text(encoding="utf-8") == render_manifest(), (
        "stale .pre-commit-hooks.yaml: run `just gen`"
    )


def test_manifest_is_valid_for_pre_commit() -> None:
    from pre_commit.clientlib import load_manifest

    loaded = load_manifest(str(MANIFEST))
    assert [h["id"] for h in loaded] == [h["id"] for h in hooks()]


def test_every_hook_has_path_expectations() -> None:
    ids = {str(h["id"]) for h in hooks()} - {ALL_IN_ONE}
    assert ids <= set(MATCHES), f"no path expectations for {sorted(ids - set(MATCHES))}"


@pytest.mark.parametrize("hook", hooks(), ids=lambda h: str(h["id"]))
def test_hook_files(hook: dict[str, object]) -> None:
    from identify.identify import tags_from_filename

    pattern = re.compile(str(hook["files"]))
    if hook["id"] == ALL_IN_ONE:
        present = {str(h["id"]) for h in hooks()}
        expected = {p for hook_id, (ok, _) in MATCHES.items() if hook_id in present for p in ok}
        rejected = set(NO_KIND)
    else:
        ok, no = MATCHES[str(hook["id"])]
        expected, rejected = set(ok), set(no)
    for path in sorted(expected):
        assert pattern.search(path), f"{hook['id']} should run on {path}"
        assert set(hook["types"]) <= tags_from_filename(path) | {"file"}  # type: ignore[arg-type]
    for path in sorted(rejected):
        assert not pattern.search(path), f"{hook['id']} should not run on {path}"


def test_every_hook_id_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for hook in hooks():
        assert f"id: {hook['id']}" in readme or f"`{hook['id']}`" in readme, hook["id"]


HOOK_KIND = {
    "mlops-dockerfile": ["--kind", "dockerfile"],
    "mlops-justfile": ["--kind", "justfile"],
    "mlops-workflows": ["--kind", "workflow"],
    "mlops-mlflow": ["--kind", "python"],
    "mlops-pre-commit-config": ["--kind", "precommit"],
    ALL_IN_ONE: [],
}


@pytest.mark.parametrize("hook", hooks(), ids=lambda h: str(h["id"]))
def test_fixed_flags_live_in_entry(hook: dict[str, object]) -> None:
    # pre-commit replaces a manifest's `args` with the user's: flags kept there would be lost.
    assert hook["args"] == []
    assert str(hook["entry"]).split() == [
        "mlops-hooks",
        "check",
        *HOOK_KIND[str(hook["id"])],
        "--force-exclude",
        "--scope",
        "changed",
    ]


@pytest.mark.parametrize("hook", hooks(), ids=lambda h: str(h["id"]))
def test_every_hook_takes_file_names(hook: dict[str, object]) -> None:
    """Every hook, the all-in-one one included, is given the files of the commit, so
    pre-commit's `files:` and `exclude:` hold for it (issue 18: the recommended hook judges
    the commit, not the whole repository)."""
    assert hook["pass_filenames"] is True
    # One process at a time where the project context is loaded (the Python hook reads none).
    assert hook.get("require_serial", False) is (hook["id"] != "mlops-mlflow")


def _corpus() -> list[str]:
    """Paths to route: every path named above plus every file of the example projects."""
    paths = {p for ok, no in MATCHES.values() for p in (*ok, *no)} | set(NO_KIND)
    for project in (ROOT / "examples").iterdir():
        paths |= {f.relative_to(project).as_posix() for f in project.rglob("*") if f.is_file()}
    return sorted(paths)


@pytest.mark.parametrize("hook", hooks(), ids=lambda h: str(h["id"]))
def test_hook_files_cover_the_checkers_routing(hook: dict[str, object]) -> None:
    # A file that the checker of the hook's kind checks must start the hook: otherwise a
    # commit that changes it is never checked. (The pattern may match more: the files a
    # checker's findings depend on.)
    from mlops_hooks.registry import get_registry

    checkers = get_registry().checkers.values()
    routed = [c for c in checkers if c.hook_id == hook["id"]] or list(checkers)
    pattern = re.compile(str(hook["files"]))
    for path in _corpus():
        if any(c.matches(path) for c in routed):
            assert pattern.search(path), f"{hook['id']} does not run when {path} changes"
