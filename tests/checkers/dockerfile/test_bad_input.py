"""Bad input: one DKR000 or nothing, never a crash."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_hooks.checkers.dockerfile import CHECKER
from mlops_hooks.checkers.dockerfile.model import parse
from mlops_hooks.checkers.dockerfile.rules.dkr005_uv_cache_in_layer import MESSAGE
from mlops_hooks.cli import main
from mlops_hooks.source import SourceFile
from mlops_hooks.testing import Lint, project


@pytest.mark.parametrize(
    ("raw", "line", "message"),
    [
        (
            b"FROM python:3.12\nRUN \x00\x01\x02\n",
            2,
            "binary file (contains NUL bytes); not checked",
        ),
        (b"FROM python:3.12\nRUN echo \xff\xfe caf\xe9\n", 2, "invalid UTF-8 at byte 26 (0xff)"),
        (b"", 1, "Dockerfile parse error: file with no instructions"),
        (b"# syntax=docker/dockerfile:1\n# only comments\n\n", 1, "Dockerfile parse error"),
        (b"FROM python:3.12\nRUN <<EOF\nuv sync\n", 2, "Dockerfile parse error"),
        (b"FROM python:3.12\nRUN echo " + b"x" * 70_000 + b"\n", 1, "Dockerfile parse error"),
        (b"ARG X=1\nRUN uv sync\n", 2, "Dockerfile parse error: no build stage in current"),
        (b"FROM\n", 1, "Dockerfile parse error: FROM requires either one or three arguments"),
        (b"FROM a AS\n", 1, "Dockerfile parse error: FROM requires either one or three"),
        (b"FROM a b c\n", 1, "Dockerfile parse error: FROM requires either one or three"),
        (b"FROM a\nCOPY . \\\n\n", 2, "Dockerfile parse error: COPY requires at least two"),
    ],
)
def test_unreadable_files_give_one_dkr000(lint: Lint, raw: bytes, line: int, message: str) -> None:
    ((code, at, text),) = project(lint(raw, "DKR"), "code", "line", "message")
    assert code == "DKR000"
    assert text.startswith(message)
    assert at == line


@pytest.mark.slow
def test_five_megabyte_dockerfile(lint: Lint) -> None:
    body = "".join(
        f"RUN echo step {i} && apt-get install -y --no-install-recommends pkg{i}\n"
        for i in range(75_000)
    )
    text = "FROM python:3.12-slim\n" + body + "RUN uv sync --locked\n"
    assert len(text.encode()) > 5_000_000
    started = time.perf_counter()
    assert project(lint(text.encode(), "DKR"), "code", "line", "message") == [
        ("DKR005", 75_002, MESSAGE.format(action="uv sync", target="/root/.cache/uv"))
    ]
    # Not a timing assertion on speed, only a guard against quadratic blow-ups.
    assert time.perf_counter() - started < 120


def test_directory_named_dockerfile(
    lint: Lint, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert lint({"Dockerfile/README.md": "not a Dockerfile\n"}, "DKR") == []
    assert lint({}, "DKR", paths=["Dockerfile"]) == []
    code = main(["check", str(tmp_path / "Dockerfile"), "--select", "DKR", "--format", "json"])
    assert code == 0
    assert json.loads(capsys.readouterr().out)["diagnostics"] == []


FRAGMENTS = st.sampled_from(
    [
        "FROM python:3.12 AS b\n", "FROM b\n", "ARG V=1\n", "ENV UV_FROZEN=1\n", "COPY . .\n",
        "COPY --from=ghcr.io/astral-sh/uv /uv /bin/\n", "RUN uv sync\n", "RUN pip install .\n",
        "RUN <<EOF\n", "EOF\n", "RUN \\\n", "  && uv sync \\\n", "RUN [\"uv\", \"sync\"\n",
        "RUN --mount=type=cache,target=/root/.cache/uv uv sync\n", "# escape=`\n", "RUN `\n",
        "RUN sh -c 'uv sync\n", 'RUN "uv sync\n', "RUN $(\n", "RUN cat <<-X\n", "\tX\n",
        "RUN uv sync > \n", "FROM\n", "COPY\n", "RUN --mount=from=\n", "\r\n", "\n", "é\n",
    ]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FRAGMENTS, max_size=12))
def test_arbitrary_fragments_never_crash(fragments: list[str]) -> None:
    from mlops_hooks.checkers import ParseError
    from mlops_hooks.checkers.dockerfile.base import DockerfileRule
    from mlops_hooks.project import Project
    from mlops_hooks.registry import get_registry
    from mlops_hooks.rule import RuleContext

    source = SourceFile("Dockerfile", "".join(fragments))
    try:
        model = parse(source)
    except ParseError:
        return
    context = RuleContext(source, Project(Path.cwd()))
    rules = [
        rule(context)
        for rule in get_registry().rules
        if issubclass(rule, DockerfileRule) and not rule.parse_error
    ]
    CHECKER.run(model, rules)
    for diagnostic in context.sink:
        assert 1 <= diagnostic.span.start.line <= diagnostic.span.end.line


def test_binding_decode_errors_become_dkr000(lint: Lint, monkeypatch: pytest.MonkeyPatch) -> None:
    # Regression (found by `just fuzz`): with non-ASCII flag text the `dockerfile` binding
    # sometimes raises UnicodeDecodeError (it decodes flags byte by byte).
    import dockerfile

    def broken(text: str) -> object:
        raise UnicodeDecodeError("utf-8", b"\x80", 0, 1, "invalid start byte")

    monkeypatch.setattr(dockerfile, "parse_string", broken)
    [diag] = lint(
        "FROM python:3.12\nCOPY --\u4e3dfrom=ghcr.io/astral-sh/uv:latest /uv /bin/\n", "DKR000"
    )
    assert (diag.code, diag.span.start.line) == ("DKR000", 2)
    assert diag.message == (
        "Dockerfile parse error: an instruction flag holds non-ASCII text, which BuildKit rejects"
    )


def test_non_ascii_flag_values_are_decoded_right() -> None:
    from mlops_hooks.source import SourceFile

    model = parse(SourceFile("Dockerfile", "FROM x\nCOPY --chown=jos\u00e9:jos\u00e9 a b\n"))
    assert model.instructions[1].flags == ("--chown=jos\u00e9:jos\u00e9",)
    assert model.instructions[1].flag_values("chown") == ["jos\u00e9:jos\u00e9"]


@pytest.mark.parametrize(
    "text",
    [
        "\x1f",  # a control character alone: no instruction word
        "\r# syntax=docker/dockerfile:1\nARG PY=3.12\nFROM ghcr.io/astral-sh/uv:latest AS b\n"
        "FROM python:${PY}\nCOPY --from=b /uv /bin/\n",  # a lone CR shifts BuildKit's lines
    ],
)
def test_fuzzed_inputs_do_not_crash(text: str, lint: Lint) -> None:
    # Regressions found by `just fuzz`: IndexError in DKR000 validation and in DKR003/6/7.
    found = lint(text, "DKR", fix=True, unsafe_fixes=True)
    assert all(d.message for d in found)
