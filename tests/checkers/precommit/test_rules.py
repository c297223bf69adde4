"""The pre-commit config rules on the tricky cases the rule examples do not show."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_hooks.checkers.precommit.rules.pcc003_mutable_rev import is_mutable
from mlops_hooks.cli import main
from mlops_hooks.project.githooks import install_hook_types
from mlops_hooks.testing import Lint, project, write_project

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


def test_the_recommended_config_is_clean(lint: Lint) -> None:
    assert lint(FULL, "PCC", files={"pyproject.toml": BANDIT_PYPROJECT}) == []


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
def test_pcc001_matches_any_host_case_and_git_suffix(lint: Lint, old: str, new: str) -> None:
    assert lint(FULL.replace(old, new), "PCC001") == []


def test_pcc001_a_fork_with_another_name_does_not_count(lint: Lint) -> None:
    config = FULL.replace("https://github.com/PyCQA/bandit", "https://github.com/me/bandit-fork")
    files = {"pyproject.toml": '[project]\nname = "app"\n\n[tool.bandit]\nskips = ["B101"]\n'}
    assert project(lint(config, "PCC001", files=files), "span", "message") == [
        ((2, 1, 2, 6), "missing recommended hook `bandit` from `PyCQA/bandit`")
    ]


def test_pcc001_local_hook_with_the_id_counts(lint: Lint) -> None:
    config = FULL.replace(
        "  - repo: https://github.com/PyCQA/bandit\n    rev: 1.8.6\n",
        "  - repo: local\n",
    ).replace(
        "      - id: bandit\n",
        "      - id: bandit\n        name: bandit\n        entry: uv run bandit\n"
        "        language: system\n",
    )
    assert lint(config, "PCC001") == []


@pytest.mark.parametrize(
    "comment",
    [
        "  # - repo: https://github.com/PyCQA/bandit.git\n",
        "      ## - id: 'bandit'\n",
        "#- id: bandit\n",
    ],
)
def test_pcc001_a_commented_out_entry_turns_the_hook_off(lint: Lint, comment: str) -> None:
    config = FULL.replace(
        "  - repo: https://github.com/PyCQA/bandit\n    rev: 1.8.6\n    hooks:\n"
        "      - id: bandit\n        args: [-c, pyproject.toml]\n",
        comment,
    )
    assert lint(config, "PCC001", files={"pyproject.toml": BANDIT_PYPROJECT}) == []


@pytest.mark.parametrize(
    "comment",
    [
        "  # bandit runs in CI\n",
        "  # - id: bandit-fork\n",
        "  # - repo: https://github.com/me/bandit\n",
        "  - repo: local  # id: bandit\n    hooks: []\n",
    ],
)
def test_pcc001_only_a_commented_entry_of_that_hook_counts(lint: Lint, comment: str) -> None:
    config = FULL.replace(
        "  - repo: https://github.com/PyCQA/bandit\n    rev: 1.8.6\n    hooks:\n"
        "      - id: bandit\n        args: [-c, pyproject.toml]\n",
        comment,
    )
    found = lint(config, "PCC001", files={"pyproject.toml": BANDIT_PYPROJECT})
    assert project(found, "span", "message") == [
        ((2, 1, 2, 6), "missing recommended hook `bandit` from `PyCQA/bandit`")
    ]


def test_pcc001_a_hook_required_by_name_is_reported_even_commented_out(lint: Lint) -> None:
    config = FULL + "  # - repo: https://github.com/pre-commit/mirrors-mypy\n  #   - id: mypy\n"
    options = {"extend-required-hooks": ["mypy"]}
    assert project(lint(config, "PCC001", {"PCC001": options}), "span", "message") == [
        ((2, 1, 2, 6), "missing recommended hook `mypy`")
    ]


def test_pcc001_options_replace_and_extend(lint: Lint) -> None:
    options = {
        "required-hooks": [
            "check-yaml",
            "https://github.com/astral-sh/ruff-pre-commit:ruff-format",
        ],
        "extend-required-hooks": ["gitleaks|detect-secrets"],
    }
    assert project(lint(FULL, "PCC001", {"PCC001": options}), "span", "message") == [
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
def test_pcc002_justfile_install_recipe_escape(lint: Lint, command: str) -> None:
    justfile = f"# set up\ninstall:\n    uv sync\n    {command}\n"
    assert lint(COMMITIZEN, "PCC002", files={"justfile": justfile}) == []


def test_pcc002_install_recipe_in_an_imported_file(lint: Lint) -> None:
    files = {
        "justfile": "import 'tasks/install.just'\n\ndefault:\n    @just --list\n",
        "tasks/install.just": "# hooks\n[group('install')]\ninstall:\n"
        "    uv run pre-commit install -t pre-commit -t commit-msg\n",
    }
    assert lint(COMMITIZEN, "PCC002", files=files) == []


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
    lint: Lint, justfile: str, expected: tuple[tuple[int, int, int, int], str]
) -> None:
    assert project(lint(COMMITIZEN, "PCC002", files={"justfile": justfile}), "span", "message") == [
        expected
    ]


def test_pcc002_message_names_what_the_justfile_installs(lint: Lint) -> None:
    justfile = "install:\n    pre-commit install -t pre-commit -t pre-push\n"
    [(span, message)] = project(
        lint(COMMITIZEN, "PCC002", files={"justfile": justfile}), "span", "message"
    )
    assert span == NOT_INSTALLED[0]
    assert "but `just install` (justfile) installs only `pre-commit` and `pre-push`" in message


def test_pcc002_unparsable_justfile_is_read_as_text(lint: Lint) -> None:
    # just refuses the file (unknown setting), the indented install line still counts.
    justfile = "set nonsense := true\n\ninstall:\n    pre-commit install -t commit-msg\n"
    assert lint(COMMITIZEN, "PCC002", files={"justfile": justfile}) == []


@pytest.mark.parametrize(
    ("repo", "hook_id"),
    [
        ("https://github.com/compilerla/conventional-pre-commit", "conventional-pre-commit"),
        ("https://github.com/jorisroovers/gitlint", "gitlint"),
    ],
)
def test_pcc002_manifest_defaults_of_well_known_hooks(lint: Lint, repo: str, hook_id: str) -> None:
    config = f"repos:\n  - repo: {repo}\n    rev: v1.0.0\n    hooks:\n      - id: {hook_id}\n"
    [(span, message)] = project(lint(config, "PCC002"), "span", "message")
    assert span == (5, 13, 5, 13 + len(hook_id))
    assert message.startswith(f"`{hook_id}` runs at `commit-msg`")


def test_pcc002_default_stages_and_explicit_stages(lint: Lint) -> None:
    config = (
        "default_stages: [push]\n"
        "repos:\n  - repo: local\n    hooks:\n"
        "      - {id: a, name: a, entry: a, language: system}\n"
        "      - {id: b, name: b, entry: b, language: system, stages: [pre-commit]}\n"
        "      - {id: c, name: c, entry: c, language: system, stages: [manual]}\n"
        "      - {id: d, name: d, entry: d, language: system, stages: [post-checkout, manual]}\n"
    )
    assert project(lint(config, "PCC002"), "span") == [
        (5, 14, 5, 15),
        (8, 14, 8, 15),
    ]


def test_pcc002_commitizen_branch_has_no_manifest_stage(lint: Lint) -> None:
    # commitizen's manifest gives commitizen-branch no stages: it runs at pre-commit.
    config = COMMITIZEN.replace("- id: commitizen\n", "- id: commitizen-branch\n")
    assert lint(config, "PCC002") == []


def test_pcc002_no_hook_type_installed(lint: Lint) -> None:
    config = "default_install_hook_types: []\n" + COMMITIZEN
    [(_, message)] = project(lint(config, "PCC002"), "span", "message")
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


def test_pcc002_manifest_stages_option(lint: Lint) -> None:
    config = (
        "default_install_hook_types: [pre-commit, commit-msg]\n"
        "repos:\n  - repo: https://gitlab.com/acme/hooks\n    rev: v1.0.0\n"
        "    hooks:\n      - id: ticket\n"
    )
    options = {"manifest-stages": {"acme/hooks:ticket": ["pre-push"]}}
    [(span, message)] = project(lint(config, "PCC002", {"PCC002": options}), "span", "message")
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
def test_pcc003_empty_rev(lint: Lint, rev_line: str, span: tuple[int, int, int, int]) -> None:
    config = f"repos:\n  - repo: https://github.com/x/y\n{rev_line}    hooks:\n      - id: z\n"
    assert project(lint(config, "PCC003"), "span", "message") == [
        (span, "repo `https://github.com/x/y` has no `rev`: pin a tag or a full commit SHA")
    ]


def test_pcc003_meta_needs_no_rev(lint: Lint) -> None:
    config = "repos:\n  - repo: meta\n    hooks:\n      - id: check-hooks-apply\n"
    assert lint(config, "PCC003") == []


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
    lint: Lint, hooks: str, files: dict[str, str], expected: bool
) -> None:
    config = RUFF + "    hooks:\n      " + hooks
    assert bool(lint(config, "PCC004", files=files)) is expected


def test_pcc004_across_repos(lint: Lint) -> None:
    config = (
        RUFF + "    hooks:\n      - id: ruff-format\n"
        "  - repo: local\n    hooks:\n"
        "      - id: lint\n        name: lint\n        entry: uv run ruff check --fix\n"
        "        language: system\n"
    )
    assert project(lint(config, "PCC004"), "span", "message") == [
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
def test_pcc005_config_arguments(lint: Lint, args: str, flagged: bool) -> None:
    config = BANDIT + "      - id: bandit\n" + args
    files = {"pyproject.toml": BANDIT_PYPROJECT}
    assert bool(lint(config, "PCC005", files=files)) is flagged


def test_pcc005_local_hook_and_invalid_pyproject(lint: Lint, tmp_path: Path) -> None:
    config = (
        "repos:\n  - repo: local\n    hooks:\n"
        "      - id: security\n        name: security\n        entry: uv run bandit -r src\n"
        "        language: system\n"
    )
    files = {"pyproject.toml": BANDIT_PYPROJECT}
    assert project(lint(config, "PCC005", files=files), "span") == [(4, 13, 4, 21)]
    # An invalid pyproject.toml configures nothing (and is not ours to report).
    files = {"pyproject.toml": "[tool.bandit\n"}
    assert Lint(tmp_path / "other")(config, "PCC005", files=files) == []


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
    lint: Lint, files: dict[str, str], missing: list[str]
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
    reported = [
        m.split("`")[1] for _, m in project(lint(config, "PCC001", files=files), "span", "message")
    ]
    assert reported == missing


def test_pcc001_explicit_required_hooks_always_count(lint: Lint) -> None:
    options = {"required-hooks": ["PyCQA/bandit:bandit"]}
    assert project(lint("repos: []\n", "PCC001", {"PCC001": options}), "span", "message") == [
        ((1, 1, 1, 6), "missing recommended hook `bandit` from `PyCQA/bandit`")
    ]
