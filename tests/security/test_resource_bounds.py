"""Inputs built to multiply the work: YAML aliases that share steps and hooks, long inputs
that a quadratic path would choke on (issue 14, item 12).

Each test is the attack: it generates the input, runs it through the engine, and asserts the
exact findings (one finding, at the anchor, not one per alias) and that the work is bounded,
counted deterministically (how many times a step or hook is analysed), never timed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mlops_hooks.checkers.precommit.model import MAX_HOOKS
from mlops_hooks.checkers.workflow import model as workflow_model
from mlops_hooks.checkers.workflow.deploys import Recogniser
from mlops_hooks.checkers.workflow.rules.gha007_unknown_just_recipe import UnknownJustRecipe
from tests.security.conftest import Check, findings

JUSTFILE = "check:\n    echo check\n"
WORKFLOW = ".github/workflows/ci.yml"
CONFIG = ".pre-commit-config.yaml"
CONCURRENCY = (
    "concurrency:\n  group: ${{ github.workflow }}-${{ github.ref }}\n"
    "  cancel-in-progress: ${{ github.event_name == 'pull_request' }}\n"
)
UNKNOWN = "`just tset` fails: the justfile has no recipe or alias `tset`"


def counting(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    """Count the calls of ``owner.name`` (a function or method), still calling it."""
    calls = [0]
    original: Callable[..., Any] = getattr(owner, name)

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, spy)
    return calls


def shared_steps_workflow(jobs: int) -> str:
    """``jobs`` jobs whose steps are one anchored list: the first job writes it (``&s``),
    the others name it (``*s``)."""
    head = (
        "on: [pull_request]\n" + CONCURRENCY + "jobs:\n  j0:\n    runs-on: ubuntu-latest\n"
        "    steps: &s\n"
        "      - uses: actions/checkout@v5\n"  # line 6
        "      - run: just check\n"
        "      - run: |\n"
        "          echo start\n"
        "          just tset\n"  # line 13: the one unknown recipe
    )
    return head + "".join(f"  j{i}: {{runs-on: x, steps: *s}}\n" for i in range(1, jobs))


def test_steps_shared_by_600_jobs_are_analysed_once(
    check: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: a list of steps shared through an alias by 600 jobs is analysed once (its
    `run` scripts read once, each step rule called once per step) and a finding in it is
    reported once, at the anchored step's line, not once per job."""
    scripts = counting(monkeypatch, workflow_model, "run_script")
    steps = counting(monkeypatch, UnknownJustRecipe, "check_step")
    found = check({"justfile": JUSTFILE, WORKFLOW: shared_steps_workflow(600)})
    assert findings(found, WORKFLOW) == [("GHA007", 13, UNKNOWN)]
    assert found[0]["start"]["column"] == 16
    # The two `run:` steps, read once: the engine's parse of the workflow is also the one
    # that GHA008 and GHA009 read across files (issue 19).
    assert scripts[0] == 2
    assert steps[0] == 3  # three distinct steps, not 1,800


def test_a_step_aliased_into_many_lists_is_one_step(
    check: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: a single step shared through an alias (`- *build`) by many jobs is one
    step, analysed and reported once where its anchor is written."""
    jobs = "".join(
        f"  j{i}:\n    runs-on: x\n    steps:\n      - *build\n      - run: echo {i}\n"
        for i in range(1, 300)
    )
    text = (
        "on: [pull_request]\n" + CONCURRENCY + "jobs:\n  j0:\n    runs-on: x\n    steps:\n"
        "      - &build\n        run: just check && just tset\n" + jobs  # line 10
    )
    steps = counting(monkeypatch, UnknownJustRecipe, "check_step")
    found = check({"justfile": JUSTFILE, WORKFLOW: text})
    assert findings(found, WORKFLOW) == [("GHA007", 10, UNKNOWN)]
    assert steps[0] == 1 + 299  # the shared step once, and each job's own `echo`


def test_a_publishing_step_shared_by_600_jobs_is_one_finding(
    check: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: the analyses that look at every job's steps (what publishes or deploys:
    GHA001's fix, GHA003, GHA006, GHA009) analyse a shared list once per set of runs, and
    the finding at the shared step is reported once (the engine drops exact duplicates)."""

    def text(jobs: int) -> str:
        return (
            "on:\n  push:\n    branches: [main]\n" + CONCURRENCY + "jobs:\n  j0:\n    runs-on: x\n"
            "    steps: &s\n      - uses: actions/checkout@v5\n"
            "      - run: uv publish\n"  # line 12
             + "".join(f"  j{i}: {{runs-on: x, steps: *s}}\n" for i in range(1, jobs))
        )

    analysed = counting(monkeypatch, Recogniser, "step")
    found = check({WORKFLOW: text(600)})
    assert [(code, line) for code, line, _ in findings(found, WORKFLOW)] == [("GHA006", 12)]
    with_600 = analysed[0]
    check({WORKFLOW: text(2)})
    assert analysed[0] - with_600 == with_600  # the same work for 2 jobs as for 600


def shared_hooks_config(repos: int) -> str:
    """``repos`` copies of ruff's repository sharing one anchored list of hooks."""
    head = (
        "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.14.0\n"
        "    hooks: &h\n      - id: ruff\n        args: [--fix]\n      - id: ruff-format\n"
    )
    repeat = "  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.14.0\n"
    return head + (repeat + "    hooks: *h\n") * (repos - 1)


def test_hooks_shared_by_500_repos_are_checked_once(
    check: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: `hooks: *h` in 500 repos of the same repository and rev is one list of
    hooks to check: each hook rule is called once per hook, and the legacy id is reported
    once, at the anchored hook (its fix is one edit there)."""
    from mlops_hooks.checkers.precommit.rules.pcc007_legacy_ruff_hook_id import LegacyRuffHookId

    hooks = counting(monkeypatch, LegacyRuffHookId, "check_hook")
    found = check({CONFIG: shared_hooks_config(500)})
    pcc007 = [f for f in findings(found, CONFIG) if f[0] == "PCC007"]
    assert pcc007 == [("PCC007", 5, "legacy hook id `ruff`: use `ruff-check`")]
    assert hooks[0] == 2


def test_local_hooks_shared_by_many_repos_report_once(check: Check) -> None:
    """Promise: a finding in a hook shared by many `local` repos (GHA007 on its `entry`)
    is reported once, at the anchor."""
    text = (
        "repos:\n  - repo: local\n    hooks: &h\n      - id: t\n        name: t\n"
        "        entry: just tset\n        language: system\n"  # line 6
        + "  - repo: local\n    hooks: *h\n"
        * 400
    )
    found = check({"justfile": JUSTFILE, CONFIG: text})
    gha007 = [f for f in findings(found, CONFIG) if f[0] == "GHA007"]
    assert gha007 == [("GHA007", 6, UNKNOWN)]


def test_hooks_expanding_past_the_bound_are_one_parse_error(check: Check) -> None:
    """Promise: expansion that sharing cannot absorb is bounded: a config whose aliases
    expand to more than MAX_HOOKS hooks (each repo is a different one) is one PCC000 at
    the first list that crosses the bound, and nothing else is computed for it."""
    hooks = "".join(f"      - id: h{i}\n" for i in range(200))
    repos = "".join(
        f"  - repo: https://example.com/r{i}\n    rev: v1\n    hooks: *h\n" for i in range(60)
    )
    text = "repos:\n  - repo: local\n    hooks: &h\n" + hooks + repos
    found = check({CONFIG: text})
    crossing = MAX_HOOKS // 200 - 1  # the remote repo whose list crosses the bound
    line = 3 + 200 + 3 * crossing + 3
    message = f"more than {MAX_HOOKS} hooks once YAML aliases are expanded; not checked"
    assert findings(found, CONFIG) == [("PCC000", line, message)]


def test_an_8000_line_heredoc_never_reaches_buildkit_whole(
    check: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: a long heredoc is checked in linear time: BuildKit's parser (whose time grows
    with the square of a heredoc's length) gets the file without the body, and the findings
    inside and after the body keep their exact lines."""
    import dockerfile

    texts: list[int] = []
    parse_string = dockerfile.parse_string

    def spy(text: str) -> Any:
        texts.append(len(text))
        return parse_string(text)

    monkeypatch.setattr(dockerfile, "parse_string", spy)
    body = [f"echo {i}" for i in range(8000)]
    body[4000] = "uv sync --locked"
    text = "\n".join(
        ["FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim", "RUN <<EOF", *body, "EOF"]
    )
    found = check({"uv.lock": "", "Dockerfile": text + "\nRUN uv sync\n"})
    assert [(code, line) for code, line, _ in findings(found, "Dockerfile")] == [
        ("DKR005", 4003),  # `uv sync --locked` inside the body, without a cache mount
        ("DKR004", 8004),  # the `RUN uv sync` after it, line mapped back
        ("DKR005", 8004),
    ]
    assert texts and max(texts) < 200  # the 100 KB body never went to BuildKit


def test_gha007_suggestions_compare_a_bounded_number_of_names(
    check: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: "did you mean" over 2,000 recipes for 2,000 unknown invocations compares a
    bounded number of names per distinct unknown name (difflib's ratio is quadratic), and
    still finds the near one."""
    import difflib

    from mlops_hooks.checkers.workflow.rules.gha007_unknown_just_recipe import (
        SUGGESTION_CANDIDATES,
    )

    compared: list[int] = []
    close_matches = difflib.get_close_matches

    def spy(word: str, possibilities: list[str], *args: Any, **kwargs: Any) -> list[str]:
        compared.append(len(possibilities))
        return close_matches(word, possibilities, *args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", spy)
    justfile = JUSTFILE + "".join(f"recipe-number-{i}:\n    echo {i}\n" for i in range(2000))
    steps = "".join(f"      - run: just recipe-numbr-{i % 1000}\n" for i in range(2000))
    text = "on: [pull_request]\n" + CONCURRENCY + "jobs:\n  j:\n    runs-on: x\n    steps:\n"
    found = check({"justfile": justfile, WORKFLOW: text + steps})
    gha007 = [f for f in findings(found, WORKFLOW) if f[0] == "GHA007"]
    assert len(gha007) == 2000
    assert gha007[7] == (
        "GHA007",
        16,
        "`just recipe-numbr-7` fails: the justfile has no recipe or alias `recipe-numbr-7`;"
        " did you mean `recipe-number-7`?",
    )
    assert len(compared) == 1000  # once per distinct name
    assert max(compared) <= SUGGESTION_CANDIDATES


def test_an_instruction_continued_past_the_bound_is_one_parse_error(
    check: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: BuildKit's parser, whose time grows with the square of an instruction's
    length, never gets an instruction longer than the bound: a RUN continued over 30,000
    lines (about 450 KB) is one DKR000 at its first line; a file as large made of ordinary
    instructions is checked as usual."""
    import dockerfile

    from mlops_hooks.checkers.dockerfile.model import MAX_INSTRUCTION_BYTES

    calls: list[int] = []
    parse_string = dockerfile.parse_string

    def spy(text: str) -> Any:
        calls.append(len(text))
        return parse_string(text)

    monkeypatch.setattr(dockerfile, "parse_string", spy)
    continued = "".join(f"  && echo {i} \\\n" for i in range(30_000))
    text = f"FROM python:3.12-slim\nRUN true \\\n{continued}  && true\n"
    assert len(text) > MAX_INSTRUCTION_BYTES
    assert findings(check({"Dockerfile": text}), "Dockerfile") == [
        (
            "DKR000",
            2,
            "an instruction of more than 256 KiB (its continued lines included) is too long "
            "to check",
        )
    ]
    assert calls == []
    # As large, in instructions of 60 KB each: parsed and checked as usual.
    ordinary = "FROM python:3.12-slim\n" + "".join(f"RUN echo {i:060000}\n" for i in range(5))
    assert len(ordinary) > MAX_INSTRUCTION_BYTES
    assert findings(check({"Dockerfile": ordinary}), "Dockerfile") == []
    assert calls == [len(ordinary)]
