from __future__ import annotations

from pathlib import Path

import pytest

from mlops_hooks.project.githooks import HookInstall, make_targets
from mlops_hooks.project.justfile.sandbox import find_just
from tests.project.conftest import project_of

CONFIG = "default_install_hook_types: [pre-commit, commit-msg]\nrepos: []\n"


def installs(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str, str, set[str], bool]]:
    facts = project_of(tmp_path, files).git_hook_installs
    return [(i.runner, i.path, i.task, set(i.hook_types), i.explicit) for i in facts.installs]


def test_no_install_path_is_unknown(tmp_path: Path) -> None:
    facts = project_of(tmp_path, {"Makefile": "test:\n\tpytest\n"}).git_hook_installs
    assert facts.state == "unknown"
    assert facts.installs == ()
    assert facts.hook_types == frozenset()


def test_makefile_targets(tmp_path: Path) -> None:
    makefile = (
        ".PHONY: install\ninstall: venv ## set up\n\t@uv sync\n"
        "\t-pre-commit install --hook-type pre-push \\\n\t  -t commit-msg\n"
        "hooks:; pre-commit install\nVAR := x\nlint:\n\truff check\n"
    )
    assert installs(tmp_path, {"Makefile": makefile}) == [
        ("make", "Makefile", "install", {"pre-push", "commit-msg"}, True),
        ("make", "Makefile", "hooks", {"pre-commit"}, False),
    ]


def test_plain_install_installs_the_configs_default_types(tmp_path: Path) -> None:
    facts = project_of(
        tmp_path,
        {".pre-commit-config.yaml": CONFIG, "scripts/setup.sh": "uv run pre-commit install\n"},
    ).git_hook_installs
    assert facts.default_types == {"pre-commit", "commit-msg"}
    assert facts.installs == (
        HookInstall(
            "script", "scripts/setup.sh", "", frozenset({"pre-commit", "commit-msg"}), False
        ),
    )
    assert facts.installing("commit-msg")[0].describe() == "`scripts/setup.sh`"
    assert facts.installing("pre-push") == ()


def test_invalid_config_falls_back_to_pre_commit(tmp_path: Path) -> None:
    facts = project_of(
        tmp_path, {".pre-commit-config.yaml": "repos: [\n", "scripts/a.sh": "pre-commit install\n"}
    ).git_hook_installs
    assert facts.hook_types == {"pre-commit"}


def test_invoke_tasks_read_with_ast(tmp_path: Path) -> None:
    tasks = (
        "from invoke import task\nimport os\nos.system('touch pwned')\n\n"
        "@task\ndef hooks(c):\n    c.run('pre-commit install -t pre-push')\n\n"
        '@task\ndef lint(c):\n    """Lint (run pre-commit install first)."""\n'
        "    c.run('ruff check')\n"
    )
    assert installs(
        tmp_path, {"tasks.py": tasks, "tasks/more.py": "def x(c):\n    c.run('prek install')\n"}
    ) == [
        ("invoke", "tasks.py", "hooks", {"pre-push"}, True),
        ("invoke", "tasks/more.py", "x", {"pre-commit"}, False),
    ]
    assert not (tmp_path / "pwned").exists()


def test_nox_session_run_arguments_are_joined(tmp_path: Path) -> None:
    noxfile = (
        "import nox\n\n@nox.session\ndef dev(session):\n"
        "    session.run('pre-commit', 'install', '--hook-type', 'commit-msg', external=True)\n"
        "def broken(:\n"
    )
    assert installs(tmp_path, {"noxfile.py": noxfile}) == []  # a syntax error: nothing known
    noxfile = noxfile.replace("def broken(:\n", "")
    assert installs(tmp_path, {"noxfile.py": noxfile}) == [
        ("nox", "noxfile.py", "dev", {"commit-msg"}, True)
    ]


def test_tox_environments(tmp_path: Path) -> None:
    tox = (
        "[tox]\nenvlist = py\n[testenv]\ncommands = pytest\n"
        "[testenv:dev]\ncommands =\n    pre-commit install --hook-type=pre-push\n    pytest\n"
    )
    assert installs(tmp_path, {"tox.ini": tox}) == [("tox", "tox.ini", "dev", {"pre-push"}, True)]
    assert installs(tmp_path, {"tox.ini": "not [ini\n"}) == []


def test_package_json_scripts(tmp_path: Path) -> None:
    package = '{"scripts": {"prepare": "pre-commit install -t pre-commit -t commit-msg", "x": 1}}'
    assert installs(tmp_path, {"package.json": package}) == [
        ("npm", "package.json", "prepare", {"pre-commit", "commit-msg"}, True)
    ]
    assert installs(tmp_path, {"package.json": "[1, 2"}) == []


@pytest.mark.skipif(find_just() is None, reason="the rust-just wheel is not installed")
def test_justfile_recipes(tmp_path: Path) -> None:
    justfile = (
        "# install\ninstall:\n    uv sync\n    uv run pre-commit install --hook-type pre-push\n"
        "    uv run pre-commit install --hook-type commit-msg\n"
    )
    facts = project_of(tmp_path, {"justfile": justfile}).git_hook_installs
    assert [(i.runner, i.task, set(i.hook_types)) for i in facts.installs] == [
        ("just", "install", {"pre-push", "commit-msg"})
    ]
    assert facts.installs[0].describe() == "`just install`"
    # the most damaging miss of the field trial: no task installs the `pre-commit` hook
    assert facts.installing("pre-commit") == ()


@pytest.mark.skipif(find_just() is None, reason="the rust-just wheel is not installed")
def test_justfile_that_just_cannot_parse_is_read_as_text(tmp_path: Path) -> None:
    justfile = "install:\n    pre-commit install\n\nbroken: (\n"
    assert installs(tmp_path, {"justfile": justfile}) == [
        ("just", "justfile", "", {"pre-commit"}, False)
    ]


def test_make_targets() -> None:
    assert make_targets("a b: c\n\techo a\n# c:\nd::\n\techo d\n") == [
        ("a", ["echo a"]),
        ("d", ["echo d"]),
    ]


@pytest.mark.parametrize(
    ("install", "text"),
    [
        (HookInstall("make", "Makefile", "hooks", frozenset(), True), "`make hooks`"),
        (HookInstall("invoke", "tasks.py", "hooks", frozenset(), True), "`invoke hooks`"),
        (HookInstall("nox", "noxfile.py", "dev", frozenset(), True), "`nox -s dev`"),
        (HookInstall("tox", "tox.ini", "dev", frozenset(), True), "`tox -e dev`"),
        (HookInstall("npm", "package.json", "prepare", frozenset(), True), "`npm run prepare`"),
    ],
)
def test_describe(install: HookInstall, text: str) -> None:
    assert install.describe() == text
