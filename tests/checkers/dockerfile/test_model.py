"""The Dockerfile model: logical lines, tokens, RUN commands with positions, stages, env."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_hooks.checkers import ParseError
from mlops_hooks.checkers.dockerfile.model import Instruction, directives, substitute
from mlops_hooks.source import SourceFile
from tests.checkers.dockerfile.conftest import model_of


def run_of(text: str, index: int = -1) -> Instruction:
    return model_of(text).instructions[index]


def spans(instruction: Instruction) -> list[tuple[tuple[str, ...], tuple[int, int, int, int]]]:
    return [
        (c.argv, instruction.word_span(c.words[0], c.words[-1]).as_tuple())
        for c in instruction.commands
        if c.words
    ]


def test_continuations_and_comment_lines_are_joined_like_buildkit() -> None:
    run = run_of(
        "FROM python:3.12-slim\n"
        "RUN cd /app \\\n"
        "# a comment inside the continuation\n"
        "\n"
        "    && uv \\\n"
        "       sync --locked\n"
    )
    assert run.logical_line.text == "RUN cd /app     && uv        sync --locked"
    assert spans(run) == [
        (("cd", "/app"), (2, 5, 2, 12)),
        (("uv", "sync", "--locked"), (5, 8, 6, 21)),
    ]


def test_escape_directive_switches_the_continuation_character() -> None:
    text = (
        "# syntax=docker/dockerfile:1\n# escape=`\n"
        "FROM python:3.12-slim\nRUN echo a\\b `\n  && uv sync\n"
    )
    model = model_of(text)
    assert model.escape == "`"
    assert spans(model.instructions[-1]) == [
        (("echo", "ab"), (4, 5, 4, 13)),
        (("uv", "sync"), (5, 6, 5, 13)),
    ]


def test_directives_stop_at_the_first_other_line() -> None:
    assert directives(SourceFile("D", "# escape=`\n# syntax=x\nFROM a\n")) == {
        "escape": "`",
        "syntax": "x",
    }
    assert directives(SourceFile("D", "\n# escape=`\nFROM a\n")) == {}
    assert directives(SourceFile("D", "# a comment\n# escape=`\nFROM a\n")) == {}
    with pytest.raises(ParseError, match="invalid escape token"):
        model_of("# escape=x\nFROM a\n")


def test_heredoc_script_lines_have_their_own_positions() -> None:
    run = run_of("FROM a\nRUN <<EOF\nset -e\n  cd /app && uv sync\nEOF\n")
    assert spans(run) == [
        (("set", "-e"), (3, 1, 3, 7)),
        (("cd", "/app"), (4, 3, 4, 10)),
        (("uv", "sync"), (4, 14, 4, 21)),
    ]


def test_heredocs_fed_to_other_programs_are_data() -> None:
    run = run_of("FROM a\nRUN python3 <<EOF\nimport os  # uv sync\nEOF\n")
    assert [c.argv for c in run.commands] == [("python3",)]
    assert run.shell == "python3 <<EOF"
    run = run_of(
        "FROM a\nRUN cat <<EOF > /x.sh && bash <<SCRIPT\nuv sync\nEOF\npip install x\nSCRIPT\n"
    )
    assert [c.argv for c in run.commands] == [("cat",), ("bash",), ("pip", "install", "x")]
    assert spans(run)[-1] == (("pip", "install", "x"), (5, 1, 5, 14))


def test_heredoc_with_a_foreign_shebang_is_not_shell() -> None:
    run = run_of("FROM a\nRUN <<EOF\n#!/usr/bin/env python3\nprint('uv sync')\nEOF\n")
    assert [c.argv for c in run.commands] == [()]
    run = run_of("FROM a\nRUN <<EOF\n#!/bin/bash -e\nuv sync\nEOF\n")
    assert [c.argv for c in run.commands][-1] == ("uv", "sync")


def test_tab_stripping_heredoc_terminator() -> None:
    run = run_of("FROM a\nRUN <<-EOT\n\tuv sync\n\tEOT\nRUN pip install x\n", index=1)
    assert spans(run) == [(("uv", "sync"), (3, 2, 3, 9))]


def test_exec_form_words_and_nested_shell() -> None:
    run = run_of('FROM a\nRUN ["sh", "-c", "cd /app && uv sync"]\n')
    assert spans(run) == [
        (("sh", "-c", "cd /app && uv sync"), (2, 6, 2, 38)),
        (("cd", "/app"), (2, 19, 2, 26)),
        (("uv", "sync"), (2, 30, 2, 37)),
    ]
    assert [c.exec_form for c in run.commands] == [True, False, False]


def test_exec_form_escapes_keep_offsets() -> None:
    run = run_of('FROM a\nRUN ["echo", "a\\"b", "\\u0041"]\n')
    assert run.commands[0].argv == ("echo", 'a"b', "A")


def test_flags_are_not_arguments() -> None:
    run = run_of(
        "FROM a\nRUN --mount=type=cache,target=/root/.cache/uv \\\n    --network=none uv sync\n"
    )
    assert [t.text for t in run.tokens] == [
        "RUN",
        "--mount=type=cache,target=/root/.cache/uv",
        "--network=none",
        "uv",
        "sync",
    ]
    assert [t.text for t in run.argument_tokens()] == ["uv", "sync"]
    assert spans(run) == [(("uv", "sync"), (3, 20, 3, 27))]
    assert run.part_span(run.tokens[1], 8, 18).as_tuple() == (2, 13, 2, 23)
    assert run.part_span(run.tokens[1], 5, 5) == run.word_span(run.tokens[1])


def test_crlf_and_bom_positions() -> None:
    source = SourceFile("Dockerfile", "FROM a\r\nRUN cd /x \\\r\n && uv sync\r\n")
    from mlops_hooks.checkers.dockerfile.model import parse

    run = parse(source).instructions[-1]
    assert spans(run)[-1] == (("uv", "sync"), (3, 5, 3, 12))


def test_non_run_instructions_have_no_commands() -> None:
    assert run_of("FROM a\nCOPY . .\n").commands == []


def test_a_stage_builds_on_the_last_earlier_stage_of_that_name() -> None:
    # Regression: the lookup was a scan of every earlier stage per FROM (quadratic in the
    # number of stages); a name lookup must keep the same answer, case-insensitively.
    model = model_of(
        "FROM a AS Base\nENV V=1\nFROM b AS base\nENV V=2\n"
        "FROM BASE AS child\nFROM child\nFROM other\n"
    )
    first, second, child, grandchild, other = model.stages
    assert child.parent is second and child.env == {"V": "2"}
    assert grandchild.parent is child and grandchild.root is second
    assert first.parent is None and other.parent is None


def test_stages_env_and_args() -> None:
    model = model_of(
        "ARG BASE=python:3.12-slim\nARG UV_FROZEN=1\n"
        'FROM ${BASE} AS base\nENV A="x y" B=$A UV_LINK_MODE=copy\nARG ONLY_HERE=1\n'
        "FROM base AS child\nARG UV_FROZEN\nARG NO_DEFAULT\nRUN uv sync\n"
    )
    base, child = model.stages
    assert base.image == "python:3.12-slim"
    assert base.env == {"A": "x y", "B": "x y", "UV_LINK_MODE": "copy"}
    assert child.parent is base and child.root is base and child.lineage == [base, child]
    assert child.base_image == "python:3.12-slim"
    env = child.env_at(model.instructions[-1])
    assert env == {"A": "x y", "B": "x y", "UV_LINK_MODE": "copy", "UV_FROZEN": "1"}
    assert model.stage("BASE") is base and model.stage("1") is child and model.stage("9") is None
    assert model.final is child and child.is_final and not base.is_final


def test_instruction_helpers() -> None:
    model = model_of(
        "FROM a\nRUN --mount=type=bind,src=uv.lock,dst=/u --mount=type=cache,destination=/c,ro"
        " uv sync\nCOPY --chown=app a b /dest/\n"
    )
    run, copy = model.instructions[1:]
    assert run.mounts() == [
        {"type": "bind", "src": "uv.lock", "source": "uv.lock", "dst": "/u", "target": "/u"},
        {"type": "cache", "destination": "/c", "ro": "true", "target": "/c"},
    ]
    assert copy.sources() == ("a", "b")
    assert copy.flag_values("chown") == ["app"]
    assert copy.find("b /dest").as_tuple() == (3, 20, 3, 27)
    assert copy.find("missing") == copy.span
    assert run.shell == "uv sync"


def test_substitute() -> None:
    assert substitute("${A:-x}-${B:-y}-$C-${D}", {"A": "a", "C": ""}) == "a-y-$C-${D}"


def test_unknown_heredoc_readers_fall_back_to_the_command_line() -> None:
    source = SourceFile("Dockerfile", "RUN echo\nuv sync\nEOF\n")
    run = Instruction(
        cmd="RUN", flags=(), args=("echo",), original="RUN echo", start_line=1, end_line=3,
        json=False, heredocs=("uv sync\n",), span=source.line_span(1, 3), source=source,
        heredoc_names=("EOF",),
    )  # fmt: skip
    assert [c.argv for c in run.commands] == [("echo",)]


def test_unterminated_heredoc_is_reported_at_its_opener() -> None:
    with pytest.raises(ParseError) as error:
        model_of("FROM a\nRUN <<A cat\nA\nRUN <<-B bash\n\tB2\n")
    assert (error.value.line, error.value.message) == (
        4,
        "Dockerfile parse error: unterminated heredoc",
    )


def test_checker_calls_only_overridden_hooks() -> None:
    from mlops_hooks.checkers.dockerfile import CHECKER
    from mlops_hooks.checkers.dockerfile.base import DockerfileRule
    from mlops_hooks.checkers.dockerfile.model import Stage
    from mlops_hooks.project import Project
    from mlops_hooks.rule import RuleContext

    seen: list[str] = []

    class StageNames(DockerfileRule):
        def check_stage(self, stage: Stage) -> None:
            seen.append(stage.name or "")

    model = model_of("FROM a AS one\nFROM one AS two\n")
    CHECKER.run(model, [StageNames(RuleContext(model.source, Project(Path.cwd())))])
    assert seen == ["one", "two"]


def test_env_expands_stage_args_and_children_inherit_only_env() -> None:
    model = model_of(
        "FROM a AS base\nARG FROZEN=1\nENV UV_FROZEN=$FROZEN\nFROM base\nRUN uv sync\n"
    )
    base, child = model.stages
    assert base.env == {"UV_FROZEN": "1"}
    assert child.env_at(model.instructions[-1]) == {"UV_FROZEN": "1"}
