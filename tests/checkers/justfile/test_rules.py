"""justfile rules over whole trees: exact files, spans and messages, whatever subset is checked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mlops_hooks.cli import main
from mlops_hooks.project.justfile import discovery as discovery_module
from mlops_hooks.project.justfile import index as index_module
from mlops_hooks.project.justfile.sandbox import find_just
from mlops_hooks.testing import Lint, project, write_project

pytestmark = pytest.mark.skipif(find_just() is None, reason="the rust-just wheel is not installed")

FIXTURES = Path(__file__).parent / "fixtures"
ALL = [f"JST00{n}" for n in range(9)]


def copy_fixture(name: str, target: Path) -> Path:
    shutil.copytree(FIXTURES / name, target, dirs_exist_ok=True)
    write_project(target, {})
    return target


def test_mlops_package_layout_is_clean(lint: Lint, tmp_path: Path) -> None:
    root = copy_fixture("mlops_package", tmp_path)
    assert (root / "tasks" / "clean.just").read_text().count("\t") >= 4  # tabs in one file
    assert lint({}, ALL) == []
    # and not because the rules saw nothing: the same tree without docs and groups is flagged
    check = root / "tasks" / "check.just"
    check.write_text(
        check.read_text().replace("# lint the sources with ruff\n[group('check')]\n", "")
    )
    assert project(lint({}, ALL), "path", "code", "span") == [
        ("tasks/check.just", "JST005", (5, 1, 5, 11)),
        ("tasks/check.just", "JST006", (5, 1, 5, 11)),
    ]


BAD_TREE = {
    "justfile": (
        "import 'tasks/check.just'\n"  # 1
        "import 'tasks/gone.just'\n"  # 2
        "import? 'tasks/local.just'\n"  # 3
        "mod docker\n"  # 4
        "\n"  # 5
        "clean:\n"  # 6
        "    rm -rf dist\n"  # 7
        "\n"  # 8
        "# list\n"  # 9
        "default:\n"  # 10
        "    @just --list\n"  # 11
    ),
    "tasks/check.just": (
        "# run the checks\n"  # 1
        "[group('check')]\n"  # 2
        "check: check-code\n"  # 3
        "\n"  # 4
        "# lint\n"  # 5
        "[group('check')]\n"  # 6
        "check-code:\n"  # 7
        "    uv run ruff check\n"  # 8
        "\n"  # 9
        "check-type:\n"  # 10
        "    uv run mypy\n"  # 11
    ),
    "docker/mod.just": "build:\n    docker build .\n",
    "tasks/train.just": "# train\n[group('mlflow')]\ntrain:\n    uv run train\n",
}
BAD_FOUND = [
    ("docker/mod.just", "JST005", (1, 1, 1, 6)),
    ("docker/mod.just", "JST006", (1, 1, 1, 6)),
    ("justfile", "JST001", (1, 1, 1, 1)),
    ("justfile", "JST001", (1, 1, 1, 1)),
    ("justfile", "JST003", (2, 8, 2, 25)),
    ("justfile", "JST007", (6, 1, 6, 6)),
    ("justfile", "JST005", (6, 1, 6, 6)),
    ("justfile", "JST006", (6, 1, 6, 6)),
    ("tasks/check.just", "JST005", (10, 1, 10, 11)),
    ("tasks/check.just", "JST006", (10, 1, 10, 11)),
    ("tasks/check.just", "JST008", (10, 1, 10, 11)),
    ("tasks/train.just", "JST004", (1, 1, 1, 1)),
]


def test_bad_tree_every_finding_on_its_own_file(lint: Lint) -> None:
    assert project(lint(BAD_TREE, ALL), "path", "code", "span") == sorted(
        BAD_FOUND, key=lambda f: (f[0], f[2][0], f[2][1], f[1])
    )
    messages = {d.code: d.message for d in lint({}, ["JST001", "JST004", "JST008"])}
    assert messages["JST004"] == (
        "tasks/train.just is not imported by the justfile: add `import 'tasks/train.just'` to"
        " it, or delete this file"
    )
    assert messages["JST008"] == (
        "`just check` does not run `check-type`: add it to the dependencies of `check`"
        " (tasks/check.just:3)"
    )


@pytest.mark.parametrize(
    "paths",
    [
        ["justfile"],
        ["tasks/check.just"],
        ["docker/mod.just", "tasks/train.just"],
        ["tasks/train.just", "justfile", "tasks/check.just", "docker/mod.just"],
    ],
)
def test_same_findings_for_any_subset_of_files(lint: Lint, paths: list[str]) -> None:
    expected = sorted(f for f in BAD_FOUND if f[0] in paths)
    got = sorted(project(lint(BAD_TREE, ALL, paths=paths), "path", "code", "span"))
    assert got == expected


def test_syntax_error_in_an_imported_file(lint: Lint) -> None:
    diagnostics = lint(
        {
            "justfile": "# list\ndefault:\n    @just --list\n\nimport 'tasks/a.just'\n",
            "tasks/a.just": "ok:\n    echo\n\nbroken: missing\n    echo\n",
        },
        ALL,
    )
    assert project(diagnostics, "path", "code", "span") == [
        ("justfile", "JST000", (5, 8, 5, 8)),
        ("tasks/a.just", "JST000", (4, 9, 4, 9)),
    ]
    assert [d.message for d in diagnostics] == [
        "just cannot parse tasks/a.just (line 4): recipe `broken` has unknown dependency `missing`",
        "just cannot parse the justfile: recipe `broken` has unknown dependency `missing`",
    ]


def test_syntax_error_through_the_cli_names_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(tmp_path, {"justfile": "# list\ndefault:\n    @just --list\nx := \n"})
    assert main(["check", str(tmp_path / "justfile"), "--format", "json", "--select", "JST"]) == 1
    (item,) = json.loads(capsys.readouterr().out)["diagnostics"]
    assert (item["code"], item["start"], item["path"]) == (
        "JST000",
        {"line": 4, "column": 6},
        str(tmp_path / "justfile"),
    )
    assert item["message"] == (
        "just cannot parse the justfile: expected backtick, '!', '[', identifier, '(', '/',"
        " or string, but found end of line"
    )


def test_missing_import_does_not_hide_the_other_findings(lint: Lint) -> None:
    assert project(
        lint(
            {
                "justfile": (
                    "import 'tasks/gone.just'\n# list\ndefault:\n    @just --list\nx:\n  echo\n"
                ),
            },
            ["JST000", "JST003", "JST005"],
            paths=["justfile"],
        ),
        "path",
        "code",
        "span",
    ) == [
        ("justfile", "JST003", (1, 8, 1, 25)),
        ("justfile", "JST005", (5, 1, 5, 2)),
    ]


def test_outside_import_is_reported_and_not_read(tmp_path: Path) -> None:
    (tmp_path / "secret.just").write_text("undocumented_secret:\n    echo\n")
    justfile = "import '../secret.just'\nimport? '/etc/passwd'\n# list\ndefault:\n  @just -l\n"
    lint = Lint(tmp_path / "project")
    diagnostics = lint(justfile, ["JST003", "JST005", "JST006"], paths=["justfile"])
    assert project(diagnostics, "path", "code", "span") == [
        ("justfile", "JST003", (1, 8, 1, 24)),
        ("justfile", "JST003", (2, 9, 2, 22)),
    ]
    assert [d.message for d in diagnostics] == [
        "import of '../secret.just' points outside the project; it is not read: keep imported"
        " files in the repository",
        "import of '/etc/passwd' points outside the project; it is not read: keep imported"
        " files in the repository",
    ]


def test_just_not_installed_is_jst000(lint: Lint, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "find_just", lambda: None)
    (diagnostic,) = lint({"justfile": "default:\n  @just --list\n"}, ALL)
    assert (diagnostic.code, diagnostic.span.as_tuple()) == ("JST000", (1, 1, 1, 1))
    assert diagnostic.message == (
        "just cannot parse the justfile: just is not installed: install the rust-just package"
        " (pip install rust-just)"
    )


def test_binary_module_is_jst000_on_both_files(lint: Lint, tmp_path: Path) -> None:
    (tmp_path / "tasks").mkdir()
    (tmp_path / "tasks" / "b.just").write_bytes(b"x:\n  echo\x00\n")
    assert project(
        lint({"justfile": "# list\ndefault:\n  @just --list\nimport 'tasks/b.just'\n"}, ALL),
        "path",
        "code",
        "span",
    ) == [
        ("justfile", "JST000", (4, 8, 4, 8)),
        ("tasks/b.just", "JST000", (2, 1, 2, 1)),
    ]


def test_crlf_and_bom_positions(lint: Lint) -> None:
    text = (
        "\ufeff# list\r\ndefault:\r\n    @just --list\r\n\r\n[group('x')]\r\nbuild:\r\n    echo\r\n"
    )
    assert project(lint(text.encode("utf-8"), ["JST005", "JST006"]), "path", "code", "span") == [
        ("justfile", "JST005", (6, 1, 6, 6))
    ]


def test_suppression_comment_on_the_recipe(lint: Lint) -> None:
    assert (
        lint(
            {
                "justfile": (
                    "# list\ndefault:\n    @just --list\n"
                    "# mlops-hooks: ignore[JST006] a one-off task\n# build\nbuild:\n    echo\n"
                )
            },
            "JST006",
        )
        == []
    )


def test_orphan_module_globs_option(lint: Lint) -> None:
    assert (
        lint(
            {"justfile": "# list\ndefault:\n  @just --list\n", "just/x.just": "a:\n  echo\n"},
            "JST004",
        )
        == []
    )
    options = {"JST004": {"module-globs": ["just/*.just"]}}
    assert project(lint({}, "JST004", options), "path", "code", "span") == [
        ("just/x.just", "JST004", (1, 1, 1, 1))
    ]


def test_required_tasks_and_max_root_recipes_options(lint: Lint) -> None:
    options = {"JST001": {"required-tasks": ["ci"]}, "JST002": {"max-root-recipes": 0}}
    diagnostics = lint(
        {"justfile": "# list\ndefault:\n  @just --list\nci:\n  echo\n"},
        ["JST001", "JST002"],
        options,
    )
    assert [(d.code, d.span.as_tuple()) for d in diagnostics] == [("JST002", (4, 1, 4, 3))]


def test_mod_module_recipes_are_checked_in_their_file(lint: Lint) -> None:
    assert project(
        lint(
            {
                "justfile": "mod ops 'infra/ops.just'\n# list\ndefault:\n  @just --list\n",
                "infra/ops.just": "import 'more.just'\n# deploy\n[group('ops')]\ndeploy:\n  echo\n",
                "infra/more.just": "[private]\nhelper:\n  echo\n\nrollback:\n  echo\n",
            },
            ["JST005", "JST006"],
        ),
        "path",
        "code",
        "span",
    ) == [
        ("infra/more.just", "JST005", (5, 1, 5, 9)),
        ("infra/more.just", "JST006", (5, 1, 5, 9)),
    ]


def test_module_too_large_for_the_index_is_not_an_orphan(
    lint: Lint, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discovery_module, "MAX_FILE_SIZE", 100)
    diagnostics = lint(
        {
            "justfile": "# list\ndefault:\n  @just --list\nimport 'tasks/big.just'\n",
            "tasks/big.just": "# big\n[group('x')]\nbig:\n" + "  echo\n" * 30,
        },
        ALL,
    )
    assert project(diagnostics, "path", "code", "span") == [
        ("justfile", "JST000", (4, 8, 4, 8)),
        ("tasks/big.just", "JST000", (1, 1, 1, 1)),
    ]
    assert diagnostics[1].message == (
        "just cannot read this file: file is 234 bytes, above 100; not read"
    )


def test_jst001_names_recipes_that_do_the_task_under_a_longer_name(lint: Lint) -> None:
    justfile = (
        "check:\n    uv run pytest\n"
        "install_env:\n    uv sync\n"  # an underscore too
        "cleanup:\n    rm -rf dist\n"  # not `clean-...`: no hint
        "mod docker\n"
    )
    files = {"justfile": justfile, "docker/mod.just": "package-image:\n    docker build .\n"}
    options = {"JST001": {"required-tasks": ["install", "clean", "package"]}}
    assert project(lint(files, "JST001", options=options), "message") == [
        "core task `clean` is not defined: add a recipe named `clean` (for example in"
        " tasks/clean.just, imported by the justfile)",
        "core task `install` is not defined, but `install_env` is: add"
        " `alias install := install_env` to the justfile",
        "core task `package` is not defined: add a recipe named `package` (for example in"
        " tasks/package.just, imported by the justfile)",
    ]
