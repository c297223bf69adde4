from __future__ import annotations

import os
from pathlib import Path

import pytest

from mlops_hooks.project.pyproject import import_name, normalize
from tests.project.conftest import project_of


@pytest.mark.parametrize(
    ("pyproject", "files", "expected"),
    [
        # hatch
        (
            '[project]\nname = "app"\n[tool.hatch.build.targets.wheel]\npackages = ["lib/app"]\n',
            ["lib/app/__init__.py"],
            ("lib/app",),
        ),
        # setuptools: packages with package-dir, and packages.find
        (
            '[project]\nname = "x"\n[tool.setuptools]\npackages = ["core", "core.sub"]\n'
            '[tool.setuptools.package-dir]\n"" = "python"\n',
            ["python/core/__init__.py"],
            ("python/core",),
        ),
        (
            '[project]\nname = "x"\n[tool.setuptools.packages.find]\nwhere = ["lib"]\n',
            ["lib/x/__init__.py"],
            ("lib",),
        ),
        # uv build backend: module-root and module-name (a dotted name is a path)
        (
            '[project]\nname = "my-app"\n[tool.uv.build-backend]\nmodule-root = ""\n',
            ["my_app/__init__.py"],
            ("my_app",),
        ),
        (
            '[project]\nname = "x"\n[tool.uv.build-backend]\nmodule-name = "ns.pkg"\n',
            ["src/ns/pkg/__init__.py"],
            ("src/ns/pkg",),
        ),
        # poetry
        (
            '[tool.poetry]\nname = "bikes"\npackages = [{ include = "bikes", from = "src" }]\n',
            ["src/bikes/__init__.py"],
            ("src/bikes",),
        ),
        # flit and pdm
        ('[tool.flit.module]\nname = "tool"\n', ["tool.py"], ("tool",)),
        (
            '[project]\nname = "Data.Kit"\n[tool.pdm.build]\npackage-dir = "source"\n',
            ["source/data_kit/__init__.py"],
            ("source/data_kit",),
        ),
        # defaults: src/<name>, then <name>, then src
        ('[project]\nname = "my-app"\n', ["src/my_app/__init__.py"], ("src/my_app",)),
        ('[project]\nname = "my-app"\n', ["my_app/__init__.py"], ("my_app",)),
        ('[project]\nname = "other"\n', ["src/pkg/__init__.py"], ("src",)),
        # a declared path that does not exist falls back to the defaults
        (
            '[project]\nname = "app"\n[tool.hatch.build.targets.wheel]\npackages = ["gone"]\n',
            ["src/app/__init__.py"],
            ("src/app",),
        ),
        ("", [], ()),
    ],
)
def test_source_paths(
    tmp_path: Path, pyproject: str, files: list[str], expected: tuple[str, ...]
) -> None:
    project = project_of(tmp_path, {"pyproject.toml": pyproject, **dict.fromkeys(files, "")})
    assert project.source_paths == expected


def test_dependency_groups(tmp_path: Path) -> None:
    project = project_of(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "a"\ndependencies = ["MLflow>=2", "pandas"]\n'
            "[project.optional-dependencies]\nserve = [\"fastapi[all] ; python_version>'3'\"]\n"
            '[dependency-groups]\ndev = ["Rust_Just>=1.40", {include-group = "lint"}]\n'
            'lint = ["ruff"]\n[tool.uv]\ndev-dependencies = ["pytest"]\n'
        },
    )
    groups = project.pyproject.dependency_groups
    assert groups == {
        "": {"mlflow", "pandas"},
        "serve": {"fastapi"},
        "dev": {"rust-just", "pytest"},
        "lint": {"ruff"},
    }
    assert project.depends_on("rust-just")
    assert project.depends_on("rust_just")
    assert not project.depends_on("black")


def test_poetry_dependency_groups(tmp_path: Path) -> None:
    project = project_of(
        tmp_path,
        {
            "pyproject.toml": '[tool.poetry]\nname = "a"\n[tool.poetry.dependencies]\n'
            'python = "^3.12"\nmlflow = "*"\n[tool.poetry.group.dev.dependencies]\n'
            'rust-just = "*"\n'
        },
    )
    assert project.pyproject.dependency_groups == {"": {"mlflow"}, "dev": {"rust-just"}}
    assert project.pyproject.name == "a"


def test_no_pyproject_no_groups(tmp_path: Path) -> None:
    project = project_of(tmp_path, {})
    assert project.pyproject.dependency_groups == {"": frozenset()}
    assert project.pyproject.name is None
    assert not project.depends_on("rust-just")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"pyproject.toml": '[tool.commitizen]\nname = "cz_conventional_commits"\n'},
            "pyproject.toml",
        ),
        ({"pyproject.toml": "", ".cz.toml": "[tool.commitizen]\n"}, ".cz.toml"),
        ({"cz.json": "{}"}, "cz.json"),
        ({".cz.yaml": "commitizen: {}\n"}, ".cz.yaml"),
        ({"pyproject.toml": "[tool.ruff]\nfix = true\n"}, None),
        ({}, None),
    ],
)
def test_commitizen_config(tmp_path: Path, files: dict[str, str], expected: str | None) -> None:
    assert project_of(tmp_path, files).commitizen_config == expected


def test_invalid_pyproject_gives_no_facts(tmp_path: Path) -> None:
    project = project_of(tmp_path, {"pyproject.toml": "[project\nname = 'x'\n"})
    assert project.pyproject.name is None
    assert project.source_paths == ()


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_a_pyproject_linked_from_outside_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "outside.toml").write_text('[project]\nname = "secret"\n[tool.commitizen]\n')
    project = project_of(tmp_path / "repo", {})
    (tmp_path / "repo" / "pyproject.toml").symlink_to(tmp_path / "outside.toml")
    (tmp_path / "repo" / ".cz.toml").symlink_to(tmp_path / "outside.toml")
    assert project.pyproject.name is None
    assert project.commitizen_config is None


def test_names() -> None:
    assert normalize("Rust_Just.x") == "rust-just-x"
    assert import_name("My-App.core") == "my_app_core"


@pytest.mark.parametrize(
    ("pyproject", "builds"),
    [
        ('[project]\nname = "app"\n[tool.uv]\npackage = false\n', False),
        ('[project]\nname = "app"\n[tool.uv]\npackage = true\n', True),
        ('[project]\nname = "app"\n', True),  # setuptools' legacy backend still builds it
        (None, True),
    ],
)
def test_builds_package(tmp_path: Path, pyproject: str | None, builds: bool) -> None:
    files = {"pyproject.toml": pyproject} if pyproject is not None else {}
    assert project_of(tmp_path, files).pyproject.builds_package is builds


def test_bandit_keys_and_ruff_select(tmp_path: Path) -> None:
    pyproject = (
        '[tool.bandit]\nskips = ["B101"]\ntargets = ["src"]\n'
        '[tool.ruff]\nselect = ["E"]\n[tool.ruff.lint]\nextend-select = ["S", 1]\n'
    )
    facts = project_of(tmp_path, {"pyproject.toml": pyproject}).pyproject
    assert facts.bandit_keys == frozenset({"skips", "targets"})
    assert facts.ruff_select == ("E", "S")


def test_an_unreadable_pyproject_is_unknown_not_absent(tmp_path: Path) -> None:
    template = '[project]\nname = "{{ cookiecutter.name }}"\n{% if x %}\ndev = []\n{% endif %}\n'
    assert project_of(tmp_path / "a", {"pyproject.toml": template}).pyproject.unreadable
    assert not project_of(tmp_path / "b", {}).pyproject.unreadable
    assert not project_of(tmp_path / "c", {"pyproject.toml": "[project]\n"}).pyproject.unreadable


def test_source_paths_of_uv_workspace_members(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "root"\n[tool.uv.workspace]\n'
        'members = ["backend", "./libs/*", "../out", "**/deep"]\nexclude = ["libs/skip"]\n',
        "src/root/__init__.py": "",
        "backend/pyproject.toml": '[project]\nname = "app"\n',
        "backend/app/__init__.py": "",
        "libs/core/pyproject.toml": '[project]\nname = "core"\n[tool.hatch.build.targets.wheel]\n'
        'packages = ["lib/core"]\n',
        "libs/core/lib/core/__init__.py": "",
        "libs/skip/pyproject.toml": '[project]\nname = "skip"\n',
        "libs/skip/skip/__init__.py": "",
        "libs/broken/pyproject.toml": "[project\n",
        "libs/notes/README.md": "",
    }
    project = project_of(tmp_path, files)
    assert project.source_paths == ("src/root", "backend/app", "libs/core/lib/core")


@pytest.mark.parametrize(
    ("pyproject", "installs"),
    [
        (None, True),  # unknown: assumed
        ('[project]\nname = "a"\n', False),
        ('[project]\nname = "a"\n[build-system]\nrequires = ["uv_build"]\n', True),
        ("[tool.uv]\npackage = true\n", True),
        ('[tool.uv]\npackage = false\n[build-system]\nrequires = ["uv_build"]\n', False),
    ],
)
def test_uv_installs_project(tmp_path: Path, pyproject: str | None, installs: bool) -> None:
    files = {} if pyproject is None else {"pyproject.toml": pyproject}
    assert project_of(tmp_path, files).pyproject.uv_installs_project is installs
