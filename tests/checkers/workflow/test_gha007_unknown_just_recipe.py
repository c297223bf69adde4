"""GHA007: workflow steps and local pre-commit hooks that run a recipe the justfile lacks."""

from __future__ import annotations

import pytest

from mlops_hooks.project.justfile.sandbox import find_just
from mlops_hooks.testing import Lint, project

pytestmark = pytest.mark.skipif(find_just() is None, reason="the rust-just wheel is not installed")

JUSTFILE = (
    "import 'tasks/check.just'\nmod docker\n\n# list\ndefault:\n    @just --list\n"
    "\n# clean\nclean:\n    rm -rf dist\n\n# package\npackage version:\n    uv build\n"
)
FILES = {
    "justfile": JUSTFILE,
    "tasks/check.just": "# check\ncheck: check-code\n# lint\ncheck-code:\n    echo\n",
    "docker/mod.just": "# build\nbuild:\n    echo\n",
}
WORKFLOW = ".github/workflows/ci.yml"
HEAD = "on: push\njobs:\n  ci:\n    runs-on: ubuntu-latest\n    steps:\n"


def test_only_the_workflow_is_checked_and_the_justfile_is_still_read(lint: Lint) -> None:
    found = lint(
        {**FILES, WORKFLOW: HEAD + "      - run: just check-all\n"}, "GHA007", paths=[WORKFLOW]
    )
    assert project(found, "path", "span") == [(WORKFLOW, (6, 19, 6, 28))]


@pytest.mark.parametrize(
    ("script", "spans"),
    [
        ("just check && just clean package 1.0 && just nope", [(6, 59, 6, 63)]),
        ("just clean nope", [(6, 25, 6, 29)]),
        ("just package nope", []),
        ("uv run just docker build", []),
        ("uv run just docker::nope", [(6, 26, 6, 38)]),
        ("cd sub && just nope", []),
        ("cd . && just nope", [(6, 27, 6, 31)]),
        ("echo just nope", []),
        ("just --justfile other.just nope", []),
        ("JUST_VAR=1 just 'nope'", [(6, 31, 6, 35)]),
    ],
)
def test_run_lines(lint: Lint, script: str, spans: list[tuple[int, int, int, int]]) -> None:
    assert project(
        lint({**FILES, WORKFLOW: HEAD + f"      - run: {script}\n"}, "GHA007"), "path", "span"
    ) == [(WORKFLOW, span) for span in spans]


def test_block_scripts_continuations_and_cd(lint: Lint) -> None:
    workflow = HEAD + (
        "      - run: |\n"  # 6
        "          uv sync\n"  # 7
        "          uv run just \\\n"  # 8
        "            --yes \\\n"  # 9
        "            lint\n"  # 10
        "          just check\n"  # 11
        "          cd docs\n"  # 12
        "          just anything-goes-in-docs\n"  # 13
    )
    assert project(lint({**FILES, WORKFLOW: workflow}, "GHA007"), "path", "span") == [
        (WORKFLOW, (10, 13, 10, 17))
    ]


def test_heredoc_bodies_are_not_commands(lint: Lint) -> None:
    workflow = HEAD + (
        "      - run: |\n"  # 6
        "          cat <<EOF > notes.md\n"  # 7
        "          just nope\n"  # 8: data, not a command (it was reported)
        "          EOF\n"  # 9
        "          just nope-after\n"  # 10
    )
    assert project(lint({**FILES, WORKFLOW: workflow}, "GHA007"), "path", "span") == [
        (WORKFLOW, (10, 16, 10, 26))
    ]


def test_working_directory_skips_the_step(lint: Lint) -> None:
    workflow = (
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    defaults:\n      run:\n        working-directory: web\n"
        "    steps:\n      - run: just nope\n"
        "      - run: just nope-root\n        working-directory: .\n"
    )
    assert project(lint({**FILES, WORKFLOW: workflow}, "GHA007"), "path", "span") == [
        (WORKFLOW, (10, 19, 10, 28))
    ]


def test_local_action_steps(lint: Lint) -> None:
    action = (
        "name: setup\nruns:\n  using: composite\n  steps:\n"
        "    - run: uvx --from rust-just just instal\n      shell: bash\n"
    )
    found = lint({**FILES, ".github/actions/setup/action.yml": action}, "GHA007")
    assert project(found, "path", "span", "message") == [
        (
            ".github/actions/setup/action.yml",
            (5, 38, 5, 44),
            "`just instal` fails: the justfile has no recipe or alias `instal`",
        )
    ]


def test_broken_justfile_checks_nothing(lint: Lint) -> None:
    files = {"justfile": "check: nope\n    echo\n", WORKFLOW: HEAD + "      - run: just other\n"}
    assert lint(files, "GHA007") == []
    assert project(lint({}, ["JST000", "GHA007"]), "code") == ["JST000"]


PRECOMMIT = ".pre-commit-config.yaml"


def test_precommit_local_hooks(lint: Lint) -> None:
    config = (
        "repos:\n"
        "  - repo: local\n"
        "    hooks:\n"
        "      - id: a\n        name: a\n        entry: just\n        args: [check-nope]\n"  # 4-7
        "        language: system\n"  # 8
        "      - id: b\n        name: b\n        entry: 'uv run just lint'\n"  # 9-11
        "        language: system\n"  # 12
        "      - id: c\n        name: c\n        entry: just check-code\n"  # 13-15
        "        language: system\n"  # 16
        '      - id: d\n        name: d\n        entry: "just\\tfmt"\n'  # 17-19
        "        language: system\n"  # 20
        "  - repo: https://github.com/example/hooks\n    rev: v1.0.0\n"  # 21-22
        "    hooks:\n      - id: e\n        entry: just remote-is-not-ours\n"  # 23-25
    )
    found = lint({**FILES, PRECOMMIT: config}, "GHA007", paths=[PRECOMMIT])
    assert project(found, "span", "message") == [
        (
            (7, 16, 7, 26),
            "`just check-nope` fails: the justfile has no recipe or alias `check-nope`;"
            " did you mean `check-code`?",
        ),
        ((11, 29, 11, 33), "`just lint` fails: the justfile has no recipe or alias `lint`"),
        # an escape in the scalar: the value's offsets are not the file's, so the whole scalar
        ((19, 16, 19, 27), "`just fmt` fails: the justfile has no recipe or alias `fmt`"),
    ]


def test_a_script_ending_inside_double_quotes_is_no_internal_error(lint: Lint) -> None:
    # `echo "\` (the backslash last, inside quotes) made the shell lexer raise IndexError:
    # GHA000 "internal error while checking this file", and no other rule's findings.
    files = {**FILES, WORKFLOW: HEAD + '      - run: echo "\\\n'}
    assert lint(files, ["GHA000", "GHA006", "GHA007"]) == []
