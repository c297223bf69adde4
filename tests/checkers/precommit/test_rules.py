"""The pre-commit config rules on the tricky cases the rule examples do not show."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from mlops_hooks.checkers.precommit.rules.pcc003_mutable_rev import is_mutable
from mlops_hooks.cli import main
from mlops_hooks.project.githooks import install_hook_types
from mlops_hooks.testing import run_rules, write_project

FULL = """\
default_install_hook_types: [pre-commit, commit-msg, pre-push]
repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v6.0.0
    hooks:
      - id: check-yaml
      - id: trailing-whitespace
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v0.14.0
    hooks:
      - id: ruff-check
        args: [--fix]
      - id: ruff-format
  - repo: https://github.com/PyCQA/bandit
    rev: 1.8.6
    hooks:
      - id: bandit
        args: [-c, pyproject.toml]
  - repo: https://github.com/commitizen-tools/commitizen
    rev: v4.9.1
    hooks:
      - id: commitizen
      - id: commitizen-branch
        stages: [pre-push]
"""
BANDIT_PYPROJECT = '[project]\nname = "app"\n\n[tool.bandit]\nskips = ["B101"]\n'


def found(
    tmp_path: Path,
    config: str,
    select: str,
    files: Mapping[str, str] | None = None,
    options: Mapping[str, Any] | None = None,
) -> list[tuple[tuple[int, int, int, int], str]]:
    write_project(tmp_path, {".pre-commit-config.yaml": config, **(files or {})})
    diagnostics = run_rules(tmp_path, [select], {select: options} if options else None)
    return [(d.span.as_tuple(), d.message) for d in diagnostics if d.code == select]


def test_the_recommended_config_is_clean(tmp_path: Path) -> None:
    write_project(tmp_path, {".pre-commit-config.yaml": FULL, "pyproject.toml": BANDIT_PYPROJECT})
    assert run_rules(tmp_path, ["PCC"]) == []


# -- PCC001 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("https://github.com/PyCQA/bandit", "https://github.com/pycqa/BANDIT.git"),
        ("https://github.com/PyCQA/bandit", "git@gitlab.example.com:mirrors/pycqa/bandit.git"),
        ("https://github.com/PyCQA/bandit", "http://github.com/PyCQA/bandit/"),
        ("id: ruff-check", "id: ruff"),
    ],
)
def test_pcc001_matches_any_host_case_and_git_suffix(tmp_path: Path, old: str, new: str) -> None:
    assert found(tmp_path, FULL.replace(old, new), "PCC001") == []


def test_pcc001_a_fork_with_another_name_does_not_count(tmp_path: Path) -> None:
    config = FULL.replace("https://github.com/PyCQA/bandit", "https://github.com/me/bandit-fork")
    files = {"pyproject.toml": '[project]\nname = "app"\n\n[tool.bandit]\nskips = ["B101"]\n'}
    assert found(tmp_path, config, "PCC001", files) == [
        ((2, 1, 2, 6), "missing recommended hook `bandit` from `PyCQA/bandit`")
    ]


def test_pcc001_local_hook_with_the_id_counts(tmp_path: Path) -> None:
    config = FULL.replace(
        "  - repo: https://github.com/PyCQA/bandit\n    rev: 1.8.6\n",
        "  - repo: local\n",
    ).replace(
        "      - id: bandit\n",
        "      - id: bandit\n        name: bandit\n        entry: uv run bandit\n"
        "        language: system\n",
    )
    assert found(tmp_path, config, "PCC001") == []


def test_pcc001_options_replace_and_extend(tmp_path: Path) -> None:
    options = {
        "required-hooks": [
            "check-yaml",
            "https://github.com/astral-sh/ruff-pre-commit:ruff-format",
        ],
        "extend-required-hooks": ["gitleaks|detect-secrets"],
    }
    assert found(tmp_path, FULL, "PCC001", options=options) == [
        ((2, 1, 2, 6), "missing recommended hook `gitleaks`")
    ]


def test_pcc001_bad_spec_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pyproject = (
        '[project]\nname = "app"\n\n[tool.mlops-hooks.rules.missing-recommended-hook]\n'
        'required-hooks = ["https://github.com/PyCQA/bandit"]\n'
    )
    write_project(tmp_path, {".pre-commit-config.yaml": FULL, "pyproject.toml": pyproject})
    monkeypatch.chdir(tmp_path)
    assert main(["check", "."]) == 2
    assert "is not a hook spec like" in capsys.readouterr().err


# -- PCC002 -------------------------------------------------------------------------------

COMMITIZEN = """\
repos:
  - repo: https://github.com/commitizen-tools/commitizen
    rev: v4.9.1
    hooks:
      - id: commitizen
"""
NOT_INSTALLED = (
    (5, 13, 5, 23),
    "`commitizen` runs at `commit-msg`, but `just install` (justfile) installs only"
    " `pre-commit`: add `--hook-type commit-msg` to it (or `commit-msg` to"
    " `default_install_hook_types`), or the hook never runs",
)
NO_INSTALL_TASK = (
    (5, 13, 5, 23),
    "`commitizen` runs at `commit-msg`, but no task of the repository installs the git hooks,"
    " and a bare `pre-commit install` installs only `pre-commit`: add `commit-msg` to"
    " `default_install_hook_types`, or the hook never runs",
)


@pytest.mark.parametrize(
    "command",
    [
        "uv run pre-commit install --hook-type pre-commit --hook-type commit-msg",
        "pre-commit install -t commit-msg",
        "pre-commit install --hook-type=commit-msg",
        "pre-commit install -tcommit-msg",
        "@uvx pre-commit install \\\n        --hook-type commit-msg",
        ".venv/bin/prek install -t pre-commit -t commit-msg",
        "uv run python -m pre_commit install -t commit-msg",
    ],
)
def test_pcc002_justfile_install_recipe_escape(tmp_path: Path, command: str) -> None:
    justfile = f"# set up\ninstall:\n    uv sync\n    {command}\n"
    assert found(tmp_path, COMMITIZEN, "PCC002", files={"justfile": justfile}) == []


def test_pcc002_install_recipe_in_an_imported_file(tmp_path: Path) -> None:
    files = {
        "justfile": "import 'tasks/install.just'\n\ndefault:\n    @just --list\n",
        "tasks/install.just": "# hooks\n[group('install')]\ninstall:\n"
        "    uv run pre-commit install -t pre-commit -t commit-msg\n",
    }
    assert found(tmp_path, COMMITIZEN, "PCC002", files=files) == []


@pytest.mark.parametrize(
    ("justfile", "expected"),
    [
        ("install:\n    pre-commit install\n", NOT_INSTALLED),
        (
            "install:\n    # pre-commit install -t commit-msg\n    pre-commit install\n",
            NOT_INSTALLED,
        ),
        # `install-hooks` installs environments, not git hooks: no install task at all.
        ("install:\n    echo pre-commit install-hooks -t commit-msg\n", NO_INSTALL_TASK),
    ],
)
def test_pcc002_install_recipe_without_commit_msg(
    tmp_path: Path, justfile: str, expected: tuple[tuple[int, int, int, int], str]
) -> None:
    assert found(tmp_path, COMMITIZEN, "PCC002", files={"justfile": justfile}) == [expected]


def test_pcc002_message_names_what_the_justfile_installs(tmp_path: Path) -> None:
    justfile = "install:\n    pre-commit install -t pre-commit -t pre-push\n"
    [(span, message)] = found(tmp_path, COMMITIZEN, "PCC002", files={"justfile": justfile})
    assert span == NOT_INSTALLED[0]
    assert "but `just install` (justfile) installs only `pre-commit` and `pre-push`" in message


def test_pcc002_unparsable_justfile_is_read_as_text(tmp_path: Path) -> None:
    # just refuses the file (unknown setting), the indented install line still counts.
    justfile = "set nonsense := true\n\ninstall:\n    pre-commit install -t commit-msg\n"
    assert found(tmp_path, COMMITIZEN, "PCC002", files={"justfile": justfile}) == []


@pytest.mark.parametrize(
    ("repo", "hook_id"),
    [
        ("https://github.com/compilerla/conventional-pre-commit", "conventional-pre-commit"),
        ("https://github.com/jorisroovers/gitlint", "gitlint"),
    ],
)
def test_pcc002_manifest_defaults_of_well_known_hooks(
    tmp_path: Path, repo: str, hook_id: str
) -> None:
    config = f"repos:\n  - repo: {repo}\n    rev: v1.0.0\n    hooks:\n      - id: {hook_id}\n"
    [(span, message)] = found(tmp_path, config, "PCC002")
    assert span == (5, 13, 5, 13 + len(hook_id))
    assert message.startswith(f"`{hook_id}` runs at `commit-msg`")


def test_pcc002_default_stages_and_explicit_stages(tmp_path: Path) -> None:
    config = (
        "default_stages: [push]\n"
        "repos:\n  - repo: local\n    hooks:\n"
        "      - {id: a, name: a, entry: a, language: system}\n"
        "      - {id: b, name: b, entry: b, language: system, stages: [pre-commit]}\n"
        "      - {id: c, name: c, entry: c, language: system, stages: [manual]}\n"
        "      - {id: d, name: d, entry: d, language: system, stages: [post-checkout, manual]}\n"
    )
    assert [span for span, _ in found(tmp_path, config, "PCC002")] == [
        (5, 14, 5, 15),
        (8, 14, 8, 15),
    ]


def test_pcc002_commitizen_branch_has_no_manifest_stage(tmp_path: Path) -> None:
    # commitizen's manifest gives commitizen-branch no stages: it runs at pre-commit.
    config = COMMITIZEN.replace("- id: commitizen\n", "- id: commitizen-branch\n")
    assert found(tmp_path, config, "PCC002") == []


def test_pcc002_no_hook_type_installed(tmp_path: Path) -> None:
    config = "default_install_hook_types: []\n" + COMMITIZEN
    [(_, message)] = found(tmp_path, config, "PCC002")
    assert message.startswith(
        "`commitizen` runs at `commit-msg`, but no task of the repository installs the git"
        " hooks, and a bare `pre-commit install` installs no git hook:"
    )


@pytest.mark.parametrize(
    "value",
    ['{"acme/hooks:ticket" = []}', '{"acme/hooks:ticket" = ["pre_push"]}', '{"x:" = ["pre-push"]}'],
)
def test_pcc002_bad_manifest_stages_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    pyproject = (
        '[project]\nname = "app"\n\n[tool.mlops-hooks.rules.commit-msg-hook-not-installed]\n'
        f"manifest-stages = {value}\n"
    )
    write_project(tmp_path, {".pre-commit-config.yaml": COMMITIZEN, "pyproject.toml": pyproject})
    monkeypatch.chdir(tmp_path)
    assert main(["check", "."]) == 2
    assert "manifest-stages" in capsys.readouterr().err


def test_pcc002_manifest_stages_option(tmp_path: Path) -> None:
    config = (
        "default_install_hook_types: [pre-commit, commit-msg]\n"
        "repos:\n  - repo: https://gitlab.com/acme/hooks\n    rev: v1.0.0\n"
        "    hooks:\n      - id: ticket\n"
    )
    options = {"manifest-stages": {"acme/hooks:ticket": ["pre-push"]}}
    [(span, message)] = found(tmp_path, config, "PCC002", options=options)
    assert span == (6, 13, 6, 19)
    assert "a bare `pre-commit install` installs only `pre-commit` and `commit-msg`" in message


@pytest.mark.parametrize(
    ("lines", "types"),
    [
        (["pre-commit install"], frozenset()),
        (["pre-commit install -t commit-msg && echo -t pre-push"], frozenset({"commit-msg"})),
        (["pre-commit install --hook-type 'pre-push'  # -t commit-msg"], frozenset({"pre-push"})),
        (
            ["pre-commit install -t commit-msg; pre-commit install -t pre-push"],
            frozenset({"commit-msg", "pre-push"}),
        ),
        (["pre-commit install -t commit-msg&&echo -t x"], frozenset({"commit-msg"})),
        (["pre-commit run --all-files"], None),
        (["echo install"], None),
    ],
)
def test_install_hook_types(lines: list[str], types: frozenset[str] | None) -> None:
    assert install_hook_types(lines) == types


# -- PCC003 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rev", "mutable"),
    [
        ("main", True),
        ("MASTER", True),
        ("HEAD", True),
        ("develop", True),
        ("v1", True),
        ("feature/x", True),
        ("v1.2.3", False),
        ("1.8.6", False),
        ("24.10.0", False),
        ("8a737e727ac5ab2f1d4cf5876720ed276dc8dc4b", False),
        ("8a737e7", False),
    ],
)
def test_pcc003_mutable(rev: str, mutable: bool) -> None:
    assert is_mutable(rev) is mutable


@pytest.mark.parametrize(
    ("rev_line", "span"),
    [("    rev:\n", (3, 9, 3, 9)), ("    rev: ''\n", (3, 10, 3, 12))],
)
def test_pcc003_empty_rev(tmp_path: Path, rev_line: str, span: tuple[int, int, int, int]) -> None:
    config = f"repos:\n  - repo: https://github.com/x/y\n{rev_line}    hooks:\n      - id: z\n"
    assert found(tmp_path, config, "PCC003") == [
        (span, "repo `https://github.com/x/y` has no `rev`: pin a tag or a full commit SHA")
    ]


def test_pcc003_meta_needs_no_rev(tmp_path: Path) -> None:
    config = "repos:\n  - repo: meta\n    hooks:\n      - id: check-hooks-apply\n"
    assert found(tmp_path, config, "PCC003") == []


# -- PCC004 -------------------------------------------------------------------------------

RUFF = "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.14.0\n"


@pytest.mark.parametrize(
    ("hooks", "files", "expected"),
    [
        ("- id: ruff-format\n      - id: ruff\n        args: [--fix]\n", {}, True),
        ("- id: ruff-format\n      - id: ruff-check\n        args: [--fix-only]\n", {}, True),
        ("- id: ruff-format\n      - id: ruff-check\n", {"ruff.toml": "fix = true\n"}, True),
        (
            "- id: ruff-format\n      - id: ruff-check\n        args: [--no-fix]\n",
            {"ruff.toml": "fix = true\n"},
            False,
        ),
        (
            "- id: ruff-format\n      - id: ruff-check\n",
            {"pyproject.toml": '[project]\nname = "x"\n[tool.ruff]\nfix = false\n'},
            False,
        ),
        ("- id: ruff-check\n        args: [--fix]\n      - id: ruff-format\n", {}, False),
    ],
)
def test_pcc004_order_and_fix_settings(
    tmp_path: Path, hooks: str, files: dict[str, str], expected: bool
) -> None:
    config = RUFF + "    hooks:\n      " + hooks
    assert bool(found(tmp_path, config, "PCC004", files=files)) is expected


def test_pcc004_across_repos(tmp_path: Path) -> None:
    config = (
        RUFF + "    hooks:\n      - id: ruff-format\n"
        "  - repo: local\n    hooks:\n"
        "      - id: lint\n        name: lint\n        entry: uv run ruff check --fix\n"
        "        language: system\n"
    )
    assert found(tmp_path, config, "PCC004") == [
        (
            (5, 13, 5, 24),
            "`ruff-format` runs before `lint` fixes (line 8): a fix can leave code unformatted;"
            " list `ruff-format` after it",
        )
    ]


# -- PCC005 -------------------------------------------------------------------------------

BANDIT = "repos:\n  - repo: https://github.com/PyCQA/bandit\n    rev: 1.8.6\n    hooks:\n"


@pytest.mark.parametrize(
    ("args", "flagged"),
    [
        ("", True),
        ("        args: [-r, src]\n", True),
        ("        args: [-c, pyproject.toml]\n", False),
        ("        args: [-cpyproject.toml]\n", False),
        ("        args: [--configfile, pyproject.toml]\n", False),
        ("        args: ['--configfile=pyproject.toml']\n", False),
    ],
)
def test_pcc005_config_arguments(tmp_path: Path, args: str, flagged: bool) -> None:
    config = BANDIT + "      - id: bandit\n" + args
    files = {"pyproject.toml": BANDIT_PYPROJECT}
    assert bool(found(tmp_path, config, "PCC005", files=files)) is flagged


def test_pcc005_local_hook_and_invalid_pyproject(tmp_path: Path) -> None:
    config = (
        "repos:\n  - repo: local\n    hooks:\n"
        "      - id: security\n        name: security\n        entry: uv run bandit -r src\n"
        "        language: system\n"
    )
    files = {"pyproject.toml": BANDIT_PYPROJECT}
    assert [s for s, _ in found(tmp_path, config, "PCC005", files=files)] == [(4, 13, 4, 21)]
    # An invalid pyproject.toml configures nothing (and is not ours to report).
    files = {"pyproject.toml": "[tool.bandit\n"}
    assert found(tmp_path / "other", config, "PCC005", files=files) == []


@pytest.mark.parametrize(
    ("files", "missing"),
    [
        ({}, []),
        (
            {"pyproject.toml": '[project]\nname = "a"\n[tool.bandit]\nskips = ["B101"]\n'},
            ["bandit"],
        ),
        ({".bandit": "[bandit]\nskips = B101\n"}, ["bandit"]),
        ({"pyproject.toml": '[dependency-groups]\ndev = ["bandit>=1.8"]\n'}, ["bandit"]),
        ({".cz.toml": '[tool.commitizen]\nname = "cz_conventional_commits"\n'}, ["commitizen"]),
    ],
)
def test_pcc001_bandit_and_commitizen_once_adopted(
    tmp_path: Path, files: dict[str, str], missing: list[str]
) -> None:
    # Field trial: projects that never chose bandit or commitizen are not asked for them.
    config = "repos:\n" + "".join(
        f"  - repo: {repo}\n    rev: v1\n    hooks:\n      - id: {hook}\n"
        for repo, hook in (
            ("https://github.com/pre-commit/pre-commit-hooks", "check-yaml"),
            ("https://github.com/pre-commit/pre-commit-hooks", "trailing-whitespace"),
            ("https://github.com/astral-sh/ruff-pre-commit", "ruff-check"),
        )
    )
    reported = [m.split("`")[1] for _, m in found(tmp_path, config, "PCC001", files)]
    assert reported == missing


def test_pcc001_explicit_required_hooks_always_count(tmp_path: Path) -> None:
    options = {"required-hooks": ["PyCQA/bandit:bandit"]}
    assert found(tmp_path, "repos: []\n", "PCC001", options=options) == [
        ((1, 1, 1, 6), "missing recommended hook `bandit` from `PyCQA/bandit`")
    ]
