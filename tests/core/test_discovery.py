"""Discovery: one base for every glob (the project root), nested projects, usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlops_hooks.cli import main
from mlops_hooks.config import Settings
from mlops_hooks.discovery import Discovery
from mlops_hooks.engine import Engine, RunOptions
from mlops_hooks.registry import Registry


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def found(args: list[str], capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str]]:
    main(["check", "--format", "json", *args])
    out = capsys.readouterr().out
    return [(d["path"], d["code"]) for d in json.loads(out)["diagnostics"]]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with a sub-directory and a nested project, checked from its root."""
    write(
        tmp_path,
        {
            "sub/legacy/a.fake": "bad\n",
            "sub/b.fake": "bad\n",
            "nested/pyproject.toml": "",
            "nested/c.fake": "bad\n",
            "nested/deep/d.fake": "bad\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def configure(root: Path, table: str) -> None:
    (root / "pyproject.toml").write_text("[tool.mlops-hooks]\n" + table)


def test_exclude_is_relative_to_the_project_root_not_the_directory_argument(
    registry: Registry, tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(tree, 'exclude = ["sub/legacy"]\n')
    # Walking `sub` used to match `legacy/a.fake` (relative to the argument) instead.
    assert found(["sub"], capsys) == [("sub/b.fake", "FAK001")]
    configure(tree, 'exclude = ["legacy/**"]\n')
    assert found(["sub"], capsys) == [("sub/b.fake", "FAK001"), ("sub/legacy/a.fake", "FAK001")]


def test_exclude_does_not_depend_on_the_working_directory(
    registry: Registry, tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    configure(tree, 'exclude = ["sub/legacy"]\n')
    monkeypatch.chdir(tree / "sub")
    assert found(["."], capsys) == [("b.fake", "FAK001")]


def test_a_walked_directory_that_exclude_names_is_still_walked(
    registry: Registry, tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(tree, 'exclude = ["sub", "nested"]\n')
    assert found([], capsys) == []
    assert found(["sub"], capsys) == [("sub/b.fake", "FAK001"), ("sub/legacy/a.fake", "FAK001")]
    # Also a nested project named as the argument.
    assert found(["nested"], capsys) == [
        ("nested/c.fake", "FAK001"),
        ("nested/deep/d.fake", "FAK001"),
    ]


def test_per_file_ignores_do_not_depend_on_the_working_directory(
    registry: Registry, tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    configure(tree, '[tool.mlops-hooks.per-file-ignores]\n"legacy/**" = ["FAK"]\n')
    monkeypatch.chdir(tree / "sub")
    # `legacy/a.fake` from here, but `sub/legacy/a.fake` from the root: the glob does not
    # match (it used to, through the path as displayed).
    assert found(["."], capsys) == [("b.fake", "FAK001"), ("legacy/a.fake", "FAK001")]
    configure(tree, '[tool.mlops-hooks.per-file-ignores]\n"sub/legacy/**" = ["FAK"]\n')
    assert found(["."], capsys) == [("b.fake", "FAK001")]


def test_nested_projects_are_seen_from_the_enclosing_project_too(
    registry: Registry, tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(
        tree,
        'exclude = ["nested/deep"]\n'
        '[tool.mlops-hooks.per-file-ignores]\n"nested/c.fake" = ["FAK"]\n',
    )
    assert found([], capsys) == [("sub/b.fake", "FAK001"), ("sub/legacy/a.fake", "FAK001")]
    # Relative to its own root as well: `c.fake` names the nested project's file.
    configure(tree, '[tool.mlops-hooks.per-file-ignores]\n"deep/d.fake" = ["FAK"]\n')
    assert ("nested/deep/d.fake", "FAK001") not in found([], capsys)


def test_force_exclude_uses_the_same_base(
    registry: Registry, tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    configure(tree, 'exclude = ["sub/legacy"]\nforce-exclude = true\n')
    monkeypatch.chdir(tree / "sub")
    assert found(["legacy/a.fake", "b.fake"], capsys) == [("b.fake", "FAK001")]


def test_paths_of_a_nested_file(registry: Registry, tree: Path) -> None:
    configure(tree, "")
    engine = Engine(registry, Settings(), RunOptions(), cwd=tree)
    discovery: Discovery = engine.discovery
    [target] = discovery.collect([str(tree / "nested" / "deep" / "d.fake")])
    assert target.relpath == "deep/d.fake"
    assert list(discovery.paths(target.project, target.relpath)) == [
        "deep/d.fake",
        "nested/deep/d.fake",
    ]
    [outer] = discovery.collect([str(tree / "sub" / "b.fake")])
    assert list(discovery.paths(outer.project, outer.relpath)) == ["sub/b.fake"]
    # A directory without a project marker encloses no project.
    (tree / "pyproject.toml").unlink()
    discovery.reset()
    [alone] = discovery.collect([str(tree / "nested" / "c.fake")])
    assert list(discovery.paths(alone.project, alone.relpath)) == ["c.fake"]


# -- usage errors versus internal errors ---------------------------------------------------


def test_usage_errors_exit_2_with_a_message(
    registry: Registry, tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--kind", "nope"]) == 2
    assert capsys.readouterr().err.startswith(
        "mlops-hooks: error: unknown kind 'nope'; valid kinds: dockerfile, fake, "
    )
    assert main(["check", "--format", "yaml"]) == 2
    assert "mlops-hooks: error: unknown format 'yaml'" in capsys.readouterr().err


def test_an_unexpected_value_error_is_an_internal_error(
    registry: Registry, tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    def broken(self: Discovery, paths: object) -> list[object]:
        raise ValueError("a bug, not the user's mistake")

    monkeypatch.setattr(Discovery, "collect", broken)
    assert main(["check"]) == 2
    assert capsys.readouterr().err == (
        "mlops-hooks: internal error: ValueError: a bug, not the user's mistake\n"
        "Set MLOPS_HOOKS_DEBUG=1 for a traceback, and please report it.\n"
    )


def test_an_options_record_that_rejects_a_value_is_a_config_error(
    registry: Registry, tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(tree, "[tool.mlops-hooks.kinds.fake]\nsuffix = 3\n")
    assert main(["check"]) == 2
    assert capsys.readouterr().err.startswith("mlops-hooks: error: option fake.suffix: expected")


def test_templates_and_documents_named_like_a_dockerfile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Field trial F9: Jinja files are templates and `Dockerfile.md` is documentation: neither
    # is read. A file of a cookiecutter's `{{ ... }}` tree is checked, but Jinja that does not
    # parse (the workflow) is no finding.
    full = "FROM python:3.12\n"
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "t"\n',
            "Dockerfile.prod": full,
            "Dockerfile.md": "# How we build\n",
            "docs/Dockerfile.txt": "not a dockerfile {\n",
            "Dockerfile.j2": "FROM {{ base }}\n",
            "{{cookiecutter.name}}/Dockerfile": full,
            "{{cookiecutter.name}}/pyproject.toml": '[project]\nname = "{{cookiecutter.name}}"\n',
            "{{cookiecutter.name}}/.github/workflows/ci.yml": "on: {{ cookiecutter.on }}\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    assert main(["check", ".", "--select", "DKR,GHA", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert sorted({(d["path"], d["code"]) for d in report["diagnostics"]}) == [
        ("Dockerfile.prod", "DKR006"),
        ("{{cookiecutter.name}}/Dockerfile", "DKR006"),
    ]


def test_a_nested_projects_pre_commit_config_and_workflows_are_not_the_repositorys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Field trial F21: pre-commit and GitHub read only the top of the repository. A course
    # sample's config under its own pyproject.toml is skipped when walked from the top, and
    # checked when named as the project to check.
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "course"\n',
            "samples/app/pyproject.toml": '[project]\nname = "app"\n',
            "samples/app/.pre-commit-config.yaml": "repos: []\n",
            "samples/app/.github/workflows/ci.yml": (
                "on: pull_request\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: echo\n"
            ),
        },
    )
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["check", ".", "--select", "PCC001,GHA001", "--format", "json"]) == 0
    capsys.readouterr()
    assert main(["check", "samples/app", "--select", "PCC001,GHA001", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert sorted({d["code"] for d in report["diagnostics"]}) == ["GHA001", "PCC001"]
